import Domain
import Foundation
import Testing

@Suite("Requests: who may act, ranking order, address matching, whistle rules")
struct RequestRoutingTests {
    let district = UUID(), street = UUID(), community = UUID(), compound = UUID(), company = UUID(), reporter = UUID()

    var place: RequestPlace {
        RequestPlace(districtId: district, streetId: street, communityId: community, compoundId: compound, reporterUserId: reporter,
                     handlerKind: .company, handlerId: company)
    }

    func actor(_ role: Role, _ scope: UUID, id: UUID = UUID()) -> Actor {
        Actor(kind: .user, id: id, label: role.rawValue, grants: [Grant(role: role, scopeId: scope)])
    }

    @Test("standing: reporter, handler, overseers; a company serving elsewhere or another street sees nothing")
    func standing() {
        let reporterStanding = RequestRules.standing(actor(.owner, UUID(), id: reporter), place)
        #expect(reporterStanding == RequestStanding(reporter: true))
        #expect(RequestRules.may(.rate, reporterStanding, reporterHasAccount: true))
        #expect(!RequestRules.may(.respond, reporterStanding, reporterHasAccount: true))

        let handler = RequestRules.standing(actor(.companyStaff, company), place)
        #expect(handler.handler && !handler.overseer)
        #expect(RequestRules.may(.resolve, handler, reporterHasAccount: true))
        #expect(!RequestRules.may(.transfer, handler, reporterHasAccount: true))
        #expect(!RequestRules.may(.rate, handler, reporterHasAccount: false))

        let communityStaff = RequestRules.standing(actor(.communityStaff, community), place)
        #expect(communityStaff.overseer && !communityStaff.streetLevel)
        #expect(RequestRules.may(.transfer, communityStaff, reporterHasAccount: true))
        #expect(!RequestRules.may(.escalate, communityStaff, reporterHasAccount: true))
        #expect(!RequestRules.may(.rate, communityStaff, reporterHasAccount: true))
        #expect(RequestRules.may(.rate, communityStaff, reporterHasAccount: false))   // the hotline's return call

        #expect(RequestRules.standing(actor(.streetStaff, street), place).streetLevel)
        #expect(!RequestRules.standing(actor(.streetStaff, UUID()), place).sees)
        #expect(!RequestRules.standing(actor(.companyStaff, UUID()), place).sees)
        #expect(!RequestRules.standing(actor(.departmentLiaison, UUID()), place).sees)
        var summoned = place
        let department = UUID()
        summoned.summonedDepartments = [department]
        #expect(RequestRules.standing(actor(.departmentLiaison, department), summoned) == RequestStanding(reader: true))
    }

    @Test("numbers and masked phones")
    func numbers() {
        #expect(RequestNumber.make(day: CivilDate(year: 2026, month: 11, day: 30), sequence: 123) == "GZ20261130-000123")
        #expect(RequestNumber.make(day: CivilDate(year: 2026, month: 1, day: 2), sequence: 1_234_567) == "GZ20260102-1234567")
        #expect(RequestRules.maskPhone("13812345678") == "138****5678")
        #expect(RequestRules.maskPhone("12345") == "*****")
        #expect(RequestRules.maskPhone("１３８１２３４５６７８") == "１３８****５６７８")
        #expect(RequestRules.maskPhone("010-8888 1234") == "010****1234")
    }

    @Test("rankings compare exact composites, even where rounding to hundredths ties them")
    func exactOrder() {
        // 2/3 and 6667/10000 both show as 66.67% but are not equal.
        let a = ServiceRates(counts: RateCounts(dispatched: 3, respondedInTime: 2, rated: 0, resolved: 0, scoreSum: 0))
        let b = ServiceRates(counts: RateCounts(dispatched: 10_000, respondedInTime: 6_667, rated: 0, resolved: 0, scoreSum: 0))
        #expect(a.response.percentText == b.response.percentText)
        #expect(ServiceRates.compareComposite(b, a) == 1)
        #expect(ServiceRates.compareComposite(a, a) == 0)
        // nothing to count ranks last
        #expect(ServiceRates.compareComposite(ServiceRates(counts: RateCounts()), a) == -1)
        // counts of a million requests still fit
        let big = ServiceRates(counts: RateCounts(dispatched: 1_000_000, respondedInTime: 999_999, rated: 900_000, resolved: 899_999, scoreSum: 89_999_980))
        #expect(big.composite() == 10_000)
        #expect(ServiceRates.compareComposite(big, ServiceRates(counts: RateCounts(dispatched: 1, respondedInTime: 1, rated: 1, resolved: 1, scoreSum: 100))) == -1)
        // the counted form agrees with the per-request form
        let samples = [RateSample(dispatched: true, respondedInTime: true, rating: (true, .satisfied)),
                       RateSample(dispatched: true, respondedInTime: false, rating: (false, .dissatisfied)),
                       RateSample(dispatched: true, respondedInTime: true, rating: (true, .basicallySatisfied)),
                       RateSample(dispatched: true, respondedInTime: true, rating: nil)]
        #expect(ServiceRates(counts: RateCounts(samples)) == ServiceRates(samples))
    }

