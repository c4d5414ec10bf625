import Domain
import FluentKit
import Foundation
import SQLKit

/// Two scopes several capabilities ask for beside the registry's: the rooms a person holds (owns
/// or lives in), and the communities whose work a member of staff runs (its own, its street's, its
/// district's).
enum PersonalScope {
    /// `r.id` is a room the actor owns or lives in; nil when the actor holds none by role.
    static func heldRooms(_ actor: Actor, alias r: String = "r") -> SQLQueryString? {
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .owner: "\(unsafeRaw: r).id IN (SELECT room_id FROM ownerships WHERE owner_id = \(bind: g.scopeId))"
            case .resident: "\(unsafeRaw: r).id IN (SELECT room_id FROM residents WHERE id = \(bind: g.scopeId))"
            default: nil
            }
        }
        return parts.isEmpty ? nil : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The rooms the actor owns or lives in, labelled "building entrance room", with their compound.
    static func rooms(_ actor: Actor, on db: any Database) async throws -> [(id: UUID, label: String, compoundId: UUID, compound: String)] {
        guard let held = heldRooms(actor) else { return [] }
        return try await db.sql().raw("""
            SELECT r.id, bd.number || ' ' || e.number || ' ' || r.number AS label, p.id AS compound_id, p.name AS compound FROM rooms r
            JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id JOIN compounds p ON p.id = bd.compound_id WHERE
            """ + " " + held + " ORDER BY p.name, label").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "label", as: String.self), try $0.decode(column: "compound_id", as: UUID.self),
             try $0.decode(column: "compound", as: String.self))
        }
    }

    /// Communities the actor runs as community, street or district staff, named "street · community".
    static func runCommunities(_ actor: Actor, on db: any Database) async throws -> [(id: UUID, name: String)] {
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .communityStaff: "cm.id = \(bind: g.scopeId)"
            case .streetStaff: "cm.street_id = \(bind: g.scopeId)"
            case .districtAdmin: "st.district_id = \(bind: g.scopeId)"
            default: nil
            }
        }
        guard !parts.isEmpty else { return [] }
        return try await db.sql().raw("SELECT cm.id, st.name || ' · ' || cm.name AS name FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE ("
                                      + parts.joined(separator: " OR ") + ") ORDER BY st.name, cm.name").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }
}
