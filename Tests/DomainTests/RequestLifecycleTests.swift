import Domain
import Foundation
import Testing

@Suite("A request's life: what each event changes, where it goes, who must be named")
struct RequestLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let scores: [Satisfaction: Int64] = [.satisfied: 100, .basicallySatisfied: 80, .dissatisfied: 0]

    func state(_ status: RequestStatus, respondedAt: Date? = nil) -> RequestLifecycle.State {
        .init(status: status, respondBy: t0.addingTimeInterval(3600), respondedAt: respondedAt)
    }

    @Test("the first contact counts, in time or late; a later one changes nothing")
    func firstResponse() throws {
        let inTime = try #require(RequestLifecycle.apply(state(.dispatched), .respond, now: t0.addingTimeInterval(3600), scores: scores))
        #expect(inTime.status == .responded && inTime.firstResponse?.inTime == true)
        let late = try #require(RequestLifecycle.apply(state(.dispatched), .respond, now: t0.addingTimeInterval(3601), scores: scores))
        #expect(late.firstResponse?.inTime == false)
        let again = try #require(RequestLifecycle.apply(state(.dispatched, respondedAt: t0), .respond, now: t0.addingTimeInterval(60), scores: scores))
        #expect(again.firstResponse == nil)
    }

    @Test("a satisfied rating scores; an unresolved or dissatisfied one reopens and clears the resolution")
    func rating() throws {
        let now = t0.addingTimeInterval(7200)
        let good = try #require(RequestLifecycle.apply(state(.resolved), .rate(resolved: true, satisfaction: .basicallySatisfied), now: now, scores: scores))
        #expect(good.status == .rated && good.rating?.score == 80 && !good.reopened && good.resolvedAt == .keep)
        let bad = try #require(RequestLifecycle.apply(state(.resolved), .rate(resolved: true, satisfaction: .dissatisfied), now: now, scores: scores))
        #expect(bad.status == .dispatched && bad.reopened && bad.resolvedAt == .clear && bad.dispatchedAt == now && bad.rating?.score == 0)
        let unresolved = try #require(RequestLifecycle.apply(state(.resolved), .rate(resolved: false, satisfaction: .satisfied), now: now, scores: scores))
        #expect(unresolved.reopened && unresolved.rating?.score == 100)
    }

    @Test("resolve records the reply; close its time; transfer re-dispatches; illegal moves are nil")
    func others() throws {
        let resolved = try #require(RequestLifecycle.apply(state(.inProgress), .resolve, reply: "已修复", now: t0, scores: scores))
        #expect(resolved.resolvedAt == .set(t0) && resolved.reply == "已修复")
        #expect(RequestLifecycle.apply(state(.rated), .close, now: t0, scores: scores)?.closedAt == t0)
        #expect(RequestLifecycle.apply(state(.responded), .transfer, now: t0, scores: scores)?.dispatchedAt == t0)
        #expect(RequestLifecycle.apply(state(.closed), .respond, now: t0, scores: scores) == nil)
        #expect(RequestLifecycle.apply(state(.dispatched), .resolve, reply: "x", now: t0, scores: scores) == nil)
    }

    @Test("dispatch goes to the contract covering the day, the newest on a handover day, else the community")
    func dispatch() {
        let old = UUID(), new = UUID(), community = UUID()
        let contracts = [
            Dispatch.Contract(companyId: old, companyName: "旧物业", startsOn: CivilDate(year: 2020, month: 1, day: 1), endsOn: CivilDate(year: 2026, month: 6, day: 30)),
            Dispatch.Contract(companyId: new, companyName: "新物业", startsOn: CivilDate(year: 2026, month: 6, day: 30), endsOn: nil),
        ]
        #expect(Dispatch.handler(contracts: contracts, community: (community, "社区"), on: CivilDate(year: 2026, month: 6, day: 29)).id == old)
        #expect(Dispatch.handler(contracts: contracts, community: (community, "社区"), on: CivilDate(year: 2026, month: 6, day: 30)).id == new)
        #expect(Dispatch.handler(contracts: Array(contracts.prefix(1)), community: (community, "社区"), on: CivilDate(year: 2026, month: 7, day: 1)) == (.community, community, "社区"))
        #expect(Dispatch.handler(contracts: [], community: (community, "社区"), on: CivilDate(year: 2026, month: 7, day: 1)).kind == .community)
    }

    @Test("someone else's request needs a name or phone; a phone is digits")
    func reporter() {
        #expect(IntakeRules.filerIsReporter(isPerson: true, isResident: true, channel: .phone))
        #expect(!IntakeRules.filerIsReporter(isPerson: true, isResident: false, channel: .phone))
        #expect(IntakeRules.filerIsReporter(isPerson: true, isResident: false, channel: .inspection))
        #expect(IntakeRules.filerIsReporter(isPerson: true, isResident: false, channel: .web))
        #expect(!IntakeRules.filerIsReporter(isPerson: false, isResident: false, channel: .web))
        #expect(IntakeRules.reporterErrors(filerIsReporter: false, name: nil, phone: nil).map(\.field) == ["reporterName"])
        #expect(IntakeRules.reporterErrors(filerIsReporter: false, name: nil, phone: "010-6512 3456").map(\.code) == ["invalid_format"])
        #expect(IntakeRules.reporterErrors(filerIsReporter: false, name: "王", phone: "+86-13800138000").isEmpty)
    }
}

