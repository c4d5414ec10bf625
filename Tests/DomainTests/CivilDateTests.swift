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
