import Domain
import FluentKit
import Foundation
import SQLKit

/// Joint reception days (联合接访) and walkabout visits (走动式办公): community staff record who
/// attended and where, and file the requests found there in the same transaction.
struct ReceptionService: Sendable {
    let database: AppDatabase
    let requests: RequestService
    let audit = AuditLog()

    enum Kind: String, RegistryCode { case receptionDay = "reception_day", walkabout }

    struct NewReception: Sendable {
        var communityId: UUID
        var kind: Kind
        var heldOn: CivilDate
        var place: String
        var attendees: [String]
        var requests: [RequestService.NewRequest]
    }

    /// Community staff of the community, street staff of its street, or the district admin.
    func mayRecord(_ ctx: AccessContext, community: UUID, on db: any Database) async throws -> Bool {
        guard let row = try await db.sql().raw("SELECT m.street_id, s.district_id FROM communities m JOIN streets s ON s.id = m.street_id WHERE m.id = \(bind: community)").first() else {
            return false
        }
        return IntakeAccess.mayRecordReception(ctx.actor, community: community, street: try row.decode(column: "street_id", as: UUID.self),
                                               district: try row.decode(column: "district_id", as: UUID.self))
    }

    func record(_ ctx: AccessContext, _ input: NewReception) async throws -> (id: UUID, requestIds: [UUID]) {
        let result: (id: UUID, requestIds: [UUID]) = try await database.db.transaction { tx in
            guard try await mayRecord(ctx, community: input.communityId, on: tx) else {
                throw DomainError.invalid([FieldError(field: "communityId", code: "unknown_reference", message: "no community of yours has that id")])
            }
            var errors = FieldErrors()
            if input.place.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("place", "required", "where it was held") }
            if input.attendees.isEmpty { errors.add("attendees", "required", "who attended") }
            for (i, r) in input.requests.enumerated() {
                guard let place = try await requests.place(ofCompound: r.compoundId, on: tx), place.communityId == input.communityId else {
                    errors.add("requests[\(i)].compoundId", "unknown_reference", "a compound of this community"); continue
                }
                if r.description.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("requests[\(i)].description", "required", "what was raised") }
            }
            try errors.throwIfAny()
            let id = UUID.random()
            try await tx.sql().insert(into: "receptions").columns("id", "community_id", "kind", "held_on", "place", "attendees", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(input.communityId), Bind.text(input.kind.rawValue), Bind.text(input.heldOn.description), Bind.text(input.place),
                         Bind.text(input.attendees.joined(separator: "、")), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            var ids: [UUID] = []
            for var r in input.requests {
                r.channel = input.kind == .walkabout ? .walkabout : .reception
                r.receptionId = id
                do { ids.append(try await requests.create(ctx, r, on: tx)) } catch DomainError.invalid(let fields) {
                    let i = ids.count
                    throw DomainError.invalid(fields.map { FieldError(field: "requests[\(i)].\($0.field)", code: $0.code, message: $0.message) })
                }
            }
            try await audit.record(ctx, action: "create", entity: "receptions", entityId: id, districtId: nil, before: nil,
                                   after: .object(["kind": .string(input.kind.rawValue), "place": .string(input.place), "requests": .int(Int64(ids.count))]), on: tx)
            return (id, ids)
        }
        AppMetrics.filed(channel: input.kind == .walkabout ? "walkabout" : "reception", count: result.requestIds.count)
        return result
    }

    struct ReceptionRow: Sendable {
        let id: UUID, communityName: String, kind: Kind, heldOn: String, place: String, attendees: String, recordedBy: String, requests: Int64

        var json: JSONValue {
            .object(["id": .string(id.uuidString.lowercased()), "communityName": .string(communityName), "kind": .string(kind.rawValue), "heldOn": .string(heldOn),
                     "place": .string(place), "attendees": .array(attendees.split(separator: "、").map { .string(String($0)) }), "recordedBy": .string(recordedBy),
                     "requests": .int(requests)])
        }
    }

    /// Receptions in the communities the actor oversees, newest first.
    func list(_ ctx: AccessContext) async throws -> [ReceptionRow] {
        var parts: [SQLQueryString] = []
        for g in ctx.actor.grants {
            switch g.role {
            case .communityStaff: parts.append("x.community_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("m.street_id = \(bind: g.scopeId)")
            case .districtAdmin: parts.append("s.district_id = \(bind: g.scopeId)")
            default: break
            }
        }
        let visible: SQLQueryString = ctx.actor.isSystem ? "1=1" : parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
        let rows = try await database.db.sql().raw("""
            SELECT x.*, m.name AS community_name, (SELECT COUNT(*) FROM requests r WHERE r.reception_id = x.id) AS n FROM receptions x
            JOIN communities m ON m.id = x.community_id JOIN streets s ON s.id = m.street_id WHERE \(visible) ORDER BY x.held_on DESC, x.created_at DESC LIMIT 200
            """).all()
        return try rows.map { r in
            ReceptionRow(id: try r.decode(column: "id", as: UUID.self), communityName: try r.decode(column: "community_name", as: String.self),
                         kind: Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .receptionDay, heldOn: try r.decode(column: "held_on", as: String.self),
                         place: try r.decode(column: "place", as: String.self), attendees: try r.decode(column: "attendees", as: String.self),
                         recordedBy: try r.decode(column: "recorded_by", as: String.self), requests: try RankingService.int(r, "n"))
        }
    }
}
