import Domain
import Foundation

/// A party to a new dispute: an owner, resident, the committee or another by name; a company by id.
struct DisputePartyBody: APIBody {
    let party: DisputeService.PartyInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", DisputePartyKind.self, required: true)
        let name = r.text("name", required: false, max: 100, "at most 100 characters")
        let company = r.id("companyId", required: false)
        try r.finish()
        guard let kind else { throw r.failure }
        party = .init(kind: kind, name: name ?? "", companyId: company)
    }

    static var schema: Schema {
        .object([.req("kind", .choice(DisputePartyKind.self)), .opt("name", .nullable(.string(maxLength: 100))), .opt("companyId", .nullable(.uuid))])
    }
}

/// `POST /api/v1/disputes`: a dispute put on the branch's list; `POST /api/v1/requests/{id}/dispute`
/// takes the same body without compound and rooms (the request's are used).
struct ReportDisputeBody: APIBody {
    let dispute: DisputeService.NewDispute

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: false)
        let kind = r.choice("kind", DisputeKind.self, required: true)
        let source = r.choice("source", DisputeSource.self, required: false)
        let title = r.text("title", required: true, max: 200, "a title of at most 200 characters")
        let description = r.optional("description", String.self, "description is text") ?? ""
        let rawRooms = r.optional("roomIds", [String].self, "roomIds is a list of ids") ?? []
        let rooms = rawRooms.compactMap(UUID.init(uuidString:))
        r.check(rooms.count == rawRooms.count, "roomIds", "invalid_id", "roomIds is a list of ids")
        let parties = r.list("parties", DisputePartyBody.self, required: false, "parties is a list")
        let received = r.date("receivedOn", required: false, "YYYY-MM-DD")
        try r.finish()
        guard let kind, let title else { throw r.failure }
        dispute = .init(compoundId: compound, requestId: nil, kind: kind, source: source ?? .partyMember, title: title, description: description,
                        roomIds: rooms, parties: (parties ?? []).map(\.party), receivedOn: received)
    }

    static var schema: Schema {
        .object([.opt("compoundId", .nullable(.uuid)), .req("kind", .choice(DisputeKind.self)), .opt("source", .choice(DisputeSource.self)),
                 .req("title", .string(minLength: 1, maxLength: 200)), .opt("description", .string(maxLength: 4000)), .opt("roomIds", .array(.uuid)),
                 .opt("parties", .array(.named(DisputePartyBody.self))), .opt("receivedOn", .nullable(.date))])
    }
}

/// `POST /api/v1/disputes/{id}/events`: a session, the plan, the outcome, a note or an improvement.
struct DisputeEventBody: APIBody {
    let event: DisputeService.NewEvent

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", DisputeEventKind.self, required: true)
        let on = r.date("on", required: false, "YYYY-MM-DD")
        let mediatorKind = r.choice("mediatorKind", MediatorKind.self, required: false)
        let mediatorName = r.text("mediatorName", required: false, max: 100, "at most 100 characters")
        let note = r.optional("note", String.self, "note is text") ?? ""
        r.check(note.count <= 4000, "note", "too_long", "at most 4000 characters")
        let outcome = r.choice("outcome", DisputeOutcome.self, required: false)
        let company = r.id("companyId", required: false)
        try r.finish()
        guard let kind else { throw r.failure }
        event = .init(kind: kind, on: on, mediatorKind: mediatorKind, mediatorName: mediatorName, note: note.trimmingCharacters(in: .whitespacesAndNewlines),
                      outcome: outcome, companyId: company)
    }

    static var schema: Schema {
        .object([.req("kind", .choice(DisputeEventKind.self)), .opt("on", .nullable(.date)), .opt("mediatorKind", .nullable(.choice(MediatorKind.self))),
                 .opt("mediatorName", .nullable(.string(maxLength: 100))), .opt("note", .string(maxLength: 4000)),
                 .opt("outcome", .nullable(.choice(DisputeOutcome.self))), .opt("companyId", .nullable(.uuid))])
    }
}

