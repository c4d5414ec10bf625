import Domain
import Foundation
import Testing

@Suite("Consultations: the five parties, overdue items, monthly schedules, who sees a meeting")
struct ConsultationRulesTests {
    let d = { (s: String) in CivilDate(s)! }
    let district = UUID(), street = UUID(), community = UUID(), compound = UUID(), company = UUID()

    @Test("a meeting is five-party only when each of the five signed in; departments and others do not replace one")
    func fiveParties() {
        #expect(ConsultationRules.isFiveParty(attended: Set(SeatParty.five)))
        #expect(ConsultationRules.isFiveParty(attended: Set(SeatParty.five + [.department])))
        #expect(!ConsultationRules.isFiveParty(attended: [.partyCommittee, .residentsCommittee, .company, .ownersCommittee, .department, .other]))
        #expect(ConsultationRules.missing(attended: [.partyCommittee, .company]) == [.residentsCommittee, .ownersCommittee, .residents])
        #expect(ConsultationRules.missing(attended: []) == SeatParty.five)
    }

    @Test("an open item is overdue the day after its due date; a done one never")
    func overdue() {
        #expect(!ConsultationRules.isOverdue(due: d("2026-11-30"), status: .open, today: d("2026-11-30")))
        #expect(ConsultationRules.isOverdue(due: d("2026-11-30"), status: .open, today: d("2026-12-01")))
        #expect(!ConsultationRules.isOverdue(due: d("2026-11-01"), status: .done, today: d("2026-12-01")))
    }

    @Test("monthly meetings fall on the same day, or the month's last when it is shorter, across the year's end")
    func schedule() {
        #expect(ConsultationRules.schedule(after: d("2026-11-15"), every: 1, count: 3) == [d("2026-12-15"), d("2027-01-15"), d("2027-02-15")])
        #expect(ConsultationRules.schedule(after: d("2026-01-31"), every: 1, count: 3) == [d("2026-02-28"), d("2026-03-31"), d("2026-04-30")])
        #expect(ConsultationRules.schedule(after: d("2027-12-31"), every: 2, count: 1) == [d("2028-02-29")])
        #expect(ConsultationRules.schedule(after: d("2026-11-15"), every: 1, count: 0).isEmpty)
    }

    func place(published: Bool = false, holder: Bool = false) -> ConsultationPlace {
        ConsultationPlace(districtId: district, streetId: street, communityId: community, compounds: [compound], seatedCompanies: [company],
                          published: published, holderOfCompound: holder)
    }

    func actor(_ role: Role, _ scope: UUID) -> Actor { Actor(kind: .user, id: UUID(), label: "x", grants: [Grant(role: role, scopeId: scope)]) }

    @Test("staff run it; a seated company and the compound's committee read it all; residents the published summary only")
    func standing() {
        #expect(ConsultationRules.standing(actor(.communityStaff, community), place()) == ConsultationStanding(runs: true, seesAll: true, seesSummary: true))
        #expect(ConsultationRules.standing(actor(.streetStaff, street), place()).runs)
        #expect(!ConsultationRules.standing(actor(.communityStaff, UUID()), place()).seesSummary)
        #expect(ConsultationRules.standing(actor(.companyStaff, company), place()) == ConsultationStanding(runs: false, seesAll: true, seesSummary: true))
        #expect(!ConsultationRules.standing(actor(.companyStaff, UUID()), place()).seesSummary)
        #expect(ConsultationRules.standing(actor(.committeeMember, compound), place()).seesAll)
        #expect(ConsultationRules.standing(actor(.owner, UUID()), place(published: false, holder: true)) == ConsultationStanding())
        #expect(ConsultationRules.standing(actor(.owner, UUID()), place(published: true, holder: true)) == ConsultationStanding(runs: false, seesAll: false, seesSummary: true))
        #expect(!ConsultationRules.standing(actor(.resident, UUID()), place(published: true, holder: false)).seesSummary)
    }
}
