import Foundation

/// One dispute as the monthly figures see it.
public struct DisputeFact: Sendable, Hashable {
    public var kind: DisputeKind
    public var receivedOn: CivilDate
    public var outcome: DisputeOutcome?
    public var outcomeOn: CivilDate?

    public init(kind: DisputeKind, receivedOn: CivilDate, outcome: DisputeOutcome? = nil, outcomeOn: CivilDate? = nil) {
        self.kind = kind; self.receivedOn = receivedOn; self.outcome = outcome; self.outcomeOn = outcomeOn
    }
}

/// A month of source governance (源头治理) in one community or street.
public struct DisputeMonth: Sendable, Equatable {
    /// Disputes that came onto the list in the month.
    public var received = 0
    /// Settled by mediation with an agreement in the month.
    public var settled = 0
    /// Referred to court in the month.
    public var referred = 0
    /// Withdrawn or left unresolved in the month.
    public var otherwiseClosed = 0
    /// Received in the month, by kind.
    public var byKind: [DisputeKind: Int] = [:]
    /// The median of the days from receipt to settlement of those settled in the month, in
    /// hundredths of a day (exact: the mean of the two middle values when their number is even);
    /// nil when none was settled.
    public var medianDaysToSettle: Int64?

    public init() {}
}

/// The monthly figures of the dispute register.
public enum DisputeFigures {
    /// The figures of the month containing `month` over `facts`.
    public static func month(_ month: CivilDate, _ facts: [DisputeFact]) -> DisputeMonth {
        func inMonth(_ d: CivilDate?) -> Bool { d.map { $0.year == month.year && $0.month == month.month } ?? false }
        var m = DisputeMonth()
        var days: [Int] = []
        for f in facts {
            if inMonth(f.receivedOn) { m.received += 1; m.byKind[f.kind, default: 0] += 1 }
            guard let outcome = f.outcome, inMonth(f.outcomeOn), let on = f.outcomeOn else { continue }
            switch outcome {
            case .mediated: m.settled += 1; days.append(max(0, on.dayNumber - f.receivedOn.dayNumber))
            case .referred: m.referred += 1
            case .withdrawn, .unresolved: m.otherwiseClosed += 1
            }
        }
        m.medianDaysToSettle = median(days)
        return m
    }

    /// The median of whole numbers in hundredths (two middle values averaged), nil for none.
    public static func median(_ values: [Int]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted(), n = s.count
        return n % 2 == 1 ? Int64(s[n / 2]) * 100 : (Int64(s[n / 2 - 1]) + Int64(s[n / 2])) * 50
    }

    /// The twelve months ending with `last`, oldest first.
    public static func months(endingWith last: CivilDate, count: Int = 12) -> [CivilDate] {
        (0..<count).reversed().map { back in
            let index = last.year * 12 + (last.month - 1) - back
            return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
        }
    }
}
