import Domain
import Foundation
import FluentKit
import SQLKit

/// A survey question as stored (JSON in `surveys.questions`).
struct StoredQuestion: Codable, Sendable {
    var kind: QuestionKind, text: String, options: [String]
    init(_ q: SurveyQuestion) { kind = q.kind; text = q.text; options = q.options }
    var question: SurveyQuestion { SurveyQuestion(kind: kind, text: text, options: options) }
}

/// One answer as stored (JSON in `survey_responses.answers`); `question` is the 0-based index.
struct StoredAnswer: Codable, Sendable {
    var question: Int, choices: [Int], text: String?
}

enum SurveyJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? { try? JSONDecoder().decode(T.self, from: Data(text.utf8)) }
}

/// A survey as stored, with its compound's name.
struct SurveyRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, compoundName: String
    let author: NoticeAuthor, companyId: UUID?, title: String, intro: String, audience: SurveyAudience, weighted: Bool
    let questions: [SurveyQuestion], closesAt: Date, closedAt: Date?, createdBy: String, createdAt: Date

    static let select = "SELECT s.*, p.name AS compound_name FROM surveys s JOIN compounds p ON p.id = s.compound_id"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        compoundName = try row.decode(column: "compound_name", as: String.self)
        author = NoticeAuthor(rawValue: try row.decode(column: "author", as: String.self)) ?? .community
        companyId = try row.decode(column: "company_id", as: UUID?.self)
        title = try row.decode(column: "title", as: String.self); intro = try row.decode(column: "intro", as: String.self)
        audience = SurveyAudience(rawValue: try row.decode(column: "audience", as: String.self)) ?? .owners
        weighted = try row.decode(column: "weighted", as: Bool.self)
        questions = (SurveyJSON.decode([StoredQuestion].self, try row.decode(column: "questions", as: String.self)) ?? []).map(\.question)
        closesAt = try row.decode(column: "closes_at", as: Date.self); closedAt = try row.decode(column: "closed_at", as: Date?.self)
        createdBy = try row.decode(column: "created_by", as: String.self); createdAt = try row.decode(column: "created_at", as: Date.self)
    }

    var place: NoticePlace { NoticePlace(districtId: districtId, streetId: streetId, communityId: communityId, compoundId: compoundId, servingCompany: nil) }

    func isOpen(now: Date) -> Bool { SurveyRules.isOpen(closesAt: closesAt, closedAt: closedAt, now: now) }
    /// When answers stopped being taken: the early close, or the set time once it has passed.
    func endedAt(now: Date) -> Date? { closedAt ?? (closesAt <= now ? closesAt : nil) }
}

/// A survey with what its page shows the caller.
struct SurveyView: Sendable {
    let record: SurveyRecord
    /// The buildings it asks (empty: the whole compound).
    let buildings: [(id: UUID, number: String)]
    let respondents: Int64
    /// The caller runs it: may close it and sees results at any time.
    let runs: Bool
    /// The caller may answer (is asked and has not answered), while it is open.
    let mayAnswer: Bool
    /// The caller's own response, once given.
    let answeredAt: Date?
    let myAnswers: [Int: SurveyAnswer]
    let seesResults: Bool
}

/// The count of a survey: each question's result, who answered, and who was asked.
struct SurveyResults: Sendable {
    let questions: [QuestionResult]
    let respondents: Int64
    /// Hundredths of m² of the rooms the respondents' answers count (owners' rooms, each once).
    let area: Int64
    /// Those it asks: owners (and residents, for a residents' survey) of the rooms it reaches.
    let eligiblePersons: Int64
    /// Hundredths of m² of the rooms it reaches.
    let eligibleArea: Int64
}

extension QuestionResult {
    /// The answers as stored.
    static func decodeAnswers(_ text: String) -> [Int: SurveyAnswer] {
        Dictionary((SurveyJSON.decode([StoredAnswer].self, text) ?? []).map { ($0.question, SurveyAnswer(choices: $0.choices, text: $0.text)) }) { a, _ in a }
    }
}

/// A survey's result as quoted in a consultation's minutes: the count when the minutes were
/// recorded, kept with the agenda item so the minutes do not change afterwards.
struct SurveyQuote: APIAnswer, Decodable {
    struct Option: Codable, Sendable { let option: String, persons: Int64, area: Int64 }
    struct Question: Codable, Sendable { let text: String, kind: String, persons: Int64, area: Int64, options: [Option], texts: Int64 }
    let surveyId: String, number: String, asOf: String, open: Bool, weighted: Bool, respondents: Int64, eligiblePersons: Int64, area: Int64, eligibleArea: Int64
    let questions: [Question]

    init(_ s: SurveyRecord, _ r: SurveyResults, now: Date) {
        surveyId = s.id.text; number = s.number; asOf = Timestamp.iso(now); open = s.isOpen(now: now); weighted = s.weighted
        respondents = r.respondents; eligiblePersons = r.eligiblePersons; area = r.area; eligibleArea = r.eligibleArea
        questions = r.questions.map { q in
            Question(text: q.question.text, kind: q.question.kind.rawValue, persons: q.persons, area: q.area,
                     options: q.options.map { Option(option: $0.option, persons: $0.persons, area: $0.area) }, texts: Int64(q.texts.count))
        }
    }

    static var schema: Schema {
        .object([.req("surveyId", .uuid), .req("number", .string()), .req("asOf", .dateTime), .req("open", .boolean), .req("weighted", .boolean),
                 .req("respondents", .integer(minimum: 0)), .req("eligiblePersons", .integer(minimum: 0)), .req("area", .integer(minimum: 0)),
                 .req("eligibleArea", .integer(minimum: 0)),
                 .req("questions", .array(.object([.req("text", .string()), .req("kind", .choice(QuestionKind.self)), .req("persons", .integer(minimum: 0)),
                                                    .req("area", .integer(minimum: 0)),
                                                    .req("options", .array(.object([.req("option", .string()), .req("persons", .integer(minimum: 0)),
                                                                                    .req("area", .integer(minimum: 0))]))),
                                                    .req("texts", .integer(minimum: 0))])))])
    }

    /// The quote of survey `id` as it stands now.
    static func of(_ id: UUID, now: Date, on db: any Database) async throws -> SurveyQuote? {
        guard let row = try await db.sql().raw("\(unsafeRaw: SurveyRecord.select)" + " WHERE s.id = \(bind: id)").first() else { return nil }
        let s = try SurveyRecord(row: row)
        return SurveyQuote(s, try await SurveyService.count(id, s.questions, audience: s.audience, on: db), now: now)
    }
}
