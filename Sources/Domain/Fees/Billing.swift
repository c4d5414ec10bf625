import Foundation

/// How often a contract bills its rooms.
public enum BillingCycle: String, RegistryCode, Codable {
    case monthly, quarterly, yearly

    /// Months in one period.
    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .yearly: 12
        }
    }
}

/// A stretch of days billed at one contract's rate: a contract in force for part of a period
/// bills only its own days, so a change of company or of rate takes effect from its date.
public struct FeeSegment: Sendable, Equatable {
    public let contractId: UUID
    /// Fen per m² per month.
    public let ratePerSqmMonth: Int64
    public let from: CivilDate
    public let through: CivilDate

    public init(contractId: UUID, ratePerSqmMonth: Int64, from: CivilDate, through: CivilDate) {
        self.contractId = contractId
        self.ratePerSqmMonth = ratePerSqmMonth
        self.from = from
        self.through = through
    }
}

/// Property fees: billing periods, pro-rating by days, and the one rule for the odd fen.
public enum Billing {
    /// The period of `cycle` that contains `date`: a calendar month, quarter or year.
    public static func period(containing date: CivilDate, cycle: BillingCycle) -> (start: CivilDate, end: CivilDate) {
        let firstMonth = ((date.month - 1) / cycle.months) * cycle.months + 1
        let lastMonth = firstMonth + cycle.months - 1
        return (CivilDate(year: date.year, month: firstMonth, day: 1),
                CivilDate(year: date.year, month: lastMonth, day: CivilDate.daysIn(month: lastMonth, year: date.year)))
    }

    /// The day after `d`.
    public static func next(_ d: CivilDate) -> CivilDate {
        if d.day < CivilDate.daysIn(month: d.month, year: d.year) { return CivilDate(year: d.year, month: d.month, day: d.day + 1) }
        return d.month == 12 ? CivilDate(year: d.year + 1, month: 1, day: 1) : CivilDate(year: d.year, month: d.month + 1, day: 1)
    }

    /// Days from `a` through `b`, both counted (0 when `b` is before `a`).
    public static func days(from a: CivilDate, through b: CivilDate) -> Int {
        guard !(b < a) else { return 0 }
        var n = 0, d = a
        while !(b < d) { n += 1; d = next(d) }
        return n
    }

    /// `numerator / denominator` rounded half up, for non-negative values.
    public static func roundHalfUp(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        clamp(roundHalfUp(Int128(numerator), Int128(denominator)))
    }

    /// The most one bill may charge (ten billion yuan): anything above is a mistake in the records,
    /// refused rather than stored, and it keeps every sum of bills far inside 64 bits.
    public static let maximumBill: Int64 = 1_000_000_000_000

    static func roundHalfUp(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        (numerator * 2 + denominator) / (denominator * 2)
    }

    /// Products of areas, rates and days are taken in 128 bits; a result past `maximumBill` is
    /// reported as `maximumBill + 1` (never a trap, never a wrapped number).
    static func clamp(_ value: Int128) -> Int64 {
        value > Int128(maximumBill) ? maximumBill + 1 : Int64(value)
    }

    /// The fee of a room of `area` (hundredths of m²) at `rate` (fen per m² per month) for the days
    /// from `from` through `through`. Each calendar month is charged in full when covered whole and
    /// by its covered days over its own length otherwise; each month's charge is rounded half up to
    /// the fen on its own, and the months are added: the same days always cost the same fen,
    /// whichever period they are billed in.
    public static func amount(area: Int64, rate: Int64, from: CivilDate, through: CivilDate) -> Int64 {
        guard area > 0, rate > 0, !(through < from) else { return 0 }
        var total: Int128 = 0
        var start = from
        while !(through < start) {
            let monthEnd = CivilDate(year: start.year, month: start.month, day: CivilDate.daysIn(month: start.month, year: start.year))
            let end = through < monthEnd ? through : monthEnd
            let covered = Int128(days(from: start, through: end)), length = Int128(monthEnd.day)
            total += roundHalfUp(Int128(area) * Int128(rate) * covered, 100 * length)
            start = next(end)
        }
        return clamp(total)
    }

