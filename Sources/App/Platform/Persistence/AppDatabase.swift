import Domain
import Foundation
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLKit

/// The database the app runs on: SQLite (one connection, so one writer and no "database is
/// locked") or PostgreSQL (a pool), behind the same Fluent/SQLKit interface.
public final class AppDatabase: Sendable {
    public let storage: AppConfig.Storage
    let databases: Databases
    let eventLoopGroup: any EventLoopGroup
    let threadPool: NIOThreadPool
    let ownsEventLoopGroup: Bool
    let logger: Logger

    public init(storage: AppConfig.Storage, logger: Logger, timeoutSeconds: Int64 = 5) async throws {
        self.storage = storage
        self.logger = logger
        switch storage {
        case .sqlite(let path):
            // One event loop and one pool thread give exactly one connection: every write is serialised.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            eventLoopGroup = group
            threadPool = pool
            ownsEventLoopGroup = true
            databases = Databases(threadPool: pool, on: group)
            databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            eventLoopGroup = MultiThreadedEventLoopGroup.singleton
            threadPool = NIOThreadPool.singleton
            ownsEventLoopGroup = false
            databases = Databases(threadPool: threadPool, on: eventLoopGroup)
            // A short wait for a connection: while the database is away each request answers 503 in
            // seconds instead of queueing behind thousands of others, so the queue is empty when it returns.
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(timeoutSeconds),
                                        sqlLogLevel: .trace), as: .psql)
        }
        if case .sqlite = storage {
            let sql = db.sql()
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=NORMAL").run()
            try await sql.raw("PRAGMA busy_timeout=10000").run()
            try await sql.raw("PRAGMA foreign_keys=ON").run()
            // Random UUID keys touch pages all over the indexes: a 64 MiB page cache and memory-mapped
            // reads keep a district-sized registry out of the kernel's read path.
            try await sql.raw("PRAGMA cache_size=-65536").run()
            try await sql.raw("PRAGMA mmap_size=268435456").run()
            try await sql.raw("PRAGMA temp_store=MEMORY").run()
        }
    }

    /// A database handle for one unit of work.
    public var db: any Database {
        databases.database(logger: logger, on: eventLoopGroup.any())!
    }

    public var isPostgres: Bool { if case .postgres = storage { return true }; return false }

    /// Applies every migration not yet applied.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(AppMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// How many migrations are applied (the schema version); fails when the database is unreachable.
    public func appliedMigrations() async throws -> Int {
        let row = try await db.sql().raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    public func shutdown() async {
        // A pool whose connections died with the database may never hand them back: give it a few
        // seconds, then let the process go (SIGTERM must stop the server within its grace period).
        let databases = self.databases
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await databases.shutdownAsync() }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        if ownsEventLoopGroup {
            try? await eventLoopGroup.shutdownGracefully()
            try? await threadPool.shutdownGracefully()
        }
    }
}

/// Keeps the database open while the server runs and closes it on graceful shutdown.
struct DatabaseService: Service {
    let database: AppDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}

extension AppDatabase {
    /// Creates a database on this server (benchmarks, tests).
    public func createDatabase(_ name: String) async throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw DomainError.badRequest(message: "bad database name") }
        try await db.sql().raw("CREATE DATABASE \(unsafeRaw: name)").run()
    }

    public func dropDatabase(_ name: String) async throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw DomainError.badRequest(message: "bad database name") }
        try await db.sql().raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
    }
}

/// The watchdog of a bounded stop. Listed last, it is the first service told to shut down, and
/// whatever still hangs 12 s later (a query on a connection the database dropped without a
/// word) does not keep the process alive.
struct ShutdownWatchdog: Service {
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let logger = self.logger
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 12)
            logger.warning("shutdown did not finish within 12 s; exiting")
            exit(0)
        }
    }
}
