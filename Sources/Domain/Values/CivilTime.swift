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
        // Years 0–9999 (every stored time): the 19 characters written digit by digit, one
        // allocation; a list of 50 requests formats 400 of them.
        guard (0...9999).contains(year) else {
            return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        }
        return String(unsafeUninitializedCapacity: 19) { b in
            func two(_ n: Int, at i: Int) {
                b[i] = UInt8(48 + n / 10)
                b[i + 1] = UInt8(48 + n % 10)
            }
            two(year / 100, at: 0); two(year % 100, at: 2)
            b[4] = UInt8(ascii: "-"); two(month, at: 5); b[7] = UInt8(ascii: "-"); two(day, at: 8)
            b[10] = UInt8(ascii: "T"); two(hour, at: 11); b[13] = UInt8(ascii: ":"); two(minute, at: 14); b[16] = UInt8(ascii: ":"); two(second, at: 17)
            return 19
        }
    }

    /// `2026-11-30 10:28`
    public var minutes: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):\(Self.pad(minute, 2))" }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
    }

    /// Days since 1970-01-01 of this civil date (Hinnant's days-from-civil).
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The instant this wall-clock time names at the given offset from UTC.
    public func instant(offsetSeconds: Int = 0) -> Date {
        let t = daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(t))
    }

    /// The first instant of a day in Beijing.
    public static func beijingMidnight(_ date: CivilDate) -> Date {
        CivilTime(year: date.year, month: date.month, day: date.day).instant(offsetSeconds: beijingOffset)
    }

    /// Parses the one time format every door of the platform accepts: `2026-11-30T09:15:00Z`,
    /// `2026-11-30T09:15:00+08:00` (or `+0800`), and without an offset (`2026-11-30 09:15`,
    /// `2026/11/30 09:15:00`, the `T` or a space between) as Beijing time. Fractions of a second
    /// are dropped. Impossible dates and times are refused.
    public static func parse(_ text: String) -> Date? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        func number(_ width: Int) -> Int? {
            guard s.count >= width else { return nil }
            let digits = s.prefix(width)
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            s = s.dropFirst(width)
            return Int(digits)
        }
        func take(_ c: Character) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }
        guard let y = number(4) else { return nil }
        let separator: Character = s.first == "/" ? "/" : "-"
        guard take(separator), let mo = number(2), take(separator), let d = number(2) else { return nil }
        guard take("T") || take(" ") || take("t"), let h = number(2), take(":"), let mi = number(2) else { return nil }
        var sec = 0
        if take(":") {
            guard let v = number(2) else { return nil }
            sec = v
            if take(".") || take(",") {
                let fraction = s.prefix(while: { $0.isASCII && $0.isNumber })
                guard !fraction.isEmpty else { return nil }
                s = s.dropFirst(fraction.count)
            }
        }
        var offset = beijingOffset
        if take("Z") || take("z") {
            offset = 0
        } else if let sign = s.first, sign == "+" || sign == "-" {
            s = s.dropFirst()
            guard let oh = number(2) else { return nil }
            _ = take(":")
            guard let om = number(2), oh <= 23, om <= 59 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (oh * 3600 + om * 60)
        }
        guard s.isEmpty, (1900...2200).contains(y), (1...12).contains(mo), (1...CivilDate.daysIn(month: mo, year: y)).contains(d),
              (0...23).contains(h), (0...59).contains(mi), (0...59).contains(sec) else { return nil }
        return CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: sec).instant(offsetSeconds: offset)
    }
}
