import Foundation

/// A calendar date and wall-clock time at a fixed UTC offset, computed with integer arithmetic
/// (Hinnant's days-from-civil algorithm). Formatting through `DateFormatter` costs about as much as
/// a database query per value on Linux; lists format thousands of times, so they use this.
/// Asia/Shanghai has had no daylight saving since 1991: it is UTC+8 for every instant this platform
/// records (not for 1986–1991 or the 1940s, which it never stores).
public struct CivilTime: Sendable, Hashable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// Beijing time's offset from UTC, in seconds.
    public static let beijingOffset = 8 * 3600

    public init(_ date: Date, offsetSeconds: Int = 0) {
        let t = Int((date.timeIntervalSince1970).rounded(.down)) + offsetSeconds
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        hour = secs / 3600; minute = secs % 3600 / 60; second = secs % 60
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var date: CivilDate { CivilDate(year: year, month: month, day: day) }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2026-11-30T02:28:13`
    public var isoLocal: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
    }

    /// `2026-11-30 10:28`
    public var minutes: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):\(Self.pad(minute, 2))" }
}