    /// As `amount`, with the days inside `vacant` stretches (a room declared empty) charged at
    /// `100 − discountPercent` per cent: each month's charge is
    /// area × rate × (occupied days × 100 + vacant days × (100 − discount)) ÷ (days in month × 100 × 100),
    /// rounded half up to the fen once per month.
    public static func amount(area: Int64, rate: Int64, from: CivilDate, through: CivilDate,
                              vacant: [(from: CivilDate, through: CivilDate?)], discountPercent: Int64) -> Int64 {
        guard discountPercent > 0, !vacant.isEmpty else { return amount(area: area, rate: rate, from: from, through: through) }
        guard area > 0, rate > 0, !(through < from) else { return 0 }
        let pct = min(100, discountPercent)
        func isVacant(_ d: CivilDate) -> Bool { vacant.contains { !(d < $0.from) && ($0.through.map { !($0 < d) } ?? true) } }
        var total: Int128 = 0
        var start = from
        while !(through < start) {
            let monthEnd = CivilDate(year: start.year, month: start.month, day: CivilDate.daysIn(month: start.month, year: start.year))
            let end = through < monthEnd ? through : monthEnd
            var occupied: Int128 = 0, empty: Int128 = 0, d = start
            while !(end < d) { if isVacant(d) { empty += 1 } else { occupied += 1 }; d = next(d) }
            total += roundHalfUp(Int128(area) * Int128(rate) * (occupied * 100 + empty * Int128(100 - pct)), 100 * Int128(monthEnd.day) * 100)
            start = next(end)
        }
        return clamp(total)
    }

    /// The parts of `period` each contract covers, from contracts given as (id, rate, starts, ends).
    /// Days no contract covers are not billed.
    public static func segments(period: (start: CivilDate, end: CivilDate),
                                contracts: [(id: UUID, rate: Int64, startsOn: CivilDate, endsOn: CivilDate?)]) -> [FeeSegment] {
        contracts.compactMap { c in
            let from = c.startsOn < period.start ? period.start : c.startsOn
            let through = c.endsOn.map { $0 < period.end ? $0 : period.end } ?? period.end
            guard !(through < from) else { return nil }
            return FeeSegment(contractId: c.id, ratePerSqmMonth: c.rate, from: from, through: through)
        }.sorted { $0.from < $1.from }
    }

    /// Whole days past a due date (0 on the day itself and before).
    public static func daysOverdue(due: CivilDate, today: CivilDate) -> Int {
        max(0, days(from: due, through: today) - 1)
    }

    /// A bill's state from what it charges and what has been paid against it.
    public static func status(amount: Int64, paid: Int64, disputed: Bool) -> BillStatus {
        if disputed { return .disputed }
        if paid >= amount { return .paid }
        return paid > 0 ? .partial : .unpaid
    }
}

/// What a company may bill a room for besides the property fee and the shared meters.
public enum ChargeItem: String, RegistryCode, Codable {
    case parking, other
}

/// Where a bill stands.
public enum BillStatus: String, RegistryCode, Codable {
    case unpaid, partial, paid, disputed
}

/// How a payment was made (recorded, never processed here).
public enum PaymentMethod: String, RegistryCode, Codable {
    case cash, wechat, alipay, bankTransfer = "bank_transfer"
}

/// The collection rate (收缴率) of a set of bills: by amount and by rooms.
public struct CollectionRate: Sendable, Equatable {
    public var billed: Int64 = 0
    public var collected: Int64 = 0
    public var rooms: Int = 0
    /// Rooms whose bills in the set are paid in full.
    public var roomsPaid: Int = 0

    public init() {}

    /// Adds one room's bills: what they charge and what was paid against them (never counted above the charge).
    public mutating func add(roomBilled: Int64, roomPaid: Int64) {
        guard roomBilled > 0 else { return }
        billed += roomBilled
        collected += min(roomPaid, roomBilled)
        rooms += 1
        if roomPaid >= roomBilled { roomsPaid += 1 }
    }

    /// Rate by amount, as a ratio for display.
    public var byAmount: Ratio { Ratio(collected, billed) }
    public var byRooms: Ratio { Ratio(Int64(roomsPaid), Int64(rooms)) }
}
