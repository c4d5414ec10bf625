@testable import App
import Foundation
import Logging
import SQLKit
import Testing

/// Work still running when the server stops (an hourly job past the graceful window) meets a
/// database that answers every query with an error, not a crash of the process.
@Suite("A database after shutdown")
struct ClosedDatabaseTests {
    static let logger = { var l = Logger(label: "test"); l.logLevel = .warning; return l }()

    @Test("queries, reads and transactions after shutdown fail with DatabaseClosed (503 over HTTP)", arguments: TestDatabase.all)
    func closed(db: TestDatabase) async throws {
        let storage: AppConfig.Storage
        switch db {
        case .sqlite: storage = .sqlite(path: NSTemporaryDirectory() + "gz-closed-\(UUID().uuidString).sqlite")
        case .postgres(let url): storage = .postgres(url: url)
        }
        let database = try await AppDatabase(storage: storage, logger: Self.logger)
        let one = try await database.db.sql().raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
        #expect(one == 1)
        await database.shutdown()
        await #expect(throws: DatabaseClosed.self) { try await database.db.sql().raw("SELECT 1 AS one").run() }
        await #expect(throws: DatabaseClosed.self) { try await database.reads.sql().raw("SELECT 1 AS one").all() }
        await #expect(throws: DatabaseClosed.self) { try await database.db.transaction { tx in try await tx.sql().raw("SELECT 1 AS one").run() } }
        // A group commit started after shutdown (its writer's loop is gone) is answered, not left waiting.
        let commits = GroupCommit<Int, Int> { jobs, tx in
            try await tx.sql().raw("SELECT 1 AS one").run()
            return jobs
        }
        await #expect(throws: DatabaseClosed.self) { _ = try await commits.submit(1, on: database) }
        #expect(HTTPFailure(DatabaseClosed())?.status == .serviceUnavailable)
    }
}
