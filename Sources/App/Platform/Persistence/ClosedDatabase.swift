import FluentKit
import Logging
import NIOCore
import SQLKit

/// What `AppDatabase.db` hands out once the database has shut down: every query fails with
/// `DatabaseClosed`. Work still running when the server stops (an hourly job past the graceful
/// window, a request being cancelled) ends with an error it logs, not a crash of the process.
struct ClosedDatabase: Database, SQLDatabase {
    let context: DatabaseContext
    let dialect: any SQLDialect

    private func closed<T>() -> EventLoopFuture<T> { context.eventLoop.makeFailedFuture(DatabaseClosed()) }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> { closed() }
    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { closed() }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { closed() }
    var inTransaction: Bool { false }
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closed() }
    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closed() }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> { closed() }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws { throw DatabaseClosed() }
    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R { throw DatabaseClosed() }
}

/// The database has shut down (the server is stopping).
struct DatabaseClosed: Error, CustomStringConvertible {
    var description: String { "the database has shut down" }
}
