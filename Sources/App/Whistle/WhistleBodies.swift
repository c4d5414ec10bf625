import Domain
import Foundation

/// A summoned party in a new case: a department, the company, or a named party, with its report-by.
struct WhistlePartyBody: APIBody {
    let party: WhistleService.PartyInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", WhistlePartyKind.self, required: true)
        let reportBy = r.instant("reportBy", required: true, "a time like 2026-12-01T08:00:00Z")
        let department = r.id("departmentId", required: false), company = r.id("companyId", required: false)
        let name = r.text("name", required: false, max: 100, "at most 100 characters")
        try r.finish()
        guard let kind, let reportBy else { throw r.failure }
        party = .init(kind: kind, departmentId: department, companyId: company, name: name, reportBy: reportBy)
    }

    static var schema: Schema {
        .object([.req("kind", .choice(WhistlePartyKind.self)), .req("reportBy", .dateTime), .opt("departmentId", .nullable(.uuid)),
                 .opt("companyId", .nullable(.uuid)), .opt("name", .nullable(.string(maxLength: 100)))])
    }
}

/// `POST /api/v1/whistle-cases`, and the `escalate` transition of a request.
struct OpenWhistleCaseBody: APIBody {
    let streetId: UUID?
    let compoundId: UUID?
    let requestId: UUID?
    let title: String
    let description: String
    let parties: [WhistleService.PartyInput]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let parties = r.list("parties", WhistlePartyBody.self, required: false, "parties is a list")
        streetId = r.id("streetId", required: false)
        compoundId = r.id("compoundId", required: false)
        requestId = r.id("requestId", required: false)
        title = r.optional("title", String.self, "title is text")?.trimmingCharacters(in: .whitespaces) ?? ""
        description = r.optional("description", String.self, "description is text") ?? ""
        try r.finish()
        self.parties = (parties ?? []).map(\.party)
    }

    func newCase(requestId: UUID?) -> WhistleService.NewCase {
        .init(streetId: streetId, compoundId: compoundId, requestId: requestId ?? self.requestId, title: title, description: description, parties: parties)
    }

    static var schema: Schema {
        .object([.opt("title", .string(maxLength: 200)), .opt("description", .string()), .opt("streetId", .nullable(.uuid)),
                 .opt("compoundId", .nullable(.uuid)), .opt("requestId", .nullable(.uuid)), .opt("parties", .array(.named(WhistlePartyBody.self)))])
    }
}

/// A commitment in a report: what, for how much, by when.
struct CommitmentBody: APIBody {
    let commitment: WhistleService.Commitment

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let task = r.text("task", required: true, max: 500, "what will be done")
        let amount = r.has("amount") ? r.money("amount", required: true, "yuan like \"12000.00\"") : Money(fen: 0)
        let due = r.date("dueOn", required: true, "YYYY-MM-DD")
        try r.finish()
        guard let task, let amount, let due else { throw r.failure }
        commitment = .init(task: task, amount: amount, dueOn: due)
    }

    static var schema: Schema {
        .object([.req("task", .string(minLength: 1, maxLength: 500)), .opt("amount", .decimal), .req("dueOn", .date)])
    }
}

/// `POST /api/v1/whistle-cases/{id}/reports` (报到).
struct ReportInBody: APIBody {
    let partyId: UUID
    let response: String
    let commitments: [WhistleService.Commitment]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let party = r.id("partyId", required: true, "the summoned party's id")
        let response = r.text("response", required: true, max: 2000, "the party's response")
        let commitments = r.list("commitments", CommitmentBody.self, required: false, "commitments is a list")
        try r.finish()
        guard let party, let response else { throw r.failure }
        partyId = party
        self.response = response
        self.commitments = (commitments ?? []).map(\.commitment)
    }

    static var schema: Schema {
        .object([.req("partyId", .uuid), .req("response", .string(minLength: 1, maxLength: 2000)), .opt("commitments", .array(.named(CommitmentBody.self)))])
    }
}

/// A line of text: a case's log entry or the street's closing confirmation.
struct NoteBody: APIBody {
    let note: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let note = r.text("note", required: true, max: 2000, "the note's text") else { throw r.failure }
        self.note = note
    }

    static var schema: Schema { .object([.req("note", .string(minLength: 1, maxLength: 2000))]) }
}

