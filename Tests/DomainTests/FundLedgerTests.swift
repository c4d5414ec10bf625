import Domain
import Foundation
import Testing

@Suite("Maintenance fund")
struct FundLedgerTests {
    @Test("apportionment by area adds up to the fen, remainders to the largest fractions")
    func apportion() {
        let a = UUID(), b = UUID(), c = UUID()
        // 100.00 yuan over three equal areas: 33.34 + 33.33 + 33.33.
        let shares = Apportion.byWeight(10_000, [(a, 8_950), (b, 8_950), (c, 8_950)])
        #expect(shares.values.reduce(0, +) == 10_000)
        #expect(shares.values.sorted() == [3_333, 3_333, 3_334])
        // Big numbers do not overflow: 10 million yuan over 1.5 million m² of areas.
        let big = Apportion.byWeight(1_000_000_000, (0..<1_000).map { _ in (UUID(), Int64(15_000_000_000)) })
        #expect(big.values.reduce(0, +) == 1_000_000_000)
        #expect(Apportion.byWeight(7, [(a, 1), (b, 1)]) == Apportion.byWeight(7, [(b, 1), (a, 1)]))
    }

    @Test("deposits at a rate per m² round half up to the fen")
    func depositAmount() {
        #expect(FundLedger.depositAmount(area: Area(hundredths: 8_950), ratePerSqm: Money(fen: 20_000)) == 1_790_000)
        #expect(FundLedger.depositAmount(area: Area(hundredths: 8_951), ratePerSqm: Money(fen: 20_001)) == 1_790_290)
        #expect(FundLedger.depositAmount(area: Area(hundredths: 1), ratePerSqm: Money(fen: 49)) == 0)
        #expect(FundLedger.depositAmount(area: Area(hundredths: 1), ratePerSqm: Money(fen: 50)) == 1)
    }

    @Test("amounts that would not fit in 64 bits are refused, never wrapped or trapped, and change nothing")
    func tooLarge() throws {
        // 10,000.00 m² at 63,998,901,354,163 yuan/m² (a fuzzer's rate) does not fit; the largest that fits does
        #expect(FundLedger.depositAmount(area: Area(hundredths: 1_000_000), ratePerSqm: Money(fen: 6_399_890_135_416_300)) == nil)
        #expect(FundLedger.depositAmount(area: Area(hundredths: 100), ratePerSqm: Money(fen: Int64.max / 2)) == Int64.max / 2)
        let a = UUID()
        var ledger = FundLedger()
        try ledger.apply(try FundLedger.deposit(room: a, amount: Int64.max - 10))
        let before = ledger
        #expect(throws: FundError.tooLarge) { try ledger.apply(try FundLedger.deposit(room: a, amount: 11)) }
        #expect(ledger == before && ledger.isConsistent)
    }

    @Test("spending more than a room holds is refused and changes nothing; the top-up flag at 30%")
    func spending() throws {
        let a = UUID(), b = UUID()
        var ledger = FundLedger()
        try ledger.apply(try FundLedger.deposit(room: a, amount: 10_000))
        try ledger.apply(try FundLedger.deposit(room: b, amount: 10_000))
        let before = ledger
        #expect(throws: FundError.insufficient(room: b, short: 1)) { try ledger.apply(try FundLedger.spending([a: 5_000, b: 10_001])) }
        #expect(ledger == before)
        try ledger.apply(try FundLedger.spending([a: 7_000, b: 7_000]))
        #expect(ledger.totalBalance == 6_000 && !ledger.needsTopUp)
        try ledger.apply(try FundLedger.spending([a: 1, b: 0]))
        #expect(ledger.needsTopUp)
        #expect(ledger.isConsistent)
    }

    @Test("random deposits, interest and spending keep every invariant", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func property(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let rooms = (0..<12).map { _ in rng.uuid() }
        let areas = Dictionary(uniqueKeysWithValues: rooms.map { ($0, Int64(rng.int(3_500...18_000))) })
        var ledger = FundLedger()
        for _ in 0..<400 {
            let before = ledger
            do {
                switch rng.int(0...2) {
                case 0:
                    try ledger.apply(try FundLedger.deposit(room: rng.pick(rooms), amount: Int64(rng.int(1...500_000))))
                case 1:
                    if ledger.totalBalance > 0 { try ledger.apply(try ledger.interest(Int64(rng.int(1...5_000)))) }
                default:
                    let bearing = rooms.filter { _ in rng.chance(50) }
                    let shares = Apportion.byWeight(Int64(rng.int(1...900_000)), bearing.map { ($0, areas[$0]!) })
                    #expect(shares.values.reduce(0, +) == shares.values.reduce(0, +))
                    try ledger.apply(try FundLedger.spending(shares))
                }
            } catch {
                #expect(ledger == before, "a refused transaction changed the ledger")
            }
            #expect(ledger.isConsistent)
            #expect(ledger.balances.values.allSatisfy { $0 >= 0 })
        }
        // Replaying is the same as applying.
        #expect(ledger.bank == ledger.totalBalance)
    }

    @Test("payment needs a passed fund decision covering the rooms, or an emergency notice")
    func rules() {
        let a = UUID(), b = UUID()
        let passed = FundDecision(matter: .useMaintenanceFund, passed: true, roomIds: [a, b])
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a], emergency: nil, noticePublished: false, decision: passed) == nil)
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a, UUID()], emergency: nil, noticePublished: false, decision: passed) == .roomsNotCovered(count: 1))
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a], emergency: nil, noticePublished: false,
                                     decision: FundDecision(matter: .useMaintenanceFund, passed: false, roomIds: [a])) == .decisionNotPassed)
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a], emergency: nil, noticePublished: false,
                                     decision: FundDecision(matter: .otherMajor, passed: true, roomIds: [a])) == .wrongMatter)
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a], emergency: .lift, noticePublished: false, decision: nil) == .noticeNotPublished)
        #expect(SpendingRules.mayPay(status: .planned, roomIds: [a], emergency: .lift, noticePublished: true, decision: nil) == nil)
        #expect(SpendingRules.mayPay(status: .paid, roomIds: [a], emergency: .lift, noticePublished: true, decision: nil) == .alreadyPaid)
    }
}
