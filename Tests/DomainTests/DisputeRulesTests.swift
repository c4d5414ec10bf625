import Domain
import Foundation
import Testing

@Suite("Disputes: states, who runs, mediates and sees one, the monthly figures")
struct DisputeRulesTests {
    let d = { (s: String) in CivilDate(s)! }
    let district = UUID(), street = UUID(), community = UUID(), compound = UUID(), company = UUID()

    func place(mediators: Set<UUID> = [], companies: Set<UUID> = [], reporter: UUID? = nil) -> DisputePlace {
        DisputePlace(districtId: district, streetId: street, communityId: community, compoundId: compound, mediatorUserIds: mediators, companyIds: companies,
                     reporterUserId: reporter)
    }

    func actor(_ role: Role, _ scope: UUID, id: UUID = UUID()) -> Actor {
        Actor(kind: .user, id: id, label: role.rawValue, grants: [Grant(role: role, scopeId: scope)])
    }

    @Test("the first session opens mediation; an outcome closes it; a closed dispute takes only notes and improvements")
    func states() {
        #expect(DisputeRules.next(.received, .session) == .mediating)
        #expect(DisputeRules.next(.mediating, .session) == .mediating)
        #expect(DisputeRules.next(.received, .plan) == .received)
        #expect(DisputeRules.next(.mediating, .outcome, outcome: .mediated) == .mediated)
        #expect(DisputeRules.next(.received, .outcome, outcome: .withdrawn) == .withdrawn)
        #expect(DisputeRules.next(.mediating, .outcome) == nil)
        for closed in [DisputeStatus.mediated, .referred, .withdrawn, .unresolved] {
            #expect(closed.isClosed)
            #expect(DisputeRules.next(closed, .session) == nil)
            #expect(DisputeRules.next(closed, .plan) == nil)
            #expect(DisputeRules.next(closed, .outcome, outcome: .mediated) == nil)
            #expect(DisputeRules.next(closed, .note) == closed)
            #expect(DisputeRules.next(closed, .improvement) == closed)
        }
        #expect(!DisputeStatus.received.isClosed && !DisputeStatus.mediating.isClosed)
        #expect(DisputeOutcome.allCases.allSatisfy { DisputeStatus($0).isClosed })
    }

    @Test("age runs from receipt to the outcome, or to today while open, across month and year ends")
    func age() {
        #expect(DisputeRules.ageDays(receivedOn: d("2026-11-20"), closedOn: nil, today: d("2026-12-01")) == 11)
        #expect(DisputeRules.ageDays(receivedOn: d("2025-12-31"), closedOn: d("2026-01-01"), today: d("2026-12-01")) == 1)
        #expect(DisputeRules.ageDays(receivedOn: d("2028-02-28"), closedOn: d("2028-03-01"), today: d("2028-03-05")) == 2)
        #expect(DisputeRules.ageDays(receivedOn: d("2026-12-01"), closedOn: nil, today: d("2026-12-01")) == 0)
    }

    @Test("staff of its community, street and district run it; an assigned mediator mediates; company parties, the committee and the reporter follow")
    func standing() {
        #expect(DisputeRules.standing(actor(.communityStaff, community), place()) == DisputeStanding(runs: true, mediates: true, sees: true))
        #expect(DisputeRules.standing(actor(.streetStaff, street), place()).runs)
        #expect(DisputeRules.standing(actor(.districtAdmin, district), place()).runs)
        #expect(!DisputeRules.standing(actor(.communityStaff, UUID()), place()).sees)
        let judge = UUID()
        #expect(DisputeRules.standing(actor(.mediator, street, id: judge), place(mediators: [judge])) == DisputeStanding(runs: false, mediates: true, sees: true))
        // A mediator of the street who is not assigned sees nothing.
        #expect(!DisputeRules.standing(actor(.mediator, street), place(mediators: [judge])).sees)
        #expect(DisputeRules.standing(actor(.companyStaff, company), place(companies: [company])) == DisputeStanding(runs: false, mediates: false, sees: true))
        #expect(!DisputeRules.standing(actor(.companyStaff, UUID()), place(companies: [company])).sees)
        #expect(DisputeRules.standing(actor(.committeeMember, compound), place()).sees)
        let me = UUID()
        #expect(DisputeRules.standing(actor(.resident, UUID(), id: me), place(reporter: me)) == DisputeStanding(runs: false, mediates: false, sees: true))
        #expect(!DisputeRules.standing(actor(.owner, UUID()), place()).sees)
        #expect(DisputeRules.standing(.system("t"), place()) == DisputeStanding(runs: true, mediates: true, sees: true))
    }

