import Foundation

/// Who is summoned to a whistle-and-report case (吹哨报到).
public enum WhistlePartyKind: String, RegistryCode, Codable {
    case department, company, developer, committee
}

public enum WhistleStatus: String, RegistryCode, Codable {
    case open, closed
}

/// One summoned party as the rules see it.
public struct SummonedParty: Sendable, Hashable {
    public var reportBy: Date
    public var reportedAt: Date?

    public init(reportBy: Date, reportedAt: Date?) {
        self.reportBy = reportBy
        self.reportedAt = reportedAt
    }

    /// Reported (报到) no later than the deadline.
    public var onTime: Bool { reportedAt.map { $0 <= reportBy } ?? false }
    /// Past the deadline without reporting.
    public func isLate(now: Date) -> Bool { reportedAt == nil && now > reportBy }
}

/// The rules of a whistle case.
public enum WhistleRules {
    /// A case closes only when every summoned party has reported in (and the street confirms).
    public static func canClose(_ parties: [SummonedParty]) -> Bool {
        !parties.isEmpty && parties.allSatisfy { $0.reportedAt != nil }
    }

    /// On-time report rate: reported on time ÷ summoned with a deadline already passed or met.
    /// A party still inside its window is not yet counted.
    public static func onTimeRate(_ parties: [SummonedParty], now: Date) -> Ratio {
        let due = parties.filter { $0.reportedAt != nil || now > $0.reportBy }
        return Ratio(Int64(due.filter(\.onTime).count), Int64(due.count))
    }
}

/// Where a case sits, and who is summoned to it, as the access rules see it.
public struct WhistleCasePlace: Sendable {
    public struct Party: Sendable {
        public var id: UUID
        public var kind: WhistlePartyKind
        public var departmentId: UUID?
        public var companyId: UUID?
        public init(id: UUID, kind: WhistlePartyKind, departmentId: UUID?, companyId: UUID?) {
            self.id = id
            self.kind = kind
            self.departmentId = departmentId
            self.companyId = companyId
        }
    }

    public var districtId: UUID
    public var streetId: UUID
    public var communityId: UUID?
    public var compoundId: UUID?
    public var parties: [Party]

    public init(districtId: UUID, streetId: UUID, communityId: UUID?, compoundId: UUID?, parties: [Party]) {
        self.districtId = districtId
        self.streetId = streetId
        self.communityId = communityId
        self.compoundId = compoundId
        self.parties = parties
    }
}

/// How a caller stands towards a whistle case.
public struct WhistleStanding: Sendable, Equatable {
    /// Runs it: opens, logs, closes (the street's staff, the district admin).
    public var runs = false
    /// The summoned parties the caller reports for.
    public var partyIds: Set<UUID> = []
    /// May read it.
    public var sees = false
    public init(runs: Bool = false, partyIds: Set<UUID> = [], sees: Bool = false) {
        self.runs = runs
        self.partyIds = partyIds
        self.sees = sees
    }
}

extension WhistleRules {
    /// Street staff of the case's street and district admins run it; summoned departments,
    /// companies and committees report for their own party; the compound's community and
    /// committee follow it.
    /// Who records a party's report (报到). The party itself; the street running the case for
    /// the developer and the committee, who have no accounts of their kind; and for a department
    /// or company that has no working account, so that a case never waits on someone who cannot
    /// sign in — such a report is marked as recorded on the party's behalf.
    public static func reporting(kind: WhistlePartyKind, own: Bool, runs: Bool, partyHasAccount: Bool) -> (allowed: Bool, onBehalf: Bool) {
        if own { return (true, false) }
        guard runs else { return (false, false) }
        switch kind {
        case .developer, .committee: return (true, false)
        case .department, .company: return partyHasAccount ? (false, false) : (true, true)
        }
    }

    public static func standing(_ actor: Actor, _ c: WhistleCasePlace) -> WhistleStanding {
        if actor.isSystem { return WhistleStanding(runs: true, partyIds: Set(c.parties.map(\.id)), sees: true) }
        var s = WhistleStanding()
        for g in actor.grants {
            switch g.role {
            case .districtAdmin where g.scopeId == c.districtId, .streetStaff where g.scopeId == c.streetId: s.runs = true
            case .communityStaff where c.communityId == g.scopeId, .committeeMember where c.compoundId == g.scopeId: s.sees = true
            default: break
            }
            for p in c.parties {
                let mine = switch (g.role, p.kind) {
                case (.departmentLiaison, .department): p.departmentId == g.scopeId
                case (.companyStaff, .company): p.companyId == g.scopeId
                case (.committeeMember, .committee): c.compoundId == g.scopeId
                default: false
                }
                if mine { s.partyIds.insert(p.id) }
            }
        }
        s.sees = s.sees || s.runs || !s.partyIds.isEmpty
        return s
    }
}
