import Foundation

/// How urgent a request is; each class has a respond-by and a resolve-by.
public enum Urgency: String, RegistryCode, Codable {
    /// Danger to people or property.
    case emergency
    /// Water, power, gas or heating out.
    case utilities
    case general
    /// Needs several parties or works.
    case complex
}

/// A district's deadlines per urgency class, in seconds after receipt.
public struct DeadlinePolicy: Sendable, Hashable {
    public var respondWithin: [Urgency: Int]
    public var resolveWithin: [Urgency: Int]

    public init(respondWithin: [Urgency: Int], resolveWithin: [Urgency: Int]) {
        self.respondWithin = respondWithin
        self.resolveWithin = resolveWithin
    }

    /// Resolve within 2 hours, 24 hours, 7 days and 15 days; respond within 30 minutes, 2 hours,
    /// 24 hours and 24 hours.
    public static let standard = DeadlinePolicy(
        respondWithin: [.emergency: 30 * 60, .utilities: 2 * 3600, .general: 24 * 3600, .complex: 24 * 3600],
        resolveWithin: [.emergency: 2 * 3600, .utilities: 24 * 3600, .general: 7 * 86_400, .complex: 15 * 86_400]
    )

    /// Respond-by and resolve-by for a request received at `receivedAt`.
    public func deadlines(_ urgency: Urgency, receivedAt: Date) -> (respondBy: Date, resolveBy: Date) {
        (receivedAt.addingTimeInterval(TimeInterval(respondWithin[urgency] ?? 24 * 3600)),
         receivedAt.addingTimeInterval(TimeInterval(resolveWithin[urgency] ?? 7 * 86_400)))
    }

    /// Overdue: past a deadline without the step it bounds (a response, a resolution).
    public func isOverdue(_ urgency: Urgency, receivedAt: Date, respondedAt: Date?, resolvedAt: Date?, now: Date) -> Bool {
        let d = deadlines(urgency, receivedAt: receivedAt)
        return Self.isOverdue(respondBy: d.respondBy, resolveBy: d.resolveBy, respondedAt: respondedAt, resolvedAt: resolvedAt, now: now)
    }

    /// The same rule on a request's stored deadlines (which a district's settings may have set).
    /// `RequestService.overdue(now:)` states it in SQL for lists and counts.
    public static func isOverdue(respondBy: Date, resolveBy: Date, respondedAt: Date?, resolvedAt: Date?, now: Date) -> Bool {
        (respondedAt == nil && now > respondBy) || (resolvedAt == nil && now > resolveBy)
    }
}
