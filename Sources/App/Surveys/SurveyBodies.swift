import Domain
import Foundation

/// A question of `POST /api/v1/surveys`.
struct QuestionBody: APIBody {
    let question: SurveyQuestion

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", QuestionKind.self, required: true)
        let text = r.text("text", required: true, max: 500, "the question, at most 500 characters")
        let options = r.optional("options", [String].self, "a list of options") ?? []
        try r.finish()
        guard let kind, let text else { throw r.failure }
        question = SurveyQuestion(kind: kind, text: text, options: options.map { $0.trimmingCharacters(in: .whitespaces) })
    }

    static var schema: Schema {
        .object([.req("kind", .choice(QuestionKind.self)), .req("text", .string(minLength: 1, maxLength: 500)), .opt("options", .array(.string(maxLength: 100)))])
    }
}

/// `POST /api/v1/surveys`.
struct CreateSurveyBody: APIBody {
    let input: SurveyService.NewSurvey

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: true)
        let rawBuildings = r.optional("buildingIds", [String].self, "a list of building ids") ?? []
        let buildings = rawBuildings.compactMap(UUID.init(uuidString:))
        r.check(buildings.count == rawBuildings.count, "buildingIds", "invalid_id", "each a building id")
        let author = r.choice("author", NoticeAuthor.self, required: false)
        let title = r.text("title", required: true, max: 200, "a title of at most 200 characters")
        let intro = r.text("intro", required: false, max: 5_000, "at most 5,000 characters") ?? ""
        let audience = r.choice("audience", SurveyAudience.self, required: true)
        let weighted = r.optional("weighted", Bool.self, "true or false") ?? false
        let closesAt = r.instant("closesAt", required: true, "when it stops taking answers, ISO 8601")
        let questions = r.list("questions", QuestionBody.self, required: true, "a list of questions")
        r.check(author != .system, "author", "not_yours", "only the platform posts as the system")
        try r.finish()
        guard let compound, let title, let audience, let closesAt, let questions else { throw r.failure }
        input = .init(compoundId: compound, buildingIds: buildings, author: author, title: title, intro: intro, audience: audience, weighted: weighted,
                      closesAt: closesAt, questions: questions.map(\.question))
    }

    static var schema: Schema {
        .object([.req("compoundId", .uuid), .opt("buildingIds", .array(.uuid)), .opt("author", .choice([NoticeAuthor.community, .committee, .company].map(\.rawValue))),
                 .req("title", .string(minLength: 1, maxLength: 200)), .opt("intro", .string(maxLength: 5_000)), .req("audience", .choice(SurveyAudience.self)),
                 .opt("weighted", .boolean), .req("closesAt", .dateTime), .req("questions", .array(.named(QuestionBody.self)))])
    }
}

/// One answer of `POST /api/v1/surveys/{id}/responses`: `question` and `choices` count from 0.
struct AnswerBody: APIBody {
    let question: Int
    let answer: SurveyAnswer

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let question = r.required("question", Int.self, "the question's index, from 0")
        let choices = r.optional("choices", [Int].self, "option indexes, from 0") ?? []
        let text = r.text("text", required: false, max: 2_000, "at most 2,000 characters")
        try r.finish()
        guard let question else { throw r.failure }
        self.question = question
        answer = SurveyAnswer(choices: choices, text: text)
    }

    static var schema: Schema {
        .object([.req("question", .integer(minimum: 0, maximum: 29)), .opt("choices", .array(.integer(minimum: 0, maximum: 19))), .opt("text", .nullable(.string(maxLength: 2_000)))])
    }
}

/// `POST /api/v1/surveys/{id}/responses`: the caller's one response.
struct RespondBody: APIBody {
    let answers: [Int: SurveyAnswer]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let list = r.list("answers", AnswerBody.self, required: true, "a list of answers")
        if let list, Set(list.map(\.question)).count != list.count { r.fail("answers", "duplicate", "each question once") }
        try r.finish()
        guard let list else { throw r.failure }
        answers = Dictionary(list.map { ($0.question, $0.answer) }) { a, _ in a }
    }

    static var schema: Schema { .object([.req("answers", .array(.named(AnswerBody.self)))]) }
}

