import Domain
import Foundation
import Testing

@Suite("Beijing civil time: the one parser and formatter")
struct CivilTimeParseTests {
    /// 2026-11-30T01:15:00Z as seconds since 1970.
    static let instant = Date(timeIntervalSince1970: 1_796_001_300)

    @Test("UTC, explicit offsets and Beijing wall-clock times name the same instant")
    func parsesEveryAcceptedShape() {
        for text in ["2026-11-30T01:15:00Z", "2026-11-30T09:15:00+08:00", "2026-11-30T09:15:00+0800", "2026-11-30 09:15",
                     "2026-11-30T09:15", "2026/11/30 09:15:00", "2026-11-29T20:15:00-05:00", "2026-11-30T01:15:00.250Z"] {
            #expect(CivilTime.parse(text) == CivilTimeParseTests.instant, "\(text)")
        }
    }

    @Test("refuses impossible dates, times and trailing text")
    func refuses() {
        for text in ["2026-02-29T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T09:60Z", "2026-11-30", "2026-11-30T09:15:00Zjunk",
                     "26-11-30 09:15", "2026-11-30T09:15:00+25:00", "", "yesterday"] {
            #expect(CivilTime.parse(text) == nil, "\(text)")
        }
    }

    @Test("formats and parses back, across leap days and year ends")
    func roundTrips() {
        for seconds in [0, 951_782_400, 1_709_164_800, 1_798_732_799, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let utc = CivilTime(date).isoLocal + "Z"
            #expect(CivilTime.parse(utc) == date, "\(utc)")
            let beijing = CivilTime(date, offsetSeconds: CivilTime.beijingOffset).isoLocal
            #expect(CivilTime.parse(beijing) == date, "\(beijing)")
        }
    }

    @Test("Beijing midnight of a day is 16:00 UTC the day before")
    func midnight() {
        #expect(CivilTime.beijingMidnight(CivilDate(year: 2026, month: 12, day: 1)) == CivilTime.parse("2026-11-30T16:00:00Z"))
        #expect(CivilTime.beijingMidnight(CivilDate(year: 2027, month: 1, day: 1)) == CivilTime.parse("2026-12-31T16:00:00Z"))
    }
}
