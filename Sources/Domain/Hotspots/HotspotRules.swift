import Foundation

/// How the street is told of a problem before complaints pile up (未诉先办): the detector's settings.
public struct HotspotSettings: Sendable, Hashable {
    /// Complete weeks before the week tested that make its baseline.
    public var baselineWeeks: Int
    /// The false-alarm rate allowed per place, category and week: a week is flagged when so many
    /// requests would come by chance at most this often under the baseline's Poisson rate.
    public var alpha: Double
    /// A week needs at least this many requests to be flagged, however quiet the baseline.
    public var minimumCount: Int64
    /// The rate assumed per week when the baseline is empty (a quiet place still gets a request now and then).
    public var floorRatePerWeek: Double

    public init(baselineWeeks: Int, alpha: Double, minimumCount: Int64, floorRatePerWeek: Double) {
        self.baselineWeeks = baselineWeeks; self.alpha = alpha; self.minimumCount = minimumCount; self.floorRatePerWeek = floorRatePerWeek
    }

    /// Twelve weeks of baseline, a 1% false-alarm rate, at least 5 requests, a floor of half a request a week.
    public static let standard = HotspotSettings(baselineWeeks: 12, alpha: 0.01, minimumCount: 5, floorRatePerWeek: 0.5)
}

/// A week flagged as well above what its baseline explains.
public struct HotspotFlag: Sendable, Hashable {
    /// Requests in the week.
    public var count: Int64
    /// The baseline's weekly rate, in hundredths of a request.
    public var expectedHundredths: Int64
    /// The smallest weekly count the baseline would flag.
    public var threshold: Int64

    public init(count: Int64, expectedHundredths: Int64, threshold: Int64) {
        self.count = count; self.expectedHundredths = expectedHundredths; self.threshold = threshold
    }
}

/// Probabilities here are `Double`, unlike money, areas and rates elsewhere: a Poisson tail is a
/// sum of exponentials with no exact rational value, and it only places a threshold — the count
/// compared against it, and everything stored, is a whole number.
///
/// The detector, for one compound and category, the baseline rate λ is the mean weekly count over the previous
/// `baselineWeeks` complete weeks (at least `floorRatePerWeek`); a week's count c is flagged when
/// c ≥ `minimumCount` and P(X ≥ c) ≤ `alpha` for X ~ Poisson(λ) — an upper bound on what the
/// baseline explains. A stationary stream is then flagged in at most about `alpha` of its weeks.
public enum HotspotRules {
    /// The Monday-based week a day falls in, as a number (1970-01-01 was a Thursday).
    public static func week(of day: CivilDate) -> Int { Int((Int64(day.dayNumber) + 3).floorDiv(7)) }

    /// The Monday that starts a week.
    public static func monday(ofWeek week: Int) -> CivilDate { CivilDate(dayNumber: week * 7 - 3) }

    /// P(X ≥ k) for X ~ Poisson(λ), summed in log space so large rates neither underflow nor overflow.
    public static func upperTail(_ k: Int64, rate lambda: Double) -> Double {
        guard k > 0 else { return 1 }
        var logTerm = -lambda  // log P(X = 0)
        var below = 0.0
        for i in 0..<k {
            below += exp(logTerm)
            logTerm += log(lambda) - log(Double(i + 1))
        }
        return max(0, 1 - below)
    }

    /// The baseline's weekly rate from its weeks' counts (missing weeks count as zero).
    public static func rate(_ history: [Int64], _ s: HotspotSettings) -> Double {
        let weeks = max(1, s.baselineWeeks)
        return max(s.floorRatePerWeek, Double(history.reduce(0, +)) / Double(weeks))
    }

    /// The smallest count flagged under a rate.
    public static func threshold(rate lambda: Double, _ s: HotspotSettings) -> Int64 {
        var k = max(1, s.minimumCount)
        while upperTail(k, rate: lambda) > s.alpha { k += 1 }
        return k
    }

    /// The flag for a week's `count` against the previous weeks' counts, or nil.
    public static func evaluate(count: Int64, history: [Int64], _ s: HotspotSettings = .standard) -> HotspotFlag? {
        let lambda = rate(history, s)
        let k = threshold(rate: lambda, s)
        guard count >= k else { return nil }
        return HotspotFlag(count: count, expectedHundredths: Int64((lambda * 100).rounded()), threshold: k)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func floorDiv(_ d: Int64) -> Int64 { let q = self / d; return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q }
}

/// What became of a flag: open until the street turns it into a whistle case, makes it the
/// month's problem (每月一题), or dismisses it with a reason.
public enum HotspotStatus: String, RegistryCode, Codable {
    case open, whistled, monthly, dismissed

    /// Only an open flag is decided; a month's problem may still become a whistle case.
    public func mayMove(to next: HotspotStatus) -> Bool {
        switch (self, next) {
        case (.open, .whistled), (.open, .monthly), (.open, .dismissed), (.monthly, .whistled): true
        default: false
        }
    }
}
