/// Ranks in a published ranking: units with too few rated requests are listed apart (样本不足),
/// not ranked (a unit with two good ratings would otherwise top the list at 100.00), and equal
/// composites share a rank, the next rank skipping as many places ("1, 1, 3").
public enum RankOrder {
    /// The smallest number of rated requests a unit needs in the month to be ranked, unless the district sets another.
    public static let defaultMinimumRated: Int64 = 10

    public static func hasSample(rated: Int64, minimum: Int64) -> Bool { rated >= minimum }

    /// Competition ranks for `count` units already in order; `tied(i)` says whether unit `i` ties with unit `i - 1`.
    public static func ranks(count: Int, tied: (Int) -> Bool) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            out.append(i > 0 && tied(i) ? out[i - 1] : i + 1)
        }
        return out
    }

    /// The last month that has ended on `today` (`YYYY-MM-DD`): the month a ranking shows by default.
    public static func lastCompleteMonth(today: String) -> String {
        let parts = today.split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2 else { return String(today.prefix(7)) }
        let (y, m) = parts[1] == 1 ? (parts[0] - 1, 12) : (parts[0], parts[1] - 1)
        return String(format: "%04d-%02d", y, m)
    }
}