    @Test("party members report where they can see the compound; staff and the street's mediators in their scope; nobody else")
    func reporting() {
        #expect(DisputeRules.mayReport(actor(.resident, UUID()), partyMember: true, place: place(), seesCompound: true))
        #expect(!DisputeRules.mayReport(actor(.resident, UUID()), partyMember: true, place: place(), seesCompound: false))
        #expect(!DisputeRules.mayReport(actor(.owner, UUID()), partyMember: false, place: place(), seesCompound: true))
        #expect(DisputeRules.mayReport(actor(.communityStaff, community), partyMember: false, place: place(), seesCompound: true))
        #expect(!DisputeRules.mayReport(actor(.communityStaff, UUID()), partyMember: false, place: place(), seesCompound: false))
        #expect(DisputeRules.mayReport(actor(.mediator, street), partyMember: false, place: place(), seesCompound: false))
        #expect(!DisputeRules.mayReport(actor(.companyStaff, company), partyMember: false, place: place(), seesCompound: true))
    }

    @Test("a hand-worked November: received by kind, settled, referred, the median of days to settle")
    func november() {
        let facts = [
            // received in November: 4 (2 noise, 1 leak, 1 parking)
            DisputeFact(kind: .noise, receivedOn: d("2026-11-01"), outcome: .mediated, outcomeOn: d("2026-11-04")),   // settled in 3 days
            DisputeFact(kind: .noise, receivedOn: d("2026-11-10")),                                                   // open
            DisputeFact(kind: .leak, receivedOn: d("2026-11-20"), outcome: .referred, outcomeOn: d("2026-11-30")),   // referred
            DisputeFact(kind: .parking, receivedOn: d("2026-11-30"), outcome: .mediated, outcomeOn: d("2026-12-01")), // settled in December
            // received in October, closed in November
            DisputeFact(kind: .fees, receivedOn: d("2026-10-01"), outcome: .mediated, outcomeOn: d("2026-11-11")),   // 41 days
            DisputeFact(kind: .pets, receivedOn: d("2026-10-31"), outcome: .mediated, outcomeOn: d("2026-11-09")),   // 9 days
            DisputeFact(kind: .other, receivedOn: d("2026-10-05"), outcome: .withdrawn, outcomeOn: d("2026-11-02")),
            DisputeFact(kind: .noise, receivedOn: d("2026-10-05"), outcome: .mediated, outcomeOn: d("2026-10-31")),  // October
        ]
        let m = DisputeFigures.month(d("2026-11-01"), facts)
        #expect(m.received == 4)
        #expect(m.byKind == [.noise: 2, .leak: 1, .parking: 1])
        #expect(m.settled == 3 && m.referred == 1 && m.otherwiseClosed == 1)
        // 3, 9, 41 → 9 days
        #expect(m.medianDaysToSettle == 900)
        // an even number averages the middle two: 3, 9, 10, 41 → 9.5 days
        #expect(DisputeFigures.median([41, 3, 10, 9]) == 950)
        #expect(DisputeFigures.median([]) == nil)
        #expect(DisputeFigures.month(d("2026-09-01"), facts) == DisputeMonth())
    }

    @Test("twelve months end with the one given, across the year's end")
    func months() {
        let m = DisputeFigures.months(endingWith: d("2026-02-01"))
        #expect(m.count == 12 && m.first == d("2025-03-01") && m.last == d("2026-02-01"))
        #expect(DisputeFigures.months(endingWith: d("2026-12-01"), count: 1) == [d("2026-12-01")])
    }
}
