import Domain
import Foundation

/// A flag: the compound, category and week, its count against the baseline, and what became of it;
/// read alone it has the requests behind it and the progress notes.
struct HotspotAnswer: APIAnswer {
    struct RequestLine: Codable, Sendable { let id: String, number: String, receivedAt: String, status: String }
    struct Note: Codable, Sendable { let note: String, recordedBy: String, at: String }
    let id: String, compoundId: String, compound: String, community: String, category: String, weekStart: String
    let count: Int64, expected: String, threshold: Int64, status: String
    let caseId: String?, caseNumber: String?, month: String?, plan: String?, reason: String?, decidedBy: String?, decidedAt: String?
    var requests: [RequestLine]?, notes: [Note]?

    init(_ h: HotspotRecord) {
        id = h.id.text; compoundId = h.compoundId.text; compound = h.compoundName; community = h.communityName; category = h.category
        weekStart = h.weekStart.description; count = h.count; expected = FixedPoint2.format(h.expected); threshold = h.threshold; status = h.status.rawValue
        caseId = h.caseId?.text; caseNumber = h.caseNumber; month = h.month; plan = h.plan; reason = h.reason; decidedBy = h.decidedBy
        decidedAt = h.decidedAt.map(Timestamp.iso)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .req("community", .string()),
                 .req("category", .choice(RequestCategory.self)), .req("weekStart", .date), .req("count", .integer(minimum: 0)), .req("expected", .decimal),
                 .req("threshold", .integer(minimum: 1)), .req("status", .choice(HotspotStatus.self)), .null("caseId", .uuid), .null("caseNumber", .string()),
                 .null("month", .string()), .null("plan", .string()), .null("reason", .string()), .null("decidedBy", .string()), .null("decidedAt", .dateTime),
                 .null("requests", .array(.object([.req("id", .uuid), .req("number", .string()), .req("receivedAt", .dateTime), .req("status", .string())]))),
                 .null("notes", .array(.object([.req("note", .string()), .req("recordedBy", .string()), .req("at", .dateTime)])))])
    }
}

/// `POST /api/v1/hotspots/{id}/whistle`: the parties the case summons.
struct HotspotWhistleBody: APIBody {
    let parties: [WhistleService.PartyInput]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let parties = r.list("parties", WhistlePartyBody.self, required: true, "parties is a list")
        try r.finish()
        self.parties = (parties ?? []).map(\.party)
    }

    static var schema: Schema { .object([.req("parties", .array(.named(WhistlePartyBody.self)))]) }
}

/// `POST /api/v1/hotspots/{id}/monthly-problem`: the street's plan.
struct HotspotPlanBody: APIBody {
    let plan: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let plan = r.text("plan", required: true, max: 2000, "the plan, at most 2,000 characters") else { throw r.failure }
        self.plan = plan
    }

    static var schema: Schema { .object([.req("plan", .string(minLength: 1, maxLength: 2000))]) }
}

/// `POST /api/v1/hotspots/{id}/dismiss`: why it needs no action.
struct HotspotDismissBody: APIBody {
    let reason: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let reason = r.text("reason", required: true, max: 2000, "the reason, at most 2,000 characters") else { throw r.failure }
        self.reason = reason
    }

    static var schema: Schema { .object([.req("reason", .string(minLength: 1, maxLength: 2000))]) }
}

/// How many new flags a scan raised.
struct HotspotScanAnswer: APIAnswer {
    let raised: Int64
    static var schema: Schema { .object([.req("raised", .integer(minimum: 0))]) }
}
