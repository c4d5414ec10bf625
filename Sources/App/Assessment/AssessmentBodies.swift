import Domain
import Foundation

/// Points in the API are exact decimals with two places ("5.00"), stored in hundredths.
enum Points {
    static func read(_ r: inout FieldReader, _ name: String, required: Bool) -> Int64? {
        guard let text = r.text(name, required: required, max: 12, "points like 5.00") else { return nil }
        do { return try FixedPoint2.parse(text) } catch {
            r.fail(name, "invalid_format", "points like 5.00, at most two decimals")
            return nil
        }
    }

    static func text(_ hundredths: Int64?) -> String? { hundredths.map(FixedPoint2.format) }
    static func text(_ score: ExactScore?) -> String? { score.map { FixedPoint2.format($0.hundredths) } }
}

/// One checklist item: its code, section, what is checked, its weight and deduction per finding.
struct ChecklistItemBody: APIBody {
    let item: ChecklistItem

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let code = r.text("code", required: true, max: 12, "1–12 letters and digits")
        let section = r.choice("section", InspectionSection.self, required: true)
        let text = r.text("text", required: true, max: 200, "what is checked, 1–200 characters")
        let weight = Points.read(&r, "weight", required: true), deduction = Points.read(&r, "deduction", required: true)
        try r.finish()
        guard let code, let section, let text, let weight, let deduction else { throw r.failure }
        item = ChecklistItem(code: code, section: section, text: text, weight: weight, deduction: deduction)
    }

    static var schema: Schema {
        .object([.req("code", .string(pattern: "^[A-Za-z0-9]{1,12}$")), .req("section", .choice(InspectionSection.self)), .req("text", .string(minLength: 1, maxLength: 200)),
                 .req("weight", .decimal), .req("deduction", .decimal)])
    }
}

struct ChecklistItemAnswer: APIAnswer {
    let code: String, section: String, text: String, weight: String, deduction: String
    init(_ i: ChecklistItem) { code = i.code; section = i.section.rawValue; text = i.text; weight = FixedPoint2.format(i.weight); deduction = FixedPoint2.format(i.deduction) }
    static var schema: Schema { ChecklistItemBody.schema }
}

/// `PUT /api/v1/streets/{id}/assessment-settings`: the whole checklist, the four weights in whole
/// percent adding up to 100, and the list rules (scores as points).
struct AssessmentSettingsBody: APIBody {
    let settings: AssessmentSettings

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let items = r.list("checklist", ChecklistItemBody.self, required: true, "the checklist, a list of items")
        let wi = r.required("weightInspection", Int64.self, "a whole percent"), wr = r.required("weightRequests", Int64.self, "a whole percent")
        let ws = r.required("weightResidents", Int64.self, "a whole percent"), wp = r.required("weightParty", Int64.self, "a whole percent")
        let top = r.required("redTop", Int64.self, "how many companies at most on the red list")
        let redMinimum = Points.read(&r, "redMinimum", required: true), blackBelow = Points.read(&r, "blackBelow", required: true)
        let monthFloor = Points.read(&r, "monthFloor", required: true)
        try r.finish()
        guard let items, let wi, let wr, let ws, let wp, let top, let redMinimum, let blackBelow, let monthFloor else { throw r.failure }
        settings = AssessmentSettings(checklist: items.map(\.item), weights: ScoreWeights(inspection: wi, requests: wr, residents: ws, party: wp),
                                      rules: ListRules(redTop: top, redMinimum: redMinimum, blackBelow: blackBelow, monthFloor: monthFloor))
    }

    static var schema: Schema {
        .object([.req("checklist", .array(.named(ChecklistItemBody.self))), .req("weightInspection", .integer(minimum: 0, maximum: 100)),
                 .req("weightRequests", .integer(minimum: 0, maximum: 100)), .req("weightResidents", .integer(minimum: 0, maximum: 100)),
                 .req("weightParty", .integer(minimum: 0, maximum: 100)), .req("redTop", .integer(minimum: 0, maximum: 50)),
                 .req("redMinimum", .decimal), .req("blackBelow", .decimal), .req("monthFloor", .decimal)])
    }
}

struct AssessmentSettingsAnswer: APIAnswer {
    let streetId: String, checklist: [ChecklistItemAnswer]
    let weightInspection: Int64, weightRequests: Int64, weightResidents: Int64, weightParty: Int64
    let redTop: Int64, redMinimum: String, blackBelow: String, monthFloor: String