@Suite("Who handles whistle cases, receptions and 12345 orders")
struct IntakeAccessTests {
    func actor(_ role: Role, _ scope: UUID) -> Actor { Actor(kind: .user, id: UUID(), label: role.rawValue, grants: [Grant(role: role, scopeId: scope)]) }

    @Test("the street runs a case, a summoned department reports for its party, the community follows, others see nothing")
    func whistle() {
        let district = UUID(), street = UUID(), community = UUID(), compound = UUID(), dept = UUID(), company = UUID()
        let partyD = UUID(), partyC = UUID()
        let place = WhistleCasePlace(districtId: district, streetId: street, communityId: community, compoundId: compound,
                                     parties: [.init(id: partyD, kind: .department, departmentId: dept, companyId: nil),
                                               .init(id: partyC, kind: .company, departmentId: nil, companyId: company)])
        #expect(WhistleRules.standing(actor(.streetStaff, street), place) == WhistleStanding(runs: true, partyIds: [], sees: true))
        #expect(WhistleRules.standing(actor(.districtAdmin, district), place).runs)
        #expect(WhistleRules.standing(actor(.departmentLiaison, dept), place) == WhistleStanding(runs: false, partyIds: [partyD], sees: true))
        #expect(WhistleRules.standing(actor(.companyStaff, company), place).partyIds == [partyC])
        #expect(WhistleRules.standing(actor(.communityStaff, community), place) == WhistleStanding(runs: false, partyIds: [], sees: true))
        #expect(WhistleRules.standing(actor(.streetStaff, UUID()), place) == WhistleStanding())
        #expect(WhistleRules.standing(actor(.departmentLiaison, UUID()), place) == WhistleStanding())
    }

    @Test("receptions are recorded by the community, its street or the district; orders wait for their street")
    func intake() {
        let district = UUID(), street = UUID(), community = UUID()
        #expect(IntakeAccess.mayRecordReception(actor(.communityStaff, community), community: community, street: street, district: district))
        #expect(IntakeAccess.mayRecordReception(actor(.streetStaff, street), community: community, street: street, district: district))
        #expect(!IntakeAccess.mayRecordReception(actor(.communityStaff, UUID()), community: community, street: street, district: district))
        #expect(!IntakeAccess.mayRecordReception(actor(.companyStaff, community), community: community, street: street, district: district))
        #expect(IntakeAccess.handlesOrder(actor(.streetStaff, street), district: district, street: street))
        #expect(!IntakeAccess.handlesOrder(actor(.streetStaff, street), district: district, street: nil))
        #expect(IntakeAccess.handlesOrder(actor(.districtAdmin, district), district: district, street: nil))
        #expect(!IntakeAccess.handlesOrder(actor(.communityStaff, community), district: district, street: street))
    }
}
