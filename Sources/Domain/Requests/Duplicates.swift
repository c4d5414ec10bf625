import Foundation

/// Requests about one problem: offering an open one to join instead of filing again, and merging
/// duplicates into one that carries on (its rates count the problem once).
public enum Duplicates {
    /// How far back an open request of the same compound and category is offered to join.
    public static let window: TimeInterval = 7 * 86_400

    /// Still being worked: not yet resolved, rated or closed.
    public static func open(_ status: RequestStatus) -> Bool {
        ![.resolved, .rated, .closed].contains(status)
    }

    /// A request someone filing in `compound` about `category` at `now` could join instead.
    public struct Candidate: Sendable, Equatable {
        public let id: UUID, compoundId: UUID, category: RequestCategory, status: RequestStatus, receivedAt: Date, mergedInto: UUID?
        public init(id: UUID, compoundId: UUID, category: RequestCategory, status: RequestStatus, receivedAt: Date, mergedInto: UUID?) {
            self.id = id; self.compoundId = compoundId; self.category = category; self.status = status; self.receivedAt = receivedAt; self.mergedInto = mergedInto
        }
    }

    /// The candidates to offer, newest first: same compound and category, open, not merged, within the window.
    public static func offered(compound: UUID, category: RequestCategory, now: Date, among all: [Candidate]) -> [Candidate] {
        all.filter { $0.compoundId == compound && $0.category == category && open($0.status) && $0.mergedInto == nil
            && $0.receivedAt <= now && now.timeIntervalSince($0.receivedAt) <= window }
            .sorted { $0.receivedAt > $1.receivedAt }
    }

    /// Why `duplicate` may not be merged into `survivor`, or nil.
    public enum Refusal: String, Sendable, Equatable {
        case same = "same_request", otherCompound = "other_compound", notOpen = "not_open", alreadyMerged = "already_merged"
    }

    public static func mayMerge(_ duplicate: Candidate, into survivor: Candidate) -> Refusal? {
        if duplicate.id == survivor.id { return .same }
        if duplicate.compoundId != survivor.compoundId { return .otherCompound }
        if duplicate.mergedInto != nil || survivor.mergedInto != nil { return .alreadyMerged }
        if !open(duplicate.status) || [.rated, .closed].contains(survivor.status) { return .notOpen }
        return nil
    }
}
