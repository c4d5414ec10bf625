import Domain
import Foundation
import Testing

@Suite("The three coverage rates (三率) from dated registry facts")
struct CoverageRulesTests {
    let day = CivilDate(year: 2026, month: 6, day: 30)

    func facts(committees: [CommitteeTerm] = [], contracts: [ContractTerm] = [], mode: ManagementMode = .professional, partyCompound: Bool = false) -> CoverageFacts {
        CoverageFacts(committees: committees, contracts: contracts, managementMode: mode, partyCoversCompound: partyCompound)
    }

    @Test("a committee counts from its first to its last day of term; a preparatory group never counts")
    func committeeTerm() {
        let term = CommitteeTerm(kind: .ownersCommittee, start: day, end: day.adding(days: 10))
        #expect(CoverageRules.hasCommittee(facts(committees: [term]), on: day))
        #expect(CoverageRules.hasCommittee(facts(committees: [term]), on: day.adding(days: 10)))
        #expect(!CoverageRules.hasCommittee(facts(committees: [term]), on: day.adding(days: 11)))
        #expect(!CoverageRules.hasCommittee(facts(committees: [term]), on: day.adding(days: -1)))
        #expect(CoverageRules.hasCommittee(facts(committees: [CommitteeTerm(kind: .managementCommittee, start: day, end: nil)]), on: day.adding(days: 5_000)))
        #expect(!CoverageRules.hasCommittee(facts(committees: [CommitteeTerm(kind: .preparatoryGroup, start: day, end: nil)]), on: day))
    }

    @Test("served: a professional contract always; the state-owned fallback and self-management as the district says")
    func service() {
        let running = ContractTerm(start: day.adding(days: -30), end: day, stateOwned: false)
        let ended = ContractTerm(start: day.adding(days: -400), end: day.adding(days: -1), stateOwned: false)
        let state = ContractTerm(start: day.adding(days: -30), end: nil, stateOwned: true)
        let strict = CoverageSettings(countStateFallback: false, countSelfManaged: false)
        let lenient = CoverageSettings(countStateFallback: true, countSelfManaged: true)
        #expect(CoverageRules.isServed(facts(contracts: [running]), on: day, strict))
        #expect(!CoverageRules.isServed(facts(contracts: [running]), on: day.adding(days: 1), lenient))
        #expect(!CoverageRules.isServed(facts(contracts: [ended]), on: day, lenient))
        #expect(CoverageRules.isServed(facts(contracts: [state], mode: .stateFallback), on: day, .standard))
        #expect(!CoverageRules.isServed(facts(contracts: [state], mode: .stateFallback), on: day, strict))
        // a state-owned company hired as a professional one counts as professional
        #expect(CoverageRules.isServed(facts(contracts: [state], mode: .professional), on: day, strict))
        #expect(!CoverageRules.isServed(facts(mode: .selfManaged), on: day, .standard))
        #expect(CoverageRules.isServed(facts(mode: .selfManaged), on: day, lenient))
        #expect(!CoverageRules.isServed(facts(mode: .none), on: day, lenient))
    }

    @Test("party cover: of the compound itself, or of its serving company only while the contract runs")
    func party() {
        let covered = ContractTerm(start: day.adding(days: -30), end: day, stateOwned: false, partyCovered: true)
        let before = ContractTerm(start: day.adding(days: -400), end: day.adding(days: -31), stateOwned: false, partyCovered: false)
        #expect(CoverageRules.evaluate(facts(partyCompound: true), on: day, .standard).party)
        #expect(CoverageRules.evaluate(facts(contracts: [before, covered]), on: day, .standard).party)
        #expect(!CoverageRules.evaluate(facts(contracts: [before, covered]), on: day.adding(days: 1), .standard).party)
        #expect(!CoverageRules.evaluate(facts(contracts: [before, covered]), on: day.adding(days: -31), .standard).party)
    }

    @Test("rollups add counts up the tree; rates are exact fractions of compounds")
    func rollup() {
        let yes = CompoundCoverage(committee: true, service: true, party: false), no = CompoundCoverage(committee: false, service: true, party: true)
        let byCommunity = CoverageRules.rollup([(key: "a", coverage: yes), (key: "a", coverage: no), (key: "b", coverage: no)])
        #expect(byCommunity["a"] == CoverageTally(compounds: 2, committee: 1, service: 2, party: 1))
        #expect(byCommunity["b"] == CoverageTally(compounds: 1, committee: 0, service: 1, party: 1))
        var street = CoverageTally()
        for t in byCommunity.values { street.add(t) }
        #expect(street == CoverageTally(compounds: 3, committee: 1, service: 3, party: 2))
        #expect(street.committeeRate.basisPoints == 3_333 && street.serviceRate.basisPoints == 10_000)
        #expect(CoverageTally().committeeRate.basisPoints == nil)
        #expect(CoverageRules.misses(yes, .party) && !CoverageRules.misses(yes, .committee))
    }

    @Test("monthly snapshots describe month ends, the current month by today; across a year's turn and February")
    func months() {
        let ends = CoverageRules.monthEnds(through: CivilDate(year: 2026, month: 3, day: 14), count: 4)
        #expect(ends.map(\.description) == ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-14"])
        #expect(CoverageRules.monthEnds(through: CivilDate(year: 2024, month: 3, day: 1), count: 2).map(\.description) == ["2024-02-29", "2024-03-01"])
        #expect(CoverageRules.monthEnds(through: day, count: 1) == [day])
    }
}