/// `POST /api/v1/surveys/{id}/paper-responses`: a person's answers given on paper, entered by those who ran it.
struct PaperResponseBody: APIBody {
    let owner: UUID?, resident: UUID?
    let answers: [Int: SurveyAnswer]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let owner = r.id("ownerId", required: false), resident = r.id("residentId", required: false)
        let list = r.list("answers", AnswerBody.self, required: true, "a list of answers")
        if let list, Set(list.map(\.question)).count != list.count { r.fail("answers", "duplicate", "each question once") }
        if !r.has("ownerId") && !r.has("residentId") { r.fail("ownerId", "required", "the owner or resident who answered") }
        if owner != nil && resident != nil { r.fail("residentId", "not_allowed", "one person: an owner or a resident") }
        try r.finish()
        guard let list else { throw r.failure }
        self.owner = owner; self.resident = resident
        answers = Dictionary(list.map { ($0.question, $0.answer) }) { a, _ in a }
    }

    static var schema: Schema {
        .object([.opt("ownerId", .uuid), .opt("residentId", .uuid), .req("answers", .array(.named(AnswerBody.self)))])
    }
}

struct SurveySummaryAnswer: APIAnswer {
    let id: String, number: String, compoundId: String, compound: String, author: String, title: String, audience: String, weighted: Bool
    let closesAt: String, open: Bool, respondents: Int64, answered: Bool

    init(_ s: SurveyRecord, respondents: Int64, answered: Bool, now: Date) {
        id = s.id.text; number = s.number; compoundId = s.compoundId.text; compound = s.compoundName; author = s.author.rawValue; title = s.title
        audience = s.audience.rawValue; weighted = s.weighted; closesAt = Timestamp.iso(s.closedAt ?? s.closesAt); open = s.isOpen(now: now)
        self.respondents = respondents; self.answered = answered
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("compoundId", .uuid), .req("compound", .string()), .req("author", .choice(NoticeAuthor.self)),
                 .req("title", .string()), .req("audience", .choice(SurveyAudience.self)), .req("weighted", .boolean), .req("closesAt", .dateTime),
                 .req("open", .boolean), .req("respondents", .integer(minimum: 0)), .req("answered", .boolean)])
    }
}

/// A survey with its questions and the caller's standing. `closesAt` is when it closed, once closed early.
struct SurveyDetailAnswer: APIAnswer {
    struct Question: Codable, Sendable { let index: Int, kind: String, text: String, options: [String] }
    struct Mine: Codable, Sendable { let question: Int, choices: [Int], text: String? }
    let id: String, number: String, compoundId: String, compound: String, buildingIds: [String], author: String, title: String, intro: String
    let audience: String, weighted: Bool, closesAt: String, closedEarly: Bool, open: Bool, askedBy: String, askedAt: String
    let questions: [Question], respondents: Int64, runs: Bool, mayAnswer: Bool, answeredAt: String?, myAnswers: [Mine], seesResults: Bool

