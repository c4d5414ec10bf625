import Domain
import Testing

@Suite("Demo district")
struct DemoGeneratorTests {
    let today = CivilDate(year: 2026, month: 11, day: 30)

    @Test("the same seed gives the same district; another seed another")
    func deterministic() {
        let a = DemoGenerator(scale: .district, seed: 42, today: today)
        let b = DemoGenerator(scale: .district, seed: 42, today: today)
        let c = DemoGenerator(scale: .district, seed: 43, today: today)
        let pa = a.plan(), pb = b.plan(), pc = c.plan()
        #expect(pa.streets == pb.streets)
        #expect(a.street(5, plan: pa).rooms == b.street(5, plan: pb).rooms)
        #expect(a.street(5, plan: pa).rooms != c.street(5, plan: pc).rooms)
    }

    @Test("sized like Chaoyang: 43 streets, 26 fallback compounds, gaps in service and committees")
    func shape() throws {
        let g = DemoGenerator(scale: .district, seed: 20200630, today: today)
        let plan = g.plan()
        #expect(plan.streets.count == 43)
        #expect(plan.streets.filter { $0.kind == .township }.count == 19)
        var compounds: [Compound] = [], committees = 0, rooms = 0, communities = 0, fallback = 0, served = 0
        var multiRoomOwners = false, coOwned = false, developerRooms = 0
        for i in plan.streets.indices {
            let s = g.street(i, plan: plan)
            compounds += s.compounds
            communities += s.communities.count
            committees += Set(s.committees.map(\.compoundId)).count
            rooms += s.rooms.count
            fallback += s.contracts.filter { $0.companyId == plan.fallbackCompanyId }.count
            served += Set(s.contracts.filter { $0.covers(today) }.map(\.compoundId)).count
            let perOwner = Dictionary(grouping: s.ownerships, by: \.ownerId).mapValues(\.count)
            let developers = Set(s.owners.filter { $0.kind == .developer }.map(\.id))
            multiRoomOwners = multiRoomOwners || perOwner.contains { !developers.contains($0.key) && $0.value > 1 }
            coOwned = coOwned || Dictionary(grouping: s.ownerships, by: \.roomId).values.contains { $0.count > 1 }
            developerRooms += s.ownerships.filter { developers.contains($0.ownerId) }.count
        }
        #expect(fallback == 26)
        #expect((400...600).contains(communities))
        #expect(compounds.allSatisfy { (1958...2022).contains($0.yearBuilt) })
        let withoutService = compounds.count - served
        #expect(Double(withoutService) / Double(compounds.count) > 0.07 && Double(withoutService) / Double(compounds.count) < 0.2)
        let withoutCommittee = compounds.count - committees
        #expect(Double(withoutCommittee) / Double(compounds.count) > 0.10 && Double(withoutCommittee) / Double(compounds.count) < 0.2)
        #expect(multiRoomOwners && coOwned && developerRooms > 0)
        #expect(rooms > 80_000)
    }

    @Test("areas are 35–180 m² and credit codes are valid")
    func values() throws {
        let g = DemoGenerator(scale: .small, seed: 1, today: today)
        let plan = g.plan()
        let s = g.street(0, plan: plan)
        #expect(s.rooms.allSatisfy { (3_500...18_000).contains($0.area.hundredths) })
        for company in plan.companies { try CreditCode.validate(company.creditCode) }
        #expect(s.compounds.contains { $0.name == "万兴苑" })
    }
}
