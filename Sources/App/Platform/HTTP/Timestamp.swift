import Domain
import Foundation

/// Formatting of stored UTC instants, with integer arithmetic (see `CivilTime`).
enum Timestamp {
    /// `2026-11-30T02:28:13Z`
    static func iso(_ date: Date) -> String { CivilTime(date).isoLocal + "Z" }

    /// `2026-11-30 10:28` in Asia/Shanghai, for pages.
    static func local(_ date: Date) -> String { CivilTime(date, offsetSeconds: CivilTime.beijingOffset).minutes }

    /// `2026-11-30T10:28:13+08:00`, Beijing time with its offset (Open311's W3C datetimes).
    static func beijing(_ date: Date) -> String { CivilTime(date, offsetSeconds: CivilTime.beijingOffset).isoLocal + "+08:00" }

    /// Today's date in Asia/Shanghai.
    static func today(_ now: Date) -> CivilDate { CivilTime(now, offsetSeconds: CivilTime.beijingOffset).date }

    /// The one parser of times from outside (API bodies, forms, imports); see `CivilTime.parse`.
    static func parse(_ text: String) -> Date? { CivilTime.parse(text) }
}