    init(_ v: SurveyView, now: Date) {
        let s = v.record
        id = s.id.text; number = s.number; compoundId = s.compoundId.text; compound = s.compoundName; buildingIds = v.buildings.map(\.id.text)
        author = s.author.rawValue; title = s.title; intro = s.intro; audience = s.audience.rawValue; weighted = s.weighted
        closesAt = Timestamp.iso(s.closedAt ?? s.closesAt); closedEarly = s.closedAt != nil; open = s.isOpen(now: now); askedBy = s.createdBy; askedAt = Timestamp.iso(s.createdAt)
        questions = s.questions.enumerated().map { Question(index: $0.offset, kind: $0.element.kind.rawValue, text: $0.element.text, options: $0.element.options) }
        respondents = v.respondents; runs = v.runs; mayAnswer = v.mayAnswer; answeredAt = v.answeredAt.map(Timestamp.iso)
        myAnswers = v.myAnswers.keys.sorted().map { Mine(question: $0, choices: v.myAnswers[$0]!.choices, text: v.myAnswers[$0]!.text) }
        seesResults = v.seesResults
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("compoundId", .uuid), .req("compound", .string()), .req("buildingIds", .array(.uuid)),
                 .req("author", .choice(NoticeAuthor.self)), .req("title", .string()), .req("intro", .string()), .req("audience", .choice(SurveyAudience.self)),
                 .req("weighted", .boolean), .req("closesAt", .dateTime), .req("closedEarly", .boolean), .req("open", .boolean), .req("askedBy", .string()),
                 .req("askedAt", .dateTime),
                 .req("questions", .array(.object([.req("index", .integer(minimum: 0)), .req("kind", .choice(QuestionKind.self)), .req("text", .string()),
                                                    .req("options", .array(.string()))]))),
                 .req("respondents", .integer(minimum: 0)), .req("runs", .boolean), .req("mayAnswer", .boolean), .null("answeredAt", .dateTime),
                 .req("myAnswers", .array(.object([.req("question", .integer(minimum: 0)), .req("choices", .array(.integer(minimum: 0))), .null("text", .string())]))),
                 .req("seesResults", .boolean)])
    }
}

/// The caller's response as recorded: `area` is the hundredths of m² it carries (0 for a resident).
struct SurveyResponseAnswer: APIAnswer {
    let answeredAt: String, area: Int64
    static var schema: Schema { .object([.req("answeredAt", .dateTime), .req("area", .integer(minimum: 0))]) }
}

/// The count of a survey, by persons and by area (hundredths of m²); a question's base is those who answered it.
struct SurveyResultsAnswer: APIAnswer {
    struct Option: Codable, Sendable { let option: String, persons: Int64, area: Int64 }
    struct Question: Codable, Sendable { let index: Int, kind: String, text: String, persons: Int64, area: Int64, options: [Option], texts: [String], leading: [String] }
    let surveyId: String, open: Bool, weighted: Bool, respondents: Int64, area: Int64, eligiblePersons: Int64, eligibleArea: Int64, questions: [Question]

    init(_ v: SurveyView, _ r: SurveyResults, now: Date) {
        surveyId = v.record.id.text; open = v.record.isOpen(now: now); weighted = v.record.weighted
        respondents = r.respondents; area = r.area; eligiblePersons = r.eligiblePersons; eligibleArea = r.eligibleArea
        questions = r.questions.enumerated().map { i, q in
            Question(index: i, kind: q.question.kind.rawValue, text: q.question.text, persons: q.persons, area: q.area,
                     options: q.options.map { Option(option: $0.option, persons: $0.persons, area: $0.area) }, texts: q.texts,
                     leading: q.question.kind == .text ? [] : SurveyRules.leading(q))
        }
    }

    static var schema: Schema {
        .object([.req("surveyId", .uuid), .req("open", .boolean), .req("weighted", .boolean), .req("respondents", .integer(minimum: 0)), .req("area", .integer(minimum: 0)),
                 .req("eligiblePersons", .integer(minimum: 0)), .req("eligibleArea", .integer(minimum: 0)),
                 .req("questions", .array(.object([.req("index", .integer(minimum: 0)), .req("kind", .choice(QuestionKind.self)), .req("text", .string()),
                                                    .req("persons", .integer(minimum: 0)), .req("area", .integer(minimum: 0)),
                                                    .req("options", .array(.object([.req("option", .string()), .req("persons", .integer(minimum: 0)),
                                                                                    .req("area", .integer(minimum: 0))]))),
                                                    .req("texts", .array(.string())), .req("leading", .array(.string()))])))])
    }
}
