import Domain
import Foundation
import Testing

@Suite("Notices: validity, reach, who posts and edits, system notices")
struct NoticeRulesTests {
    let d = { (s: String) in CivilDate(s)! }
    let district = UUID(), street = UUID(), community = UUID(), compound = UUID(), company = UUID()
    var place: NoticePlace { NoticePlace(districtId: district, streetId: street, communityId: community, compoundId: compound, servingCompany: company) }
    func actor(_ role: Role, _ scope: UUID) -> Actor { Actor(kind: .user, id: UUID(), label: "x", grants: [Grant(role: role, scopeId: scope)]) }

    @Test("a notice is up from its first through its last day, and not once withdrawn")
    func current() {
        #expect(NoticeRules.isCurrent(from: d("2026-12-01"), until: d("2026-12-10"), withdrawn: false, today: d("2026-12-01")))
        #expect(NoticeRules.isCurrent(from: d("2026-12-01"), until: d("2026-12-10"), withdrawn: false, today: d("2026-12-10")))
        #expect(!NoticeRules.isCurrent(from: d("2026-12-01"), until: d("2026-12-10"), withdrawn: false, today: d("2026-12-11")))
        #expect(!NoticeRules.isCurrent(from: d("2026-12-01"), until: d("2026-12-10"), withdrawn: false, today: d("2026-11-30")))
        #expect(!NoticeRules.isCurrent(from: d("2026-12-01"), until: d("2026-12-10"), withdrawn: true, today: d("2026-12-05")))
    }

    @Test("a period ends on or after it starts and lasts at most 366 days")
    func period() {
        #expect(NoticeRules.periodErrors(from: d("2026-12-01"), until: d("2026-12-01")).isEmpty)
        #expect(NoticeRules.periodErrors(from: d("2026-12-02"), until: d("2026-12-01")).map(\.code) == ["before_start"])
        #expect(NoticeRules.periodErrors(from: d("2026-01-01"), until: d("2027-01-01")).isEmpty)      // 366 days
        #expect(NoticeRules.periodErrors(from: d("2026-01-01"), until: d("2027-01-02")).map(\.code) == ["too_long"])
    }

    @Test("a 物管会's minutes stay up 10 days counting the posting day; results, payments and a new company 30; plans and member lists 15")
    func systemDays() {
        #expect(NoticeRules.until(.committeeMinutes, postedOn: d("2026-12-01")) == d("2026-12-10"))
        #expect(NoticeRules.until(.decisionResult, postedOn: d("2026-12-01")) == d("2026-12-30"))
        #expect(NoticeRules.until(.companyChange, postedOn: d("2026-02-20")) == d("2026-03-21"))
        #expect(NoticeRules.days(.fundPlan) == 15 && NoticeRules.days(.preparatoryGroup) == 15 && NoticeRules.days(.fundPayment) == 30)
    }

    @Test("a compound notice reaches every room; a building's only its rooms; an entrance's only that entrance")
    func reach() {
        let b1 = UUID(), b2 = UUID(), e1 = UUID(), e2 = UUID()
        #expect(NoticeRules.reaches(building: nil, entrance: nil, roomBuilding: b2, roomEntrance: e2))
        #expect(NoticeRules.reaches(building: b1, entrance: nil, roomBuilding: b1, roomEntrance: e2))
        #expect(!NoticeRules.reaches(building: b1, entrance: nil, roomBuilding: b2, roomEntrance: e2))
        #expect(NoticeRules.reaches(building: b1, entrance: e1, roomBuilding: b1, roomEntrance: e1))
        #expect(!NoticeRules.reaches(building: b1, entrance: e1, roomBuilding: b1, roomEntrance: e2))
    }

    @Test("staff post as the community, the compound's committee as the committee, the serving company as the company; nobody as the system")
    func authorships() {
        #expect(NoticeRules.authorships(actor(.communityStaff, community), place) == [.community])
        #expect(NoticeRules.authorships(actor(.streetStaff, street), place) == [.community])
        #expect(NoticeRules.authorships(actor(.districtAdmin, district), place) == [.community])
        #expect(NoticeRules.authorships(actor(.committeeMember, compound), place) == [.committee])
        #expect(NoticeRules.authorships(actor(.committeeMember, UUID()), place).isEmpty)
        #expect(NoticeRules.authorships(actor(.companyStaff, company), place) == [.company])
        #expect(NoticeRules.authorships(actor(.companyStaff, UUID()), place).isEmpty)
        #expect(NoticeRules.authorships(actor(.owner, UUID()), place).isEmpty)
        #expect(NoticeRules.authorships(actor(.communityStaff, UUID()), place).isEmpty)
    }

    @Test("an author's own kind edits; a system notice nobody, not even the district")
    func editing() {
        #expect(NoticeRules.mayEdit(actor(.companyStaff, company), author: .company, place))
        #expect(!NoticeRules.mayEdit(actor(.companyStaff, company), author: .committee, place))
        #expect(!NoticeRules.mayEdit(actor(.districtAdmin, district), author: .system, place))
        #expect(!NoticeRules.mayEdit(Actor.system("cli"), author: .system, place))
        #expect(NoticeRules.mayEdit(actor(.streetStaff, street), author: .community, place))
    }
}
