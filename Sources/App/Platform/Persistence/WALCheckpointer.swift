import FluentKit
import FluentSQLiteDriver
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit

/// Copies SQLite's write-ahead log back into the database file on a connection and thread of its
/// own, a few times a second, so that the one writer does not.
///
/// By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that commit
/// copies the pages and waits for two `fsync`s while holding the write lock, and every filing
/// queued behind it waits too. Filing touches some 30 index pages a request, so under load every
/// few group commits paid for a checkpoint (`perf`: a quarter of the writer thread's time). Here
/// a passive checkpoint — one that never blocks the writer or the readers — copies what has been
/// committed meanwhile. The writer keeps a backstop (`writerBackstopPages`): a passive checkpoint
/// copies only the frames committed before it began, and the log restarts from its beginning only
/// once all of them are copied, which under a steady stream of writes the writer's own checkpoint
/// ensures now and then — by then with little left to copy.
///
/// A crash loses nothing by it: a committed transaction is in the log, and whatever the log holds
/// is read from there until it is copied.
final class WALCheckpointer: Sendable {
    /// How often the log is copied back.
    static let interval: Duration = .milliseconds(100)
    /// The writer's own `wal_autocheckpoint` while this runs.
    static let writerBackstopPages = 10_000

    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let databases: Databases
    private let logger: Logger
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let record = NIOLockedValueBox<(passes: Int, last: (logFrames: Int, copied: Int)?)>((0, nil))

    /// How many scheduled passes have run, and what the last one found (for tests and metrics).
    var passes: Int { record.withLockedValue { $0.passes } }
    var lastPass: (logFrames: Int, copied: Int)? { record.withLockedValue { $0.last } }

    init(path: String, logger: Logger) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        databases = Databases(threadPool: pool, on: group)
        databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60), sqlLogLevel: .trace), as: .sqlite)
        self.logger = logger
    }

    private var db: any SQLDatabase { databases.database(logger: logger, on: group.any())!.sql() }

    /// Starts checkpointing (once).
    func start() {
        loop.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [self] in
                try? await db.raw("PRAGMA busy_timeout=10000").run()
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.interval)
                    if Task.isCancelled { break }
                    if let pass = try? await checkpoint() { record.withLockedValue { $0 = ($0.passes + 1, pass) } }
                }
            }
        }
    }

    /// One passive checkpoint: how many frames the log holds and how many of them are now copied.
    @discardableResult
    func checkpoint() async throws -> (logFrames: Int, copied: Int) {
        guard let row = try await db.raw("PRAGMA wal_checkpoint(PASSIVE)").first() else { return (0, 0) }
        return (try row.decode(column: "log", as: Int.self), try row.decode(column: "checkpointed", as: Int.self))
    }

    /// Stops checkpointing after a last pass, and closes the connection and its thread.
    func stop() async {
        let task = loop.withLockedValue { t in defer { t = nil }; return t }
        task?.cancel()
        await task?.value
        if task != nil { _ = try? await checkpoint() }
        await databases.shutdownAsync()
        try? await group.shutdownGracefully()
        try? await pool.shutdownGracefully()
    }
}
