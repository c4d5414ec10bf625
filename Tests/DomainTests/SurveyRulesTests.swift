import Domain
import Foundation
import Testing

@Suite("Surveys: questions, answers, the count by persons and by area")
struct SurveyRulesTests {
    let single = SurveyQuestion(kind: .single, text: "是否同意加装电梯", options: ["同意", "不同意", "无所谓"])
    let multiple = SurveyQuestion(kind: .multiple, text: "最关心的问题", options: ["停车", "绿化", "保洁"])
    let free = SurveyQuestion(kind: .text, text: "其他意见", options: [])

    @Test("questions need text; choices 2 to 20 distinct options; free text none")
    func questions() {
        #expect(SurveyRules.questionErrors([single, multiple, free]).isEmpty)
        #expect(SurveyRules.questionErrors([]).map(\.code) == ["required"])
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .single, text: "x", options: ["a"])]).map(\.field) == ["questions[0].options"])
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .single, text: "x", options: (1...21).map(String.init))]).map(\.code) == ["count"])
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .single, text: "x", options: (1...20).map(String.init))]).isEmpty)
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .multiple, text: "x", options: ["a", "a"])]).map(\.code) == ["duplicate"])
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .text, text: "x", options: ["a"])]).map(\.code) == ["not_allowed"])
        #expect(SurveyRules.questionErrors([SurveyQuestion(kind: .text, text: " ", options: [])]).map(\.field) == ["questions[0].text"])
    }

    @Test("every choice question answered with its own options, one for single choice; free text optional")
    func answers() {
        let qs = [single, multiple, free]
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [0]), 1: .init(choices: [0, 2])]).isEmpty)
        #expect(SurveyRules.answerErrors(qs, [1: .init(choices: [0])]).map(\.field) == ["answers[0]"])
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [0, 1]), 1: .init(choices: [0])]).map(\.code) == ["one_only"])
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [3]), 1: .init(choices: [0])]).map(\.code) == ["unknown_option"])
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [0]), 1: .init(choices: [1, 1])]).map(\.code) == ["duplicate"])
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [0]), 1: .init(choices: [1]), 5: .init(choices: [0])]).map(\.code) == ["unknown_question"])
        #expect(SurveyRules.answerErrors(qs, [0: .init(choices: [0]), 1: .init(choices: [1]), 2: .init(text: String(repeating: "字", count: 2001))]).map(\.code) == ["too_long"])
    }

    @Test("a hand-counted survey: three owners and a tenant, by persons and by owned area")
    func tally() {
        let responses = [
            SurveyResponse(area: 8_950, answers: [0: .init(choices: [0]), 1: .init(choices: [0, 1]), 2: .init(text: "尽快")]),
            SurveyResponse(area: 12_000, answers: [0: .init(choices: [1]), 1: .init(choices: [0])]),
            SurveyResponse(area: 6_025, answers: [0: .init(choices: [0]), 1: .init(choices: [2]), 2: .init(text: "  ")]),
            SurveyResponse(area: 0, answers: [0: .init(choices: [0]), 1: .init(choices: [0])]),
        ]
        let r = SurveyRules.tally([single, multiple, free], responses)
        #expect(r[0].persons == 4 && r[0].area == 26_975)
        #expect(r[0].options.map(\.persons) == [3, 1, 0])
        #expect(r[0].options.map(\.area) == [14_975, 12_000, 0])   // by area the two sides are 149.75 m² to 120.00 m²
        #expect(r[1].options.map(\.persons) == [3, 1, 1] && r[1].options.map(\.area) == [20_950, 8_950, 6_025])
        #expect(r[2].texts == ["尽快"] && r[2].persons == 1)
        #expect(SurveyRules.leading(r[0]) == ["同意"])
        #expect(SurveyRules.leading(SurveyRules.tally([single], [])[0]).isEmpty)
    }

    @Test("open until it closes or is closed early; owners answer every survey, tenants only residents' ones")
    func openAndWho() {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(SurveyRules.isOpen(closesAt: t, closedAt: nil, now: t.addingTimeInterval(-1)))
        #expect(!SurveyRules.isOpen(closesAt: t, closedAt: nil, now: t))
        #expect(!SurveyRules.isOpen(closesAt: t, closedAt: t.addingTimeInterval(-60), now: t.addingTimeInterval(-30)))
        #expect(SurveyRules.mayAnswer(.owners, ownsRoom: true, livesInRoom: false))
        #expect(!SurveyRules.mayAnswer(.owners, ownsRoom: false, livesInRoom: true))
        #expect(SurveyRules.mayAnswer(.residents, ownsRoom: false, livesInRoom: true))
        #expect(!SurveyRules.mayAnswer(.residents, ownsRoom: false, livesInRoom: false))
    }

    @Test("a survey closes between an hour and 90 days from now; results to those who run it, to everyone once closed")
    func period() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(SurveyRules.periodErrors(now: now, closesAt: now.addingTimeInterval(3599)).map(\.code) == ["too_soon"])
        #expect(SurveyRules.periodErrors(now: now, closesAt: now.addingTimeInterval(3600)).isEmpty)
        #expect(SurveyRules.periodErrors(now: now, closesAt: now.addingTimeInterval(90 * 86_400)).isEmpty)
        #expect(SurveyRules.periodErrors(now: now, closesAt: now.addingTimeInterval(90 * 86_400 + 1)).map(\.code) == ["too_late"])
        #expect(SurveyRules.seesResults(runs: true, closed: false))
        #expect(!SurveyRules.seesResults(runs: false, closed: false))
        #expect(SurveyRules.seesResults(runs: false, closed: true))
    }
}
