import Foundation

/// Who provides a paid service (大小物业 and the street's repair teams).
public enum ProviderKind: String, RegistryCode, Codable {
    /// The compound's "big property": compound-wide order, greening, convenience.
    case bigProperty = "big_property"
    /// A building's "small property" (the former owner unit or a company): the building, its
    /// shared equipment and repairs inside homes.
    case smallProperty = "small_property"
    /// A professional repair team the street brings in, at a low fee.
    case repairTeam = "repair_team"
    /// A listed vendor.
    case vendor
}

/// Which part of the compound a menu item serves; the compound's rule routes it to a provider.
public enum ServicePart: String, RegistryCode, Codable {
    /// The compound as a whole (order, greening, convenience).
    case compound
    /// A building and its shared equipment.
    case building
    /// Inside a home.
    case home
}

/// Where a menu order stands.
public enum OrderStatus: String, RegistryCode, Codable {
    case ordered, accepted, scheduled, completed, confirmed, declined, cancelled

    public var isOpen: Bool { [.ordered, .accepted, .scheduled].contains(self) }
}

/// What happens to an order.
public enum OrderEvent: String, RegistryCode, Codable {
    /// The provider takes it.
    case accept
    /// The provider sets the visit time.
    case schedule
    /// The provider records the job done with its final price and how it was paid.
    case complete
    /// The provider cannot take it (with a reason).
    case decline
    /// The resident withdraws it before the work is done.
    case cancel
    /// The resident confirms the work and rates it.
    case confirm
}

/// A compound's rule for who serves which part: the big property the compound as a whole, each
/// building's small property its building and the homes in it. A building without a small
/// property of its own is served by the big property (a compound with one company is the usual case).
public struct ServiceRouting: Sendable, Equatable {
    public var bigProperty: UUID?
    public var smallProperty: [UUID: UUID]

    public init(bigProperty: UUID?, smallProperty: [UUID: UUID] = [:]) {
        self.bigProperty = bigProperty; self.smallProperty = smallProperty
    }
}

/// The rules of menu services.
public enum MenuRules {
    /// The provider an order goes to: the item's own provider when it has one (a street repair team,
    /// a vendor), else by the compound's rule for the item's part and the order's building. Nil
    /// when no one serves it.
    public static func route(itemProvider: UUID?, part: ServicePart, building: UUID?, rule: ServiceRouting) -> UUID? {
        if let itemProvider { return itemProvider }
        switch part {
        case .compound: return rule.bigProperty
        case .building, .home: return building.flatMap { rule.smallProperty[$0] } ?? rule.bigProperty
        }
    }

    /// The state after `event`, or nil when it may not happen now.
    public static func next(_ status: OrderStatus, _ event: OrderEvent) -> OrderStatus? {
        switch (status, event) {
        case (.ordered, .accept): .accepted
        case (.ordered, .decline), (.accepted, .decline): .declined
        case (.accepted, .schedule), (.scheduled, .schedule): .scheduled
        case (.accepted, .complete), (.scheduled, .complete): .completed
        case (.ordered, .cancel), (.accepted, .cancel), (.scheduled, .cancel): .cancelled
        case (.completed, .confirm): .confirmed
        default: nil
        }
    }

    /// Whether the event is the provider's (else the resident's who ordered).
    public static func isProviders(_ event: OrderEvent) -> Bool { ![.cancel, .confirm].contains(event) }

    /// The most a menu price may be: one hundred thousand yuan, in fen.
    public static let maximumPrice: Int64 = 10_000_000

    /// A price or range is sound: not negative, the top not below the bottom, under the maximum.
    public static func validPrice(min: Int64, max: Int64?) -> Bool {
        min >= 0 && min <= maximumPrice && (max.map { $0 >= min && $0 <= maximumPrice } ?? true)
    }

    /// A rating is one to five stars.
    public static func validRating(_ stars: Int) -> Bool { (1...5).contains(stars) }

    /// A time window a resident asks for: it ends after it starts, it does not start in the past
    /// (a minute's grace), and it lasts at most a week.
    public static func validWindow(from: Date, to: Date, now: Date) -> Bool {
        to > from && from >= now.addingTimeInterval(-60) && to.timeIntervalSince(from) <= 7 * 86_400
    }
}

/// One order as the provider statistics see it.
public struct OrderFact: Sendable, Hashable {
    public var status: OrderStatus
    public var orderedAt: Date
    public var completedAt: Date?
    /// The final price in fen, once completed.
    public var price: Int64?
    /// Stars given on confirmation.
    public var rating: Int?
    /// The Beijing month (first day) the order was completed in.
    public var completedMonth: CivilDate?

    public init(status: OrderStatus, orderedAt: Date, completedAt: Date? = nil, price: Int64? = nil, rating: Int? = nil, completedMonth: CivilDate? = nil) {
        self.status = status; self.orderedAt = orderedAt; self.completedAt = completedAt; self.price = price; self.rating = rating
        self.completedMonth = completedMonth
    }
}

/// A provider's figures.
public struct ProviderStats: Sendable, Equatable {
    public var orders = 0
    public var completed = 0
    public var declined = 0
    public var cancelled = 0
    /// Median minutes from the order to the work done (the mean of the middle two when even).
    public var medianMinutesToComplete: Int64?
    /// Stars given ÷ ratings: an exact average.
    public var rating = Ratio(0, 0)
    /// Final prices of completed work by the month it was done (`YYYY-MM`).
    public var revenueByMonth: [String: Int64] = [:]

    public init() {}

    public var revenue: Int64 { revenueByMonth.values.reduce(0, +) }

    /// The average rating to one decimal, "—" with no rating.
    public var ratingText: String {
        guard rating.denominator > 0 else { return "—" }
        let tenths = (rating.numerator * 10 + rating.denominator / 2) / rating.denominator
        return "\(tenths / 10).\(tenths % 10)"
    }

    public static func of(_ facts: [OrderFact]) -> ProviderStats {
        var s = ProviderStats()
        var minutes: [Int64] = []
        for f in facts {
            s.orders += 1
            switch f.status {
            case .declined: s.declined += 1
            case .cancelled: s.cancelled += 1
            case .completed, .confirmed:
                s.completed += 1
                if let done = f.completedAt { minutes.append(Int64(max(0, done.timeIntervalSince(f.orderedAt)) / 60)) }
                if let p = f.price, let m = f.completedMonth { s.revenueByMonth[m.monthText, default: 0] += p }
            default: break
            }
            if let r = f.rating { s.rating = Ratio(s.rating.numerator + Int64(r), s.rating.denominator + 1) }
        }
        if !minutes.isEmpty {
            let m = minutes.sorted(), n = m.count
            s.medianMinutesToComplete = n % 2 == 1 ? m[n / 2] : (m[n / 2 - 1] + m[n / 2]) / 2
        }
        return s
    }
}
