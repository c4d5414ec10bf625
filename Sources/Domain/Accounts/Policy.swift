import Foundation

/// What an actor wants to do with a record.
public enum Action: String, Sendable, CaseIterable {
    case read, create, update, delete

    public var isWrite: Bool { self != .read }
}

/// The answer of the policy. A record the actor may not see is `notFound` (no existence leak);
/// one it may see but not change is `forbidden`.
public enum Decision: Sendable, Equatable {
    case allow
    case notFound
    case forbidden
}

/// How one grant relates to one record, as the persistence layer found it.
public struct GrantReach: Sendable, Hashable {
    public var grant: Grant
    /// The record lies inside the grant's scope (the scope itself or below it).
    public var contains: Bool
    /// The record may be read through this grant (inside, an ancestor of the scope, or shared
    /// district information such as the list of companies).
    public var sees: Bool

    public init(grant: Grant, contains: Bool, sees: Bool) {
        self.grant = grant
        self.contains = contains
        self.sees = sees || contains
    }
}

/// The one access policy: whether an actor may perform an action on a kind of record, given how
/// each of its grants reaches the record. Every route and every query goes through it.
public enum Policy {
    /// Which roles may create, change and delete each collection inside their scope.
    /// Reading is governed by reach alone.
    public static let writers: [String: Set<Role>] = [
        "districts": [.districtAdmin],
        "streets": [.districtAdmin],
        "communities": [.districtAdmin, .streetStaff],
        "compounds": [.districtAdmin, .streetStaff, .communityStaff],
        "buildings": [.districtAdmin, .streetStaff, .communityStaff],
        "entrances": [.districtAdmin, .streetStaff, .communityStaff],
        "rooms": [.districtAdmin, .streetStaff, .communityStaff],
        "owners": [.districtAdmin, .streetStaff, .communityStaff],
        "ownerships": [.districtAdmin, .streetStaff, .communityStaff],
        "residents": [.districtAdmin, .streetStaff, .communityStaff],
        "companies": [.districtAdmin, .companyStaff],
        "contracts": [.districtAdmin, .streetStaff, .communityStaff],
        "committees": [.districtAdmin, .streetStaff, .communityStaff],
        "committee-members": [.districtAdmin, .streetStaff, .communityStaff, .committeeMember],
        "party-organizations": [.districtAdmin, .streetStaff],
        "party-coverages": [.districtAdmin, .streetStaff],
        "alliances": [.districtAdmin, .streetStaff],
        "alliance-members": [.districtAdmin, .streetStaff],
        "departments": [.districtAdmin],
        "cross-appointments": [.districtAdmin, .streetStaff, .communityStaff],
        "decisions": [.districtAdmin, .streetStaff, .communityStaff, .committeeMember],
        "fund": [.districtAdmin, .streetStaff, .communityStaff, .committeeMember],
        // Bills and payments: the company serving the compound keeps them; the district may correct them.
        "fees": [.districtAdmin, .companyStaff],
        // Menu services: the providers, each compound's rule of who serves what, and the catalogue.
        "menu": [.districtAdmin, .streetStaff, .communityStaff],
        // Smart property: the devices at a compound's gates and entrances (the company runs them with the staff).
        "devices": [.districtAdmin, .streetStaff, .communityStaff, .companyStaff],
        // Alerts are acted on by the command centres: the street's, the community's, the district's.
        "alerts": [.districtAdmin, .streetStaff, .communityStaff],
        "users": [.districtAdmin],
        "api-keys": [.districtAdmin],
    ]

    /// Who may read what records people's movements and temperatures — not everyone who sees the
    /// compound: its alerts, its access records and visitor counts, and who checks passes at its gate.
    public static let watchers: [String: Set<Role>] = [
        "alerts": [.districtAdmin, .streetStaff, .communityStaff],
        "access-records": [.districtAdmin, .streetStaff, .communityStaff, .companyStaff],
        "gate": [.districtAdmin, .streetStaff, .communityStaff, .companyStaff],
    ]

    /// Whether a grant of a watching role holds the compound inside its scope.
    public static func mayWatch(_ actor: Actor, _ collection: String, reach: [GrantReach]) -> Bool {
        actor.isSystem || reach.contains { $0.contains && watchers[collection]?.contains($0.grant.role) == true }
    }

    /// Roles that may only create or change, never delete (a company keeps its own record current).
    static let noDelete: [String: Set<Role>] = ["companies": [.companyStaff]]
    /// Roles that may change but not create.
    static let noCreate: [String: Set<Role>] = ["companies": [.companyStaff]]

    /// Decides `action` on a record of `collection` that the actor's grants reach as `reach`.
    /// The system actor (CLI, loaders) is bound by no scope.
    public static func decide(_ actor: Actor, _ action: Action, _ collection: String, reach: [GrantReach]) -> Decision {
        if actor.isSystem { return .allow }
        let visible = reach.contains { $0.sees }
        guard visible else { return .notFound }
        if action == .read { return .allow }
        let writers = writers[collection] ?? []
        let allowed = reach.contains { r in
            r.contains && writers.contains(r.grant.role)
                && !(action == .delete && noDelete[collection]?.contains(r.grant.role) == true)
                && !(action == .create && noCreate[collection]?.contains(r.grant.role) == true)
        }
        return allowed ? .allow : .forbidden
    }

    /// How grants reach the parent of a record being created. Owners are registered in the district,
    /// not under a street, so street and community staff of that district may add them there.
    public static func placementReach(_ collection: String, parentId: UUID, reach: [GrantReach]) -> [GrantReach] {
        guard collection == "owners" else { return reach }
        return reach.map { r in
            [.streetStaff, .communityStaff].contains(r.grant.role) && r.grant.districtId == parentId
                ? GrantReach(grant: r.grant, contains: true, sees: true) : r
        }
    }

    /// Whether any grant's role may ever write `collection` (decides whether forms and buttons show).
    public static func mayWrite(_ actor: Actor, _ collection: String) -> Bool {
        actor.isSystem || actor.grants.contains { writers[collection]?.contains($0.role) == true }
    }

    /// Administrative areas (audit log, users, integration keys) belong to district admins.
    public static func mayAdminister(_ actor: Actor, district: UUID?) -> Bool {
        actor.isSystem || actor.grants.contains { $0.role == .districtAdmin && (district == nil || $0.scopeId == district) }
    }
}

extension Policy {
    /// Whether the actor is government staff over a place: the district's admins, the street's
    /// staff, or (when the place lies in a community) that community's staff. The system is.
    public static func isStaffOver(_ actor: Actor, district: UUID, street: UUID, community: UUID?) -> Bool {
        actor.isSystem || actor.grants.contains { g in
            switch g.role {
            case .districtAdmin: g.scopeId == district
            case .streetStaff: g.scopeId == street
            case .communityStaff: community != nil && g.scopeId == community
            default: false
            }
        }
    }
}