    init(street: UUID, _ s: AssessmentSettings) {
        streetId = street.text; checklist = s.checklist.map(ChecklistItemAnswer.init)
        weightInspection = s.weights.inspection; weightRequests = s.weights.requests; weightResidents = s.weights.residents; weightParty = s.weights.party
        redTop = s.rules.redTop; redMinimum = FixedPoint2.format(s.rules.redMinimum); blackBelow = FixedPoint2.format(s.rules.blackBelow)
        monthFloor = FixedPoint2.format(s.rules.monthFloor)
    }

    static var schema: Schema {
        .object([.req("streetId", .uuid), .req("checklist", .array(.named(ChecklistItemAnswer.self))), .req("weightInspection", .integer(minimum: 0, maximum: 100)),
                 .req("weightRequests", .integer(minimum: 0, maximum: 100)), .req("weightResidents", .integer(minimum: 0, maximum: 100)),
                 .req("weightParty", .integer(minimum: 0, maximum: 100)), .req("redTop", .integer(minimum: 0, maximum: 50)),
                 .req("redMinimum", .decimal), .req("blackBelow", .decimal), .req("monthFloor", .decimal)])
    }
}

/// `POST /api/v1/inspections`: the compound and, if not today, the day it was inspected.
struct StartInspectionBody: APIBody {
    let compoundId: UUID, inspectedOn: CivilDate?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: true)
        inspectedOn = r.date("inspectedOn", required: false, "a day like 2026-11-30")
        try r.finish()
        guard let compound else { throw r.failure }
        compoundId = compound
    }

    static var schema: Schema { .object([.req("compoundId", .uuid), .opt("inspectedOn", .nullable(.date))]) }
}

/// One item's findings.
struct InspectionLineBody: APIBody {
    let line: AssessmentService.LineInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let code = r.text("code", required: true, max: 12, "the item's code")
        let findings = r.required("findings", Int64.self, "how many findings, 0–99")
        let note = r.text("note", required: false, max: 500, "at most 500 characters")
        let hazard = r.choice("hazard", HazardMark.self, required: false) ?? HazardMark.none
        try r.finish()
        guard let code, let findings else { throw r.failure }
        line = .init(code: code, findings: findings, note: note, hazard: hazard)
    }

    static var schema: Schema {
        .object([.req("code", .string(minLength: 1, maxLength: 12)), .req("findings", .integer(minimum: 0, maximum: 99)),
                 .opt("note", .nullable(.string(maxLength: 500))), .opt("hazard", .choice(HazardMark.self))])
    }
}

/// `PUT /api/v1/inspections/{id}/lines`: findings of the items named (the others keep theirs).
struct InspectionLinesBody: APIBody {
    let lines: [AssessmentService.LineInput]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let lines = r.list("lines", InspectionLineBody.self, required: true, "a list of items' findings")
        try r.finish()
        guard let lines else { throw r.failure }
        self.lines = lines.map(\.line)
    }

    static var schema: Schema { .object([.req("lines", .array(.named(InspectionLineBody.self)))]) }
}

/// `POST /api/v1/inspections/{id}/answer`: the company's answer.
struct InspectionReplyBody: APIBody {
    let answer: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let answer = r.text("answer", required: true, max: 2000, "the answer, at most 2,000 characters") else { throw r.failure }
        try r.finish()
        self.answer = answer
    }

    static var schema: Schema { .object([.req("answer", .string(minLength: 1, maxLength: 2000))]) }
}

/// An inspection; read alone it has its lines with their photos and requests.
struct InspectionAnswer: APIAnswer {
    struct Line: Codable, Sendable {
        let code: String, section: String, text: String, weight: String, deduction: String, findings: Int64, deducted: String
        let note: String?, hazard: String, requestId: String?, requestNumber: String?, photos: [String]
    }
    let id: String, compoundId: String, compound: String, community: String, companyId: String?, company: String?
    let inspectedOn: String, status: String, inspector: String, score: String, serviceScore: String?, partyScore: String?
    let submittedAt: String?, answer: String?, answeredBy: String?, answeredAt: String?
    var lines: [Line]?

