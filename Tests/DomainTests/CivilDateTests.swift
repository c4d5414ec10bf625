import Domain
import Testing

@Suite("Calendar dates")
struct CivilDateTests {
    @Test("parses real dates only")
    func parse() {
        #expect(CivilDate("2024-02-29")?.description == "2024-02-29")
        #expect(CivilDate("2026-02-29") == nil)
        #expect(CivilDate("2026-2-1") == nil)
        #expect(CivilDate("2026-13-01") == nil)
        #expect(CivilDate("20261130") == nil)
    }

    @Test("orders and steps back across months and years")
    func order() {
        #expect(CivilDate(year: 2026, month: 1, day: 1).dayBefore == CivilDate(year: 2025, month: 12, day: 31))
        #expect(CivilDate(year: 2024, month: 3, day: 1).dayBefore == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(year: 2026, month: 11, day: 30) < CivilDate(year: 2026, month: 12, day: 1))
    }
}

@Suite("Civil dates as day numbers")
struct CivilDayNumberTests {
    @Test("day numbers count from 1970-01-01, go both ways and survive leap years and centuries")
    func dayNumbers() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(CivilDate(year: 2000, month: 3, day: 1).dayNumber - CivilDate(year: 2000, month: 2, day: 28).dayNumber == 2)
        #expect(CivilDate(year: 2100, month: 3, day: 1).dayNumber - CivilDate(year: 2100, month: 2, day: 28).dayNumber == 1)
        #expect(CivilDate(year: 2026, month: 12, day: 1).dayNumber == 20_788)
        var d = CivilDate(year: 1999, month: 12, day: 25)
        for _ in 0..<1_000 {
            let next = d.adding(days: 1)
            #expect(next.dayNumber == d.dayNumber + 1)
            #expect(CivilDate(dayNumber: d.dayNumber) == d)
            #expect(d < next)
            d = next
        }
        #expect(CivilDate(year: 2026, month: 1, day: 31).adding(days: 29) == CivilDate(year: 2026, month: 3, day: 1))
        #expect(CivilDate(year: 2026, month: 3, day: 1).adding(days: -1) == CivilDate(year: 2026, month: 2, day: 28))
    }
}
