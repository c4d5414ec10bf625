@testable import App
import FluentKit
import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteNIO
import Testing

/// SQLite statements prepared once per connection and read in place (`SQLiteStatements`).
@Suite("SQLite statements kept per connection")
struct SQLiteStatementsTests {
    struct Boom: Error {}

    /// The kept statements of the connection `db` leases (the writer has exactly one).
    static func kept(_ db: any Database) async throws -> Int? {
        let lite = try #require(db as? any SQLiteDatabase)
        return try await lite.withConnection { conn in conn.eventLoop.makeSucceededFuture(SQLiteStatements.connection(conn)?.preparedCount) }.get()
    }

    @Test("SQLiteNIO's handle and pool are reachable; a page of requests read in place is what SQLKit reads")
    func readsInPlace() async throws {
        try await withApp(.sqlite, demo: .small) { app, _ in
            // If a new SQLiteNIO keeps its handle otherwise, this fails before the speed is quietly lost.
            #expect(try await Self.kept(app.database.db) != nil)
            #expect(try await Self.kept(app.database.reads) != nil)
            let query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) ORDER BY r.received_at"
            let theirs = try await app.database.db.sql().raw(query).all()
            let ours = try await RowSource.map(query, on: app.database.reads) { try RequestRecord(source: $0) }
            let copied = try await RowSource.all(query, on: app.database.reads).map { try RequestRecord(source: $0) }
            #expect(ours.count == theirs.count && copied.count == theirs.count && ours.count > 20)
            for ((a, c), b) in zip(zip(ours, copied), theirs) {
                let y = try b.decode(model: RequestRow.self)
                #expect(AnswerEncoderTests.same(a.row, y) && AnswerEncoderTests.same(c.row, y), "request \(y.id)")
                #expect(a.compoundName == (try b.decode(column: "compound_name", as: String.self)) && c.compoundName == a.compoundName)
                #expect(a.handlerName == (try b.decode(column: "handler_name", as: String?.self)) && c.handlerName == a.handlerName)
            }
            #expect(ours.contains { $0.handlerName != nil } && ours.contains { $0.row.reporterUserId == nil || $0.row.buildingId == nil })
            // Binds of every kind; columns read out of order and twice; a missing column and a stored non-UUID.
            let first = ours[0]
            let again = try await RowSource.map("SELECT r.number, r.id, r.received_at, r.latitude, r.version, r.reply FROM requests r WHERE r.id = \(bind: first.id) AND r.received_at = \(bind: first.receivedAt) AND r.number = \(bind: first.number) AND r.version >= \(bind: 1)",
                                                on: app.database.reads) { row in
                (try row.uuid("id"), try row.string("number"), try row.date("received_at"), try row.int64("version"), try row.uuid("id"),
                 try row.isNull("reply"), try row.isNull("latitude") || row.contains("latitude"), row.contains("nope"), row.allColumns)
            }
            #expect(again.count == 1)
            if let a = again.first {
                #expect(a.0 == first.id && a.1 == first.number && a.2 == first.receivedAt && a.3 == first.row.version && a.4 == first.id && a.5 == (first.row.reply == nil) && a.6 && !a.7)
                #expect(a.8 == ["number", "id", "received_at", "latitude", "version", "reply"])
            }
            await #expect(throws: RowSourceError.self) {
                _ = try await RowSource.map("SELECT r.number FROM requests r LIMIT 1", on: app.database.reads) { try $0.uuid("number") }
            }
            await #expect(throws: RowSourceError.self) {
                _ = try await RowSource.map("SELECT r.number FROM requests r LIMIT 1", on: app.database.reads) { try $0.string("id") }
            }
        }
    }

    @Test("a text is prepared once per connection, at most `limit` of them; a reader that throws leaves no snapshot behind; errors are SQLiteNIO's")
    func preparedOnce() async throws {
        try await withApp(.sqlite, demo: .small, configure: { $0.sqliteReaders = 1 }) { app, _ in
            let before = try #require(try await Self.kept(app.database.db))
            for _ in 0..<5 { _ = try await RowSource.all("SELECT \(bind: 1) AS one", on: app.database.db) }
            #expect(try await Self.kept(app.database.db) == before + 1)
            for i in 0..<(SQLiteStatements.limit + 10) {
                let rows = try await RowSource.all("SELECT \(unsafeRaw: String(i)) AS n", on: app.database.db)
                #expect(try rows.first?.int64("n") == Int64(i))
            }
            #expect(try await Self.kept(app.database.db) == SQLiteStatements.limit)
            // A street's page, street after street, on the one writer connection: planned once. (A
            // planner that looked at a bound value re-prepares whenever binds are cleared.)
            let streets = try await app.database.db.sql().raw("SELECT id FROM streets").all().map { try $0.decode(column: "id", as: UUID.self) } + [UUID.random()]
            #expect(streets.count >= 2)
            for street in streets + streets {
                _ = try await RowSource.all("SELECT r.id FROM requests r WHERE r.street_id = \(bind: street) ORDER BY r.received_at DESC, r.id DESC LIMIT 51",
                                            on: app.database.db)
            }
            let lite = try #require(app.database.db as? any SQLiteDatabase)
            let reprepared = try await lite.withConnection { conn in conn.eventLoop.makeSucceededFuture(SQLiteStatements.connection(conn)?.reprepares) }.get()
            #expect(reprepared == 0)
            // The one reader stops inside a statement; the table written next is visible to it (no
            // snapshot held from before), and the log checkpoints to nothing (no reader holds a frame).
            await #expect(throws: Boom.self) {
                _ = try await RowSource.map("SELECT id FROM districts UNION ALL SELECT id FROM districts", on: app.database.reads) { _ in throw Boom() }
            }
            try await app.database.db.sql().raw("CREATE TABLE kept_check (x INTEGER)").run()
            try await app.database.db.sql().raw("INSERT INTO kept_check (x) VALUES (7)").run()
            let seen = try await RowSource.all("SELECT SUM(x) AS n FROM kept_check", on: app.database.reads)
            #expect(try seen.first?.int64("n") == 7)
            _ = try await RowSource.map("SELECT x FROM kept_check", on: app.database.reads) { try $0.int64("x") }
            let checkpoint = try #require(try await app.database.db.sql().raw("PRAGMA wal_checkpoint(TRUNCATE)").first())
            #expect(try checkpoint.decode(column: "busy", as: Int.self) == 0)
            // A statement that fails answers SQLiteNIO's error, as every other query does.
            do {
                _ = try await RowSource.map("SELECT nope FROM nowhere", on: app.database.reads) { try $0.int64("nope") }
                Issue.record("a query of no table answered")
            } catch let error as SQLiteError {
                #expect(error.reason == .error && error.message.contains("nowhere"))
            }
        }
    }

    @Test("bulk inserts in a transaction run one kept statement row by row: every size of batch one text, NULLs bound, a duplicate is a constraint failure and takes its transaction back")
    func keptInserts() async throws {
        try await withApp(.sqlite) { app, _ in
            let sql = app.database.db.sql()
            try await sql.raw("CREATE TABLE kept_rows (id TEXT PRIMARY KEY, note TEXT, n INTEGER NOT NULL, at REAL NOT NULL)").run()
            let before = try #require(try await Self.kept(app.database.db))
            let at = Date(timeIntervalSince1970: 1_796_004_000.5)
            var ids: [UUID] = []
            for size in 1...5 {
                let batch = (0..<size).map { _ in UUID.timeOrdered() }
                ids += batch
                try await app.database.db.transaction { tx in
                    let rows = batch.enumerated().map { i, id -> [any SQLExpression] in
                        [Bind.uuid(id), Bind.text(i % 2 == 0 ? nil : "第\(i)行"), Bind.int(Int64(i)), Bind.date(at)]
                    }
                    try await BulkWriter(db: tx).insert("kept_rows", columns: ["id", "note", "n", "at"], rows: rows)
                }
            }
            #expect(try await Self.kept(app.database.db) == before + 1)
            let stored = try await sql.raw("SELECT id, note, n, at FROM kept_rows ORDER BY id").all()
            #expect(stored.count == 15)
            #expect(try stored.map { try $0.decode(column: "id", as: UUID.self) } == ids.sorted { $0.uuidString < $1.uuidString })
            #expect(try stored.filter { try $0.decode(column: "note", as: String?.self) == nil }.count == 9)
            #expect(try stored.allSatisfy { try $0.decode(column: "at", as: Date.self) == at })
            // A duplicate key: the constraint failure answers 409 as SQLiteNIO's would, and nothing of its transaction stays.
            let duplicate = ids[0]
            do {
                try await app.database.db.transaction { tx in
                    try await BulkWriter(db: tx).insert("kept_rows", columns: ["id", "note", "n", "at"],
                                                        rows: [[Bind.uuid(UUID.timeOrdered()), Bind.text("新"), Bind.int(1), Bind.date(at)],
                                                               [Bind.uuid(duplicate), Bind.text("重复"), Bind.int(2), Bind.date(at)]])
                }
                Issue.record("a duplicate key was inserted")
            } catch {
                #expect((error as? any DatabaseError)?.isConstraintFailure == true)
                #expect(HTTPFailure(error)?.status == .conflict)
            }
            let after = try await sql.raw("SELECT COUNT(*) AS n FROM kept_rows").first()
            #expect(try after?.decode(column: "n", as: Int.self) == 15)
        }
    }

    @Test("a whole transaction in one visit to the writer's thread: committed when its work answers, rolled back when it throws or answers nil, and the writer free after each")
    func oneVisit() async throws {
        try await withApp(.sqlite) { app, _ in
            let sql = app.database.db.sql()
            let lite = try #require(app.database.db as? any SQLiteDatabase)
            try await sql.raw("CREATE TABLE visit_rows (id INTEGER PRIMARY KEY, note TEXT NOT NULL)").run()
            let insert = "INSERT INTO visit_rows (id, note) VALUES (?, ?)"
            func count() async throws -> Int { try await sql.raw("SELECT COUNT(*) AS n FROM visit_rows").first()!.decode(column: "n", as: Int.self) }
            // Committed: the rows it wrote and what it read inside, answered.
            let seen = try await SQLiteStatements.transaction(on: lite) { c -> Int? in
                try c.execute(insert, rows: [[.integer(1), .text("一")], [.integer(2), .text("二")]])
                return Int(try c.rows("SELECT COUNT(*) FROM visit_rows", []) { $0.int64(0) }[0])
            }
            #expect(seen == 2)
            #expect(try await count() == 2)
            // Throws after writing (a duplicate key): nothing of it stays, the error is a constraint failure.
            do {
                _ = try await SQLiteStatements.transaction(on: lite) { c -> Int? in
                    try c.execute(insert, rows: [[.integer(3), .text("三")], [.integer(1), .text("重复")]])
                    return 1
                }
                Issue.record("a duplicate key was inserted")
            } catch {
                #expect((error as? any DatabaseError)?.isConstraintFailure == true)
            }
            #expect(try await count() == 2)
            // Answers nil after writing: rolled back, nil answered.
            let none = try await SQLiteStatements.transaction(on: lite) { c -> Int? in
                try c.execute(insert, rows: [[.integer(4), .text("四")]])
                return nil
            }
            #expect(none == nil)
            #expect(try await count() == 2)
            // The writer is not left inside a transaction: FluentKit's own transactions still work.
            try await app.database.db.transaction { tx in try await tx.sql().raw("INSERT INTO visit_rows (id, note) VALUES (5, '五')").run() }
            #expect(try await count() == 3)
        }
    }

    @Test("shutting down closes every connection: the kept statements are finalized first, and SQLite removes its log")
    func closesConnections() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-kept-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("kept.sqlite").path
        let database = try await AppDatabase(storage: .sqlite(path: path), logger: Logger(label: "test"), sqliteReaders: 2)
        try await database.db.sql().raw("CREATE TABLE t (x INTEGER)").run()
        try await database.db.sql().raw("INSERT INTO t (x) VALUES (1), (2)").run()
        for _ in 0..<4 {
            _ = try await RowSource.all("SELECT x FROM t", on: database.db)
            _ = try await RowSource.map("SELECT x FROM t WHERE x > \(bind: 0)", on: database.reads) { try $0.int64("x") }
        }
        #expect(try await Self.kept(database.db) == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        await database.shutdown()
        // The last connection to close checkpoints and deletes the log; one left open (SQLite
        // refuses to close a handle with statements open) would leave it.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
