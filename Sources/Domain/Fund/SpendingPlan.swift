import Foundation

/// Repairs the emergency procedure covers (Beijing practice: lifts, fire systems, roof or wall
/// leaks, water supply and drainage, external wall hazards).
public enum EmergencyCategory: String, RegistryCode, Codable {
    case lift
    case fireSystem = "fire_system"
    case roofOrWallLeak = "roof_or_wall_leak"
    case waterSupplyDrainage = "water_supply_drainage"
    case externalWallHazard = "external_wall_hazard"
}

/// What a spending plan is waiting for.
public enum SpendingStatus: String, RegistryCode, Codable {
    /// Proposed; shares computed.
    case planned
    /// Paid from the rooms' accounts.
    case paid
    /// Emergency spending reported to the owners after payment.
    case reported
}

/// The decision a payment relies on, as far as the fund needs to know.
public struct FundDecision: Sendable, Hashable {
    public var matter: Matter
    public var passed: Bool
    public var roomIds: Set<UUID>

    public init(matter: Matter, passed: Bool, roomIds: Set<UUID>) {
        self.matter = matter
        self.passed = passed
        self.roomIds = roomIds
    }
}

/// Why a spending may not be paid yet.
public enum SpendingRefusal: Error, Equatable, Sendable {
    case noDecision
    case decisionNotPassed
    case wrongMatter
    /// The decision's voters do not include every room that bears the cost.
    case roomsNotCovered(count: Int)
    case noticeNotPublished
    case alreadyPaid
}

/// The rule for paying from the fund: only against a passed `use_maintenance_fund` decision whose
/// rooms cover the plan, or through the emergency procedure after a notice to owners.
public enum SpendingRules {
    public static func mayPay(status: SpendingStatus, roomIds: Set<UUID>, emergency: EmergencyCategory?, noticePublished: Bool,
                              decision: FundDecision?) -> SpendingRefusal? {
        guard status == .planned else { return .alreadyPaid }
        if emergency != nil { return noticePublished ? nil : .noticeNotPublished }
        guard let decision else { return .noDecision }
        guard decision.matter == .useMaintenanceFund else { return .wrongMatter }
        guard decision.passed else { return .decisionNotPassed }
        let missing = roomIds.subtracting(decision.roomIds)
        return missing.isEmpty ? nil : .roomsNotCovered(count: missing.count)
    }
}
