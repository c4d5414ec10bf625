import FluentKit
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The handles of one pool (`Databases`), made once per event loop and kept. Fluent's
/// `Databases.database(logger:on:)` takes a lock, looks the configuration up and has the driver
/// allocate a new handle on every call; `AppDatabase.db` is read several times per request, and
/// that took 1.7–3.5% of the server's CPU while filing on PostgreSQL. A handle holds no state of
/// its own use (the loop's connection pool, a logger), so one per loop serves every caller.
final class DatabaseHandles: Sendable {
    private struct State {
        var databases: Databases
        var handles: [ObjectIdentifier: any Database] = [:]
        /// Set at shutdown: handles are asked of the pool each time, so they end when it does.
        var closing = false
    }

    private let state: NIOLockedValueBox<State>
    private let logger: Logger

    init(_ databases: Databases, logger: Logger) {
        state = NIOLockedValueBox(State(databases: databases))
        self.logger = logger
    }

    /// The pool in use.
    var databases: Databases { state.withLockedValue { $0.databases } }

    /// The handle on `loop`; nil once the pool is shut down (it has no configuration left).
    func handle(on loop: any EventLoop) -> (any Database)? {
        state.withLockedValue { state in
            let key = ObjectIdentifier(loop)
            if let kept = state.handles[key] { return kept }
            guard let made = state.databases.database(logger: logger, on: loop) else { return nil }
            if !state.closing { state.handles[key] = made }
            return made
        }
    }

    /// Puts `fresh` in place of the pool and forgets the old one's handles; answers the old pool.
    func replace(with fresh: Databases) -> Databases {
        state.withLockedValue { state in
            defer { state = State(databases: fresh, closing: state.closing) }
            return state.databases
        }
    }

    /// Forgets every handle and keeps no more: from now on each is asked of the pool again (which,
    /// shut down, has none).
    func close() {
        state.withLockedValue { $0.handles = [:]; $0.closing = true }
    }
}
