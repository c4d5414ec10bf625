import FluentKit
import Foundation
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Inserts many rows with multi-row INSERTs, sized to stay under both databases' bind limits.
struct BulkWriter: Sendable {
    let db: any Database

    /// SQLite allows 32,766 binds per statement and PostgreSQL 65,535; stay well below both.
    static let maxBinds = 30_000

    func insert(_ table: String, columns: [String], rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        // SQLite, inside a transaction (or one row): one kept statement run row by row, in one
        // visit to the connection's thread (`SQLiteStatements`). A multi-row insert was parsed anew
        // for every batch size and every pattern of NULLs. Rows after a failed one are not
        // written, and the transaction that fails with it takes the earlier ones back.
        if let lite = db as? any SQLiteDatabase, db.inTransaction || rows.count == 1, let values = Self.sqliteValues(rows) {
            if try await SQLiteStatements.execute(Self.sqliteInsert(table, columns: columns), rows: values, on: lite) { return }
        }
        let perStatement = max(1, min(1_000, Self.maxBinds / max(1, columns.count)))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            // PostgreSQL: typed arrays into one named statement (`PostgresInserts`), else `VALUES`.
            if let pg = db as? any PostgresDatabase, try await PostgresInserts.insert(table, columns: columns, rows: rows[start..<end], on: pg, logger: db.logger) {
                start = end
                continue
            }
            try await db.sql().execute(sql: RowsInsert(table: table, columns: columns, rows: rows[start..<end])) { _ in }
            start = end
        }
    }

    /// Rows for one table (the inserts of a transaction decided in advance: `NumberedInserts`).
    func insert(_ t: TableRows) async throws {
        try await insert(t.table, columns: t.columns, rows: t.rows)
    }
}

/// Rows to insert into one table, each a value per column.
struct TableRows: Sendable {
    let table: String
    let columns: [String]
    let rows: [[any SQLExpression]]
}

extension BulkWriter {
    private static let encoder = SQLiteDataEncoder()

    /// The one-row insert SQLite keeps prepared and runs once per row.
    static func sqliteInsert(_ table: String, columns: [String]) -> String {
        "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
    }

    /// The rows' values as SQLite binds; nil if any is other than a bound value or NULL.
    static func sqliteValues(_ rows: [[any SQLExpression]]) -> [[SQLiteData]]? {
        var out: [[SQLiteData]] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            var values: [SQLiteData] = []
            values.reserveCapacity(row.count)
            for value in row {
                if let bind = value as? SQLBind, let data = try? encoder.encode(bind.encodable) {
                    values.append(data)
                } else if let literal = value as? SQLLiteral, case .null = literal {
                    values.append(.null)
                } else {
                    return nil
                }
            }
            out.append(values)
        }
        return out
    }
}

/// `INSERT INTO "table" ("a", "b") VALUES (…), (…)` written straight into the serializer: the
/// same statement SQLKit's insert builder makes, without wrapping every name and row in
/// expressions of their own first (names are quoted as SQLKit quotes them, by the dialect).
struct RowsInsert: SQLExpression {
    let table: String
    let columns: [String]
    let rows: ArraySlice<[any SQLExpression]>

    func serialize(to serializer: inout SQLSerializer) {
        let quote = (serializer.dialect.identifierQuote as? SQLRaw)?.sql
        func name(_ text: String, _ serializer: inout SQLSerializer) {
            // Our names hold no quote: quoted as they are, without SQLKit's escaping pass over each.
            if let quote, text.utf8.firstRange(of: quote.utf8) == nil { serializer.write(quote + text + quote) } else { SQLIdentifier(text).serialize(to: &serializer) }
        }
        serializer.write("INSERT INTO ")
        name(table, &serializer)
        serializer.write(" (")
        for (i, column) in columns.enumerated() {
            if i > 0 { serializer.write(", ") }
            name(column, &serializer)
        }
        serializer.write(") VALUES ")
        for (r, row) in rows.enumerated() {
            serializer.write(r > 0 ? ", (" : "(")
            for (i, value) in row.enumerated() {
                if i > 0 { serializer.write(", ") }
                value.serialize(to: &serializer)
            }
            serializer.write(")")
        }
    }
}

/// Binds for common column values.
enum Bind {
    static func uuid(_ u: UUID) -> any SQLExpression { SQLBind(u) }
    static func uuid(_ u: UUID?) -> any SQLExpression { u.map { SQLBind($0) } ?? SQLLiteral.null }
    static func text(_ s: String) -> any SQLExpression { SQLBind(s) }
    static func text(_ s: String?) -> any SQLExpression { s.map { SQLBind($0) } ?? SQLLiteral.null }
    static func int(_ i: Int64) -> any SQLExpression { SQLBind(i) }
    static func int(_ i: Int) -> any SQLExpression { SQLBind(Int64(i)) }
    static func int(_ i: Int64?) -> any SQLExpression { i.map { SQLBind($0) } ?? SQLLiteral.null }
    static func date(_ d: Date?) -> any SQLExpression { d.map { SQLBind($0) } ?? SQLLiteral.null }
    static func bool(_ b: Bool) -> any SQLExpression { SQLBind(b) }
    static func real(_ d: Double?) -> any SQLExpression { d.map { SQLBind($0) } ?? SQLLiteral.null }
    static func date(_ d: Date) -> any SQLExpression { SQLBind(d) }
}
