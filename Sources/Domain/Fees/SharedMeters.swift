import Foundation

/// What a shared meter measures.
public enum MeterKind: String, RegistryCode, Codable {
    case water, electricity
}

/// Shared (公摊) meters: a month's usage from two readings, its cost, and its share per room.
public enum SharedMeters {
    public enum Refusal: String, Error, Sendable, Equatable {
        /// A reading below the last one, not marked as a new meter.
        case readingLower = "reading_lower"
        case negative
    }

    /// Usage in hundredths of a unit since `previous`: nothing for a meter's first reading, the
    /// whole reading for a new meter (it starts at zero), refused when it runs backwards.
    public static func usage(previous: Int64?, current: Int64, meterChanged: Bool) -> Result<Int64, Refusal> {
        guard current >= 0 else { return .failure(.negative) }
        if meterChanged { return .success(current) }
        guard let previous else { return .success(0) }
        guard current >= previous else { return .failure(.readingLower) }
        return .success(current - previous)
    }

    /// The cost in fen of `usage` hundredths of a unit at `unitPrice` fen a unit, rounded half up.
    public static func cost(usage: Int64, unitPrice: Int64) -> Int64 {
        Billing.clamp(Billing.roundHalfUp(Int128(usage) * Int128(unitPrice), 100))
    }

    /// Each room's share of `cost` by area, to the fen (the odd fen by largest remainder, as the fund does).
    public static func shares(_ cost: Int64, areas: [(id: UUID, weight: Int64)]) -> [UUID: Int64] {
        Apportion.byWeight(cost, areas.sorted { $0.id.uuidString < $1.id.uuidString })
    }
}