    @Test("addresses: the longest name or alias wins; equal matches in two compounds are no match")
    func addresses() {
        let s1 = UUID(), s2 = UUID()
        let wanxing = UUID(), wanxingNorth = UUID(), garden = UUID(), twin = UUID()
        let m = AddressMatcher([
            .init(id: wanxing, streetId: s1, names: ["万兴苑"], latitude: 40.0, longitude: 116.4),
            .init(id: wanxingNorth, streetId: s1, names: ["万兴苑北区", "万兴北苑"]),
            .init(id: garden, streetId: s2, names: ["望京花园", "花园"], latitude: 40.01, longitude: 116.47),
            .init(id: twin, streetId: s2, names: ["望京花园"]),
        ], streets: [(s1, "大屯街道"), (s2, "望京街道")])
        #expect(m.match("朝阳区大屯路1号万兴苑5号楼") == .compound(wanxing))
        #expect(m.match("万兴苑北区 3号楼") == .compound(wanxingNorth))
        #expect(m.match("ＷＡＮ万兴北苑") == .compound(wanxingNorth))
        #expect(m.match("望京花园东门") == .ambiguous(street: s2))
        #expect(m.match("某某路甲2号") == .none)
        #expect(m.street("朝阳区大屯街道某某路") == s1)
        #expect(m.street("望京某某路") == s2)
        #expect(m.nearest(latitude: 40.0005, longitude: 116.4002) == wanxing)
        #expect(m.nearest(latitude: 39.9, longitude: 116.4) == nil)
    }

    @Test("a compound's registered address locates it, with or without the city, district and town, and with a building and unit after it")
    func registeredAddress() {
        let s = UUID(), huiyuan = UUID(), neighbour = UUID(), other = UUID()
        let m = AddressMatcher([
            .init(id: huiyuan, streetId: s, names: ["惠园"], address: "北京市朝阳区孙河万惠路168号"),
            .init(id: neighbour, streetId: s, names: ["万惠家园"], address: "北京市朝阳区孙河万惠路1688号"),
            .init(id: other, streetId: s, names: ["某苑"], address: "北京市朝阳区大屯路16号"),
        ])
        #expect(AddressMatcher.addressForms("北京市朝阳区孙河万惠路168号").contains("万惠路168号"))
        #expect(m.match("北京市朝阳区孙河万惠路168号") == .compound(huiyuan))
        #expect(m.match("孙河万惠路168号院3号楼2单元") == .compound(huiyuan))
        #expect(m.match("朝阳区万惠路１６８号院") == .compound(huiyuan))
        #expect(m.match("万惠路1688号5号楼") == .compound(neighbour))
        #expect(m.match("大屯路16号院") == .compound(other))
        #expect(m.match("大屯路168号") == .none)
        #expect(m.match("万惠路") == .none)
    }

    @Test("a party reports for itself; the street for the developer, the committee, and a party that cannot sign in, marked as on its behalf")
    func reporting() {
        #expect(WhistleRules.reporting(kind: .department, own: true, runs: false, partyHasAccount: true) == (true, false))
        #expect(WhistleRules.reporting(kind: .department, own: false, runs: true, partyHasAccount: true) == (false, false))
        #expect(WhistleRules.reporting(kind: .department, own: false, runs: true, partyHasAccount: false) == (true, true))
        #expect(WhistleRules.reporting(kind: .company, own: false, runs: true, partyHasAccount: false) == (true, true))
        #expect(WhistleRules.reporting(kind: .developer, own: false, runs: true, partyHasAccount: false) == (true, false))
        #expect(WhistleRules.reporting(kind: .committee, own: false, runs: false, partyHasAccount: false) == (false, false))
    }

