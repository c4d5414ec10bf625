/// Parsing and formatting of non-negative decimals with at most two fractional digits,
/// held as an exact count of hundredths. Shared by areas (m²) and money (yuan → fen).
public enum FixedPoint2 {
    /// Why a decimal string was refused.
    public enum ParseError: Error, Equatable, Sendable {
        case empty, notANumber, negative, tooManyDecimals, tooLarge
    }

    /// Parses `"89.5"`, `"89.50"` or `"89"` into 8950; refuses signs, exponents, spaces and a
    /// third decimal rather than rounding it away.
    public static func parse(_ text: String, allowNegative: Bool = false) throws(ParseError) -> Int64 {
        var s = Substring(text)
        guard !s.isEmpty else { throw .empty }
        var negative = false
        if s.first == "-" {
            guard allowNegative else { throw .negative }
            negative = true
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || !fraction.isEmpty
        else { throw .notANumber }
        guard fraction.count <= 2 else { throw .tooManyDecimals }
        guard whole.count <= 15, let w = Int64(whole) else { throw .tooLarge }
        let padded = fraction + String(repeating: "0", count: 2 - fraction.count)
        let f = Int64(padded) ?? 0
        let (scaled, o1) = w.multipliedReportingOverflow(by: 100)
        let (sum, o2) = scaled.addingReportingOverflow(f)
        guard !o1, !o2 else { throw .tooLarge }
        return negative ? -sum : sum
    }

    /// Formats 8950 as `"89.50"`; always two decimals.
    public static func format(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// What a person typed with thousands separated, as `parse` reads it: full-width digits and
    /// commas made plain, and commas removed only where they group thousands (`38,000.5` →
    /// `38000.5`; `3,80` stays as typed, to be refused).
    public static func ungrouped(_ text: String) -> String {
        var plain = ""
        for u in text.trimmingCharacters(in: .whitespaces).unicodeScalars {
            if (0xFF10...0xFF19).contains(u.value) || u.value == 0xFF0C || u.value == 0xFF0E, let h = Unicode.Scalar(u.value - 0xFEE0) {
                plain.unicodeScalars.append(h)
            } else {
                plain.unicodeScalars.append(u)
            }
        }
        guard plain.contains(",") else { return plain }
        let parts = plain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return plain }
        return groups.joined() + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// For reading on a page: thousands separated (`9,916,856.43`). Files and the API keep `format`.
    public static func grouped(_ hundredths: Int64) -> String {
        let plain = format(hundredths)
        let negative = plain.hasPrefix("-")
        let digits = negative ? plain.dropFirst() : Substring(plain)
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = ""
        for (i, ch) in parts[0].reversed().enumerated() {
            if i > 0 && i % 3 == 0 { whole.append(",") }
            whole.append(ch)
        }
        return (negative ? "-" : "") + String(whole.reversed()) + "." + parts[1]
    }
}

/// An exclusive (专有部分) or other floor area in hundredths of a square metre.
public struct Area: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hundredths: Int64
    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init(parsing text: String) throws(FixedPoint2.ParseError) {
        hundredths = try FixedPoint2.parse(text)
    }
    public static func < (a: Area, b: Area) -> Bool { a.hundredths < b.hundredths }
    public static func + (a: Area, b: Area) -> Area { Area(hundredths: a.hundredths + b.hundredths) }
    public static let zero = Area(hundredths: 0)
    /// `"89.50"`
    public var description: String { FixedPoint2.format(hundredths) }
}

/// An amount of money in fen (分), 1/100 yuan.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var fen: Int64
    public init(fen: Int64) { self.fen = fen }
    public init(parsing text: String, allowNegative: Bool = false) throws(FixedPoint2.ParseError) {
        fen = try FixedPoint2.parse(text, allowNegative: allowNegative)
    }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static let zero = Money(fen: 0)
    /// The largest amount any form or API body may state: 10,000,000,000.00 yuan. Far above any
    /// real fee, fund or price, and low enough that sums of many of them stay inside `Int64`.
    public static let inputLimit = Money(fen: 1_000_000_000_000)
    /// `"3.50"` (yuan with two decimals)
    public var description: String { FixedPoint2.format(fen) }
}