/// `POST /api/v1/disputes/{id}/mediators`.
struct AssignMediatorBody: APIBody {
    let userId: UUID
    let kind: MediatorKind

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let user = r.id("userId", required: true, "the mediator's account")
        let kind = r.choice("kind", MediatorKind.self, required: true)
        try r.finish()
        guard let user, let kind else { throw r.failure }
        userId = user
        self.kind = kind
    }

    static var schema: Schema { .object([.req("userId", .uuid), .req("kind", .choice(MediatorKind.self))]) }
}

/// `POST /api/v1/communities/{id}/legal-activities`.
struct LegalActivityBody: APIBody {
    let heldOn: CivilDate, topic: String, audience: String, attendance: Int64

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let held = r.date("heldOn", required: true, "YYYY-MM-DD")
        let topic = r.text("topic", required: true, max: 200, "the topic (at most 200 characters)")
        let audience = r.text("audience", required: false, max: 200, "at most 200 characters")
        let attendance = r.optional("attendance", Int64.self, "a whole number")
        r.check((attendance ?? 0) >= 0 && (attendance ?? 0) <= 100_000, "attendance", "out_of_range", "0 to 100000 people")
        try r.finish()
        guard let held, let topic else { throw r.failure }
        heldOn = held; self.topic = topic; self.audience = audience ?? ""; self.attendance = attendance ?? 0
    }

    static var schema: Schema {
        .object([.req("heldOn", .date), .req("topic", .string(minLength: 1, maxLength: 200)), .opt("audience", .nullable(.string(maxLength: 200))),
                 .opt("attendance", .integer(minimum: 0, maximum: 100_000))])
    }
}

/// A dispute with its rooms, parties, mediators and history.
struct DisputeAnswer: APIAnswer {
    struct Party: Codable, Sendable { let kind: String, name: String, companyId: String? }
    struct Mediator: Codable, Sendable { let userId: String, kind: String, name: String }
    struct Event: Codable, Sendable {
        let kind: String, on: String, mediatorKind: String?, mediatorName: String?, note: String, companyId: String?, company: String?, recordedBy: String, recordedAt: String
    }
    let id: String, number: String, streetId: String, communityId: String, community: String, compoundId: String, compound: String
    let kind: String, source: String, title: String, description: String, requestId: String?, status: String, plan: String?
    let outcome: String?, outcomeOn: String?, outcomeNote: String?, receivedOn: String, ageDays: Int64, reportedBy: String
    let rooms: [String], parties: [Party], mediators: [Mediator], events: [Event]

    init(_ v: DisputeView, today: CivilDate) {
        let d = v.record
        id = d.id.text; number = d.number; streetId = d.streetId.text; communityId = d.communityId.text; community = d.communityName
        compoundId = d.compoundId.text; compound = d.compoundName; kind = d.kind.rawValue; source = d.source.rawValue; title = d.title
        description = d.description; requestId = d.requestId?.text; status = d.status.rawValue; plan = d.plan; outcome = d.outcome?.rawValue
        outcomeOn = d.outcomeOn?.description; outcomeNote = d.outcomeNote; receivedOn = d.receivedOn.description; ageDays = Int64(d.age(today: today))
        reportedBy = d.reportedBy; rooms = v.rooms.map(\.label)
        parties = v.parties.map { Party(kind: $0.kind.rawValue, name: $0.name, companyId: $0.companyId?.text) }
        mediators = v.mediators.map { Mediator(userId: $0.userId.text, kind: $0.kind.rawValue, name: $0.name) }
        events = v.events.map { Event(kind: $0.kind.rawValue, on: $0.on.description, mediatorKind: $0.mediatorKind?.rawValue, mediatorName: $0.mediatorName,
                                      note: $0.note, companyId: $0.companyId?.text, company: $0.companyName, recordedBy: $0.actor, recordedAt: Timestamp.iso($0.at)) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("streetId", .uuid), .req("communityId", .uuid), .req("community", .string()),
                 .req("compoundId", .uuid), .req("compound", .string()), .req("kind", .choice(DisputeKind.self)), .req("source", .choice(DisputeSource.self)),
                 .req("title", .string()), .req("description", .string()), .null("requestId", .uuid), .req("status", .choice(DisputeStatus.self)),
                 .null("plan", .string()), .null("outcome", .choice(DisputeOutcome.self)), .null("outcomeOn", .date), .null("outcomeNote", .string()),
                 .req("receivedOn", .date), .req("ageDays", .integer(minimum: 0)), .req("reportedBy", .string()), .req("rooms", .array(.string())),
                 .req("parties", .array(.object([.req("kind", .choice(DisputePartyKind.self)), .req("name", .string()), .null("companyId", .uuid)]))),
                 .req("mediators", .array(.object([.req("userId", .uuid), .req("kind", .choice(MediatorKind.self)), .req("name", .string())]))),
                 .req("events", .array(.object([.req("kind", .choice(DisputeEventKind.self)), .req("on", .date), .null("mediatorKind", .choice(MediatorKind.self)),
                                                .null("mediatorName", .string()), .req("note", .string()), .null("companyId", .uuid), .null("company", .string()),
                                                .req("recordedBy", .string()), .req("recordedAt", .dateTime)])))])
    }
}

