/// An exact ratio of two non-negative integers, compared by cross-multiplication so that
/// thresholds such as "at least two thirds" never suffer rounding.
public struct Ratio: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int64
    public var denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// `numerator/denominator >= other` (a zero denominator never reaches a positive threshold).
    public func isAtLeast(_ other: Ratio) -> Bool {
        guard denominator > 0 else { return other.numerator == 0 }
        return Ratio.compare(numerator, other.denominator, other.numerator, denominator) >= 0
    }

    /// `numerator/denominator > other`.
    public func isMoreThan(_ other: Ratio) -> Bool {
        guard denominator > 0 else { return false }
        return Ratio.compare(numerator, other.denominator, other.numerator, denominator) > 0
    }

    /// Percentage in hundredths of a percent (e.g. 6667 for 2/3), rounded half up; for display only.
    public var basisPoints: Int64? {
        guard denominator > 0 else { return nil }
        return (numerator * 20_000 / denominator + 1) / 2
    }

    /// `"66.67%"`, or `"—"` when the denominator is zero.
    public var percentText: String {
        guard let bp = basisPoints else { return "—" }
        return FixedPoint2.format(bp) + "%"
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

extension Ratio {
    /// Sign of `a*b - c*d`, computed in 128 bits so that no product can overflow.
    static func compare(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) -> Int {
        let l = a.multipliedFullWidth(by: b)
        let r = c.multipliedFullWidth(by: d)
        if l.high != r.high { return l.high < r.high ? -1 : 1 }
        if l.low != r.low { return l.low < r.low ? -1 : 1 }
        return 0
    }
}
