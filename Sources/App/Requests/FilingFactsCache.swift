import Domain
import Foundation
import Synchronization

/// What a filer may know of a compound to file there (`RequestService.FilingFacts`: how the
/// filer's grants reach it, where it sits, its district's deadlines, its contracts), remembered
/// for a few seconds per filer, compound and day. Read from ten tables, it was the one read of a
/// filing, and on PostgreSQL setting up its plan of joins cost more than running it (a third of
/// the database's CPU while owners filed, `perf`; issue: speed).
///
/// A memory holds while this process has changed nothing about places, people, grants, contracts
/// or settings since it was read (`RegistryChanges`, counted by the audit log) and for at most
/// `lifetime` — which bounds how long a change made by another process sharing PostgreSQL (or
/// one committing while the facts were read) goes unseen, as `SessionCache` bounds it for
/// credentials. The filer's grants are part of the key: a changed grant is another key.
final class FilingFactsCache: Sendable {
    static let lifetime: TimeInterval = 5
    /// Beyond this many memories the cache starts afresh (a bound, not an expected size).
    static let capacity = 20_000

    struct Key: Hashable, Sendable {
        let compound: UUID
        let kind: Actor.Kind, id: UUID?, grants: [Grant]
        /// Beijing's day: which contracts serve the compound is a matter of the day.
        let day: String

        init(_ ctx: AccessContext, compound: UUID) {
            self.compound = compound
            kind = ctx.actor.kind; id = ctx.actor.id; grants = ctx.actor.grants
            day = ctx.today
        }
    }

    private struct Entry: Sendable {
        let facts: RequestService.FilingFacts
        let until: Date
        let changes: UInt64
    }

    private let entries = Mutex<[Key: Entry]>([:])
    /// The change count to hold memories against (`RegistryChanges.current`; a test's own count in tests).
    private let changes: @Sendable () -> UInt64

    init(changes: @escaping @Sendable () -> UInt64 = { RegistryChanges.current }) {
        self.changes = changes
    }

    /// The facts remembered for `key`, if they still hold.
    func facts(_ key: Key, now: Date) -> RequestService.FilingFacts? {
        let changes = self.changes()
        return entries.withLock { d in
            guard let e = d[key] else { return nil }
            guard e.until > now, e.changes == changes else { d[key] = nil; return nil }
            return e.facts
        }
    }

    /// The change count now: read it before reading the facts to remember.
    var currentChanges: UInt64 { changes() }

    /// Remembers facts read when the change count stood at `changes` (read before the facts were).
    func remember(_ key: Key, _ facts: RequestService.FilingFacts, changes: UInt64, now: Date) {
        guard changes == self.changes() else { return }
        entries.withLock { d in
            if d.count >= Self.capacity { d.removeAll() }
            d[key] = Entry(facts: facts, until: now.addingTimeInterval(Self.lifetime), changes: changes)
        }
    }
}
