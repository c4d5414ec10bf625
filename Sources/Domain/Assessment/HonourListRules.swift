import Foundation

/// A street's rules for its red and black lists (红黑榜), scores in hundredths of a point.
public struct ListRules: Sendable, Hashable, Codable {
    /// At most this many companies on the red list (more when tied at the last place)…
    public var redTop: Int64
    /// …each scoring at least this.
    public var redMinimum: Int64
    /// A period score below this puts a company on the black list.
    public var blackBelow: Int64
    /// So does any month of the period below this floor.
    public var monthFloor: Int64

    public init(redTop: Int64, redMinimum: Int64, blackBelow: Int64, monthFloor: Int64) {
        self.redTop = redTop; self.redMinimum = redMinimum; self.blackBelow = blackBelow; self.monthFloor = monthFloor
    }

    /// The top 3 with at least 90 points; black below 70 for the period or 60 in any month.
    public static let standard = ListRules(redTop: 3, redMinimum: 9_000, blackBelow: 7_000, monthFloor: 6_000)

    public var problems: [FieldError] {
        var errors: [FieldError] = []
        if !(0...50).contains(redTop) { errors.append(FieldError(field: "redTop", code: "out_of_range", message: "0–50 companies")) }
        for (field, v) in [("redMinimum", redMinimum), ("blackBelow", blackBelow), ("monthFloor", monthFloor)] where !(0...10_000).contains(v) {
            errors.append(FieldError(field: field, code: "out_of_range", message: "0.00–100.00 points"))
        }
        if errors.isEmpty && blackBelow > redMinimum {
            errors.append(FieldError(field: "blackBelow", code: "out_of_range", message: "the black list's line is not above the red list's"))
        }
        return errors
    }
}

/// Why a company is on the black list whatever its score.
public enum BlackTrigger: Sendable, Hashable {
    /// An inspection found a safety hazard the company had not reported (count in the period).
    case unreportedHazard(Int64)
    /// The company was summoned to a whistle case and did not report by the time set (count).
    case whistleNotReported(Int64)
    /// A month of the period scored below the floor.
    case monthBelowFloor(String)
    /// The period's score was below the black line.
    case scoreBelow

    /// A stable code and its detail for storage and pages.
    public var code: String {
        switch self {
        case .unreportedHazard: "unreported_hazard"
        case .whistleNotReported: "whistle_not_reported"
        case .monthBelowFloor: "month_below_floor"
        case .scoreBelow: "score_below"
        }
    }

    public var detail: String {
        switch self {
        case let .unreportedHazard(n), let .whistleNotReported(n): "\(n)"
        case let .monthBelowFloor(m): m
        case .scoreBelow: ""
        }
    }
}

public enum ListKind: String, RegistryCode, Codable { case red, black }

/// A company to be placed: its period score and monthly scores, and the triggers found.
public struct ListCandidate: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var score: ExactScore?
    public var months: [(month: String, score: ExactScore?)]
    public var hazards: Int64
    public var whistleMisses: Int64

    public init(id: UUID, name: String, score: ExactScore?, months: [(month: String, score: ExactScore?)], hazards: Int64 = 0, whistleMisses: Int64 = 0) {
        self.id = id; self.name = name; self.score = score; self.months = months; self.hazards = hazards; self.whistleMisses = whistleMisses
    }

    public static func == (a: ListCandidate, b: ListCandidate) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// A company's place on a list, with its rank on the red list or the triggers that put it on the black.
public struct ListPlacing: Sendable, Hashable {
    public var id: UUID
    public var list: ListKind
    public var score: ExactScore?
    public var rank: Int?
    public var triggers: [BlackTrigger]
}

public enum HonourListRules {
    /// The black list first: every trigger counts, and a company on it is never on the red. The
    /// red list: the best scores at or above the minimum, best first, the top `redTop` by
    /// competition rank (a tie at the last place takes all tied). Companies with no score and
    /// no trigger are on neither.
    public static func place(_ candidates: [ListCandidate], rules: ListRules) -> [ListPlacing] {
        var black: [ListPlacing] = [], clean: [ListCandidate] = []
        for c in candidates {
            var triggers: [BlackTrigger] = []
            if c.hazards > 0 { triggers.append(.unreportedHazard(c.hazards)) }
            if c.whistleMisses > 0 { triggers.append(.whistleNotReported(c.whistleMisses)) }
            for m in c.months { if let s = m.score, !s.isAtLeast(hundredths: rules.monthFloor) { triggers.append(.monthBelowFloor(m.month)) } }
            if let s = c.score, !s.isAtLeast(hundredths: rules.blackBelow) { triggers.append(.scoreBelow) }
            if triggers.isEmpty { clean.append(c) } else { black.append(ListPlacing(id: c.id, list: .black, score: c.score, rank: nil, triggers: triggers)) }
        }
        var eligible: [(candidate: ListCandidate, score: ExactScore)] = []
        for c in clean { if let s = c.score, s.isAtLeast(hundredths: rules.redMinimum) { eligible.append((c, s)) } }
        eligible.sort { a, b in a.score != b.score ? a.score > b.score : a.candidate.name < b.candidate.name }
        var red: [ListPlacing] = []
        for i in eligible.indices {
            let tied = i > 0 && eligible[i - 1].score == eligible[i].score
            let rank: Int = tied ? (red[i - 1].rank ?? i) : i + 1
            guard rank <= Int(rules.redTop) else { break }
            red.append(ListPlacing(id: eligible[i].candidate.id, list: .red, score: eligible[i].score, rank: rank, triggers: []))
        }
        let blackSorted = black.sorted { a, b in
            switch (a.score, b.score) {
            case let (x?, y?): x < y
            case (nil, _?): true
            default: false
            }
        }
        return red + blackSorted
    }
}

/// What a street does about a placing (奖惩).
public enum ConsequenceKind: String, RegistryCode, Codable {
    /// 通报表扬 (red)
    case commendation
    /// 警示 / 约谈 / 限期整改 / 启动更换物业 (black)
    case warning, interview, rectification, replacement

    /// A commendation goes with the red list, the rest with the black.
    public var list: ListKind { self == .commendation ? .red : .black }
}
