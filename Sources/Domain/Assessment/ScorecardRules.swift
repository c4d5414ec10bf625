import Foundation

/// A month (`2026-10`), quarter (`2026-Q3`) or year (`2026`) of assessment (六里屯's 月测、季评、年度总评).
public enum AssessmentPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    case month(Int, Int)
    case quarter(Int, Int)
    case year(Int)

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let y = Int(parts[0]), parts[0].count == 4, (2000...2100).contains(y) else { return nil }
        if parts.count == 1 { self = .year(y); return }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.count == 2, p.first == "Q", let q = Int(p.dropFirst()), (1...4).contains(q) { self = .quarter(y, q); return }
        if p.count == 2, let m = Int(p), (1...12).contains(m) { self = .month(y, m); return }
        return nil
    }

    public var description: String {
        switch self {
        case let .month(y, m): String(format: "%04d-%02d", y, m)
        case let .quarter(y, q): "\(y)-Q\(q)"
        case let .year(y): "\(y)"
        }
    }

    public var kind: String {
        switch self {
        case .month: "month"
        case .quarter: "quarter"
        case .year: "year"
        }
    }

    /// The months it covers, as `YYYY-MM`.
    public var months: [String] {
        switch self {
        case let .month(y, m): [String(format: "%04d-%02d", y, m)]
        case let .quarter(y, q): (1...3).map { String(format: "%04d-%02d", y, (q - 1) * 3 + $0) }
        case let .year(y): (1...12).map { String(format: "%04d-%02d", y, $0) }
        }
    }

    /// The first day and the day after the last.
    public var days: (from: CivilDate, to: CivilDate) {
        let first = CivilDate(month: months[0])!, last = CivilDate(month: months[months.count - 1])!
        let next = last.month == 12 ? CivilDate(year: last.year + 1, month: 1, day: 1) : CivilDate(year: last.year, month: last.month + 1, day: 1)
        return (first, next)
    }

    /// The period of the same kind that holds `day`.
    public static func of(_ kind: String, day: CivilDate) -> AssessmentPeriod {
        switch kind {
        case "year": .year(day.year)
        case "month": .month(day.year, day.month)
        default: .quarter(day.year, (day.month - 1) / 3 + 1)
        }
    }

    /// The period of the same kind just before.
    public var previous: AssessmentPeriod {
        switch self {
        case let .month(y, m): m == 1 ? .month(y - 1, 12) : .month(y, m - 1)
        case let .quarter(y, q): q == 1 ? .quarter(y - 1, 4) : .quarter(y, q - 1)
        case let .year(y): .year(y - 1)
        }
    }

    public static func < (a: AssessmentPeriod, b: AssessmentPeriod) -> Bool { a.days.from < b.days.from || (a.days.from == b.days.from && a.months.count < b.months.count) }
}

/// How a street weighs the four parts of a score, in whole percent adding up to 100.
public struct ScoreWeights: Sendable, Hashable, Codable {
    /// The seven service sections of the inspections (日查).
    public var inspection: Int64
    /// The requests' response and resolution rates (接诉即办).
    public var requests: Int64
    /// Residents' ratings of the requests they filed (满意度).
    public var residents: Int64
    /// The party-building items of the inspections.
    public var party: Int64

    public init(inspection: Int64, requests: Int64, residents: Int64, party: Int64) {
        self.inspection = inspection; self.requests = requests; self.residents = residents; self.party = party
    }

    /// 50 / 25 / 15 / 10.
    public static let standard = ScoreWeights(inspection: 50, requests: 25, residents: 15, party: 10)

    public var problems: [FieldError] {
        var errors: [FieldError] = []
        for (field, w) in [("inspection", inspection), ("requests", requests), ("residents", residents), ("party", party)] where !(0...100).contains(w) {
            errors.append(FieldError(field: field, code: "out_of_range", message: "a whole percent, 0–100"))
        }
        if errors.isEmpty && inspection + requests + residents + party != 100 {
            errors.append(FieldError(field: "inspection", code: "total_not_100", message: "the four weights add up to 100"))
        }
        return errors
    }
}

