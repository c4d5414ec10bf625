import Domain
import Foundation

/// `POST …/fund/deposits`: a rate per m² for every room, or an amount for one room.
struct FundDepositBody: APIBody {
    let ratePerSqm: Money?
    let roomId: UUID?
    let amount: Money?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        ratePerSqm = r.money("ratePerSqm", required: false, "ratePerSqm must be yuan with at most two decimals, e.g. \"200.00\"")
        roomId = r.id("roomId", required: false)
        amount = r.money("amount", required: false, "amount must be yuan with at most two decimals, e.g. \"200.00\"")
        try r.finish()
    }

    static var schema: Schema { .object([.opt("ratePerSqm", .nullable(.decimal)), .opt("roomId", .nullable(.uuid)), .opt("amount", .nullable(.decimal))]) }
}

/// `POST …/fund/interest`.
struct FundInterestBody: APIBody {
    let amount: Money

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let amount = r.money("amount", required: true, "amount is required: yuan with at most two decimals") else { throw r.failure }
        self.amount = amount
    }

    static var schema: Schema { .object([.req("amount", .decimal)]) }
}

/// `POST …/fund/plans`: a spending shared by area, against a decision or as an emergency.
struct FundPlanBody: APIBody {
    let project: String
    let amount: Money
    let roomIds: [UUID]
    let buildingIds: [UUID]
    let emergency: EmergencyCategory?
    let decisionId: UUID?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        func ids(_ name: String) -> [UUID] {
            let raw = r.optional(name, [String].self, "\(name) is a list of ids") ?? []
            let ids = raw.compactMap(UUID.init(uuidString:))
            r.check(ids.count == raw.count, name, "invalid_id", "\(name) is a list of ids")
            return ids
        }
        project = r.optional("project", String.self, "project is text")?.trimmingCharacters(in: .whitespaces) ?? ""
        amount = r.money("amount", required: false, "amount must be yuan with at most two decimals") ?? Money(fen: 0)
        roomIds = ids("roomIds")
        buildingIds = ids("buildingIds")
        emergency = r.choice("emergency", EmergencyCategory.self, required: false)
        decisionId = r.id("decisionId", required: false)
        try r.finish()
    }

    static var schema: Schema {
        .object([.opt("project", .string(maxLength: 200)), .opt("amount", .decimal), .opt("roomIds", .array(.uuid)), .opt("buildingIds", .array(.uuid)),
                 .opt("emergency", .nullable(.choice(EmergencyCategory.self))), .opt("decisionId", .nullable(.uuid))])
    }
}

/// `POST /api/v1/fund-plans/{id}/report`.
struct FundReportBody: APIBody {
    let report: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        report = r.text("report", required: false, max: 5000, "at most 5000 characters") ?? ""
        try r.finish()
    }

    static var schema: Schema { .object([.opt("report", .string(maxLength: 5000))]) }
}

/// A spending plan; just made, with each room's share.
struct FundPlanAnswer: APIAnswer {
    let id: String, compoundId: String, project: String, amount: String, rooms: Int64, emergency: String?, decisionId: String?, status: String
    let noticePublishedAt: String?, paidAt: String?, reportedAt: String?, report: String?
    var shares: [String: String]?

    init(_ p: SpendingPlanRecord) {
        id = p.id.text; compoundId = p.compoundId.text; project = p.project; amount = FixedPoint2.format(p.amount); rooms = Int64(p.roomIds.count)
        emergency = p.emergency?.rawValue; decisionId = p.decisionId?.text; status = p.status.rawValue
        noticePublishedAt = p.noticePublishedAt.map(Timestamp.iso); paidAt = p.paidAt.map(Timestamp.iso); reportedAt = p.reportedAt.map(Timestamp.iso)
        report = p.report
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        for (key, value) in [(Keys.id, id), (.compoundId, compoundId), (.project, project), (.amount, amount), (.status, status)] { try c.encode(value, forKey: key) }
        try c.encode(rooms, forKey: .rooms)
        for (key, value) in [(Keys.emergency, emergency), (.decisionId, decisionId), (.noticePublishedAt, noticePublishedAt), (.paidAt, paidAt),
                             (.reportedAt, reportedAt), (.report, report)] {
            try c.encodeIfPresent(value, forKey: key)
        }
        // Only a plan just made lists its shares.
        if let shares { try c.encode(shares, forKey: .shares) }
    }

    enum Keys: String, CodingKey {
        case id, compoundId, project, amount, rooms, emergency, decisionId, status, noticePublishedAt, paidAt, reportedAt, report, shares
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("project", .string()), .req("amount", .decimal), .req("rooms", .integer(minimum: 0)),
                 .null("emergency", .choice(EmergencyCategory.self)), .null("decisionId", .uuid), .req("status", .choice(SpendingStatus.self)),
                 .null("noticePublishedAt", .dateTime), .null("paidAt", .dateTime), .null("reportedAt", .dateTime), .null("report", .string()),
                 .opt("shares", .map(.decimal))])
    }
}

/// A compound's fund: totals, room accounts, plans.
struct FundStatementAnswer: APIAnswer {
    struct Room: Codable, Sendable { let roomId: String, room: String, area: String, balance: String }
    let balance: String, deposited: String, bank: String, balanced: Bool, needsTopUp: Bool
    let rooms: [Room]
    let plans: [FundPlanAnswer]

    static var schema: Schema {
        .object([.req("balance", .decimal), .req("deposited", .decimal), .req("bank", .decimal), .req("balanced", .boolean), .req("needsTopUp", .boolean),
                 .req("rooms", .array(.object([.req("roomId", .uuid), .req("room", .string()), .req("area", .decimal), .req("balance", .decimal)]))),
                 .req("plans", .array(.named(FundPlanAnswer.self)))])
    }
}

/// What a deposit or an interest credit put into the rooms' accounts.
struct FundCreditedAnswer: APIAnswer {
    let deposited: String
    static var schema: Schema { .object([.req("deposited", .decimal)]) }
}