/// A whistle case; read alone it has its parties, log and whether it may be closed.
struct WhistleCaseAnswer: APIAnswer {
    let id: String, number: String, streetId: String, streetName: String, compoundId: String?, compoundName: String?, requestId: String?
    let title: String, description: String, status: String, openedBy: String, openedAt: String, closedAt: String?, closingNote: String?
    var parties: [WhistlePartyAnswer]?
    var log: [WhistleLogAnswer]?
    var canClose: Bool?

    init(_ c: WhistleCaseRecord) {
        id = c.id.text; number = c.number; streetId = c.streetId.text; streetName = c.streetName; compoundId = c.compoundId?.text
        compoundName = c.compoundName; requestId = c.requestId?.text; title = c.title; description = c.description; status = c.status.rawValue
        openedBy = c.openedBy; openedAt = Timestamp.iso(c.openedAt); closedAt = c.closedAt.map(Timestamp.iso); closingNote = c.closingNote
    }

    init(_ v: WhistleCaseView, now: Date) {
        self.init(v.record)
        parties = v.parties.map { WhistlePartyAnswer($0, now: now) }
        log = v.log.map { WhistleLogAnswer(actor: $0.actor, at: Timestamp.iso($0.at), note: $0.note) }
        canClose = v.record.status == .open && WhistleRules.canClose(v.parties.map(\.rule))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        for (key, value) in [(Keys.id, id), (.number, number), (.streetId, streetId), (.streetName, streetName), (.title, title),
                             (.description, description), (.status, status), (.openedBy, openedBy), (.openedAt, openedAt)] {
            try c.encode(value, forKey: key)
        }
        for (key, value) in [(Keys.compoundId, compoundId), (.compoundName, compoundName), (.requestId, requestId), (.closedAt, closedAt),
                             (.closingNote, closingNote)] {
            try c.encodeIfPresent(value, forKey: key)
        }
        // Lists of cases leave out the parts only the single case has.
        if let parties { try c.encode(parties, forKey: .parties) }
        if let log { try c.encode(log, forKey: .log) }
        if let canClose { try c.encode(canClose, forKey: .canClose) }
    }

    enum Keys: String, CodingKey {
        case id, number, streetId, streetName, compoundId, compoundName, requestId, title, description, status, openedBy, openedAt, closedAt
        case closingNote, parties, log, canClose
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("streetId", .uuid), .req("streetName", .string()), .null("compoundId", .uuid),
                 .null("compoundName", .string()), .null("requestId", .uuid), .req("title", .string()), .req("description", .string()),
                 .req("status", .choice(WhistleStatus.self)), .req("openedBy", .string()), .req("openedAt", .dateTime), .null("closedAt", .dateTime),
                 .null("closingNote", .string()), .opt("parties", .array(.named(WhistlePartyAnswer.self))),
                 .opt("log", .array(.named(WhistleLogAnswer.self))), .opt("canClose", .boolean)])
    }
}

/// A summoned party with its report and commitments.
struct WhistlePartyAnswer: APIAnswer {
    struct Commitment: Codable, Sendable { let task: String, amount: String, dueOn: String }
    let id: String, kind: String, departmentId: String?, companyId: String?, name: String, reportBy: String, reportedAt: String?
    let onTime: Bool?, late: Bool, response: String?, reportedBy: String?
    let commitments: [Commitment]

    init(_ p: WhistlePartyRecord, now: Date) {
        id = p.id.text; kind = p.kind.rawValue; departmentId = p.departmentId?.text; companyId = p.companyId?.text; name = p.name
        reportBy = Timestamp.iso(p.reportBy); reportedAt = p.reportedAt.map(Timestamp.iso)
        onTime = p.reportedAt == nil ? nil : p.rule.onTime; late = p.rule.isLate(now: now)
        response = p.response; reportedBy = p.reportedBy
        commitments = p.commitments.map { Commitment(task: $0.task, amount: $0.amount.description, dueOn: $0.dueOn.description) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("kind", .choice(WhistlePartyKind.self)), .null("departmentId", .uuid), .null("companyId", .uuid),
                 .req("name", .string()), .req("reportBy", .dateTime), .null("reportedAt", .dateTime), .null("onTime", .boolean), .req("late", .boolean),
                 .null("response", .string()), .null("reportedBy", .string()),
                 .req("commitments", .array(.object([.req("task", .string()), .req("amount", .decimal), .req("dueOn", .date)])))])
    }
}

/// One line of a case's progress log.
struct WhistleLogAnswer: APIAnswer {
    let actor: String, at: String, note: String
    static var schema: Schema { .object([.req("actor", .string()), .req("at", .dateTime), .req("note", .string())]) }
}