/// What a compound's or company's score is made of over a period, all whole counts.
public struct ScoreInputs: Sendable, Hashable {
    /// Submitted inspections, and their service-section and party points earned and available (hundredths).
    public var inspections: Int64 = 0
    public var serviceEarned: Int64 = 0
    public var serviceWeight: Int64 = 0
    public var partyEarned: Int64 = 0
    public var partyWeight: Int64 = 0
    /// The three rates' counts of the period's requests.
    public var rates = RateCounts()

    public init() {}

    public static func + (a: ScoreInputs, b: ScoreInputs) -> ScoreInputs {
        var s = a
        s.inspections += b.inspections; s.serviceEarned += b.serviceEarned; s.serviceWeight += b.serviceWeight
        s.partyEarned += b.partyEarned; s.partyWeight += b.partyWeight
        s.rates.dispatched += b.rates.dispatched; s.rates.respondedInTime += b.rates.respondedInTime; s.rates.rated += b.rates.rated
        s.rates.resolved += b.rates.resolved; s.rates.scoreSum += b.rates.scoreSum
        return s
    }
}

/// An exact score out of 100 points, kept as a fraction; shown rounded to hundredths, but
/// compared and held against thresholds exactly (cross-multiplied in 128 bits).
public struct ExactScore: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int128
    public let denominator: Int128

    public init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator > 0)
        let g = Self.gcd(numerator < 0 ? -numerator : numerator, denominator)
        self.numerator = numerator / max(g, 1); self.denominator = denominator / max(g, 1)
    }

    /// Hundredths of a point, rounded half up (display and storage; never used to decide a list).
    public var hundredths: Int64 {
        let whole = numerator / denominator, rest = numerator % denominator
        let (rest200, overflow) = rest.multipliedReportingOverflow(by: 200)
        let half = overflow ? rest / (denominator / 200) : rest200 / denominator
        return Int64((whole * 200 + half + 1) / 2)
    }

    /// At least `hundredths` / 100 points, exactly.
    public func isAtLeast(hundredths h: Int64) -> Bool { Self.compare(numerator, 100, Int128(h), denominator) >= 0 }

    public static func < (a: ExactScore, b: ExactScore) -> Bool { compare(a.numerator, b.denominator, b.numerator, a.denominator) < 0 }
    public static func == (a: ExactScore, b: ExactScore) -> Bool { compare(a.numerator, b.denominator, b.numerator, a.denominator) == 0 }

    /// Sign of `a·b − c·d`, in 256 bits so that no product can overflow.
    static func compare(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128) -> Int {
        let l = a.multipliedFullWidth(by: b), r = c.multipliedFullWidth(by: d)
        if l.high != r.high { return l.high < r.high ? -1 : 1 }
        if l.low != r.low { return l.low < r.low ? -1 : 1 }
        return 0
    }
    public func hash(into h: inout Hasher) { h.combine(numerator); h.combine(denominator) }

    public var description: String { FixedPoint2.format(hundredths) }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 { b == 0 ? a : gcd(b, a % b) }
}

/// A score and its four parts, each as an exact fraction of 100 points; a part with nothing to
/// count (no inspection, no rated request) is left out and the others' weights carry the score.
public struct Scorecard: Sendable, Hashable {
    public var inspection: ExactScore?
    public var requests: ExactScore?
    public var residents: ExactScore?
    public var party: ExactScore?
    public var total: ExactScore?

    /// Ranked (and eligible for the red list) only when inspected in the period: requests and
    /// ratings alone say too little, and a compound no one inspected must not top the table.
    public var isRanked: Bool { inspection != nil && total != nil }

    public init(inspection: ExactScore? = nil, requests: ExactScore? = nil, residents: ExactScore? = nil, party: ExactScore? = nil, total: ExactScore? = nil) {
        self.inspection = inspection; self.requests = requests; self.residents = residents; self.party = party; self.total = total
    }
}

