import FluentKit
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// Prepared statements kept per SQLite connection, run on the connection's own thread pool, their
/// rows read column by column where they stand (`RowSource.all`, `RowSource.map`).
///
/// Why: SQLiteNIO prepares every statement anew (the parse of a page of requests was 6% of a
/// list's CPU, of a filing's statements 9%), copies every value of every row into a `String` or
/// buffer keyed by a dictionary of names, and its future-based `query` hands each row to the event
/// loop as a task of its own (51 wake-ups for a page of 50). Here a statement's text is prepared
/// once per connection (`SQLITE_PREPARE_PERSISTENT`), reset after each use (so it never holds a
/// snapshot of the WAL), and rows are read in place; one hop to the pool thread and one back.
///
/// SQLiteNIO keeps the connection's `sqlite3` handle and thread pool to itself; they are read by
/// reflection, once per connection. If a version of SQLiteNIO names them otherwise, `connection`
/// answers nil and queries take SQLiteNIO's own path (`SQLiteStatementsTests` fails first, so that
/// an upgrade does not lose this silently). The handle is opened `SQLITE_OPEN_FULLMUTEX`, and a
/// statement is used only while the connection is leased from its pool — by one caller at a time.
enum SQLiteStatements {
    /// At most this many texts stay prepared per connection; the one used least recently goes.
    static let limit = 64

    /// A connection's handle, its thread pool and its prepared statements.
    final class Connection: @unchecked Sendable {
        // @unchecked: `statements` and `clock` only under `lock`; the handle is SQLite's (FULLMUTEX).
        let handle: OpaquePointer
        let pool: NIOThreadPool
        weak var owner: SQLiteConnection?
        private let lock = NIOLock()
        private var statements: [String: Prepared] = [:]
        private var clock: UInt64 = 0

        init(handle: OpaquePointer, pool: NIOThreadPool, owner: SQLiteConnection) {
            self.handle = handle
            self.pool = pool
            self.owner = owner
        }

        var preparedCount: Int { lock.withLock { statements.count } }

        /// Whether `sql` is among the kept statements (for tests: which path a write took).
        func isKept(_ sql: String) -> Bool { lock.withLock { statements[sql] != nil } }

