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

    /// The composite in hundredths of a point (0–10000), rounded half up from the exact fraction;
    /// a rate with nothing to count contributes nothing and its weight is left out.
    public func composite(_ w: RateWeights = .standard) -> Int64? {
        guard let f = compositeFraction(w) else { return nil }
        return Int64((f.numerator * 200 / f.denominator + 1) / 2)
    }
}

/// The tallies the three rates are made of, as a database sums them over many requests.
public struct RateCounts: Sendable, Hashable {
    public var dispatched: Int64
    public var respondedInTime: Int64
    public var rated: Int64
    public var resolved: Int64
    /// The sum of the satisfaction scores of the rated requests (100/80/0 each by default).
    public var scoreSum: Int64

    public init(dispatched: Int64 = 0, respondedInTime: Int64 = 0, rated: Int64 = 0, resolved: Int64 = 0, scoreSum: Int64 = 0) {
        self.dispatched = dispatched; self.respondedInTime = respondedInTime; self.rated = rated; self.resolved = resolved; self.scoreSum = scoreSum
    }

    public init(_ samples: [RateSample], weights: RateWeights = .standard) {
        self.init()
        for s in samples {
            if s.dispatched { dispatched += 1; if s.respondedInTime { respondedInTime += 1 } }
            if let r = s.rating { rated += 1; if r.resolved { resolved += 1 }; scoreSum += weights.scores[r.satisfaction] ?? 0 }
        }
    }
}

extension ServiceRates {
    public init(counts c: RateCounts) {
        response = Ratio(c.respondedInTime, c.dispatched)
        resolution = Ratio(c.resolved, c.rated)
        satisfaction = Ratio(c.scoreSum, c.rated * 100)
    }

    /// The composite as an exact fraction of points (0–100). Resolution and satisfaction share
    /// the rated count, so one common denominator is dispatched × rated and every product fits in
    /// 128 bits for any realistic count.
    public func compositeFraction(_ w: RateWeights = .standard) -> (numerator: Int128, denominator: Int128)? {
        let d1 = Int128(response.denominator), d2 = Int128(resolution.denominator)
        let hasResponse = d1 > 0, hasRated = d2 > 0
        let weight = (hasResponse ? Int128(w.response) : 0) + (hasRated ? Int128(w.resolution + w.satisfaction) : 0)
        guard weight > 0 else { return nil }
        let r1 = hasResponse ? d1 : 1, r2 = hasRated ? d2 : 1
        var num: Int128 = 0
        if hasResponse { num += Int128(w.response) * 100 * Int128(response.numerator) * r2 }
        if hasRated {
            num += Int128(w.resolution) * 100 * Int128(resolution.numerator) * r1
            // satisfaction = scoreSum / (rated × 100); in points that is scoreSum / rated.
            num += Int128(w.satisfaction) * Int128(satisfaction.numerator) * r1
        }
        return (num, weight * r1 * r2)
    }

    /// Orders two units by their exact composites (cross-multiplied); a unit with nothing to
    /// count ranks last. Returns -1, 0 or 1.
    public static func compareComposite(_ a: ServiceRates, _ b: ServiceRates, _ w: RateWeights = .standard) -> Int {
        switch (a.compositeFraction(w), b.compositeFraction(w)) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?):
            let l = x.numerator * y.denominator, r = y.numerator * x.denominator
            return l == r ? 0 : (l < r ? -1 : 1)
        }
    }
}
