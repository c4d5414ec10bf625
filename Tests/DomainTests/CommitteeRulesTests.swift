import Domain
import Foundation
import Testing

@Suite("Committees' life cycle and the 物管会: thresholds and time limits at their boundaries")
struct CommitteeRulesTests {
    let day = CivilDate(year: 2026, month: 3, day: 1)

    @Test("an owners' request needs a fifth of the owners or of the area; either suffices")
    func request() {
        #expect(CommitteeRules.requestMeets(persons: 20, ofPersons: 100, area: 0, ofArea: 10_000))
        #expect(!CommitteeRules.requestMeets(persons: 19, ofPersons: 100, area: 1_999, ofArea: 10_000))
        #expect(CommitteeRules.requestMeets(persons: 19, ofPersons: 100, area: 2_000, ofArea: 10_000))
        #expect(!CommitteeRules.requestMeets(persons: 0, ofPersons: 0, area: 0, ofArea: 0))
        let third = CommitteeSettings(requestShare: Ratio(1, 3))
        #expect(!CommitteeRules.requestMeets(persons: 33, ofPersons: 100, area: 0, ofArea: 1, third))
        #expect(CommitteeRules.requestMeets(persons: 34, ofPersons: 100, area: 0, ofArea: 1, third))
    }

    @Test("the street forms the group within 60 days; the 60th is in time, the 61st late")
    func preparatoryDeadline() {
        #expect(CommitteeRules.preparatoryDeadline(triggeredOn: day) == CivilDate(year: 2026, month: 4, day: 30))
        #expect(!CommitteeRules.isPreparatoryOverdue(triggeredOn: day, formedOn: day.adding(days: 60), today: day.adding(days: 90)))
        #expect(CommitteeRules.isPreparatoryOverdue(triggeredOn: day, formedOn: day.adding(days: 61), today: day.adding(days: 90)))
        #expect(!CommitteeRules.isPreparatoryOverdue(triggeredOn: day, formedOn: nil, today: day.adding(days: 60)))
        #expect(CommitteeRules.isPreparatoryOverdue(triggeredOn: day, formedOn: nil, today: day.adding(days: 61)))
        #expect(CommitteeRules.postingDeadline(formedOn: day) == day.adding(days: 7))
    }

    @Test("owners are at least two thirds of the group: 4 of 6 is enough, 4 of 7 is not; a leader among them")
    func preparatoryGroup() {
        #expect(CommitteeRules.preparatoryErrors(members: [true, true, true, true, false, false], leader: 0).isEmpty)
        #expect(CommitteeRules.preparatoryErrors(members: [true, true, true, true, false, false, false], leader: 0).map(\.code) == ["owners_share"])
        #expect(CommitteeRules.preparatoryErrors(members: [true, true, false], leader: 3).map(\.code) == ["required"])
        #expect(CommitteeRules.preparatoryErrors(members: [true, true], leader: 0).map(\.code) == ["too_few"])
    }

    @Test("5 to 11 members, an odd number, all owners; a term of at most five years")
    func committee() {
        #expect(CommitteeRules.committeeErrors(members: Array(repeating: true, count: 5)).isEmpty)
        #expect(CommitteeRules.committeeErrors(members: Array(repeating: true, count: 11)).isEmpty)
        #expect(CommitteeRules.committeeErrors(members: Array(repeating: true, count: 4)).map(\.code) == ["count"])
        #expect(CommitteeRules.committeeErrors(members: Array(repeating: true, count: 13)).map(\.code) == ["count"])
        #expect(CommitteeRules.committeeErrors(members: Array(repeating: true, count: 6)).map(\.code) == ["even"])
        #expect(CommitteeRules.committeeErrors(members: [true, true, true, true, false]).map(\.code) == ["not_owner"])
        #expect(CommitteeRules.latestTermEnd(start: day) == CivilDate(year: 2031, month: 2, day: 28))
        #expect(CommitteeRules.latestTermEnd(start: CivilDate(year: 2024, month: 2, day: 29)) == CivilDate(year: 2029, month: 2, day: 27))
        #expect(CommitteeRules.termErrors(start: day, end: CivilDate(year: 2031, month: 2, day: 28)).isEmpty)
        #expect(CommitteeRules.termErrors(start: day, end: CivilDate(year: 2031, month: 3, day: 1)).map(\.code) == ["too_long"])
        #expect(CommitteeRules.termErrors(start: day, end: day.adding(days: -1)).map(\.code) == ["before_start"])
    }

