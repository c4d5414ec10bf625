import Foundation

/// What a survey question asks for.
public enum QuestionKind: String, RegistryCode, Codable {
    /// One of the options.
    case single
    /// One or more of the options.
    case multiple
    /// Free text.
    case text
}

/// Who a survey (征求意见) asks.
public enum SurveyAudience: String, RegistryCode, Codable {
    /// Owners of the rooms it reaches.
    case owners
    /// Everyone who owns or lives in a room it reaches.
    case residents
}

/// A question as asked.
public struct SurveyQuestion: Sendable, Hashable {
    public var kind: QuestionKind
    public var text: String
    public var options: [String]

    public init(kind: QuestionKind, text: String, options: [String]) { self.kind = kind; self.text = text; self.options = options }
}

/// One person's answer to one question: option indexes for choices, text for free text.
public struct SurveyAnswer: Sendable, Hashable {
    public var choices: [Int]
    public var text: String?

    public init(choices: [Int] = [], text: String? = nil) { self.choices = choices; self.text = text }
}

/// One person's response: their answers by question index and their weight (hundredths of m² of
/// the rooms they own that the survey reaches; 0 for residents who own none).
public struct SurveyResponse: Sendable {
    public var area: Int64
    public var answers: [Int: SurveyAnswer]

    public init(area: Int64, answers: [Int: SurveyAnswer]) { self.area = area; self.answers = answers }
}

/// How many chose an option, by persons and by area.
public struct OptionResult: Sendable, Hashable {
    public var option: String
    public var persons: Int64
    public var area: Int64
}

/// The result of one question: each option's persons and area over those who answered it, and
/// the free-text answers.
public struct QuestionResult: Sendable, Hashable {
    public var question: SurveyQuestion
    public var persons: Int64
    public var area: Int64
    public var options: [OptionResult]
    public var texts: [String]
}

/// The rules of surveys.
public enum SurveyRules {
    public static let maxQuestions = 30
    public static let maxOptions = 20

    /// Problems with the questions, by field (`questions[i].text`, `questions[i].options`).
    public static func questionErrors(_ questions: [SurveyQuestion]) -> [(field: String, code: String, message: String)] {
        var out: [(String, String, String)] = []
        if questions.isEmpty { out.append(("questions", "required", "at least one question")) }
        if questions.count > maxQuestions { out.append(("questions", "too_many", "at most \(maxQuestions) questions")) }
        for (i, q) in questions.enumerated() {
            let text = q.text.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.count > 500 { out.append(("questions[\(i)].text", "required", "the question, at most 500 characters")) }
            let options = q.options.map { $0.trimmingCharacters(in: .whitespaces) }
            switch q.kind {
            case .text:
                if !options.isEmpty { out.append(("questions[\(i)].options", "not_allowed", "a free-text question has no options")) }
            case .single, .multiple:
                if options.count < 2 || options.count > maxOptions {
                    out.append(("questions[\(i)].options", "count", "2 to \(maxOptions) options"))
                } else if options.contains(where: { $0.isEmpty || $0.count > 100 }) {
                    out.append(("questions[\(i)].options", "required", "each option, at most 100 characters"))
                } else if Set(options).count != options.count {
                    out.append(("questions[\(i)].options", "duplicate", "each option once"))
                }
            }
        }
        return out
    }

    /// Problems with one person's answers: every choice question answered with options it has
    /// (one for single choice, distinct ones for multiple choice); free text is optional, at most
    /// 2,000 characters.
    public static func answerErrors(_ questions: [SurveyQuestion], _ answers: [Int: SurveyAnswer]) -> [(field: String, code: String, message: String)] {
        var out: [(String, String, String)] = []
        for i in answers.keys where !questions.indices.contains(i) { out.append(("answers[\(i)]", "unknown_question", "the survey has no question \(i + 1)")) }
        for (i, q) in questions.enumerated() {
            let a = answers[i] ?? SurveyAnswer()
            let field = "answers[\(i)]"
            switch q.kind {
            case .text:
                if (a.text ?? "").count > 2000 { out.append((field, "too_long", "at most 2,000 characters")) }
                if !a.choices.isEmpty { out.append((field, "not_allowed", "a free-text question takes text")) }
            case .single, .multiple:
                if a.choices.isEmpty { out.append((field, "required", "choose an option")); continue }
                if a.choices.contains(where: { !q.options.indices.contains($0) }) { out.append((field, "unknown_option", "an option of the question")); continue }
                if q.kind == .single && a.choices.count != 1 { out.append((field, "one_only", "choose one option")) }
                if Set(a.choices).count != a.choices.count { out.append((field, "duplicate", "each option once")) }
            }
        }
        return out
    }

    /// Counts the responses per question and option, by persons and by area (area counts only
    /// owners' rooms). A question's base is those who answered it.
    public static func tally(_ questions: [SurveyQuestion], _ responses: [SurveyResponse]) -> [QuestionResult] {
        questions.enumerated().map { i, q in
            var r = QuestionResult(question: q, persons: 0, area: 0, options: q.options.map { OptionResult(option: $0, persons: 0, area: 0) }, texts: [])
            for response in responses {
                guard let a = response.answers[i] else { continue }
                if q.kind == .text {
                    if let t = a.text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty { r.texts.append(t); r.persons += 1; r.area += response.area }
                    continue
                }
                guard !a.choices.isEmpty else { continue }
                r.persons += 1; r.area += response.area
                for c in Set(a.choices) where r.options.indices.contains(c) { r.options[c].persons += 1; r.options[c].area += response.area }
            }
            return r
        }
    }

    /// The longest a survey may run.
    public static let maxDays = 90

    /// Problems with when a survey closes: at least an hour from now, at most `maxDays` days.
    public static func periodErrors(now: Date, closesAt: Date) -> [(field: String, code: String, message: String)] {
        if closesAt < now.addingTimeInterval(3600) { return [("closesAt", "too_soon", "at least an hour from now")] }
        if closesAt > now.addingTimeInterval(Double(maxDays) * 86_400) { return [("closesAt", "too_late", "at most \(maxDays) days from now")] }
        return []
    }

    /// Whether someone sees the results: those who run the survey (and may post in its compound)
    /// at any time, everyone it asks once it has closed.
    public static func seesResults(runs: Bool, closed: Bool) -> Bool { runs || closed }

    /// Whether answers are taken: before it closes, and not closed early.
    public static func isOpen(closesAt: Date, closedAt: Date?, now: Date) -> Bool { closedAt == nil && now < closesAt }

    /// Whether someone may answer: owners of rooms it reaches, and for a residents' survey also
    /// those who live in one.
    public static func mayAnswer(_ audience: SurveyAudience, ownsRoom: Bool, livesInRoom: Bool) -> Bool {
        ownsRoom || (audience == .residents && livesInRoom)
    }

    /// The option(s) with the most persons for a choice question ("" when none answered).
    public static func leading(_ r: QuestionResult) -> [String] {
        let top = r.options.map(\.persons).max() ?? 0
        return top == 0 ? [] : r.options.filter { $0.persons == top }.map(\.option)
    }
}
