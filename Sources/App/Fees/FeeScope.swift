import Domain
import Foundation
import SQLKit

/// Which bills and payments a caller sees: an owner those of the rooms they own, a resident those
/// of the room they live in, a company its own (the days it served), a committee its compound's,
/// community, street and district staff those of the compounds under them; a department none.
/// `alias` names a table with `room_id`, `compound_id` and `company_id` (bills or payments).
enum FeeScope {
    static func visible(_ actor: Actor, alias a: String) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .owner: "\(unsafeRaw: a).room_id IN (SELECT room_id FROM ownerships WHERE owner_id = \(bind: g.scopeId))"
            case .resident: "\(unsafeRaw: a).room_id IN (SELECT room_id FROM residents WHERE id = \(bind: g.scopeId))"
            case .companyStaff: "\(unsafeRaw: a).company_id = \(bind: g.scopeId)"
            case .committeeMember: "\(unsafeRaw: a).compound_id = \(bind: g.scopeId)"
            case .communityStaff: "\(unsafeRaw: a).compound_id IN (SELECT id FROM compounds WHERE community_id = \(bind: g.scopeId))"
            case .streetStaff:
                "\(unsafeRaw: a).compound_id IN (SELECT p.id FROM compounds p JOIN communities cm ON cm.id = p.community_id WHERE cm.street_id = \(bind: g.scopeId))"
            case .districtAdmin:
                """
                \(unsafeRaw: a).compound_id IN (SELECT p.id FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
                WHERE st.district_id = \(bind: g.scopeId))
                """
            case .departmentLiaison, .mediator, .serviceProvider: nil
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// An owner or resident: who may dispute a bill of their room.
    static func isHolder(_ actor: Actor) -> Bool { actor.has(.owner) || actor.has(.resident) }
}
