import Foundation

/// Where a resident's request (诉求) is in its life (接诉即办).
public enum RequestStatus: String, RegistryCode, Codable {
    case received, dispatched, responded
    case inProgress = "in_progress"
    case escalated, resolved, rated, closed
}

/// How satisfied the reporter is (满意, 基本满意, 不满意).
public enum Satisfaction: String, RegistryCode, Codable {
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied
}

/// What can happen to a request.
public enum RequestEvent: Sendable, Hashable {
    /// Sent to a handler (the company under contract, or the community).
    case dispatch
    /// Given to another handler, with a reason.
    case transfer
    /// The handler contacted the reporter.
    case respond
    case start
    /// Raised to a whistle-and-report case by the street.
    case escalate
    /// The handler's reply.
    case resolve
    /// The reporter's rating; an unresolved or dissatisfied rating reopens the request.
    case rate(resolved: Bool, satisfaction: Satisfaction)
    case close
}

/// The explicit transition table. Anything not listed is an illegal transition (409).
public enum RequestLifecycle {
    /// The status after `event`, or nil when the event is not allowed in `status`.
    public static func next(_ status: RequestStatus, _ event: RequestEvent) -> RequestStatus? {
        switch (status, event) {
        case (.received, .dispatch): .dispatched
        case (.dispatched, .transfer), (.responded, .transfer), (.inProgress, .transfer): .dispatched
        case (.dispatched, .respond): .responded
        case (.responded, .start): .inProgress
        case (.dispatched, .escalate), (.responded, .escalate), (.inProgress, .escalate): .escalated
        case (.responded, .resolve), (.inProgress, .resolve), (.escalated, .resolve): .resolved
        case (.resolved, .rate(let resolved, let satisfaction)):
            Self.reopens(resolved: resolved, satisfaction: satisfaction) ? .dispatched : .rated
        case (.rated, .close): .closed
        default: nil
        }
    }

    /// An unresolved or dissatisfied rating sends the request back to its handler (and is counted).
    public static func reopens(resolved: Bool, satisfaction: Satisfaction) -> Bool {
        !resolved || satisfaction == .dissatisfied
    }
}
