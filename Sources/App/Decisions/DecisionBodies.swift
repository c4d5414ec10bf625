import Domain
import Foundation

/// `POST /api/v1/compounds/{id}/decisions`: a draft.
struct CreateDecisionBody: APIBody {
    let decision: DecisionService.NewDecision

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let title = r.text("title", required: true, max: 200, "title is required (at most 200 characters)")
        let matter = r.choice("matter", Matter.self, required: true)
        let description = r.text("description", required: false, max: 5000, "at most 5000 characters")
        let opens = r.instant("opensAt", required: true, "opensAt must be a time like 2026-12-01T00:00:00Z")
        let closes = r.instant("closesAt", required: true, "closesAt must be a time like 2026-12-31T00:00:00Z")
        if let opens, let closes { r.check(closes > opens, "closesAt", "before_start", "closesAt must be after opensAt") }
        let candidates = (r.optional("candidates", [String].self, "candidates is a list of names") ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let seats = r.optional("seats", Int.self, "seats is a whole number")
        if matter == .electCommittee {
            r.check(DecisionRules.validCandidates(candidates), "candidates", "invalid", "an election needs a list of distinct candidate names")
            r.check(DecisionRules.validSeats(seats, candidates: candidates.count), "seats", "out_of_range", "seats must be from 1 to the number of candidates")
        } else {
            r.check(candidates.isEmpty, "candidates", "not_an_election", "only elect_committee decisions have candidates")
        }
        let company = r.id("companyId", required: false), contract = r.id("contractId", required: false)
        let amount = r.money("amount", required: false, "amount must be yuan with at most two decimals, e.g. \"38000.00\"")
        if let amount { r.check(amount.fen > 0, "amount", "out_of_range", "amount must be more than 0") }
        try r.finish()
        guard let title, let matter, let opens, let closes else { throw r.failure }
        decision = .init(title: title, matter: matter, description: description, opensAt: opens, closesAt: closes, candidates: candidates,
                         seats: seats, companyId: company, contractId: contract, amount: amount?.fen)
    }

    static var schema: Schema {
        .object([.req("title", .string(minLength: 1, maxLength: 200)), .req("matter", .choice(Matter.self)),
                 .opt("description", .nullable(.string(maxLength: 5000))), .req("opensAt", .dateTime), .req("closesAt", .dateTime),
                 .opt("candidates", .array(.string(minLength: 1, maxLength: 100))), .opt("seats", .nullable(.integer(minimum: 1))),
                 .opt("companyId", .nullable(.uuid)), .opt("contractId", .nullable(.uuid)), .opt("amount", .nullable(.decimal))])
    }
}

/// `POST /api/v1/decisions/{id}/ballots`.
struct CastBallotBody: APIBody {
    let ballot: DecisionService.CastBallot

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let owner = r.id("ownerId", required: true, "ownerId must be an id")
        let channel = r.choice("channel", BallotChannel.self, required: true)
        let choice = r.choice("choice", Choice.self, required: false)
        var choices: [String: Choice] = [:]
        for (k, v) in r.optional("choices", [String: String].self, "each choice must be yes, no or abstain") ?? [:] {
            if let c = Choice(rawValue: v) { choices[k] = c } else { r.fail("choices", "invalid_choice", "each choice must be yes, no or abstain") }
        }
        let paper = r.text("paperNumber", required: false, max: 50, "at most 50 characters")
        try r.finish()
        guard let owner, let channel else { throw r.failure }
        ballot = .init(ownerId: owner, choice: choice, choices: choices, channel: channel, paperNumber: paper)
    }

    static var schema: Schema {
        .object([.req("ownerId", .uuid), .req("channel", .choice(BallotChannel.self)), .opt("choice", .nullable(.choice(Choice.self))),
                 .opt("choices", .map(.choice(Choice.self))), .opt("paperNumber", .nullable(.string(maxLength: 50)))])
    }
}

