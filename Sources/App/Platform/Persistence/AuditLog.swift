import Domain
import FluentKit
import Foundation
import SQLKit

/// Writes audit events: who, when, from where, what action on which entity, before and after —
/// always on the transaction of the change it records.
struct AuditLog: Sendable {
    func record(_ ctx: AccessContext, action: String, entity: String, entityId: UUID, districtId: UUID?,
                before: JSONValue?, after: JSONValue?, on db: any Database) async throws {
        let stamp = Bind.date(ctx.now)
        try await db.sql().insert(into: "audit_events")
            .columns("id", "actor_kind", "actor_id", "actor_label", "source", "address", "action", "entity", "entity_id", "district_id",
                     "before", "after", "created_at", "updated_at")
            .values([Bind.uuid(UUID()), Bind.text(ctx.actor.kind.rawValue), Bind.uuid(ctx.actor.id), Bind.text(ctx.actor.label),
                     Bind.text(ctx.source), Bind.text(ctx.address), Bind.text(action), Bind.text(entity), Bind.uuid(entityId),
                     Bind.uuid(districtId), Bind.text(before.map { String(decoding: $0.encoded(), as: UTF8.self) }),
                     Bind.text(after.map { String(decoding: $0.encoded(), as: UTF8.self) }), stamp, stamp])
            .run()
    }
}
