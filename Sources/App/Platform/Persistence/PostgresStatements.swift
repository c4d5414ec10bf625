import Crypto
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// Named prepared statements for the hot reads on PostgreSQL (`RowSource.all`: a filing's facts,
/// the request list, a request's page). Sent unnamed, each of these was planned anew on every
/// call, and planning a scoped query — a chain of joins and a sub-select per grant — took 1.5–2.7 ms
/// of the server's CPU against 0.1 ms to run it (`log_min_duration_statement`; `perf` showed
/// planning at 45% of all CPU while owners filed). Named, each connection plans a statement once
/// and PostgreSQL keeps its plan (its own choice between a generic and a per-call plan).
///
/// Each parameter of a named statement is written as a sub-select, `(SELECT $1)`, so that no plan
/// sees its value: PostgreSQL plans a statement per call for its first five runs, then keeps one
/// generic plan only if that is estimated no dearer than the per-call ones. Seeing the street's id,
/// a street's list was estimated at half the cost of its generic plan, so PostgreSQL planned it on
/// every call (0.6 ms of planning for 0.45 ms of running, `EXPLAIN ANALYZE`); blind, every plan
/// costs the same and the generic one is kept. The plans are the same index scans with the value
/// as a run-time parameter (`FilingSpeedTests.namedStatements` holds `generic_plans > 0`).
///
/// PostgresNIO prepares a statement on a connection the first time that connection runs it, by
/// name. The name is a digest of the text and the parameter types, so a name always means one
/// statement. How many texts there are is bounded by the code (roles × filters); past `limit`
/// distinct texts the rest run unnamed, so a connection's prepared statements stay few.
enum PostgresStatements {
    static let limit = 500

    private static let names = NIOLockedValueBox<[String: String]>([:])
    private static let texts = NIOLockedValueBox<[String: (name: String, text: String)]>([:])

    /// The statement's name, or nil once `limit` texts have names.
    static func name(sql: String, types: [PostgresDataType]) -> String? {
        let key = sql + "\u{0}" + types.map { String($0.rawValue) }.joined(separator: ",")
        return names.withLockedValue { names in
            if let known = names[key] { return known }
            guard names.count < limit else { return nil }
            let digest = SHA256.hash(data: Data(key.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
            let name = "gz_" + digest
            names[key] = name
            return name
        }
    }

    /// The named statement for a query as written (its text `blind`), found once per text and
    /// parameter types; nil once `limit` texts have names.
    static func statement(sql: String, types: [PostgresDataType]) -> (name: String, text: String)? {
        let key = sql + "\u{0}" + types.map { String($0.rawValue) }.joined(separator: ",")
        if let known = texts.withLockedValue({ $0[key] }) { return known }
        let text = blind(sql)
        guard let name = name(sql: text, types: types) else { return nil }
        texts.withLockedValue { $0[key] = (name, text) }
        return (name, text)
    }

    /// `sql` with each parameter `$n` outside quotes written `(SELECT $n)` (see above).
    static func blind(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 64)
        var quote: Character?
        var chars = sql.makeIterator()
        var pending: Character? = chars.next()
        while let c = pending {
            pending = chars.next()
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                quote = c
                out.append(c)
                continue
            }
            guard c == "$", let d = pending, d.isASCII, d.isNumber else {
                out.append(c)
                continue
            }
            var number = ""
            while let d = pending, d.isASCII, d.isNumber {
                number.append(d)
                pending = chars.next()
            }
            out += "(SELECT $" + number + ")"
        }
        return out
    }

    /// Runs `sql` as the named statement on `connection` and answers its rows.
    static func rows(_ sql: String, name: String, types: [PostgresDataType], bindings: PostgresBindings, on connection: PostgresConnection,
                     logger: Logger) async throws -> [PostgresRow] {
        try await Statement.$current.withValue(.init(name: name, sql: sql, types: types)) {
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(Statement(bindings: bindings), logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// PostgresNIO's prepared statements name their text statically (one type per statement); ours
    /// are made at run time, so the type reads them from the task running it.
    struct Statement: PostgresPreparedStatement {
        struct Text: Sendable {
            let name: String, sql: String, types: [PostgresDataType]
        }

        @TaskLocal static var current = Text(name: "", sql: "", types: [])

        static var name: String { current.name }
        static var sql: String { current.sql }
        static var bindingDataTypes: [PostgresDataType] { current.types }

        let bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