/// `POST /api/v1/decisions/{id}/close`: a reason is needed only before the window ends.
struct CloseDecisionBody: APIBody {
    let reason: String?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        reason = r.text("reason", required: false, max: 1000, "at most 1000 characters")
        try r.finish()
    }

    static var schema: Schema { .object([.opt("reason", .nullable(.string(maxLength: 1000)))]) }
}

/// `POST /api/v1/decisions/{id}/apply`: the new contract's terms, for a hiring decision.
struct ApplyDecisionBody: APIBody {
    let monthlyFeePerSqm: Money?
    let startsOn: CivilDate?
    let endsOn: CivilDate?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        monthlyFeePerSqm = r.money("monthlyFeePerSqm", required: false, "a fee like \"3.50\"")
        startsOn = r.date("startsOn", required: false, "startsOn must be YYYY-MM-DD")
        endsOn = r.date("endsOn", required: false, "endsOn must be YYYY-MM-DD")
        try r.finish()
    }

    static var schema: Schema {
        .object([.opt("monthlyFeePerSqm", .nullable(.decimal)), .opt("startsOn", .nullable(.date)), .opt("endsOn", .nullable(.date))])
    }
}

/// A decision.
struct DecisionAnswer: APIAnswer {
    let id: String, compoundId: String, title: String, matter: String, article278Item: Int64, rule: String, description: String?
    let opensAt: String, closesAt: String, status: String, candidates: [String], seats: Int64?, companyId: String?, contractId: String?
    let openedAt: String?, closedAt: String?, closeReason: String?, publishedAt: String?, appliedAt: String?, createdBy: String
    let amount: String?

    init(_ d: DecisionRecord) {
        amount = d.amount.map(FixedPoint2.format)
        id = d.id.text; compoundId = d.compoundId.text; title = d.title; matter = d.matter.rawValue; article278Item = Int64(d.matter.item)
        rule = d.matter.rule.rawValue; description = d.description; opensAt = Timestamp.iso(d.opensAt); closesAt = Timestamp.iso(d.closesAt)
        status = d.status.rawValue; candidates = d.candidates; seats = d.seats.map(Int64.init); companyId = d.companyId?.text
        contractId = d.contractId?.text; openedAt = d.openedAt.map(Timestamp.iso); closedAt = d.closedAt.map(Timestamp.iso)
        closeReason = d.closeReason; publishedAt = d.publishedAt.map(Timestamp.iso); appliedAt = d.appliedAt.map(Timestamp.iso); createdBy = d.createdBy
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("title", .string()), .req("matter", .choice(Matter.self)),
                 .req("article278Item", .integer(minimum: 1, maximum: 9)), .req("rule", .choice(["majority", "three_quarters"])),
                 .null("description", .string()), .req("opensAt", .dateTime), .req("closesAt", .dateTime), .req("status", .choice(DecisionStatus.self)),
                 .req("candidates", .array(.string())), .null("seats", .integer(minimum: 1)), .null("companyId", .uuid), .null("contractId", .uuid),
                 .null("openedAt", .dateTime), .null("closedAt", .dateTime), .null("closeReason", .string()), .null("publishedAt", .dateTime),
                 .null("appliedAt", .dateTime), .req("createdBy", .string()), .null("amount", .decimal)])
    }
}

/// Persons as whole numbers, area as exact m² text.
struct CountsAnswer: Codable, Sendable {
    let total: Count, participating: Count
    /// Nil while voting is open: participation only, never a running result.
    let yes: Count?, no: Count?, abstain: Count?

    /// A count of persons (a number) or of area (a decimal string).
    enum Count: Codable, Sendable {
        case persons(Int64), area(String)
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .persons(let n): try c.encode(n)
            case .area(let a): try c.encode(a)
            }
        }
        init(from decoder: any Decoder) throws { self = .persons(try decoder.singleValueContainer().decode(Int64.self)) }
    }

    init(_ c: Counts, area: Bool, choicesShown: Bool = true) {
        func v(_ x: Int64) -> Count { area ? .area(FixedPoint2.format(x)) : .persons(x) }
        total = v(c.total); participating = v(c.participating)
        yes = choicesShown ? v(c.yes) : nil; no = choicesShown ? v(c.no) : nil; abstain = choicesShown ? v(c.abstain) : nil
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(total, forKey: .total); try c.encode(participating, forKey: .participating)
        try c.encodeIfPresent(yes, forKey: .yes); try c.encodeIfPresent(no, forKey: .no); try c.encodeIfPresent(abstain, forKey: .abstain)
    }

    enum Keys: String, CodingKey { case total, participating, yes, no, abstain }

    static func schema(area: Bool) -> Schema {
        .object(["total", "participating"].map { .req($0, area ? .decimal : .integer(minimum: 0)) }
                + ["yes", "no", "abstain"].map { .null($0, area ? .decimal : .integer(minimum: 0)) })
    }
}

