import Dispatch
import Domain
import Foundation
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import SQLKit

/// The database the app runs on: SQLite (one connection for writes, so one writer and no
/// "database is locked", and read-only connections beside it for the lists: WAL lets them read
/// while it writes) or PostgreSQL (a pool), behind the same Fluent/SQLKit interface.
public final class AppDatabase: Sendable {
    public let storage: AppConfig.Storage
    /// Who each credential stands for, remembered briefly: one cache per open database, so every
    /// part of this process clears the same one (`SessionCache`).
    let sessions = SessionCache()
    /// The group commits writing to this database, one per kind of job (`groupCommit`), and other values kept per database (`kept`).
    private let groups = NIOLockedValueBox<[String: any Sendable]>([:])
    /// The pool in use and its handles; the pool is replaced when it wedges (see `watchPool`).
    private let pool: DatabaseHandles
    var databases: Databases { pool.databases }
    /// Set when shutdown begins: the pool watcher stops touching the pool.
    private let closing = NIOLockedValueBox(false)
    let timeoutSeconds: Int64
    let eventLoopGroup: any EventLoopGroup
    let threadPool: NIOThreadPool
    let ownsEventLoopGroup: Bool
    let logger: Logger
    /// SQLite's read-only connections, each on its own event loop and thread (nil: reads go to `db`).
    private let readers: (databases: Databases, group: any EventLoopGroup, pool: NIOThreadPool)?
    private let readerHandles: DatabaseHandles?
    /// SQLite's checkpoints, run beside the writer (`WALCheckpointer`); nil on PostgreSQL.
    let checkpointer: WALCheckpointer?
    /// Where a task writing many statements in a row runs (`GroupCommit`): the writer's event loop
    /// on SQLite, one loop of the pool on PostgreSQL (`db` on that loop uses that loop's connections).
    let writeExecutor: EventLoopExecutor