    init(_ i: InspectionRecord) {
        id = i.id.text; compoundId = i.compoundId.text; compound = i.compoundName; community = i.communityName; companyId = i.companyId?.text; company = i.companyName
        inspectedOn = i.inspectedOn.description; status = i.status.rawValue; inspector = i.inspector; score = FixedPoint2.format(i.score)
        serviceScore = i.serviceWeight > 0 ? Points.text(ExactScore(Int128(i.serviceEarned) * 100, Int128(i.serviceWeight))) : nil
        partyScore = i.partyWeight > 0 ? Points.text(ExactScore(Int128(i.partyEarned) * 100, Int128(i.partyWeight))) : nil
        submittedAt = i.submittedAt.map(Timestamp.iso); answer = i.answer; answeredBy = i.answeredBy; answeredAt = i.answeredAt.map(Timestamp.iso)
    }

    static var schema: Schema {
        let line: Schema = .object([.req("code", .string()), .req("section", .choice(InspectionSection.self)), .req("text", .string()), .req("weight", .decimal),
                                    .req("deduction", .decimal), .req("findings", .integer(minimum: 0)), .req("deducted", .decimal), .null("note", .string()),
                                    .req("hazard", .choice(HazardMark.self)), .null("requestId", .uuid), .null("requestNumber", .string()), .req("photos", .array(.string()))])
        return .object([.req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .req("community", .string()), .null("companyId", .uuid),
                        .null("company", .string()), .req("inspectedOn", .date), .req("status", .choice(InspectionRecord.Status.self)), .req("inspector", .string()),
                        .req("score", .decimal), .null("serviceScore", .decimal), .null("partyScore", .decimal), .null("submittedAt", .dateTime),
                        .null("answer", .string()), .null("answeredBy", .string()), .null("answeredAt", .dateTime), .null("lines", .array(line))])
    }
}

/// A compound's or company's score in a street over a period, its four parts and its months.
struct ScoreRowAnswer: APIAnswer {
    struct Month: Codable, Sendable { let month: String, score: String? }
    let id: String, name: String, streetId: String, street: String, score: String?, inspection: String?, requests: String?, residents: String?, party: String?
    let inspections: Int64, compounds: Int64, months: [Month]

    init(_ r: AssessmentService.ScoreRow) {
        id = r.id.text; name = r.name; streetId = r.streetId.text; street = r.streetName; score = Points.text(r.card.total)
        inspection = Points.text(r.card.inspection); requests = Points.text(r.card.requests); residents = Points.text(r.card.residents); party = Points.text(r.card.party)
        inspections = r.inputs.inspections; compounds = Int64(r.compounds.count); months = r.monthCards.map { Month(month: $0.month, score: Points.text($0.card.total)) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("streetId", .uuid), .req("street", .string()), .null("score", .decimal), .null("inspection", .decimal),
                 .null("requests", .decimal), .null("residents", .decimal), .null("party", .decimal), .req("inspections", .integer(minimum: 0)),
                 .req("compounds", .integer(minimum: 0)), .req("months", .array(.object([.req("month", .string()), .null("score", .decimal)])))])
    }
}

struct ScorecardsAnswer: APIAnswer {
    let period: String, level: String, rows: [ScoreRowAnswer]
    static var schema: Schema {
        .object([.req("period", .string()), .req("level", .choice(AssessmentService.Level.self)), .req("rows", .array(.named(ScoreRowAnswer.self)))])
    }
}

/// `GET /api/v1/scorecards/compounds/{id}`: the compound's score and what it came from.
struct CompoundScoreAnswer: APIAnswer {
    struct RequestLine: Codable, Sendable { let id: String, number: String, category: String, status: String, rating: Int64? }
    let period: String, row: ScoreRowAnswer?, inspections: [InspectionAnswer], requests: [RequestLine]
    static var schema: Schema {
        .object([.req("period", .string()), .null("row", .named(ScoreRowAnswer.self)), .req("inspections", .array(.named(InspectionAnswer.self))),
                 .req("requests", .array(.object([.req("id", .uuid), .req("number", .string()), .req("category", .string()), .req("status", .string()),
                                                  .null("rating", .integer(minimum: 0))])))])
    }
}

