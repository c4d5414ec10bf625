import Domain
import Foundation
import Synchronization

/// Who a credential stands for, remembered for a few seconds so a signed-in call costs no round
/// of queries. This process forgets everything at once whenever a session, password, account,
/// grant or key changes (`clear`); another process sharing the database sees such a change when
/// its own entry lapses, within `lifetime`.
final class SessionCache: Sendable {
    /// How stale another process's view of a revoked session or changed grant may be.
    static let lifetime: TimeInterval = 5
    /// Beyond this many credentials the cache starts afresh (a bound, not an expected size).
    static let capacity = 20_000

    private struct Entry: Sendable { let actor: Actor, until: Date }
    private let entries = Mutex<[String: Entry]>([:])

    func actor(_ key: String, now: Date) -> Actor? {
        entries.withLock { d in
            guard let e = d[key] else { return nil }
            if e.until <= now { d[key] = nil; return nil }
            return e.actor
        }
    }

    func remember(_ key: String, _ actor: Actor, now: Date, expiresAt: Date?) {
        let until = min(now.addingTimeInterval(Self.lifetime), expiresAt ?? .distantFuture)
        entries.withLock { d in
            if d.count >= Self.capacity { d.removeAll() }
            d[key] = Entry(actor: actor, until: until)
        }
    }

    /// Forgets every credential: called after any change to sessions, passwords, accounts, grants or keys commits.
    func clear() { entries.withLock { $0.removeAll() } }
}
