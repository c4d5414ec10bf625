import Domain
import Foundation

/// Counts of compounds meeting each of the three rates, and the rates as exact percentages with
/// two decimals (null when there are no compounds).
struct CoverageTallyAnswer: APIAnswer {
    let compounds: Int64, committee: Int64, service: Int64, party: Int64
    let committeeRate: String?, serviceRate: String?, partyRate: String?

    init(_ t: CoverageTally) {
        compounds = t.compounds; committee = t.committee; service = t.service; party = t.party
        committeeRate = t.committeeRate.basisPoints.map(FixedPoint2.format); serviceRate = t.serviceRate.basisPoints.map(FixedPoint2.format)
        partyRate = t.partyRate.basisPoints.map(FixedPoint2.format)
    }

    static var schema: Schema {
        .object([.req("compounds", .integer(minimum: 0)), .req("committee", .integer(minimum: 0)), .req("service", .integer(minimum: 0)), .req("party", .integer(minimum: 0)),
                 .null("committeeRate", .decimal), .null("serviceRate", .decimal), .null("partyRate", .decimal)])
    }
}

/// A street or community under the unit asked for, with its tally.
struct CoverageChildAnswer: APIAnswer {
    let level: String, id: String, name: String, tally: CoverageTallyAnswer

    static var schema: Schema {
        .object([.req("level", .choice(["streets", "communities"])), .req("id", .uuid), .req("name", .string()), .req("tally", .named(CoverageTallyAnswer.self))])
    }
}

/// One month's snapshot (the running month computed afresh).
struct CoverageMonthAnswer: APIAnswer {
    let month: String, tally: CoverageTallyAnswer

    static var schema: Schema { .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("tally", .named(CoverageTallyAnswer.self))]) }
}

/// `GET /api/v1/coverage`: a district's, street's or community's three rates today, its children's, and the monthly trend.
struct CoverageAnswer: APIAnswer {
    let level: String, id: String, name: String, day: String
    let total: CoverageTallyAnswer, children: [CoverageChildAnswer], history: [CoverageMonthAnswer]

    static var schema: Schema {
        .object([.req("level", .choice(["districts", "streets", "communities"])), .req("id", .uuid), .req("name", .string()), .req("day", .date),
                 .req("total", .named(CoverageTallyAnswer.self)), .req("children", .array(.named(CoverageChildAnswer.self))),
                 .req("history", .array(.named(CoverageMonthAnswer.self)))])
    }
}

/// One compound of the unit and which rates it meets today.
struct CoverageCompoundAnswer: APIAnswer {
    let id: String, name: String, communityId: String, community: String, streetId: String, street: String
    let committee: Bool, service: Bool, party: Bool

    init(_ l: CoverageService.Line, _ c: CompoundCoverage) {
        id = l.id.text; name = l.name; communityId = l.communityId.text; community = l.community; streetId = l.streetId.text; street = l.street
        committee = c.committee; service = c.service; party = c.party
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("communityId", .uuid), .req("community", .string()), .req("streetId", .uuid),
                 .req("street", .string()), .req("committee", .boolean), .req("service", .boolean), .req("party", .boolean)])
    }
}

/// The `level`, `id` and `missing` query parameters shared by the coverage routes and pages.
struct CoverageQuery: Sendable {
    let level: Level?, id: UUID?, missing: CoverageRules.Rate?

    init(_ get: (String) -> String?) throws {
        var errors = FieldErrors()
        let levels: [String: Level] = ["districts": .district, "streets": .street, "communities": .community]
        let rawLevel = get("level").flatMap { $0.isEmpty ? nil : $0 }, rawId = get("id").flatMap { $0.isEmpty ? nil : $0 }
        let rawMissing = get("missing").flatMap { $0.isEmpty ? nil : $0 }
        level = rawLevel.flatMap { levels[$0] }
        if rawLevel != nil && level == nil { errors.add("level", "invalid_choice", "districts, streets or communities") }
        id = rawId.flatMap { UUID(uuidString: $0) }
        if rawId != nil && id == nil { errors.add("id", "invalid_id", "id must be an id") }
        if (rawLevel == nil) != (rawId == nil) { errors.add(rawLevel == nil ? "level" : "id", "required", "level and id go together") }
        missing = rawMissing.flatMap { CoverageRules.Rate(rawValue: $0) }
        if rawMissing != nil && missing == nil { errors.add("missing", "invalid_choice", "committee, service or party") }
        try errors.throwIfAny()
    }

    static var parameters: [OperationDoc.Parameter] { [
        .query("level", .choice(["districts", "streets", "communities"]), "the unit's level (with id); the caller's own unit when both are absent"),
        .query("id", .uuid, "the unit's id (with level)"),
    ] }
}

/// `PUT /api/v1/districts/{id}/coverage-settings`: what the district counts as served.
struct CoverageSettingsBody: APIBody {
    let settings: CoverageSettings

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let fallback = r.required("countStateFallback", Bool.self, "true or false: does a state-owned company taking over as the fallback count as served")
        let selfManaged = r.required("countSelfManaged", Bool.self, "true or false: does self-management count as served")
        try r.finish()
        guard let fallback, let selfManaged else { throw r.failure }
        settings = CoverageSettings(countStateFallback: fallback, countSelfManaged: selfManaged)
    }

    static var schema: Schema { .object([.req("countStateFallback", .boolean), .req("countSelfManaged", .boolean)]) }
}

struct CoverageSettingsAnswer: APIAnswer {
    let districtId: String, countStateFallback: Bool, countSelfManaged: Bool
    init(district: UUID, _ s: CoverageSettings) { districtId = district.text; countStateFallback = s.countStateFallback; countSelfManaged = s.countSelfManaged }
    static var schema: Schema { .object([.req("districtId", .uuid), .req("countStateFallback", .boolean), .req("countSelfManaged", .boolean)]) }
}
