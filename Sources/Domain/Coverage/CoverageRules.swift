import Foundation

/// What the district counts as "served" for the 物业服务覆盖率 where the law leaves room: a
/// state-owned company taking over as the fallback (国企兜底) and self-management (自管).
public struct CoverageSettings: Sendable, Hashable, Codable {
    public var countStateFallback: Bool
    public var countSelfManaged: Bool

    public init(countStateFallback: Bool, countSelfManaged: Bool) {
        self.countStateFallback = countStateFallback
        self.countSelfManaged = countSelfManaged
    }

    /// Chaoyang's practice in the seed: the state-owned fallback counts (it is how old compounds
    /// are covered), self-management does not.
    public static let standard = CoverageSettings(countStateFallback: true, countSelfManaged: false)
}

/// An owners' committee's or 物管会's term as the registry holds it.
public struct CommitteeTerm: Sendable, Hashable {
    public var kind: CommitteeKind, start: CivilDate, end: CivilDate?
    public init(kind: CommitteeKind, start: CivilDate, end: CivilDate?) { self.kind = kind; self.start = start; self.end = end }
}

/// A service contract's dates, whether its company is state-owned, and whether a party
/// organisation covers that company.
public struct ContractTerm: Sendable, Hashable {
    public var start: CivilDate, end: CivilDate?, stateOwned: Bool, partyCovered: Bool
    public init(start: CivilDate, end: CivilDate?, stateOwned: Bool, partyCovered: Bool = false) {
        self.start = start; self.end = end; self.stateOwned = stateOwned; self.partyCovered = partyCovered
    }
}

/// The facts about one compound that decide its three rates on any day, as the registry holds them.
public struct CoverageFacts: Sendable, Hashable {
    /// Committees of every kind with their terms (only owners' committees and 物管会s count).
    public var committees: [CommitteeTerm]
    public var contracts: [ContractTerm]
    public var managementMode: ManagementMode
    /// A party organisation covers the compound itself.
    public var partyCoversCompound: Bool

    public init(committees: [CommitteeTerm], contracts: [ContractTerm], managementMode: ManagementMode, partyCoversCompound: Bool) {
        self.committees = committees; self.contracts = contracts; self.managementMode = managementMode; self.partyCoversCompound = partyCoversCompound
    }
}

/// Which of the three rates (三率) one compound meets on one day.
public struct CompoundCoverage: Sendable, Hashable, Codable {
    /// 业委会/物管会组建: an owners' committee or 物管会 in term.
    public var committee: Bool
    /// 物业服务覆盖: served as the district counts it.
    public var service: Bool
    /// 党的组织和工作覆盖: a party organisation covers the compound or the company serving it.
    public var party: Bool

    public init(committee: Bool, service: Bool, party: Bool) { self.committee = committee; self.service = service; self.party = party }
}

/// Counts of compounds meeting each rate, summed up the tree compound → community → street → district.
public struct CoverageTally: Sendable, Hashable, Codable {
    public var compounds: Int64 = 0
    public var committee: Int64 = 0
    public var service: Int64 = 0
    public var party: Int64 = 0

    public init() {}
    public init(compounds: Int64, committee: Int64, service: Int64, party: Int64) {
        self.compounds = compounds; self.committee = committee; self.service = service; self.party = party
    }

    public mutating func add(_ c: CompoundCoverage) {
        compounds += 1
        if c.committee { committee += 1 }
        if c.service { service += 1 }
        if c.party { party += 1 }
    }

    public mutating func add(_ t: CoverageTally) {
        compounds += t.compounds; committee += t.committee; service += t.service; party += t.party
    }

    public var committeeRate: Ratio { Ratio(committee, compounds) }
    public var serviceRate: Ratio { Ratio(service, compounds) }
    public var partyRate: Ratio { Ratio(party, compounds) }
}

/// The three coverage rates (三率) from the registry's dated facts: no hand-entered percentages.
public enum CoverageRules {
    /// Which rate: the keys used in URLs, CSV and the API.
    public enum Rate: String, Sendable, CaseIterable, Codable { case committee, service, party }

    /// An owners' committee or 物管会 in term on `day` (a preparatory group does not count).
    public static func hasCommittee(_ f: CoverageFacts, on day: CivilDate) -> Bool {
        f.committees.contains { c in
            (c.kind == .ownersCommittee || c.kind == .managementCommittee) && c.start <= day && (c.end.map { $0 >= day } ?? true)
        }
    }

    /// The contract running on `day`, if any (the latest-starting one when records overlap).
    public static func currentContract(_ f: CoverageFacts, on day: CivilDate) -> ContractTerm? {
        f.contracts.filter { $0.start <= day && ($0.end.map { $0 >= day } ?? true) }.max { $0.start < $1.start }
    }

    /// Served on `day`: a current contract with a professional company, or with a state-owned one
    /// as the fallback when the district counts it; self-management when the district counts it.
    public static func isServed(_ f: CoverageFacts, on day: CivilDate, _ s: CoverageSettings) -> Bool {
        if let contract = currentContract(f, on: day) {
            if f.managementMode == .stateFallback || (contract.stateOwned && f.managementMode != .professional) { return s.countStateFallback }
            return true
        }
        return f.managementMode == .selfManaged && s.countSelfManaged
    }

    /// The three rates of one compound on `day`. The serving company's party cover counts only
    /// while a contract runs.
    public static func evaluate(_ f: CoverageFacts, on day: CivilDate, _ s: CoverageSettings) -> CompoundCoverage {
        CompoundCoverage(committee: hasCommittee(f, on: day), service: isServed(f, on: day, s),
                         party: f.partyCoversCompound || currentContract(f, on: day)?.partyCovered == true)
    }

    /// Tallies grouped by a key (community, street, district), in one pass.
    public static func rollup<Key: Hashable>(_ items: [(key: Key, coverage: CompoundCoverage)]) -> [Key: CoverageTally] {
        var out: [Key: CoverageTally] = [:]
        for (key, c) in items { out[key, default: CoverageTally()].add(c) }
        return out
    }

    /// Whether a compound misses `rate`.
    public static func misses(_ c: CompoundCoverage, _ rate: Rate) -> Bool {
        switch rate {
        case .committee: !c.committee
        case .service: !c.service
        case .party: !c.party
        }
    }

    /// The last day of each of the `count` months ending with `day`'s month (oldest first), the
    /// days monthly snapshots describe; the current month's is `day` itself.
    public static func monthEnds(through day: CivilDate, count: Int) -> [CivilDate] {
        var out: [CivilDate] = [day]
        var y = day.year, m = day.month
        for _ in 1..<max(1, count) {
            m -= 1
            if m == 0 { m = 12; y -= 1 }
            let next = m == 12 ? CivilDate(year: y + 1, month: 1, day: 1) : CivilDate(year: y, month: m + 1, day: 1)
            out.append(next.adding(days: -1))
        }
        return out.reversed()
    }
}
