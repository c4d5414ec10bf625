import Domain
import FluentKit
import Foundation
import SQLKit

/// Writes audit events: who, when, from where, what action on which entity, before and after —
/// always on the transaction of the change it records.
struct AuditLog: Sendable {
    /// One audit event, written with the change it records.
    struct Entry: Sendable {
        let ctx: AccessContext
        let action: String, entity: String, entityId: UUID, districtId: UUID?
        let before: JSONValue?, after: JSONValue?
    }

    static let columns = ["id", "actor_kind", "actor_id", "actor_label", "source", "address", "action", "entity", "entity_id", "district_id",
                          "before", "after", "created_at", "updated_at"]

    func record(_ ctx: AccessContext, action: String, entity: String, entityId: UUID, districtId: UUID?,
                before: JSONValue?, after: JSONValue?, on db: any Database) async throws {
        try await record([Entry(ctx: ctx, action: action, entity: entity, entityId: entityId, districtId: districtId, before: before, after: after)], on: db)
    }

    /// Several events in multi-row statements (a group commit's jobs).
    func record(_ entries: [Entry], on db: any Database) async throws {
        // Counted before and after: a read that overlaps the write sees the count move either way.
        for e in entries { RegistryChanges.note(e.entity) }
        try await BulkWriter(db: db).insert(Self.rows(entries))
        for e in entries { RegistryChanges.note(e.entity) }
    }

    /// The events' rows, to insert with the rest of a transaction decided in advance.
    static func rows(_ entries: [Entry]) -> TableRows {
        TableRows(table: "audit_events", columns: columns, rows: entries.map { e in
            let stamp = Bind.date(e.ctx.now)
            return [Bind.uuid(UUID.timeOrdered()), Bind.text(e.ctx.actor.kind.rawValue), Bind.uuid(e.ctx.actor.id), Bind.text(e.ctx.actor.label),
                    Bind.text(e.ctx.source), Bind.text(e.ctx.address), Bind.text(e.action), Bind.text(e.entity), Bind.uuid(e.entityId),
                    Bind.uuid(e.districtId), Bind.text(e.before.map { String(decoding: $0.encoded(), as: UTF8.self) }),
                    Bind.text(e.after.map { String(decoding: $0.encoded(), as: UTF8.self) }), stamp, stamp]
        })
    }
}
