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

/// What one event changes on a request besides its status: the side effects the rates count.
public struct RequestChange: Equatable, Sendable {
    /// A timestamp column: left alone, set, or cleared.
    public enum Stamp: Equatable, Sendable {
        case keep, set(Date), clear
    }

    public var status: RequestStatus
    /// Set when the request goes (back) to a handler: a transfer, or a rating that reopens it.
    public var dispatchedAt: Date?
    /// The first contact, which alone counts for the response rate, and whether it was in time.
    public var firstResponse: (at: Date, inTime: Bool)?
    public var resolvedAt: Stamp = .keep
    public var reply: String?
    /// The rating with the score the district gives its level.
    public var rating: (at: Date, resolved: Bool, satisfaction: Satisfaction, score: Int64)?
    /// An unresolved or dissatisfied rating sends it back; the reopen count goes up by one.
    public var reopened = false
    public var closedAt: Date?

    public static func == (a: RequestChange, b: RequestChange) -> Bool {
        a.status == b.status && a.dispatchedAt == b.dispatchedAt && a.firstResponse?.at == b.firstResponse?.at
            && a.firstResponse?.inTime == b.firstResponse?.inTime && a.resolvedAt == b.resolvedAt && a.reply == b.reply
            && a.rating?.at == b.rating?.at && a.rating?.resolved == b.rating?.resolved && a.rating?.satisfaction == b.rating?.satisfaction
            && a.rating?.score == b.rating?.score && a.reopened == b.reopened && a.closedAt == b.closedAt
    }
}

extension RequestLifecycle {
    /// The request as the life cycle needs to see it.
    public struct State: Sendable {
        public var status: RequestStatus
        public var respondBy: Date
        public var respondedAt: Date?
        public init(status: RequestStatus, respondBy: Date, respondedAt: Date?) {
            self.status = status
            self.respondBy = respondBy
            self.respondedAt = respondedAt
        }
    }

    /// Everything `event` changes, or nil when the transition table does not allow it.
    /// `reply` is the handler's answer on `resolve`; `scores` the district's score per level.
    public static func apply(_ state: State, _ event: RequestEvent, reply: String? = nil, now: Date,
                             scores: [Satisfaction: Int64]) -> RequestChange? {
        guard let to = next(state.status, event) else { return nil }
        var change = RequestChange(status: to)
        switch event {
        case .dispatch, .transfer:
            change.dispatchedAt = now
        case .respond:
            // Only the first contact counts: a reopened request keeps its first response.
            if state.respondedAt == nil { change.firstResponse = (now, now <= state.respondBy) }
        case .start, .escalate:
            break
        case .resolve:
            change.resolvedAt = .set(now)
            change.reply = reply
        case .rate(let resolved, let satisfaction):
            change.rating = (now, resolved, satisfaction, scores[satisfaction] ?? 0)
            if reopens(resolved: resolved, satisfaction: satisfaction) {
                change.reopened = true
                change.resolvedAt = .clear
                change.dispatchedAt = now
            }
        case .close:
            change.closedAt = now
        }
        return change
    }
}