    public init(storage: AppConfig.Storage, logger: Logger, timeoutSeconds: Int64 = 5, sqliteReaders: Int = 2) async throws {
        self.storage = storage
        self.logger = logger
        self.timeoutSeconds = timeoutSeconds
        let databases: Databases
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
            self.pool = DatabaseHandles(databases, logger: logger)
        case .postgres(let url):
            eventLoopGroup = MultiThreadedEventLoopGroup.singleton
            threadPool = NIOThreadPool.singleton
            ownsEventLoopGroup = false
            databases = try Self.postgresPool(url: url, timeoutSeconds: timeoutSeconds, threadPool: threadPool, on: eventLoopGroup)
            self.pool = DatabaseHandles(databases, logger: logger)
        }
        var readers: (databases: Databases, group: any EventLoopGroup, pool: NIOThreadPool)?
        if case .sqlite(let path) = storage, sqliteReaders > 0 {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: sqliteReaders)
            let pool = NIOThreadPool(numberOfThreads: sqliteReaders)
            pool.start()
            let reading = Databases(threadPool: pool, on: group)
            reading.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60), sqlLogLevel: .trace), as: .sqlite)
            readers = (reading, group, pool)
        }
        self.readers = readers
        readerHandles = readers.map { DatabaseHandles($0.databases, logger: logger) }
        writeExecutor = EventLoopExecutor(eventLoopGroup.next())
        if case .sqlite(let path) = storage {
            checkpointer = WALCheckpointer(path: path, logger: logger)
        } else {
            checkpointer = nil
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
            // Checkpoints are the checkpointer's, beside the writer; the writer checkpoints only as a
            // backstop, if the WAL reaches this many pages (about 40 MB) all the same.
            try await sql.raw("PRAGMA wal_autocheckpoint=\(unsafeRaw: String(WALCheckpointer.writerBackstopPages))").run()
            checkpointer?.start()
            // Each reader: read-only (a write through it fails instead of competing with the writer), the same caches.
            if let readers {
                for loop in readers.group.makeIterator() {
                    let r = readers.databases.database(logger: logger, on: loop)!.sql()
                    for pragma in ["query_only=1", "busy_timeout=10000", "cache_size=-32768", "mmap_size=268435456", "temp_store=MEMORY"] {
                        try await r.raw("PRAGMA \(unsafeRaw: pragma)").run()
                    }
                }
            }
        }
    }

    /// How many connections a PostgreSQL pool opens at most on each event loop (so a server holds
    /// up to this many times its cores; the database's `max_connections` must cover every server).
    static let postgresConnectionsPerLoop = 4

    /// A PostgreSQL pool. A short wait for a connection: while the database is away each request
    /// answers 503 in seconds instead of queueing behind thousands of others.
    static func postgresPool(url: String, timeoutSeconds: Int64, threadPool: NIOThreadPool, on group: any EventLoopGroup) throws -> Databases {
        let databases = Databases(threadPool: threadPool, on: group)
        var configuration = try SQLPostgresConfiguration(url: url)
        // Registry scopes join a record to every level above it (eight tables from an ownership to its
        // district) and narrow by a short list of ids; PostgreSQL's default limit of 8 leaves such joins
        // in the order written and scans the district. Let it reorder them (planning stays a few ms).
        // No JIT: these are short queries, and on a 22-million-request table the planner's estimates
        // of the late ones (which the sweep keeps few) pass JIT's cost threshold, so that compiling
        // took 20 ms of a sweep whose scan took 0.05 ms (`EXPLAIN ANALYZE`).
        configuration.coreConfiguration.options.additionalStartupParameters = [("join_collapse_limit", "16"), ("from_collapse_limit", "16"), ("jit", "off")]
        databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: postgresConnectionsPerLoop, connectionPoolTimeout: .seconds(timeoutSeconds), sqlLogLevel: .trace),
                      as: .psql)
        return databases
    }

    /// Watches the PostgreSQL pool: a connection lost mid-query when the server crashed can stay
    /// leased for ever, and once every slot is such a connection the pool answers nothing even
    /// though the server is back. When the pool cannot run `SELECT 1` but a fresh connection can,
    /// the pool is replaced and the old one closed (which also ends the requests stuck on it).
    func watchPool() async {
        guard case .postgres(let url) = storage, let config = try? SQLPostgresConfiguration(url: url) else { return }
        var failures = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if closing.withLockedValue({ $0 }) { return }
            // Each event loop has a pool of its own: every one must answer.
            var healthy = true
            for loop in eventLoopGroup.makeIterator() {
                let ok = await probe {
                    guard let db = self.databases.database(logger: self.logger, on: loop) else { throw DomainError.badRequest(message: "closed") }
                    try await db.sql().raw("SELECT 1 AS one").run()
                }
                if !ok { healthy = false; break }
            }
            if healthy {
                failures = 0
                continue
            }
            failures += 1
            guard failures >= 2 else { continue }
            let serverUp = await probe {
                let connection = try await PostgresConnection.connect(on: self.eventLoopGroup.any(), configuration: config.coreConfiguration,
                                                                      id: 0, logger: self.logger).get()
                try await connection.close().get()
            }
            guard serverUp, !closing.withLockedValue({ $0 }), let fresh = try? Self.postgresPool(url: url, timeoutSeconds: timeoutSeconds, threadPool: threadPool, on: eventLoopGroup) else { continue }
            let old = pool.replace(with: fresh)
            logger.warning("the database pool was wedged after the server came back; replaced it")
            failures = 0
            Task { await old.shutdownAsync() }
        }
    }

    /// Whether `work` finishes without error within the connection timeout. The work runs in its
    /// own task, so a query that never returns cannot hold the watcher.
    private func probe(_ work: @escaping @Sendable () async throws -> Void) async -> Bool {
        let limit = timeoutSeconds
        let waiting = NIOLockedValueBox<CheckedContinuation<Bool, Never>?>(nil)
        @Sendable func finish(_ ok: Bool) { waiting.withLockedValue { $0?.resume(returning: ok); $0 = nil } }
        return await withCheckedContinuation { continuation in
            waiting.withLockedValue { $0 = continuation }
            Task { finish((try? await work()) != nil) }
            Task { try? await Task.sleep(for: .seconds(limit)); finish(false) }
        }
    }

    /// A database handle for one unit of work; after shutdown, a database whose every query fails (`ClosedDatabase`).
    public var db: any Database {
        pool.handle(on: eventLoopGroup.any()) ?? closed
    }

    private var closed: any Database {
        // The configuration is only a label here: nothing is opened through it. The loop is one that
        // outlives this database's own (a future failed on a loop that has shut down never reports).
        let configuration = databases.configuration() ?? DatabaseConfigurationFactory.sqlite(.memory).make()
        return ClosedDatabase(context: DatabaseContext(configuration: configuration, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any()),
                              dialect: isPostgres ? PostgresDialect() as any SQLDialect : SQLiteDialect())
    }

    /// Where a read that needs no transaction goes: on SQLite a read-only connection beside the
    /// writer (it sees every committed write, and never waits for one in progress); on PostgreSQL
    /// the pool.
    public var reads: any Database {
        guard let readers, let readerHandles else { return db }
        return readerHandles.handle(on: readers.group.any()) ?? closed
    }

    /// The one group commit of this database for `key`, made by `make` on first use: every service
    /// value of this process filing the same kind of job shares its transactions.
    func groupCommit<Job: Sendable, Output: Sendable>(_ key: String, make: () -> GroupCommit<Job, Output>) -> GroupCommit<Job, Output> {
        kept(key, make: make)
    }

    /// The one value of type `T` kept for this database under `key`, made by `make` on first use
    /// (a group commit, a cache shared by every service value of this process).
    func kept<T: Sendable>(_ key: String, make: () -> T) -> T {
        groups.withLockedValue { groups in
            if let existing = groups[key] as? T { return existing }
            let made = make()
            groups[key] = made
            return made
        }
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
        closing.withLockedValue { $0 = true }
        pool.close()
        readerHandles?.close()
        // A pool whose connections died with the database may never hand them back: give it a few
        // seconds, then let the process go (SIGTERM must stop the server within its grace period).
        let databases = self.databases
        // Statements kept on SQLite's connections are finalized first: SQLite will not close a
        // connection with statements open.
        if case .sqlite = storage {
            SQLiteStatements.close(pool: threadPool)
            if let readers { SQLiteStatements.close(pool: readers.pool) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await databases.shutdownAsync() }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        await checkpointer?.stop()
        if let readers {
            await readers.databases.shutdownAsync()
            try? await readers.group.shutdownGracefully()
            try? await readers.pool.shutdownGracefully()
        }
        if ownsEventLoopGroup {
            writeExecutor.retire()
            try? await eventLoopGroup.shutdownGracefully()
            try? await threadPool.shutdownGracefully()
        }
    }
}

/// Keeps the database open while the server runs and closes it on graceful shutdown.
struct DatabaseService: Service {
    let database: AppDatabase

    func run() async throws {
        let watcher = Task { await database.watchPool() }
        try? await gracefulShutdown()
        watcher.cancel()
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

/// The watchdog of a bounded stop. Listed last in the service group, it is the first service told
/// to shut down, and whatever still hangs 10 s later (a query on a connection the database
/// dropped without a word) does not keep the process alive.
struct ShutdownWatchdog: Service {
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let logger = self.logger
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 10)
            logger.warning("shutdown did not finish within 10 s; exiting")
            // _exit, not exit: atexit handlers could wait on the very locks the stuck work holds.
            _exit(0)
        }
    }
}
