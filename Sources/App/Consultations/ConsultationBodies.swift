import Domain
import Foundation

struct SeatBody: APIBody {
    let seat: ConsultationService.SeatInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let party = r.choice("party", SeatParty.self, required: true)
        let name = r.text("name", required: true, max: 100, "who holds the seat")
        let company = r.id("companyId", required: false)
        try r.finish()
        guard let party, let name else { throw r.failure }
        seat = .init(party: party, name: name, companyId: company)
    }

    static var schema: Schema {
        .object([.req("party", .choice(SeatParty.self)), .req("name", .string(minLength: 1, maxLength: 100)), .opt("companyId", .nullable(.uuid))])
    }
}

struct AgendaBody: APIBody {
    let item: ConsultationService.AgendaInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", AgendaKind.self, required: false) ?? .text
        let title = r.text("title", required: false, max: 200, "at most 200 characters") ?? ""
        let ref = r.id("refId", required: false)
        try r.finish()
        item = .init(kind: kind, title: title, refId: ref)
    }

    static var schema: Schema {
        .object([.opt("kind", .choice(AgendaKind.self)), .opt("title", .string(maxLength: 200)), .opt("refId", .nullable(.uuid))])
    }
}

/// `POST /api/v1/consultations`.
struct ConveneBody: APIBody {
    let input: ConsultationService.NewConsultation

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let community = r.id("communityId", required: true)
        let raw = r.optional("compoundIds", [String].self, "a list of ids") ?? []
        let compounds = raw.compactMap(UUID.init(uuidString:))
        r.check(compounds.count == raw.count, "compoundIds", "invalid_id", "a list of ids")
        let title = r.text("title", required: true, max: 200, "a title of at most 200 characters")
        let at = r.instant("heldAt", required: true, "when, like 2026-12-10T19:00:00+08:00")
        let place = r.text("place", required: false, max: 200, "at most 200 characters") ?? ""
        let seats = r.list("seats", SeatBody.self, required: true, "who is invited")
        let agenda = r.list("agenda", AgendaBody.self, required: false, "a list")
        let repeatMonthly = r.optional("repeatMonthly", Int.self, "0 to 12") ?? 0
        try r.finish()
        guard let community, let title, let at, let seats else { throw r.failure }
        input = .init(communityId: community, compoundIds: compounds, title: title, heldAt: at, place: place, seats: seats.map(\.seat),
                      agenda: (agenda ?? []).map(\.item), repeatMonthly: repeatMonthly)
    }

    static var schema: Schema {
        .object([.req("communityId", .uuid), .req("compoundIds", .array(.uuid)), .req("title", .string(minLength: 1, maxLength: 200)), .req("heldAt", .dateTime),
                 .opt("place", .string(maxLength: 200)), .req("seats", .array(.named(SeatBody.self))), .opt("agenda", .array(.named(AgendaBody.self))),
                 .opt("repeatMonthly", .integer(minimum: 0, maximum: 12))])
    }
}

/// `POST /api/v1/consultations/{id}/attendance`.
struct AttendanceBody: APIBody {
    let seatIds: Set<UUID>

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let raw = r.required("seatIds", [String].self, "the seats whose holders signed in") ?? []
        let ids = raw.compactMap(UUID.init(uuidString:))
        r.check(ids.count == raw.count, "seatIds", "invalid_id", "a list of ids")
        try r.finish()
        seatIds = Set(ids)
    }

    static var schema: Schema { .object([.req("seatIds", .array(.uuid))]) }
}

struct ResolutionBody: APIBody {
    let resolution: ConsultationService.Resolution

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let title = r.text("title", required: true, max: 200, "what is to be done")
        let party = r.choice("party", SeatParty.self, required: true)
        let due = r.date("dueOn", required: true, "YYYY-MM-DD")
        try r.finish()
        guard let title, let party, let due else { throw r.failure }
        resolution = .init(title: title, party: party, dueOn: due)
    }

    static var schema: Schema { .object([.req("title", .string(minLength: 1, maxLength: 200)), .req("party", .choice(SeatParty.self)), .req("dueOn", .date)]) }
}

/// `POST /api/v1/consultations/{id}/minutes`.
struct MinutesBody: APIBody {
    let minutes: String
    let resolutions: [ConsultationService.Resolution]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let minutes = r.text("minutes", required: true, max: 20_000, "what was discussed and agreed")
        let resolutions = r.list("resolutions", ResolutionBody.self, required: false, "a list")
        try r.finish()
        guard let minutes else { throw r.failure }
        self.minutes = minutes
        self.resolutions = (resolutions ?? []).map(\.resolution)
    }

    static var schema: Schema { .object([.req("minutes", .string(minLength: 1, maxLength: 20_000)), .opt("resolutions", .array(.named(ResolutionBody.self)))]) }
}

/// `POST /api/v1/consultations/{id}/publish`.
struct SummaryBody: APIBody {
    let summary: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let summary = r.text("summary", required: true, max: 10_000, "the summary residents read")
        try r.finish()
        guard let summary else { throw r.failure }
        self.summary = summary
    }

    static var schema: Schema { .object([.req("summary", .string(minLength: 1, maxLength: 10_000))]) }
}