/// The count by persons and by area, in the agreed shape.
struct DecisionResultAnswer: APIAnswer {
    struct Candidate: Codable, Sendable { let name: String, persons: CountsAnswer, area: CountsAnswer, approved: Bool, elected: Bool }
    let matter: String, rule: String, persons: CountsAnswer, area: CountsAnswer, quorumMet: Bool, passed: Bool?, status: String, ballots: Int64
    let candidates: [Candidate]?
    /// Paper ballots their owners disputed: set aside, not counted.
    let setAside: [PaperBallotAnswer]

    init(_ r: DecisionResult) {
        // While the vote is open (or not yet open) only participation is shown: how many and how much
        // area took part, against the quorum — never how they chose, which could sway the rest.
        let shown = r.decision.status == .closed || r.decision.status == .published
        matter = r.tally.matter.rawValue; rule = r.tally.rule.rawValue
        persons = CountsAnswer(r.tally.persons, area: false, choicesShown: shown); area = CountsAnswer(r.tally.area, area: true, choicesShown: shown)
        quorumMet = r.tally.quorumMet; passed = shown ? r.tally.passed : nil; status = r.decision.status.rawValue; ballots = Int64(r.ballots)
        candidates = r.decision.isElection && shown ? r.candidates.map {
            Candidate(name: $0.candidate, persons: CountsAnswer($0.persons, area: false), area: CountsAnswer($0.area, area: true),
                      approved: $0.approved, elected: $0.elected)
        } : nil
        setAside = r.setAside.map(PaperBallotAnswer.init)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(matter, forKey: .matter); try c.encode(rule, forKey: .rule); try c.encode(persons, forKey: .persons)
        try c.encode(area, forKey: .area); try c.encode(quorumMet, forKey: .quorumMet); try c.encodeIfPresent(passed, forKey: .passed)
        try c.encode(status, forKey: .status); try c.encode(ballots, forKey: .ballots); try c.encode(setAside, forKey: .setAside)
        // Only elections have candidates.
        if let candidates { try c.encode(candidates, forKey: .candidates) }
    }

    enum Keys: String, CodingKey { case matter, rule, persons, area, quorumMet, passed, status, ballots, candidates, setAside }

    static var schema: Schema {
        .object([.req("matter", .choice(Matter.self)), .req("rule", .choice(["majority", "three_quarters"])),
                 .req("persons", CountsAnswer.schema(area: false)), .req("area", CountsAnswer.schema(area: true)),
                 .req("quorumMet", .boolean), .null("passed", .boolean), .req("status", .choice(DecisionStatus.self)), .req("ballots", .integer(minimum: 0)),
                 .req("setAside", .array(.named(PaperBallotAnswer.self))),
                 // Elections, once closed.
                 .opt("candidates", .array(.object([.req("name", .string()), .req("persons", CountsAnswer.schema(area: false)),
                                                    .req("area", CountsAnswer.schema(area: true)), .req("approved", .boolean), .req("elected", .boolean)])))])
    }
}

/// A counted ballot: the voter keeps the receipt to check it later.
struct BallotReceiptAnswer: APIAnswer {
    let sequence: Int64, receipt: String, hash: String
    static var schema: Schema { .object([.req("sequence", .integer(minimum: 1)), .req("receipt", .string()), .req("hash", .string())]) }
}

