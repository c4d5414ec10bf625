import Domain
import SQLKit

/// Which records of a place an actor's staff grants reach, as SQL over a table aliased `alias`
/// that carries `district_id`, `street_id`, `community_id` and `compound_id` (committee cycles,
/// hotspots): district admins their district's, street and community staff theirs, and — when
/// `committees` is set — a committee member its compound's. Other roles reach none.
enum PlaceScope {
    static func staff(_ actor: Actor, alias a: String, committees: Bool = false) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .districtAdmin: "\(unsafeRaw: a).district_id = \(bind: g.scopeId)"
            case .streetStaff: "\(unsafeRaw: a).street_id = \(bind: g.scopeId)"
            case .communityStaff: "\(unsafeRaw: a).community_id = \(bind: g.scopeId)"
            case .committeeMember where committees: "\(unsafeRaw: a).compound_id = \(bind: g.scopeId)"
            default: nil
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }
}
