import Domain
import Foundation

/// A rate as its exact fraction, with the percentage for display (null when nothing was due).
struct RatioAnswer: Codable, Sendable {
    let numerator: Int64, denominator: Int64, percent: String?
    init(_ r: Ratio) { numerator = r.numerator; denominator = r.denominator; percent = r.basisPoints.map(FixedPoint2.format) }
    static var schema: Schema { .object([.req("numerator", .integer(minimum: 0)), .req("denominator", .integer(minimum: 0)), .null("percent", .decimal)]) }
}

/// One ranked unit.
struct RankingRowAnswer: APIAnswer {
    let rank: Int64?, sampleSufficient: Bool, id: String, name: String, requests: Int64, overdue: Int64
    let responseRate: RatioAnswer, resolutionRate: RatioAnswer, satisfactionRate: RatioAnswer
    let composite: String?
    let reportsOnTimeRate: RatioAnswer?

    init(_ row: RankingService.Row) {
        rank = row.rank.map(Int64.init); sampleSufficient = row.sampleSufficient; id = row.id.text; name = row.name; requests = row.requests; overdue = row.overdue
        responseRate = RatioAnswer(row.rates.response); resolutionRate = RatioAnswer(row.rates.resolution)
        satisfactionRate = RatioAnswer(row.rates.satisfaction); composite = row.composite.map(FixedPoint2.format)
        reportsOnTimeRate = row.reportsOnTime.map(RatioAnswer.init)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(rank, forKey: .rank); try c.encode(sampleSufficient, forKey: .sampleSufficient); try c.encode(id, forKey: .id); try c.encode(name, forKey: .name)
        try c.encode(requests, forKey: .requests); try c.encode(overdue, forKey: .overdue)
        try c.encode(responseRate, forKey: .responseRate); try c.encode(resolutionRate, forKey: .resolutionRate)
        try c.encode(satisfactionRate, forKey: .satisfactionRate); try c.encodeIfPresent(composite, forKey: .composite)
        // Only departments have a report rate.
        if let reportsOnTimeRate { try c.encode(reportsOnTimeRate, forKey: .reportsOnTimeRate) }
    }

    enum Keys: String, CodingKey {
        case rank, sampleSufficient, id, name, requests, overdue, responseRate, resolutionRate, satisfactionRate, composite, reportsOnTimeRate
    }

    static var schema: Schema {
        .object([.null("rank", .integer(minimum: 1)), .req("sampleSufficient", .boolean), .req("id", .uuid), .req("name", .string()), .req("requests", .integer(minimum: 0)),
                 .req("overdue", .integer(minimum: 0)), .req("responseRate", RatioAnswer.schema), .req("resolutionRate", RatioAnswer.schema),
                 .req("satisfactionRate", RatioAnswer.schema), .null("composite", .decimal), .opt("reportsOnTimeRate", RatioAnswer.schema)])
    }
}

/// A month's ranking at one level.
struct RankingAnswer: APIAnswer {
    let month: String, level: String, streetId: String?
    let weights: [String: Int64]
    /// Units with fewer rated requests are listed after the ranked ones, without a rank.
    let minimumRated: Int64
    let items: [RankingRowAnswer]

    static var schema: Schema {
        .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("level", .choice(RankingService.Level.self)), .null("streetId", .uuid),
                 .req("weights", .object(["response", "resolution", "satisfaction"].map { .req($0, .integer(minimum: 0, maximum: 100)) })),
                 .req("minimumRated", .integer(minimum: 0)), .req("items", .array(.named(RankingRowAnswer.self)))])
    }
}
