import Domain
import Foundation

/// `POST /api/v1/committee-cycles`: what triggered the first assembly (or a re-election).
struct TriggerBody: APIBody {
    let input: CommitteeService.Trigger

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: true)
        let trigger = r.choice("trigger", CycleTrigger.self, required: true)
        let on = r.date("triggeredOn", required: true, "the day of the report or request, YYYY-MM-DD")
        let persons = r.optional("requestPersons", Int64.self, "owners who asked, a whole number")
        let area = r.optional("requestArea", Int64.self, "hundredths of m² they hold, a whole number")
        r.check((persons ?? 0) >= 0, "requestPersons", "out_of_range", "not negative")
        r.check((area ?? 0) >= 0, "requestArea", "out_of_range", "not negative")
        if trigger == .ownersRequest && persons == nil && area == nil { r.fail("requestPersons", "required", "how many owners asked, or the area they hold") }
        try r.finish()
        guard let compound, let trigger, let on else { throw r.failure }
        input = .init(compoundId: compound, trigger: trigger, on: on, persons: persons, area: area)
    }

    static var schema: Schema {
        .object([.req("compoundId", .uuid), .req("trigger", .choice(CycleTrigger.self)), .req("triggeredOn", .date),
                 .opt("requestPersons", .nullable(.integer(minimum: 0))), .opt("requestArea", .nullable(.integer(minimum: 0)))])
    }
}

/// A member of the preparatory group.
struct GroupMemberBody: APIBody {
    let member: CommitteeService.GroupMember
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let name = r.text("name", required: true, max: 100, "a name of at most 100 characters")
        let owner = r.optional("owner", Bool.self, "true for an owner") ?? false
        try r.finish()
        guard let name else { throw r.failure }
        member = .init(name: name, owner: owner)
    }
    static var schema: Schema { .object([.req("name", .string(minLength: 1, maxLength: 100)), .opt("owner", .boolean)]) }
}

/// `POST /api/v1/committee-cycles/{id}/preparatory-group`: members (owners at least two thirds) and the leader's index.
struct GroupBody: APIBody {
    let members: [CommitteeService.GroupMember], leader: Int, formedOn: CivilDate
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let members = r.list("members", GroupMemberBody.self, required: true, "a list of members")
        let leader = r.required("leader", Int.self, "the leader's index in members, from 0")
        let formedOn = r.date("formedOn", required: true, "the day it was formed, YYYY-MM-DD")
        try r.finish()
        guard let members, let leader, let formedOn else { throw r.failure }
        self.members = members.map(\.member); self.leader = leader; self.formedOn = formedOn
    }
    static var schema: Schema {
        .object([.req("members", .array(.named(GroupMemberBody.self))), .req("leader", .integer(minimum: 0)), .req("formedOn", .date)])
    }
}

struct ElectionBody: APIBody {
    let decisionId: UUID
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let d = r.id("decisionId", required: true)
        try r.finish()
        guard let d else { throw r.failure }
        decisionId = d
    }
    static var schema: Schema { .object([.req("decisionId", .uuid)]) }
}

struct FilingBody: APIBody {
    let filedOn: CivilDate
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let d = r.date("filedOn", required: true, "the day of filing, YYYY-MM-DD")
        try r.finish()
        guard let d else { throw r.failure }
        filedOn = d
    }
    static var schema: Schema { .object([.req("filedOn", .date)]) }
}

struct AbandonBody: APIBody {
    let reason: String
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let reason = r.text("reason", required: true, max: 1_000, "why, at most 1,000 characters")
        try r.finish()
        guard let reason else { throw r.failure }
        self.reason = reason
    }
    static var schema: Schema { .object([.req("reason", .string(minLength: 1, maxLength: 1_000))]) }
}

/// A 物管会 seat.
struct SeatInputBody: APIBody {
    let seat: CommitteeService.SeatInput
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let name = r.text("name", required: true, max: 100, "a name of at most 100 characters")
        let seat = r.choice("seat", ManagementSeat.self, required: true)
        try r.finish()
        guard let name, let seat else { throw r.failure }
        self.seat = .init(name: name, seat: seat)
    }
    static var schema: Schema { .object([.req("name", .string(minLength: 1, maxLength: 100)), .req("seat", .choice(ManagementSeat.self))]) }
}

/// `POST /api/v1/management-committees`.
struct FormManagementBody: APIBody {
    let compoundId: UUID, formedOn: CivilDate, termEnd: CivilDate, members: [CommitteeService.SeatInput]
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: true)
        let formedOn = r.date("formedOn", required: true, "YYYY-MM-DD"), termEnd = r.date("termEnd", required: true, "YYYY-MM-DD")
        let members = r.list("members", SeatInputBody.self, required: true, "a list of members")
        try r.finish()
        guard let compound, let formedOn, let termEnd, let members else { throw r.failure }
        compoundId = compound; self.formedOn = formedOn; self.termEnd = termEnd; self.members = members.map(\.seat)
    }
    static var schema: Schema {
        .object([.req("compoundId", .uuid), .req("formedOn", .date), .req("termEnd", .date), .req("members", .array(.named(SeatInputBody.self)))])
    }
}