    @Test("filing within 30 days; reminders at 90 and 30 days before the term ends")
    func filingAndReminders() {
        #expect(!CommitteeRules.isFilingOverdue(electedOn: day, filedOn: day.adding(days: 30), today: day.adding(days: 40)))
        #expect(CommitteeRules.isFilingOverdue(electedOn: day, filedOn: nil, today: day.adding(days: 31)))
        let end = CivilDate(year: 2026, month: 12, day: 31)
        #expect(CommitteeRules.reminder(termEnd: end, today: end.adding(days: -91)) == nil)
        #expect(CommitteeRules.reminder(termEnd: end, today: end.adding(days: -90)) == 90)
        #expect(CommitteeRules.reminder(termEnd: end, today: end.adding(days: -31)) == 90)
        #expect(CommitteeRules.reminder(termEnd: end, today: end.adding(days: -30)) == 30)
        #expect(CommitteeRules.reminder(termEnd: end, today: end) == 30)
        #expect(CommitteeRules.reminder(termEnd: end, today: end.adding(days: 1)) == nil)
    }

    @Test("stages move forward one at a time, or are given up before election")
    func stages() {
        #expect(CommitteeRules.mayMove(from: .triggered, to: .preparing))
        #expect(!CommitteeRules.mayMove(from: .triggered, to: .electing))
        #expect(!CommitteeRules.mayMove(from: .elected, to: .abandoned))
        #expect(!CommitteeRules.mayMove(from: .filed, to: .preparing))
    }

    @Test("物管会: one chair, one vice-chair, owner representatives more than half; a third may demand a meeting; double-majority quorum; decisions by more than half signing")
    func managementCommittee() {
        let seats: [ManagementSeat] = [.chair, .viceChair, .ownerRepresentative, .ownerRepresentative, .other]
        #expect(ManagementCommitteeRules.compositionErrors(seats).isEmpty)
        #expect(ManagementCommitteeRules.compositionErrors([.chair, .viceChair, .ownerRepresentative, .other, .other, .other]).map(\.code) == ["owners_share"])
        #expect(ManagementCommitteeRules.compositionErrors([.viceChair, .ownerRepresentative, .ownerRepresentative]).map(\.code) == ["one_chair"])
        #expect(!ManagementCommitteeRules.mustCall(requests: 2, members: 7))
        #expect(ManagementCommitteeRules.mustCall(requests: 3, members: 9))
        #expect(!ManagementCommitteeRules.mustCall(requests: 2, members: 9 - 2))
        // 9 members, 5 of them owner representatives
        #expect(ManagementCommitteeRules.isQuorate(present: 5, members: 9, ownerRepsPresent: 3, ownerReps: 5))
        #expect(!ManagementCommitteeRules.isQuorate(present: 4, members: 8, ownerRepsPresent: 3, ownerReps: 5))
        #expect(!ManagementCommitteeRules.isQuorate(present: 6, members: 9, ownerRepsPresent: 2, ownerReps: 4))
        #expect(ManagementCommitteeRules.decisionPasses(signatures: 5, members: 9))
        #expect(!ManagementCommitteeRules.decisionPasses(signatures: 4, members: 8))
        let held = CivilDate(year: 2026, month: 12, day: 1)
        #expect(!ManagementCommitteeRules.isPostedLate(heldOn: held, postedOn: held.adding(days: 3)))
        #expect(ManagementCommitteeRules.isPostedLate(heldOn: held, postedOn: held.adding(days: 4)))
        #expect(NoticeRules.until(.committeeMinutes, postedOn: held) == held.adding(days: 9))
    }
}
