import Domain
import Foundation
import Testing

@Suite("Property fees: periods, pro-rating, the odd fen, the collection rate")
struct BillingTests {
    let d = { (s: String) in CivilDate(s)! }

    @Test("periods are the calendar month, quarter or year around a date")
    func periods() {
        #expect(Billing.period(containing: d("2026-11-15"), cycle: .monthly) == (d("2026-11-01"), d("2026-11-30")))
        #expect(Billing.period(containing: d("2026-11-15"), cycle: .quarterly) == (d("2026-10-01"), d("2026-12-31")))
        #expect(Billing.period(containing: d("2028-02-10"), cycle: .monthly) == (d("2028-02-01"), d("2028-02-29")))
        #expect(Billing.period(containing: d("2026-03-31"), cycle: .yearly) == (d("2026-01-01"), d("2026-12-31")))
    }

    @Test("a whole month costs area × rate; part of a month its days over the month's own length, rounded half up per month")
    func proRating() {
        // 89.37 m² at 3.05 yuan: 272.5785 yuan → 272.58
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-01"), through: d("2026-11-30")) == 27258)
        // 16 of 30 days: 8937 × 305 × 16 / 3000 = 14537.52 fen → 14538
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-15"), through: d("2026-11-30")) == 14538)
        // exactly half a fen rounds up: 1 m² at 1 fen a month for 15 of 30 days is 0.5 fen → 1
        #expect(Billing.amount(area: 100, rate: 1, from: d("2026-11-01"), through: d("2026-11-15")) == 1)
        // a quarter is its three months added: 27258 × 2 + 272.5785 × 31/31 (Dec) — each month whole
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-10-01"), through: d("2026-12-31")) == 27258 * 3)
        // February of a leap year, 10 of 29 days: 8937 × 305 × 10 / 2900 = 9399.18 → 9399
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2028-02-20"), through: d("2028-02-29")) == 9399)
        // the same days cost the same, however they are split
        let whole = Billing.amount(area: 12345, rate: 287, from: d("2026-01-10"), through: d("2026-03-20"))
        let split = Billing.amount(area: 12345, rate: 287, from: d("2026-01-10"), through: d("2026-01-31"))
            + Billing.amount(area: 12345, rate: 287, from: d("2026-02-01"), through: d("2026-03-20"))
        #expect(whole == split)
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-30"), through: d("2026-11-01")) == 0)
    }

    @Test("a change of company or rate mid-period bills each contract its own days, never backwards")
    func segments() {
        let old = UUID(), new = UUID()
        let period = Billing.period(containing: d("2026-10-15"), cycle: .quarterly)
        let s = Billing.segments(period: period, contracts: [
            (new, 350, d("2026-11-16"), nil), (old, 305, d("2020-01-01"), d("2026-11-15")),
        ])
        #expect(s == [FeeSegment(contractId: old, ratePerSqmMonth: 305, from: d("2026-10-01"), through: d("2026-11-15")),
                      FeeSegment(contractId: new, ratePerSqmMonth: 350, from: d("2026-11-16"), through: d("2026-12-31"))])
        // the old rate: October whole, half of November; the new: the other half and December
        let area: Int64 = 10000
        #expect(Billing.amount(area: area, rate: 305, from: s[0].from, through: s[0].through) == 30500 + 15250)
        #expect(Billing.amount(area: area, rate: 350, from: s[1].from, through: s[1].through) == 17500 + 35000)
        // a contract that ended before the period bills nothing in it
        #expect(Billing.segments(period: period, contracts: [(old, 305, d("2020-01-01"), d("2026-09-30"))]).isEmpty)
    }

    @Test("a bill is unpaid, partly paid, paid or disputed")
    func status() {
        #expect(Billing.status(amount: 100, paid: 0, disputed: false) == .unpaid)
        #expect(Billing.status(amount: 100, paid: 40, disputed: false) == .partial)
        #expect(Billing.status(amount: 100, paid: 100, disputed: false) == .paid)
        #expect(Billing.status(amount: 100, paid: 40, disputed: true) == .disputed)
    }

    @Test("a hand-worked month: four rooms billed, two paid in full, one in part, one not")
    func collectionRate() {
        var rate = CollectionRate()
        rate.add(roomBilled: 27258, roomPaid: 27258)
        rate.add(roomBilled: 30000, roomPaid: 30000)
        rate.add(roomBilled: 20000, roomPaid: 5000)
        rate.add(roomBilled: 22742, roomPaid: 0)
        rate.add(roomBilled: 0, roomPaid: 0)          // a room not billed does not count
        #expect(rate.billed == 100_000 && rate.collected == 62_258)
        #expect(rate.byAmount.percentText == "62.26%")
        #expect(rate.rooms == 4 && rate.roomsPaid == 2 && rate.byRooms.percentText == "50.00%")
        // paying more than billed (a prepayment) never lifts the rate over 100%
        var over = CollectionRate()
        over.add(roomBilled: 100, roomPaid: 150)
        #expect(over.collected == 100)
    }
}

@Suite("Property fees: vacant rooms")
struct VacancyBillingTests {
    let d = { (s: String) in CivilDate(s)! }

    @Test("vacant days cost the district's discount less; no discount or no vacancy is the plain fee")
    func vacancy() {
        // 100 m² at 2.00 yuan, November vacant from the 16th, 50% off: 15 days full + 15 days half of 200 yuan / 30 days = 150.00
        #expect(Billing.amount(area: 10000, rate: 200, from: d("2026-11-01"), through: d("2026-11-30"),
                               vacant: [(d("2026-11-16"), nil)], discountPercent: 50) == 15000)
        // whole month vacant at 30% off: 140.00
        #expect(Billing.amount(area: 10000, rate: 200, from: d("2026-11-01"), through: d("2026-11-30"),
                               vacant: [(d("2026-10-01"), d("2026-12-31"))], discountPercent: 30) == 14000)
        // no discount set: vacancy changes nothing
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-01"), through: d("2026-11-30"), vacant: [(d("2026-11-01"), nil)], discountPercent: 0) == 27258)
        // a vacancy that ended before the period changes nothing; the odd fen is rounded once per month
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-01"), through: d("2026-11-30"), vacant: [(d("2026-01-01"), d("2026-10-31"))], discountPercent: 50) == 27258)
        // 89.37 m² at 3.05, 10 of 30 days vacant at 50%: 8937 × 305 × (20×100 + 10×50) / 300000 = 22715.12 → 22715
        #expect(Billing.amount(area: 8937, rate: 305, from: d("2026-11-01"), through: d("2026-11-30"), vacant: [(d("2026-11-21"), nil)], discountPercent: 50) == 22715)
    }
}

@Suite("Months and days overdue")
struct MonthTextTests {
    @Test("a month is written 2026-11, nothing else; days overdue start the day after the due date")
    func months() {
        #expect(CivilDate(month: "2026-11") == CivilDate(year: 2026, month: 11, day: 1))
        #expect(CivilDate(month: "2026-1") == nil && CivilDate(month: "2026-13") == nil && CivilDate(month: "2026-11-01") == nil)
        let due = CivilDate("2026-10-31")!
        #expect(Billing.daysOverdue(due: due, today: due) == 0)
        #expect(Billing.daysOverdue(due: due, today: CivilDate("2026-10-01")!) == 0)
        #expect(Billing.daysOverdue(due: due, today: CivilDate("2026-12-01")!) == 31)
    }
}