/// `POST /api/v1/streets/{id}/lists`: the period to publish.
struct PublishListBody: APIBody {
    let period: AssessmentPeriod

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let text = r.text("period", required: true, max: 10, "a month 2026-10, quarter 2026-Q3 or year 2026")
        try r.finish()
        guard let text else { throw r.failure }
        guard let p = AssessmentPeriod(text) else { throw DomainError.invalid([FieldError(field: "period", code: "invalid_format", message: "a month 2026-10, quarter 2026-Q3 or year 2026")]) }
        period = p
    }

    static var schema: Schema { .object([.req("period", .string(pattern: "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"))]) }
}

/// A consequence recorded against a placing.
struct ConsequenceAnswer: APIAnswer {
    let id: String, kind: String, note: String, dueOn: String?, compoundId: String?, decisionId: String?, recordedBy: String, at: String
    init(_ a: PlacingActionRecord) {
        id = a.id.text; kind = a.kind.rawValue; note = a.note; dueOn = a.dueOn; compoundId = a.compoundId?.text; decisionId = a.decisionId?.text
        recordedBy = a.recordedBy; at = Timestamp.iso(a.at)
    }
    static var schema: Schema {
        .object([.req("id", .uuid), .req("kind", .choice(ConsequenceKind.self)), .req("note", .string()), .null("dueOn", .date), .null("compoundId", .uuid),
                 .null("decisionId", .uuid), .req("recordedBy", .string()), .req("at", .dateTime)])
    }
}

/// A published placing on a red or black list.
struct PlacingAnswer: APIAnswer {
    struct Trigger: Codable, Sendable { let code: String, detail: String }
    let id: String, streetId: String, street: String, period: String, companyId: String, company: String, list: String
    let score: String?, rank: Int64?, triggers: [Trigger], publishedBy: String, publishedAt: String
    var consequences: [ConsequenceAnswer]?

    init(_ p: PlacingRecord) {
        id = p.id.text; streetId = p.streetId.text; street = p.streetName; period = p.period; companyId = p.companyId.text; company = p.companyName
        list = p.list.rawValue; score = Points.text(p.score); rank = p.rank; triggers = p.triggers.map { Trigger(code: $0.code, detail: $0.detail) }
        publishedBy = p.publishedBy; publishedAt = Timestamp.iso(p.publishedAt)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("streetId", .uuid), .req("street", .string()), .req("period", .string()), .req("companyId", .uuid), .req("company", .string()),
                 .req("list", .choice(ListKind.self)), .null("score", .decimal), .null("rank", .integer(minimum: 1)),
                 .req("triggers", .array(.object([.req("code", .string()), .req("detail", .string())]))), .req("publishedBy", .string()),
                 .req("publishedAt", .dateTime), .null("consequences", .array(.named(ConsequenceAnswer.self)))])
    }
}

/// A street's list for a period: the published placings, or what publishing now would place.
struct ListAnswer: APIAnswer {
    struct Line: Codable, Sendable {
        let placingId: String?, companyId: String, company: String, list: String, score: String?, rank: Int64?, triggers: [PlacingAnswer.Trigger]
    }
    let streetId: String, street: String, period: String, published: Bool, lines: [Line]

    static var schema: Schema {
        .object([.req("streetId", .uuid), .req("street", .string()), .req("period", .string()), .req("published", .boolean),
                 .req("lines", .array(.object([.null("placingId", .uuid), .req("companyId", .uuid), .req("company", .string()), .req("list", .choice(ListKind.self)),
                                               .null("score", .decimal), .null("rank", .integer(minimum: 1)),
                                               .req("triggers", .array(.object([.req("code", .string()), .req("detail", .string())])))])))])
    }
}

/// `POST /api/v1/placings/{id}/consequences`.
struct ConsequenceBody: APIBody {
    let input: AssessmentService.ConsequenceInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", ConsequenceKind.self, required: true)
        let note = r.text("note", required: true, max: 2000, "what was decided, at most 2,000 characters")
        let due = r.date("dueOn", required: false, "a day like 2027-01-31")
        let compound = r.id("compoundId", required: false)
        try r.finish()
        guard let kind, let note else { throw r.failure }
        input = .init(kind: kind, note: note, dueOn: due, compoundId: compound)
    }

    static var schema: Schema {
        .object([.req("kind", .choice(ConsequenceKind.self)), .req("note", .string(minLength: 1, maxLength: 2000)), .opt("dueOn", .nullable(.date)),
                 .opt("compoundId", .nullable(.uuid))])
    }
}
