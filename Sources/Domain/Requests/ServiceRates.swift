import Foundation

/// What one request contributes to the three rates.
public struct RateSample: Sendable, Hashable {
    public var dispatched: Bool
    public var respondedInTime: Bool
    /// The reporter's last rating, if rated.
    public var rating: (resolved: Bool, satisfaction: Satisfaction)?

    public init(dispatched: Bool, respondedInTime: Bool, rating: (resolved: Bool, satisfaction: Satisfaction)?) {
        self.dispatched = dispatched
        self.respondedInTime = respondedInTime
        self.rating = rating
    }

    public static func == (a: RateSample, b: RateSample) -> Bool {
        a.dispatched == b.dispatched && a.respondedInTime == b.respondedInTime && a.rating?.resolved == b.rating?.resolved
            && a.rating?.satisfaction == b.rating?.satisfaction
    }

    public func hash(into h: inout Hasher) {
        h.combine(dispatched); h.combine(respondedInTime); h.combine(rating?.resolved); h.combine(rating?.satisfaction)
    }
}

/// How the composite score weighs the rates, and what each satisfaction level scores.
public struct RateWeights: Sendable, Hashable {
    public var response: Int64
    public var resolution: Int64
    public var satisfaction: Int64
    public var scores: [Satisfaction: Int64]

    public init(response: Int64, resolution: Int64, satisfaction: Int64, scores: [Satisfaction: Int64]) {
        self.response = response; self.resolution = resolution; self.satisfaction = satisfaction; self.scores = scores
    }

    /// 30/35/35, and 100/80/0 for satisfied, basically satisfied, dissatisfied.
    public static let standard = RateWeights(response: 30, resolution: 35, satisfaction: 35,
                                             scores: [.satisfied: 100, .basicallySatisfied: 80, .dissatisfied: 0])
}

/// The three rates (响应率, 解决率, 满意率) of a company, compound, community, street or department,
/// computed from its requests, and a composite score.
public struct ServiceRates: Sendable, Hashable {
    /// Responded in time ÷ dispatched.
    public var response: Ratio
    /// Rated resolved ÷ rated.
    public var resolution: Ratio
    /// Satisfaction score ÷ (rated × 100).
    public var satisfaction: Ratio

    public init(_ samples: [RateSample], weights: RateWeights = .standard) {
        let dispatched = samples.filter(\.dispatched)
        let rated = samples.compactMap(\.rating)
        response = Ratio(Int64(dispatched.filter(\.respondedInTime).count), Int64(dispatched.count))
        resolution = Ratio(Int64(rated.filter(\.resolved).count), Int64(rated.count))
        satisfaction = Ratio(rated.reduce(0) { $0 + (weights.scores[$1.satisfaction] ?? 0) }, Int64(rated.count) * 100)
    }

    /// The composite in hundredths of a point (0–10000), rounded half up; a rate with nothing to
    /// count contributes nothing and its weight is left out.
    public func composite(_ w: RateWeights = .standard) -> Int64? {
        let parts = [(response, w.response), (resolution, w.resolution), (satisfaction, w.satisfaction)].filter { $0.0.denominator > 0 }
        let weight = parts.reduce(Int64(0)) { $0 + $1.1 }
        guard weight > 0 else { return nil }
        // Σ w·(n/d) / Σw × 10000, each term in basis points times its weight, rounded once at the end.
        var numerator: Int64 = 0
        for (ratio, wt) in parts { numerator += wt * ratio.numerator * 1_000_000 / ratio.denominator }
        return (numerator / weight + 50) / 100
    }
}
