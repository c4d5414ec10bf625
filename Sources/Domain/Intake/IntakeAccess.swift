import Foundation

/// Who handles what comes in from outside: reception days and 12345 orders.
public enum IntakeAccess {
    /// Community staff of the community, street staff of its street, or the district admin record
    /// a reception day or walkabout there.
    public static func mayRecordReception(_ actor: Actor, community: UUID, street: UUID, district: UUID) -> Bool {
        actor.isSystem || actor.grants.contains {
            ($0.role == .communityStaff && $0.scopeId == community) || ($0.role == .streetStaff && $0.scopeId == street)
                || ($0.role == .districtAdmin && $0.scopeId == district)
        }
    }

    /// An unmatched 12345 order waits for its street's staff, or the district admin when no street
    /// could be told from its address.
    public static func handlesOrder(_ actor: Actor, district: UUID, street: UUID?) -> Bool {
        actor.isSystem || actor.grants.contains {
            ($0.role == .districtAdmin && $0.scopeId == district) || ($0.role == .streetStaff && street != nil && $0.scopeId == street)
        }
    }

    /// The districts and streets whose queue the actor sees (the SQL filter's inputs).
    public static func queueScope(_ actor: Actor) -> (districts: [UUID], streets: [UUID]) {
        (actor.grants.filter { $0.role == .districtAdmin }.map(\.scopeId), actor.grants.filter { $0.role == .streetStaff }.map(\.scopeId))
    }
}