/// `POST /api/v1/action-items/{id}/progress`.
struct ProgressBody: APIBody {
    let note: String, done: Bool

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let note = r.text("note", required: true, max: 2000, "what has been done")
        let done = r.optional("done", Bool.self, "true or false") ?? false
        try r.finish()
        guard let note else { throw r.failure }
        self.note = note
        self.done = done
    }

    static var schema: Schema { .object([.req("note", .string(minLength: 1, maxLength: 2000)), .opt("done", .boolean)]) }
}

/// `POST /api/v1/disputes/{id}/agenda`: the dispute onto a consultation's agenda.
struct ToAgendaBody: APIBody {
    let consultationId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let id = r.id("consultationId", required: true, "the meeting")
        try r.finish()
        guard let id else { throw r.failure }
        consultationId = id
    }

    static var schema: Schema { .object([.req("consultationId", .uuid)]) }
}

struct ActionItemAnswer: APIAnswer {
    struct Note: Codable, Sendable { let at: String, by: String, note: String }
    let id: String, consultationId: String, title: String, party: String, dueOn: String, status: String, doneOn: String?, overdue: Bool, notes: [Note]

    init(_ a: ActionItemRecord, today: CivilDate) {
        id = a.id.text; consultationId = a.consultationId.text; title = a.title; party = a.party.rawValue; dueOn = a.dueOn.description; status = a.status.rawValue
        doneOn = a.doneOn?.description; overdue = ConsultationRules.isOverdue(due: a.dueOn, status: a.status, today: today)
        notes = a.notes.map { Note(at: Timestamp.iso($0.at), by: $0.actor, note: $0.note) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("consultationId", .uuid), .req("title", .string()), .req("party", .choice(SeatParty.self)), .req("dueOn", .date),
                 .req("status", .choice(ActionStatus.self)), .null("doneOn", .date), .req("overdue", .boolean),
                 .req("notes", .array(.object([.req("at", .dateTime), .req("by", .string()), .req("note", .string())])))])
    }
}

/// A consultation. Owners and residents get the published summary: seats by party without names,
/// no minutes.
struct ConsultationAnswer: APIAnswer {
    struct Seat: Codable, Sendable { let id: String?, party: String, name: String?, attended: Bool }
    struct Item: Codable, Sendable { let position: Int64, kind: String, title: String, refId: String?, surveyResult: SurveyQuote? }
    let id: String, number: String, communityId: String, community: String, compounds: [String], title: String, heldAt: String, place: String, status: String
    let fiveParty: Bool, missingParties: [String], seats: [Seat], agenda: [Item], minutes: String?, summary: String?, publishedAt: String?
    let resolutions: [ActionItemAnswer], carried: [ActionItemAnswer]

    init(_ v: ConsultationView, today: CivilDate) {
        let c = v.record, full = v.standing.seesAll
        id = c.id.text; number = c.number; communityId = c.communityId.text; community = c.communityName; compounds = v.compounds.map(\.name); title = c.title
        heldAt = Timestamp.iso(c.heldAt); place = c.place; status = c.status.rawValue
        fiveParty = ConsultationRules.isFiveParty(attended: v.attendedParties); missingParties = ConsultationRules.missing(attended: v.attendedParties).map(\.rawValue)
        seats = v.seats.map { Seat(id: full ? $0.id.text : nil, party: $0.party.rawValue, name: full ? $0.name : nil, attended: $0.attended) }
        agenda = v.agenda.map { Item(position: Int64($0.position), kind: $0.kind.rawValue, title: $0.title, refId: full ? $0.refId?.text : nil,
                                     surveyResult: full ? $0.surveyResult : nil) }
        minutes = full ? c.minutes : nil; summary = c.summary; publishedAt = c.publishedAt.map(Timestamp.iso)
        resolutions = v.resolutions.map { ActionItemAnswer($0, today: today) }; carried = v.carried.map { ActionItemAnswer($0, today: today) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("communityId", .uuid), .req("community", .string()), .req("compounds", .array(.string())),
                 .req("title", .string()), .req("heldAt", .dateTime), .req("place", .string()), .req("status", .choice(ConsultationStatus.self)),
                 .req("fiveParty", .boolean), .req("missingParties", .array(.choice(SeatParty.self))),
                 .req("seats", .array(.object([.null("id", .uuid), .req("party", .choice(SeatParty.self)), .null("name", .string()), .req("attended", .boolean)]))),
                 .req("agenda", .array(.object([.req("position", .integer(minimum: 1)), .req("kind", .choice(AgendaKind.self)), .req("title", .string()),
                                                .null("refId", .uuid), .null("surveyResult", .named(SurveyQuote.self))]))),
                 .null("minutes", .string()), .null("summary", .string()), .null("publishedAt", .dateTime),
                 .req("resolutions", .array(.named(ActionItemAnswer.self))), .req("carried", .array(.named(ActionItemAnswer.self)))])
    }
}

struct ConsultationSummaryAnswer: APIAnswer {
    let id: String, number: String, community: String, title: String, heldAt: String, status: String

    init(_ c: ConsultationRecord) {
        id = c.id.text; number = c.number; community = c.communityName; title = c.title; heldAt = Timestamp.iso(c.heldAt); status = c.status.rawValue
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("community", .string()), .req("title", .string()), .req("heldAt", .dateTime),
                 .req("status", .choice(ConsultationStatus.self))])
    }
}

struct ConsultationMonthAnswer: APIAnswer {
    let month: String, held: Int64, fiveParty: Int64
    static var schema: Schema {
        .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("held", .integer(minimum: 0)), .req("fiveParty", .integer(minimum: 0))])
    }
}