/// A line of the branch's list.
struct DisputeSummaryAnswer: APIAnswer {
    let id: String, number: String, community: String, compound: String, kind: String, title: String, status: String, receivedOn: String, ageDays: Int64

    init(_ d: DisputeRecord, today: CivilDate) {
        id = d.id.text; number = d.number; community = d.communityName; compound = d.compoundName; kind = d.kind.rawValue; title = d.title
        status = d.status.rawValue; receivedOn = d.receivedOn.description; ageDays = Int64(d.age(today: today))
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("community", .string()), .req("compound", .string()), .req("kind", .choice(DisputeKind.self)),
                 .req("title", .string()), .req("status", .choice(DisputeStatus.self)), .req("receivedOn", .date), .req("ageDays", .integer(minimum: 0))])
    }
}

/// A legal-awareness activity.
struct LegalActivityAnswer: APIAnswer {
    let id: String, communityId: String, heldOn: String, topic: String, audience: String, attendance: Int64, recordedBy: String

    init(_ a: LegalActivityRecord) {
        id = a.id.text; communityId = a.communityId.text; heldOn = a.heldOn.description; topic = a.topic; audience = a.audience; attendance = a.attendance
        recordedBy = a.recordedBy
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("communityId", .uuid), .req("heldOn", .date), .req("topic", .string()), .req("audience", .string()),
                 .req("attendance", .integer(minimum: 0)), .req("recordedBy", .string())])
    }
}

/// One month of source-governance figures.
struct DisputeMonthAnswer: APIAnswer {
    let month: String, received: Int64, settled: Int64, referred: Int64, otherwiseClosed: Int64, byKind: [String: Int64]
    let medianDaysToSettle: String?, activities: Int64, attendance: Int64, improvements: Int64

    init(_ r: DisputeMonthRow) {
        month = r.month.monthText; received = Int64(r.figures.received); settled = Int64(r.figures.settled); referred = Int64(r.figures.referred)
        otherwiseClosed = Int64(r.figures.otherwiseClosed)
        byKind = Dictionary(uniqueKeysWithValues: r.figures.byKind.map { ($0.key.rawValue, Int64($0.value)) })
        medianDaysToSettle = r.figures.medianDaysToSettle.map(FixedPoint2.format); activities = Int64(r.activities); attendance = r.attendance
        improvements = Int64(r.improvements)
    }

    static var schema: Schema {
        .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("received", .integer(minimum: 0)), .req("settled", .integer(minimum: 0)),
                 .req("referred", .integer(minimum: 0)), .req("otherwiseClosed", .integer(minimum: 0)), .req("byKind", .map(.integer(minimum: 0))),
                 .null("medianDaysToSettle", .decimal), .req("activities", .integer(minimum: 0)), .req("attendance", .integer(minimum: 0)),
                 .req("improvements", .integer(minimum: 0))])
    }
}