/// The ballot chain recomputed.
struct ChainVerificationAnswer: APIAnswer {
    let valid: Bool, ballots: Int64, firstBroken: Int64?, head: String, receiptFound: Bool?
    static var schema: Schema {
        .object([.req("valid", .boolean), .req("ballots", .integer(minimum: 0)), .null("firstBroken", .integer(minimum: 1)), .req("head", .string()),
                 .null("receiptFound", .boolean)])
    }
}

/// What carrying out a decision changed in the registry.
struct DecisionAppliedAnswer: APIAnswer {
    var contractId: String?
    var endsOn: String?
    var committeeId: String?
    var members: [String]?
    static var schema: Schema {
        .object([.null("contractId", .uuid), .null("endsOn", .date), .null("committeeId", .uuid), .null("members", .array(.string()))])
    }
}

/// A file attached to a decision.
struct AttachmentAnswer: APIAnswer {
    let id: String, name: String, contentType: String, size: Int64, sha256: String, url: String
    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("contentType", .choice(["application/pdf", "image/jpeg", "image/png"])),
                 .req("size", .integer(minimum: 1)), .req("sha256", .string(pattern: "^[0-9a-f]{64}$")), .req("url", .string())])
    }
}

/// `POST /api/v1/decisions/{id}/paper-ballots`: a returned sheet, with the number printed on it.
struct RecordPaperBallotBody: APIBody {
    let number: String
    let ownerId: UUID
    let choice: Choice?
    let choices: [String: Choice]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let number = r.text("number", required: true, max: 20, "the ballot number printed on the sheet")
        let owner = r.id("ownerId", required: true, "ownerId must be an id")
        choice = r.choice("choice", Choice.self, required: false)
        var choices: [String: Choice] = [:]
        for (k, v) in r.optional("choices", [String: String].self, "each choice must be yes, no or abstain") ?? [:] {
            if let c = Choice(rawValue: v) { choices[k] = c } else { r.fail("choices", "invalid_choice", "each choice must be yes, no or abstain") }
        }
        self.choices = choices
        try r.finish()
        guard let number, let owner else { throw r.failure }
        self.number = number
        ownerId = owner
    }

    static var schema: Schema {
        .object([.req("number", .string(minLength: 1, maxLength: 20)), .req("ownerId", .uuid), .opt("choice", .nullable(.choice(Choice.self))),
                 .opt("choices", .map(.choice(Choice.self)))])
    }
}

/// `POST /api/v1/decisions/{id}/paper-ballots/{number}/dispute`.
struct DisputePaperBallotBody: APIBody {
    let reason: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        reason = r.text("reason", required: false, max: 500, "at most 500 characters") ?? "the owner did not cast this ballot"
        try r.finish()
    }

    static var schema: Schema { .object([.opt("reason", .string(maxLength: 500))]) }
}

/// An issued paper ballot and what became of it.
struct PaperBallotAnswer: APIAnswer {
    let number: String, status: String, rooms: [String], choice: String?, recordedBy: String?, recordedAt: String?
    let confirmedBy: String?, confirmedAt: String?, disputedAt: String?, disputeReason: String?, sequence: Int64?
    var receipt: String?

    init(_ p: DecisionService.PaperBallot) {
        number = p.number; status = p.status.rawValue; rooms = p.rooms.map(\.text); choice = p.choice; recordedBy = p.recordedBy
        recordedAt = p.recordedAt.map(Timestamp.iso); confirmedBy = p.confirmedBy; confirmedAt = p.confirmedAt.map(Timestamp.iso)
        disputedAt = p.disputedAt.map(Timestamp.iso); disputeReason = p.disputeReason; sequence = p.sequence
    }

    static var schema: Schema {
        .object([.req("number", .string()), .req("status", .choice(PaperBallotStatus.self)), .req("rooms", .array(.uuid)), .null("choice", .string()),
                 .null("recordedBy", .string()), .null("recordedAt", .dateTime), .null("confirmedBy", .string()), .null("confirmedAt", .dateTime),
                 .null("disputedAt", .dateTime), .null("disputeReason", .string()), .null("sequence", .integer(minimum: 1)), .null("receipt", .string())])
    }
}