public enum ScorecardRules {
    /// Response and resolution weigh as in the ranking (30 : 35); satisfaction is the residents' part.
    public static func score(_ x: ScoreInputs, weights w: ScoreWeights, rates r: RateWeights = .standard) -> Scorecard {
        var card = Scorecard()
        if x.serviceWeight > 0 { card.inspection = ExactScore(Int128(x.serviceEarned) * 100, Int128(x.serviceWeight)) }
        if x.partyWeight > 0 { card.party = ExactScore(Int128(x.partyEarned) * 100, Int128(x.partyWeight)) }
        let c = x.rates
        // Response and resolution, each out of 100, weighed 30 : 35.
        var rateParts: [(Int64, ExactScore)] = []
        if c.dispatched > 0 { rateParts.append((r.response, ExactScore(Int128(c.respondedInTime) * 100, Int128(c.dispatched)))) }
        if c.rated > 0 { rateParts.append((r.resolution, ExactScore(Int128(c.resolved) * 100, Int128(c.rated)))) }
        card.requests = weighted(rateParts)
        let hasRated = c.rated > 0
        if hasRated { card.residents = ExactScore(Int128(c.scoreSum), Int128(c.rated)) }
        // Σ wᵢ·sᵢ / Σ wᵢ over the parts present, as one fraction.
        card.total = weighted([(w.inspection, card.inspection), (w.requests, card.requests), (w.residents, card.residents), (w.party, card.party)]
            .compactMap { wi, s in s.flatMap { wi > 0 ? (wi, $0) : nil } })
        return card
    }

    /// Σ wᵢ·sᵢ / Σ wᵢ, exact whenever it fits in 128 bits; nil when there is nothing to weigh.
    static func weighted(_ parts: [(Int64, ExactScore)]) -> ExactScore? {
        let weight = parts.reduce(Int128(0)) { $0 + Int128($1.0) }
        guard weight > 0 else { return nil }
        if let (num, den) = exactSum(parts), case (let d, false) = den.multipliedReportingOverflow(by: weight) { return ExactScore(num, d) }
        return approximateSum(parts, weight: weight)
    }

    /// Σ wᵢ·sᵢ over a common denominator (the least common multiple), or nil if it would not fit in
    /// 128 bits — far beyond any street's counts, but a server must not trap on it.
    static func exactSum(_ parts: [(Int64, ExactScore)]) -> (num: Int128, den: Int128)? {
        var num: Int128 = 0, den: Int128 = 1
        for (wi, s) in parts {
            let g = ExactScore.gcd(den, s.denominator)
            let (lcm, o1) = (den / g).multipliedReportingOverflow(by: s.denominator)
            let (a, o2) = num.multipliedReportingOverflow(by: lcm / den)
            let (b1, o3) = Int128(wi).multipliedReportingOverflow(by: s.numerator)
            let (b, o4) = b1.multipliedReportingOverflow(by: lcm / s.denominator)
            let (sum, o5) = a.addingReportingOverflow(b)
            if o1 || o2 || o3 || o4 || o5 { return nil }
            let r = ExactScore.gcd(sum < 0 ? -sum : sum, lcm)
            (num, den) = r > 1 ? (sum / r, lcm / r) : (sum, lcm)
        }
        return (num, den)
    }

    /// The fallback: each part to 10⁻¹² of a point (rounded down), then weighed exactly. Only
    /// counts too large for the exact sum reach it; a list's lines are hundredths, far coarser.
    static func approximateSum(_ parts: [(Int64, ExactScore)], weight: Int128) -> ExactScore {
        let scale: Int128 = 1_000_000_000_000
        var num: Int128 = 0
        for (wi, s) in parts {
            // s.num / s.den · scale without overflowing: whole part and remainder apart.
            let whole = s.numerator / s.denominator, rest = s.numerator % s.denominator
            let (restScaled, overflow) = rest.multipliedReportingOverflow(by: scale)
            let fraction = overflow ? (rest / (s.denominator / scale + 1)) : restScaled / s.denominator
            num += Int128(wi) * (whole * scale + fraction)
        }
        return ExactScore(num, weight * scale)
    }
}
