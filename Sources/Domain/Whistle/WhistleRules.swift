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