/// A decision of a 物管会 meeting with the members who signed it.
struct ManagementDecisionBody: APIBody {
    let text: String, signatures: [UUID]
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let text = r.text("text", required: true, max: 500, "the decision, at most 500 characters")
        let raw = r.optional("signatures", [String].self, "member ids") ?? []
        let ids = raw.compactMap(UUID.init(uuidString:))
        r.check(ids.count == raw.count, "signatures", "invalid_id", "member ids")
        try r.finish()
        guard let text else { throw r.failure }
        self.text = text; signatures = ids
    }
    static var schema: Schema { .object([.req("text", .string(minLength: 1, maxLength: 500)), .opt("signatures", .array(.uuid))]) }
}

/// `POST /api/v1/management-committees/{id}/meetings`.
struct MeetingBody: APIBody {
    let input: CommitteeService.MeetingInput
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let heldOn = r.date("heldOn", required: true, "YYYY-MM-DD")
        let calledBy = r.optional("calledBy", String.self, "chair or members") ?? "chair"
        r.check(["chair", "members"].contains(calledBy), "calledBy", "invalid_choice", "chair or members")
        let requests = r.optional("requests", Int.self, "members who asked for it") ?? 0
        let raw = r.optional("present", [String].self, "member ids") ?? []
        let present = raw.compactMap(UUID.init(uuidString:))
        r.check(present.count == raw.count, "present", "invalid_id", "member ids")
        let subject = r.text("subject", required: true, max: 200, "the subject, at most 200 characters")
        let minutes = r.text("minutes", required: true, max: 20_000, "the minutes")
        let decisions = r.list("decisions", ManagementDecisionBody.self, required: false, "a list of decisions") ?? []
        try r.finish()
        guard let heldOn, let subject, let minutes else { throw r.failure }
        input = .init(heldOn: heldOn, calledBy: calledBy, requests: max(0, requests), present: present, subject: subject, minutes: minutes,
                      decisions: decisions.map { ($0.text, $0.signatures) })
    }
    static var schema: Schema {
        .object([.req("heldOn", .date), .opt("calledBy", .choice(["chair", "members"])), .opt("requests", .integer(minimum: 0, maximum: 1_000)),
                 .opt("present", .array(.uuid)), .req("subject", .string(minLength: 1, maxLength: 200)), .req("minutes", .string(minLength: 1, maxLength: 20_000)),
                 .opt("decisions", .array(.named(ManagementDecisionBody.self)))])
    }
}

struct DutyBody: APIBody {
    let kind: ManagementDuty, on: CivilDate, note: String
    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", ManagementDuty.self, required: true)
        let on = r.date("on", required: true, "YYYY-MM-DD")
        let note = r.text("note", required: true, max: 2_000, "what was done, at most 2,000 characters")
        try r.finish()
        guard let kind, let on, let note else { throw r.failure }
        self.kind = kind; self.on = on; self.note = note
    }
    static var schema: Schema { .object([.req("kind", .choice(ManagementDuty.self)), .req("on", .date), .req("note", .string(minLength: 1, maxLength: 2_000))]) }
}

/// A committee life cycle with its deadlines and whether they were missed.
struct CycleAnswer: APIAnswer {
    let id: String, number: String, compoundId: String, compound: String, trigger: String, triggeredOn: String, requestPersons: Int64?, requestArea: Int64?
    let stage: String, preparatoryDeadline: String, preparatoryOverdue: Bool, groupId: String?, groupFormedOn: String?, groupPostedOn: String?, leader: String?
    let decisionId: String?, electedOn: String?, committeeId: String?, filingDeadline: String?, filingOverdue: Bool, filedOn: String?, abandonedReason: String?

    init(_ c: CycleRecord, today: CivilDate) {
        id = c.id.text; number = c.number; compoundId = c.compoundId.text; compound = c.compoundName; trigger = c.trigger.rawValue; triggeredOn = c.triggeredOn.description
        requestPersons = c.requestPersons; requestArea = c.requestArea; stage = c.stage.rawValue; preparatoryDeadline = c.preparatoryDeadline.description
        preparatoryOverdue = c.preparatoryOverdue(today: today); groupId = c.groupId?.text; groupFormedOn = c.groupFormedOn?.description
        groupPostedOn = c.groupPostedOn?.description; leader = c.leader; decisionId = c.decisionId?.text; electedOn = c.electedOn?.description
        committeeId = c.committeeId?.text; filingDeadline = c.filingDeadline?.description; filingOverdue = c.filingOverdue(today: today)
        filedOn = c.filedOn?.description; abandonedReason = c.abandonedReason
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("compoundId", .uuid), .req("compound", .string()), .req("trigger", .choice(CycleTrigger.self)),
                 .req("triggeredOn", .date), .null("requestPersons", .integer(minimum: 0)), .null("requestArea", .integer(minimum: 0)),
                 .req("stage", .choice(CycleStage.self)), .req("preparatoryDeadline", .date), .req("preparatoryOverdue", .boolean), .null("groupId", .uuid),
                 .null("groupFormedOn", .date), .null("groupPostedOn", .date), .null("leader", .string()), .null("decisionId", .uuid), .null("electedOn", .date),
                 .null("committeeId", .uuid), .null("filingDeadline", .date), .req("filingOverdue", .boolean), .null("filedOn", .date), .null("abandonedReason", .string())])
    }
}

