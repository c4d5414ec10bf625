import Foundation

/// Where a new request goes (直接派单): to the company whose contract covers the compound on the
/// day of receipt, else to the compound's community.
public enum Dispatch {
    /// A property-service contract of the compound.
    public struct Contract: Sendable, Hashable {
        public var companyId: UUID
        public var companyName: String
        public var startsOn: CivilDate
        public var endsOn: CivilDate?
        public init(companyId: UUID, companyName: String, startsOn: CivilDate, endsOn: CivilDate?) {
            self.companyId = companyId
            self.companyName = companyName
            self.startsOn = startsOn
            self.endsOn = endsOn
        }

        public func covers(_ day: CivilDate) -> Bool { startsOn <= day && (endsOn.map { day <= $0 } ?? true) }
    }

    /// The handler on `day`: the covering contract that started last (a new company takes over on
    /// its first day), else the community.
    public static func handler(contracts: [Contract], community: (id: UUID, name: String), on day: CivilDate) -> (kind: HandlerKind, id: UUID, name: String) {
        if let c = contracts.filter({ $0.covers(day) }).max(by: { ($0.startsOn, $0.companyName) < ($1.startsOn, $1.companyName) }) {
            return (.company, c.companyId, c.companyName)
        }
        return (.community, community.id, community.name)
    }
}