    @Test("whistle cases close only when every party has reported; on-time rate counts the due")
    func whistle() {
        let t = Date(timeIntervalSince1970: 1_796_000_000)
        let onTime = SummonedParty(reportBy: t, reportedAt: t)
        let late = SummonedParty(reportBy: t, reportedAt: t.addingTimeInterval(1))
        let waiting = SummonedParty(reportBy: t.addingTimeInterval(3600), reportedAt: nil)
        let missed = SummonedParty(reportBy: t.addingTimeInterval(-1), reportedAt: nil)
        #expect(onTime.onTime && !late.onTime)
        #expect(WhistleRules.canClose([onTime, late]))
        #expect(!WhistleRules.canClose([onTime, waiting]))
        #expect(!WhistleRules.canClose([]))
        #expect(missed.isLate(now: t) && !waiting.isLate(now: t))
        let rate = WhistleRules.onTimeRate([onTime, late, waiting, missed], now: t)
        #expect(rate.numerator == 1 && rate.denominator == 3)
    }
}

@Suite("Civil time by arithmetic")
struct CivilTimeTests {
    @Test("agrees with Foundation's calendar across years, leap days and month ends since 1992")
    func agrees() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        var rng = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            // From 1992: China kept daylight saving time in 1986–1991 (and in the 1940s), which a fixed offset cannot follow.
            let date = Date(timeIntervalSince1970: Double(rng.int(694_224_000...4_000_000_000)))
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let t = CivilTime(date, offsetSeconds: CivilTime.beijingOffset)
            let mine: [Int] = [t.year, t.month, t.day, t.hour, t.minute, t.second]
            let theirs: [Int] = [c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!]
            #expect(mine == theirs)
        }
        #expect(CivilTime(Date(timeIntervalSince1970: 1_796_004_000)).isoLocal == "2026-11-30T02:00:00")
        #expect(CivilTime(Date(timeIntervalSince1970: 1_796_004_000), offsetSeconds: CivilTime.beijingOffset).minutes == "2026-11-30 10:00")
        #expect(CivilTime(Date(timeIntervalSince1970: 951_782_400)).date == CivilDate(year: 2000, month: 2, day: 29))
    }
}

@Suite("What a request page offers")
struct RequestAllowedTests {
    @Test("the actions offered follow both the standing and the transition table")
    func allowed() {
        let handler = RequestStanding(handler: true), reporter = RequestStanding(reporter: true), street = RequestStanding(overseer: true, streetLevel: true)
        #expect(RequestRules.allowed(.dispatched, handler, reporterHasAccount: true) == [.respond, .note, .photo])
        #expect(RequestRules.allowed(.inProgress, handler, reporterHasAccount: true) == [.resolve, .note, .photo])
        #expect(RequestRules.allowed(.resolved, reporter, reporterHasAccount: true) == [.rate, .note, .photo])
        #expect(RequestRules.allowed(.resolved, handler, reporterHasAccount: true) == [.note, .photo])
        #expect(RequestRules.allowed(.dispatched, street, reporterHasAccount: true) == [.transfer, .respond, .escalate, .note, .photo, .merge, .dispute])
        #expect(RequestRules.allowed(.resolved, street, reporterHasAccount: false) == [.rate, .note, .photo, .dispute])
        #expect(RequestRules.allowed(.closed, street, reporterHasAccount: true) == [.note, .photo, .dispute])
        #expect(RequestRules.allowed(.dispatched, RequestStanding(reader: true), reporterHasAccount: true).isEmpty)
    }

    @Test("overdue on stored deadlines")
    func overdue() {
        let t = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(!DeadlinePolicy.isOverdue(respondBy: t, resolveBy: t.addingTimeInterval(60), respondedAt: nil, resolvedAt: nil, now: t))
        #expect(DeadlinePolicy.isOverdue(respondBy: t, resolveBy: t.addingTimeInterval(60), respondedAt: nil, resolvedAt: nil, now: t.addingTimeInterval(1)))
        #expect(!DeadlinePolicy.isOverdue(respondBy: t, resolveBy: t.addingTimeInterval(60), respondedAt: t, resolvedAt: nil, now: t.addingTimeInterval(1)))
        #expect(DeadlinePolicy.isOverdue(respondBy: t, resolveBy: t.addingTimeInterval(60), respondedAt: t, resolvedAt: nil, now: t.addingTimeInterval(61)))
    }
}
