import Domain
import Foundation
import Testing

@Suite("Assessment: inspections, scorecards and the red and black lists")
struct AssessmentRulesTests {
    @Test("the standard checklist covers DB11/T 751's seven sections and party building for exactly 100 points")
    func standardChecklist() {
        let items = InspectionRules.standard
        #expect(InspectionRules.problems(items).isEmpty)
        #expect(items.reduce(0) { $0 + $1.weight } == 10_000)
        #expect(Set(items.map(\.section)) == Set(InspectionSection.allCases))
        #expect(items.filter { $0.section == .partyBuilding }.reduce(0) { $0 + $1.weight } == 1_000)
    }

    @Test("a checklist with a missing section, a duplicate code or weights off 100 is refused, field by field")
    func checklistProblems() {
        var items = InspectionRules.standard.filter { $0.section != .renovation }
        var codes = InspectionRules.problems(items).map(\.code)
        #expect(codes.contains("missing_section") && codes.contains("total_not_100"))
        items = InspectionRules.standard
        items[1].code = items[0].code
        items[2].deduction = items[2].weight + 1
        let problems = InspectionRules.problems(items)
        #expect(problems.contains(FieldError(field: "items[1].code", code: "duplicate", message: "the code B1 is used twice")))
        #expect(problems.contains { $0.field == "items[2].deduction" && $0.code == "out_of_range" })
        // Moving a point from one item to another keeps the total: accepted.
        items = InspectionRules.standard
        items[0].weight -= 100; items[1].weight += 100
        codes = InspectionRules.problems(items).map(\.code)
        #expect(codes.isEmpty)
    }

    @Test("a deduction is per finding and never more than the item's weight")
    func deductions() {
        let item = ChecklistItem(code: "F1", section: .fireSafety, text: "消防通道畅通", weight: 600, deduction: 300)
        #expect(InspectionRules.deducted(item, findings: 0) == 0)
        #expect(InspectionRules.deducted(item, findings: 1) == 300)
        #expect(InspectionRules.deducted(item, findings: 2) == 600)
        #expect(InspectionRules.deducted(item, findings: 3) == 600)
        #expect(InspectionRules.deducted(item, findings: Int64.max) == 600)
        let party = ChecklistItem(code: "P1", section: .partyBuilding, text: "党员亮身份", weight: 400, deduction: 200)
        let s = InspectionRules.score([InspectionFinding(item: item, findings: 1), InspectionFinding(item: party, findings: 1)])
        #expect(s.serviceEarned == 300 && s.serviceWeight == 600 && s.partyEarned == 200 && s.partyWeight == 400 && s.total == 500)
        #expect(s.deductedBySection == [.fireSafety: 300, .partyBuilding: 200])
        #expect(InspectionSection.cleaning.requestCategory == .sanitation && InspectionSection.partyBuilding.requestCategory == nil)
    }

