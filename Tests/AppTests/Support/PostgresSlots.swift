@testable import App
import NIOCore
import NIOPosix

/// Bounds how many test apps hold a PostgreSQL pool at once. Swift Testing starts every test
/// at the same time, each app's pool may open `postgresConnectionsPerLoop` connections on each
/// core's loop, and the test server allows 200 (`scripts/start-postgres`): unbounded, the suite
/// peaked at 190 on two cores and once failed with "too many clients already".
actor PostgresSlots {
    /// Connections the tests may hold together, the rest of the server's 200 left for the
    /// admin connections that create and drop databases and for a second app a test opens.
    static let connectionBudget = 140
    static let shared = PostgresSlots(limit: max(1, connectionBudget / (System.coreCount * AppDatabase.postgresConnectionsPerLoop + 1)))

    /// Whether this task already holds a slot (an app opened inside another waits for none).
    @TaskLocal static var held = false

    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    /// Runs `body` once a slot is free, and frees it however `body` ends.
    static func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if held { return try await body() }
        await shared.acquire()
        do {
            let result = try await $held.withValue(true) { try await body() }
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        if inUse < limit { inUse += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { inUse -= 1 } else { waiting.removeFirst().resume() }
    }
}