        /// How many times SQLite re-prepared the kept statements (for tests: none, if binds keep plans).
        var reprepares: Int {
            lock.withLock { statements.values.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1.stmt, SQLITE_STMTSTATUS_REPREPARE, 0)) } }
        }

        /// The statement's rows, each read by `read` while the statement stands on it. Blocking:
        /// call on the connection's pool thread.
        func rows<T>(_ sql: String, _ binds: [SQLiteData], _ read: (Row) throws -> T) throws -> [T] {
            try lock.withLock {
                let prepared = try statement(sql)
                let stmt = prepared.stmt
                // Reset after use, so that it holds no snapshot of the log. Its binds are not
                // cleared: SQLite re-prepares a statement whose plan looked at a bound value
                // whenever they are (a street's list did, on every call); each use binds them all.
                defer { sqlite_nio_sqlite3_reset(stmt) }
                if sqlite_nio_sqlite3_bind_parameter_count(stmt) != Int32(binds.count) { sqlite_nio_sqlite3_clear_bindings(stmt) }
                try bind(stmt, binds)
                let row = Row(stmt: stmt, columns: prepared.columns)
                var out: [T] = []
                while true {
                    let rc = sqlite_nio_sqlite3_step(stmt)
                    if rc == SQLITE_ROW {
                        row.cursor = 0
                        out.append(try read(row))
                    } else if rc == SQLITE_DONE {
                        return out
                    } else {
                        throw failure(rc)
                    }
                }
            }
        }

        /// Runs `sql` once per row of binds (an insert kept prepared: no text to parse per batch
        /// size, no values written into SQL). Blocking: call on the connection's pool thread.
        func execute(_ sql: String, rows: [[SQLiteData]]) throws {
            try lock.withLock {
                let stmt = try statement(sql).stmt
                defer { sqlite_nio_sqlite3_reset(stmt) }
                for binds in rows {
                    sqlite_nio_sqlite3_reset(stmt)
                    try bind(stmt, binds)
                    let rc = sqlite_nio_sqlite3_step(stmt)
                    guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw failure(rc) }
                }
            }
        }

        /// `work` between BEGIN IMMEDIATE and COMMIT, all on this thread: a whole transaction in one
        /// visit. When `work` throws or answers nil, everything it wrote is rolled back. Blocking:
        /// call on the connection's pool thread.
        func transaction<T>(_ work: (Connection) throws -> T?) throws -> T? {
            try execute("BEGIN IMMEDIATE", rows: [[]])
            do {
                guard let out = try work(self) else {
                    try execute("ROLLBACK", rows: [[]])
                    return nil
                }
                try execute("COMMIT", rows: [[]])
                return out
            } catch {
                // A failed COMMIT (or statement) may leave the transaction open: end it before the
                // connection goes back to its pool.
                if sqlite_nio_sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK", rows: [[]]) }
                throw error
            }
        }

        private func statement(_ sql: String) throws -> Prepared {
            clock &+= 1
            if let p = statements[sql] {
                p.used = clock
                return p
            }
            var stmt: OpaquePointer?
            let rc = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
            guard rc == SQLITE_OK, let stmt else { throw failure(rc) }
            let count = sqlite_nio_sqlite3_column_count(stmt)
            let names = (0..<count).map { i in sqlite_nio_sqlite3_column_name(stmt, i).map { String(cString: $0) } ?? "" }
            let p = Prepared(stmt: stmt, columns: RowSource.Columns(names), used: clock)
            if statements.count >= SQLiteStatements.limit, let oldest = statements.min(by: { $0.value.used < $1.value.used }) {
                sqlite_nio_sqlite3_finalize(oldest.value.stmt)
                statements[oldest.key] = nil
            }
            statements[sql] = p
            return p
        }

        private func bind(_ stmt: OpaquePointer, _ binds: [SQLiteData]) throws {
            for (i, value) in binds.enumerated() {
                let i = Int32(i + 1)
                let rc: Int32
                switch value {
                case .integer(let v): rc = sqlite_nio_sqlite3_bind_int64(stmt, i, Int64(v))
                case .float(let v): rc = sqlite_nio_sqlite3_bind_double(stmt, i, v)
                case .null: rc = sqlite_nio_sqlite3_bind_null(stmt, i)
                case .text(let v): rc = sqlite_nio_sqlite3_bind_text64(stmt, i, v, UInt64(v.utf8.count), transient, UInt8(SQLITE_UTF8))
                case .blob(let v):
                    rc = v.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(stmt, i, $0.baseAddress, UInt64($0.count), transient) }
                }
                guard rc == SQLITE_OK else { throw failure(rc) }
            }
        }

        private func failure(_ rc: Int32) -> StatementError {
            StatementError(code: rc, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "")
        }

        /// Finalizes every kept statement (before the connection closes: SQLite refuses to close a
        /// handle with statements open).
        func finalizeAll() {
            lock.withLock {
                for p in statements.values { sqlite_nio_sqlite3_finalize(p.stmt) }
                statements.removeAll()
            }
        }
    }

    final class Prepared {
        let stmt: OpaquePointer
        let columns: RowSource.Columns
        var used: UInt64
        init(stmt: OpaquePointer, columns: RowSource.Columns, used: UInt64) {
            self.stmt = stmt
            self.columns = columns
            self.used = used
        }
    }

    /// The row a statement stands on. Readers read columns mostly in the statement's order: each
    /// look-up tries the column after the last one read before hashing the name.
    final class Row: @unchecked Sendable {
        // @unchecked: used only on the thread stepping the statement, while it stands on the row.
        let stmt: OpaquePointer
        let columns: RowSource.Columns
        var cursor = 0
        init(stmt: OpaquePointer, columns: RowSource.Columns) {
            self.stmt = stmt
            self.columns = columns
        }

        func position(_ name: String) -> Int32? {
            let names = columns.names
            if cursor < names.count, names[cursor] == name {
                cursor += 1
                return Int32(cursor - 1)
            }
            guard let i = columns.index[name] else { return nil }
            cursor = i + 1
            return Int32(i)
        }

        func isNull(_ i: Int32) -> Bool { sqlite_nio_sqlite3_column_type(stmt, i) == SQLITE_NULL }

        /// The value as SQLiteNIO reads it.
        func data(_ i: Int32) -> SQLiteData {
            switch sqlite_nio_sqlite3_column_type(stmt, i) {
            case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(stmt, i)))
            case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(stmt, i))
            case SQLITE_TEXT: return .text(text(i))
            case SQLITE_BLOB:
                let count = Int(sqlite_nio_sqlite3_column_bytes(stmt, i))
                var buffer = ByteBufferAllocator().buffer(capacity: count)
                if let p = sqlite_nio_sqlite3_column_blob(stmt, i) { buffer.writeBytes(UnsafeRawBufferPointer(start: p, count: count)) }
                return .blob(buffer)
            default: return .null
            }
        }

        func text(_ i: Int32) -> String {
            guard let p = sqlite_nio_sqlite3_column_text(stmt, i) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite_nio_sqlite3_column_bytes(stmt, i))), as: UTF8.self)
        }

        /// A UUID stored as text, parsed from SQLite's bytes (no `String` between); nil if it is none.
        func uuid(_ i: Int32) -> UUID? {
            guard let p = sqlite_nio_sqlite3_column_text(stmt, i) else { return nil }
            return RowSource.uuid(utf8: UnsafeBufferPointer(start: p, count: Int(sqlite_nio_sqlite3_column_bytes(stmt, i))))
        }

        func type(_ i: Int32) -> Int32 { sqlite_nio_sqlite3_column_type(stmt, i) }
        func int64(_ i: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(stmt, i) }
        func double(_ i: Int32) -> Double { sqlite_nio_sqlite3_column_double(stmt, i) }
    }

    /// A statement's failure, with SQLite's (extended) result code; a constraint's is answered as
    /// SQLiteNIO's would be (`DatabaseError.isConstraintFailure`: 409).
    struct StatementError: Error, CustomStringConvertible, DatabaseError {
        let code: Int32
        let message: String
        var description: String { "SQLite \(code): \(message)" }
        var isSyntaxError: Bool { code & 0xFF == SQLITE_ERROR }
        var isConnectionClosed: Bool { code & 0xFF == SQLITE_MISUSE }
        var isConstraintFailure: Bool { code & 0xFF == SQLITE_CONSTRAINT }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static let known = NIOLockedValueBox<[ObjectIdentifier: Connection]>([:])

    /// The connection's handle and pool, read once; nil where SQLiteNIO keeps them otherwise.
    static func connection(_ conn: SQLiteConnection) -> Connection? {
        let key = ObjectIdentifier(conn)
        if let c = known.withLockedValue({ $0[key] }), c.owner === conn { return c }
        let mirror = Mirror(reflecting: conn)
        guard let box = mirror.descendant("handle"), let raw = Mirror(reflecting: box).descendant("raw"),
              let handle = raw as? OpaquePointer, let pool = mirror.descendant("threadPool") as? NIOThreadPool else { return nil }
        let c = Connection(handle: handle, pool: pool, owner: conn)
        known.withLockedValue { $0[key] = c }
        return c
    }

    /// Forgets the connections run on `pool`, their statements finalized: call before the pool's
    /// connections close.
    static func close(pool: NIOThreadPool) {
        let gone = known.withLockedValue { known -> [Connection] in
            let gone = known.filter { $0.value.pool === pool || $0.value.owner == nil }
            for key in gone.keys { known[key] = nil }
            return Array(gone.values)
        }
        for c in gone { c.finalizeAll() }
    }

    /// Runs `sql` once per row of binds on the leased connection's thread; false where the
    /// connection's handle is not reachable (then the caller takes SQLiteNIO's path).
    static func execute(_ sql: String, rows: [[SQLiteData]], on lite: any SQLiteDatabase) async throws -> Bool {
        try await lite.withConnection { conn -> EventLoopFuture<Bool> in
            guard let c = connection(conn) else { return conn.eventLoop.makeSucceededFuture(false) }
            return c.pool.runIfActive(eventLoop: conn.eventLoop) { try c.execute(sql, rows: rows); return true }
        }.get()
    }

    /// `work` as one transaction on the leased connection's thread (`Connection.transaction`); nil
    /// where `work` answered nil (nothing written) or the connection's handle is not reachable.
    static func transaction<T: Sendable>(on lite: any SQLiteDatabase, _ work: @escaping @Sendable (Connection) throws -> T?) async throws -> T? {
        try await lite.withConnection { conn -> EventLoopFuture<T?> in
            guard let c = connection(conn) else { return conn.eventLoop.makeSucceededFuture(nil) }
            return c.pool.runIfActive(eventLoop: conn.eventLoop) { try c.transaction(work) }
        }.get()
    }

    /// The rows of `sql` read by `read` on the leased connection's thread; nil where the
    /// connection's handle is not reachable (then the caller takes SQLiteNIO's path).
    static func rows<T: Sendable>(_ sql: String, _ binds: [SQLiteData], on lite: any SQLiteDatabase,
                                  read: @escaping @Sendable (Row) throws -> T) async throws -> [T]? {
        try await lite.withConnection { conn -> EventLoopFuture<[T]?> in
            guard let c = connection(conn) else { return conn.eventLoop.makeSucceededFuture(nil) }
            return c.pool.runIfActive(eventLoop: conn.eventLoop) { try c.rows(sql, binds, read) }.map { Optional($0) }
        }.get()
    }
}