    @Test("periods: months, quarters and years parse, hold their months and step back")
    func periods() {
        let q = AssessmentPeriod("2026-Q3")
        #expect(q == .quarter(2026, 3) && q?.months == ["2026-07", "2026-08", "2026-09"])
        #expect(q?.days.from == CivilDate(year: 2026, month: 7, day: 1) && q?.days.to == CivilDate(year: 2026, month: 10, day: 1))
        #expect(AssessmentPeriod("2026-12")?.days.to == CivilDate(year: 2027, month: 1, day: 1))
        #expect(AssessmentPeriod("2026")?.months.count == 12)
        for bad in ["2026-13", "2026-Q5", "2026-Q0", "26-01", "2026-1", "2026-07-01", "", "abcd"] { #expect(AssessmentPeriod(bad) == nil, "\(bad)") }
        #expect(AssessmentPeriod.quarter(2026, 1).previous == .quarter(2025, 4))
        #expect(AssessmentPeriod.of("quarter", day: CivilDate(year: 2026, month: 11, day: 30)) == .quarter(2026, 4))
        #expect(AssessmentPeriod.quarter(2026, 3).description == "2026-Q3")
    }

    /// A compound's third quarter, worked by hand (weights 50/25/15/10; response 30, resolution 35):
    /// July — one inspection, service 87/90, party 10/10; 4 requests due, 3 in time; 2 rated, both
    /// resolved, satisfied + basically satisfied (180). August — two inspections, service 90/90 and
    /// 81/90, party 8/10 and 10/10; 2 due, 2 in time; 2 rated, 1 resolved, satisfied + dissatisfied
    /// (100). September — no inspection; 4 due, 4 in time; none rated.
    static func month(_ inspections: Int64, _ service: Int64, _ party: Int64, due: Int64, inTime: Int64, rated: Int64, resolved: Int64, score: Int64) -> ScoreInputs {
        var x = ScoreInputs()
        x.inspections = inspections; x.serviceEarned = service; x.serviceWeight = 9_000 * inspections
        x.partyEarned = party; x.partyWeight = 1_000 * inspections
        x.rates = RateCounts(dispatched: due, respondedInTime: inTime, rated: rated, resolved: resolved, scoreSum: score)
        return x
    }
    static let july = month(1, 8_700, 1_000, due: 4, inTime: 3, rated: 2, resolved: 2, score: 180)
    static let august = month(2, 17_100, 1_800, due: 2, inTime: 2, rated: 2, resolved: 1, score: 100)
    static let september = month(0, 0, 0, due: 4, inTime: 4, rated: 0, resolved: 0, score: 0)

    @Test("a hand-worked quarter: the parts and the total are the exact fractions")
    func handWorkedQuarter() {
        let quarter = Self.july + Self.august + Self.september
        let card = ScorecardRules.score(quarter, weights: .standard)
        // Service 258/270 = 860/9; party 28/30 = 280/3; requests (30·9/10 + 35·3/4)·100/65 = 1065/13; residents 280/4 = 70.
        #expect(card.inspection == ExactScore(860, 9))
        #expect(card.party == ExactScore(280, 3))
        #expect(card.requests == ExactScore(1_065, 13))
        #expect(card.residents == ExactScore(70, 1))
        // (50·860/9 + 25·1065/13 + 15·70 + 10·280/3) / 100 = 1030675/11700 = 41227/468 ≈ 88.09.
        #expect(card.total == ExactScore(41_227, 468))
        #expect(card.total?.numerator == 41_227 && card.total?.denominator == 468)
        #expect(card.total?.hundredths == 8_809)
        #expect(card.total?.isAtLeast(hundredths: 8_809) == true && card.total?.isAtLeast(hundredths: 8_810) == false)
        // July alone: (50·290/3 + 25·1150/13 + 15·90 + 10·100) / 100 = 3664/39 ≈ 93.95.
        #expect(ScorecardRules.score(Self.july, weights: .standard).total == ExactScore(3_664, 39))
        #expect(ScorecardRules.score(Self.july, weights: .standard).total?.hundredths == 9_395)
    }

    @Test("a part with nothing to count is left out and the others carry the score")
    func missingParts() {
        // September: only responses, all in time → 100 from the requests part alone.
        let card = ScorecardRules.score(Self.september, weights: .standard)
        #expect(card.inspection == nil && card.residents == nil && card.party == nil)
        #expect(card.requests == ExactScore(100, 1) && card.total == ExactScore(100, 1))
        // … but without an inspection it is not ranked.
        #expect(!card.isRanked && ScorecardRules.score(Self.july, weights: .standard).isRanked)
        #expect(ScorecardRules.score(ScoreInputs(), weights: .standard).total == nil)
        // A street that weighs only inspections scores July by its inspection.
        let onlyInspection = ScoreWeights(inspection: 100, requests: 0, residents: 0, party: 0)
        #expect(onlyInspection.problems.isEmpty)
        #expect(ScorecardRules.score(Self.july, weights: onlyInspection).total == ExactScore(290, 3))
        #expect(ScoreWeights(inspection: 50, requests: 25, residents: 15, party: 11).problems.map(\.code) == ["total_not_100"])
        #expect(ScoreWeights(inspection: -1, requests: 25, residents: 15, party: 61).problems.map(\.field) == ["inspection"])
    }

    @Test("counts far beyond any street's neither trap nor drift: the score stays within a trillionth of a point")
    func hugeCounts() {
        // Coprime, enormous denominators make the exact common denominator overflow 128 bits.
        var x = ScoreInputs()
        x.inspections = 1; x.serviceEarned = 8_999_999_999_999_999_989; x.serviceWeight = 9_000_000_000_000_000_001
        x.partyEarned = 999_999_999_999_999_997; x.partyWeight = 1_000_000_000_000_000_003
        x.rates = RateCounts(dispatched: 9_000_000_000_000_000_007, respondedInTime: 8_000_000_000_000_000_011, rated: 7_000_000_000_000_000_009,
                             resolved: 6_000_000_000_000_000_017, scoreSum: 600_000_000_000_000_000)
        let card = ScorecardRules.score(x, weights: .standard)
        let total = card.total!
        // Inspection and party ≈ 100; requests (30·88.889 + 35·85.714)/65 ≈ 87.179; residents 6·10¹⁷/7·10¹⁸ ≈ 0.086 points
        // → (50·100 + 25·87.179 + 15·0.086 + 10·100)/100 ≈ 81.808.
        #expect(total.hundredths == 8_181, "\(total)")
        #expect(total.isAtLeast(hundredths: 8_180) && !total.isAtLeast(hundredths: 8_181))
        #expect(card.requests!.hundredths == 8_718 && card.residents!.hundredths == 9)
        #expect(card.inspection! > ExactScore(99_999, 1_000) && card.inspection! < ExactScore(100, 1))
    }

    @Test("scores just either side of a line are told apart exactly")
    func exactThresholds() {
        // 2/3 of 100 points: 66.666…, rounds to 66.67 but is below 66.67.
        let s = ExactScore(200, 3)
        #expect(s.hundredths == 6_667 && !s.isAtLeast(hundredths: 6_667) && s.isAtLeast(hundredths: 6_666))
        #expect(ExactScore(7_000, 100).isAtLeast(hundredths: 7_000))
        #expect(ExactScore(1, 3) < ExactScore(334, 1_000) && ExactScore(2, 6) == ExactScore(1, 3))
    }

    static func score(_ points: Int64) -> ExactScore { ExactScore(Int128(points), 100) }

    @Test("lists: black by any trigger first, red the top N at or above the minimum with ties kept")
    func lists() {
        let ids = (0..<7).map { _ in UUID() }
        let candidates = [
            ListCandidate(id: ids[0], name: "甲", score: Self.score(9_500), months: [("2026-07", Self.score(9_500))]),
            ListCandidate(id: ids[1], name: "乙", score: Self.score(9_500), months: []),
            ListCandidate(id: ids[2], name: "丙", score: Self.score(9_200), months: []),
            ListCandidate(id: ids[3], name: "丁", score: Self.score(9_900), months: [], hazards: 1),
            ListCandidate(id: ids[4], name: "戊", score: Self.score(6_999), months: [], whistleMisses: 2),
            ListCandidate(id: ids[5], name: "己", score: Self.score(8_500), months: [("2026-07", Self.score(9_000)), ("2026-08", Self.score(5_999))]),
            ListCandidate(id: ids[6], name: "庚", score: nil, months: []),
        ]
        let rules = ListRules(redTop: 2, redMinimum: 9_000, blackBelow: 7_000, monthFloor: 6_000)
        #expect(rules.problems.isEmpty)
        let placed = HonourListRules.place(candidates, rules: rules)
        let red = placed.filter { $0.list == .red }, black = placed.filter { $0.list == .black }
        // 甲 and 乙 tie at 95 for first; 丙 is third, outside the top 2; 丁 scores best but hid a hazard.
        #expect(red.map(\.id) == [ids[1], ids[0]] || red.map(\.id) == [ids[0], ids[1]])
        #expect(red.map(\.rank) == [1, 1])
        #expect(Set(black.map(\.id)) == [ids[3], ids[4], ids[5]])
        #expect(black.first { $0.id == ids[3] }?.triggers == [.unreportedHazard(1)])
        #expect(black.first { $0.id == ids[4] }?.triggers == [.whistleNotReported(2), .scoreBelow])
        #expect(black.first { $0.id == ids[5] }?.triggers == [.monthBelowFloor("2026-08")])
        #expect(!placed.contains { $0.id == ids[6] })
        // The lowest score heads the black list.
        #expect(black.first?.id == ids[4])
        // A top 3 takes 丙 too; exactly 70.00 and exactly 90.00 are on the right side of their lines.
        let three = HonourListRules.place(candidates, rules: ListRules(redTop: 3, redMinimum: 9_000, blackBelow: 7_000, monthFloor: 6_000))
        #expect(three.filter { $0.list == .red }.map(\.rank) == [1, 1, 3])
        let edge = HonourListRules.place([ListCandidate(id: ids[0], name: "甲", score: Self.score(9_000), months: []),
                                          ListCandidate(id: ids[1], name: "乙", score: Self.score(7_000), months: [("2026-07", Self.score(6_000))])], rules: rules)
        #expect(edge.map(\.list) == [.red])
        #expect(ListRules(redTop: 3, redMinimum: 6_000, blackBelow: 7_000, monthFloor: 6_000).problems.map(\.field) == ["blackBelow"])
    }
}