/// A committee whose term ends within the reminders' reach: `reminder` is 90 or 30.
struct ReminderAnswer: APIAnswer {
    let committeeId: String, compoundId: String, compound: String, kind: String, termEnd: String, daysLeft: Int, reminder: Int, renewing: Bool
    init(_ r: TermReminder) {
        committeeId = r.committeeId.text; compoundId = r.compoundId.text; compound = r.compoundName; kind = r.kind.rawValue; termEnd = r.termEnd.description
        daysLeft = r.daysLeft; reminder = r.reminder; renewing = r.renewing
    }
    static var schema: Schema {
        .object([.req("committeeId", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .req("kind", .choice(CommitteeKind.self)), .req("termEnd", .date),
                 .req("daysLeft", .integer(minimum: 0)), .req("reminder", .integer(minimum: 0)), .req("renewing", .boolean)])
    }
}

/// A 物管会 with its members, meetings and duty work lists.
struct ManagementAnswer: APIAnswer {
    struct Member: Codable, Sendable { let id: String, name: String, seat: String }
    struct Decision: Codable, Sendable { let text: String, signatures: Int64, passed: Bool }
    struct Meeting: Codable, Sendable {
        let id: String, heldOn: String, calledBy: String, requests: Int64, members: Int64, present: Int64, ownerReps: Int64, ownerRepsPresent: Int64, quorate: Bool
        let subject: String, minutes: String, postedOn: String, postedLate: Bool, noticeId: String?, recordedBy: String, decisions: [Decision]
    }
    struct Duty: Codable, Sendable { let id: String, kind: String, on: String, note: String, recordedBy: String }
    let id: String, compoundId: String, compound: String, termStart: String, termEnd: String?, members: [Member], meetings: [Meeting], duties: [Duty]

    init(_ k: CommitteeView, meetings: [ManagementMeeting], duties: [ManagementDutyEntry]) {
        id = k.id.text; compoundId = k.compoundId.text; compound = k.compoundName; termStart = k.termStart.description; termEnd = k.termEnd?.description
        members = k.members.map { Member(id: $0.id.text, name: $0.name, seat: CommitteeView.seat($0.role).rawValue) }
        self.meetings = meetings.map { m in
            Meeting(id: m.id.text, heldOn: m.heldOn.description, calledBy: m.calledBy, requests: m.requests, members: m.members, present: m.present, ownerReps: m.ownerReps,
                    ownerRepsPresent: m.ownerRepsPresent, quorate: m.quorate, subject: m.subject, minutes: m.minutes, postedOn: m.postedOn.description,
                    postedLate: m.postedLate, noticeId: m.noticeId?.text, recordedBy: m.recordedBy,
                    decisions: m.decisions.map { Decision(text: $0.text, signatures: $0.signatures, passed: $0.passed) })
        }
        self.duties = duties.map { Duty(id: $0.id.text, kind: $0.kind.rawValue, on: $0.on.description, note: $0.note, recordedBy: $0.recordedBy) }
    }

    static var schema: Schema {
        let n = Schema.integer(minimum: 0)
        return .object([
            .req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .req("termStart", .date), .null("termEnd", .date),
            .req("members", .array(.object([.req("id", .uuid), .req("name", .string()), .req("seat", .choice(ManagementSeat.self))]))),
            .req("meetings", .array(.object([.req("id", .uuid), .req("heldOn", .date), .req("calledBy", .choice(["chair", "members"])), .req("requests", n),
                                              .req("members", n), .req("present", n), .req("ownerReps", n), .req("ownerRepsPresent", n), .req("quorate", .boolean),
                                              .req("subject", .string()), .req("minutes", .string()), .req("postedOn", .date), .req("postedLate", .boolean),
                                              .null("noticeId", .uuid), .req("recordedBy", .string()),
                                              .req("decisions", .array(.object([.req("text", .string()), .req("signatures", n), .req("passed", .boolean)])))]))),
            .req("duties", .array(.object([.req("id", .uuid), .req("kind", .choice(ManagementDuty.self)), .req("on", .date), .req("note", .string()),
                                            .req("recordedBy", .string())]))),
        ])
    }
}
