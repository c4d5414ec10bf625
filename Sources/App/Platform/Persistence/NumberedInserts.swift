import FluentKit
import Foundation
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A write transaction decided before it starts but for the day numbers it takes (`DaySequence`):
/// first the numbers, then rows made from them. Filing's group commit writes one per batch.
///
/// Because nothing but the numbers waits on the database, SQLite's writer can run the whole
/// transaction — BEGIN, the numbers, every insert, COMMIT — in one visit to its thread
/// (`inOneVisit`), where a transaction of awaited statements hops from the writer's event loop to
/// its thread and back for each of six statements. Measured, filing was latency-bound on those
/// hops: the machine a quarter idle, the writer's thread a third busy.
struct NumberedInserts<Output: Sendable>: Sendable {
    /// Numbers to take from one day's sequence.
    struct Take: Sendable {
        let key: String
        let count: Int
        let now: Date
    }

    let takes: [Take]
    /// The rows to insert and the outputs, given each take's last number (in `takes`' order).
    let build: @Sendable ([Int]) throws -> (tables: [TableRows], outputs: [Output])

    /// On a transaction of either database, one awaited statement at a time.
    func run(on tx: any Database) async throws -> [Output] {
        var lasts: [Int] = []
        for take in takes { lasts.append(try await DaySequence.next(take.key, count: take.count, now: take.now, on: tx)) }
        let made = try build(lasts)
        // PostgreSQL: every table in one statement where the rows allow (`PostgresInserts`).
        if let pg = tx as? any PostgresDatabase, made.tables.count > 1, made.tables.allSatisfy({ $0.rows.count <= 1_000 }),
           try await PostgresInserts.insert(made.tables.map { ($0.table, $0.columns, $0.rows[...]) }, on: pg, logger: tx.logger) {
            return made.outputs
        }
        for table in made.tables { try await BulkWriter(db: tx).insert(table) }
        return made.outputs
    }

    /// The whole transaction in one visit to SQLite's writer thread (its statements kept prepared:
    /// `SQLiteStatements`). Nil, with nothing written, where that cannot be: on PostgreSQL, where
    /// SQLiteNIO's handle is not reachable, or for a value other than a bind or NULL.
    func inOneVisit(on database: AppDatabase) async throws -> [Output]? {
        guard !database.isPostgres, let lite = database.db as? any SQLiteDatabase else { return nil }
        let sql = database.db.sql()
        let encoder = SQLiteDataEncoder()
        let numbers = try takes.map { take -> (key: String, text: String, binds: [SQLiteData]) in
            var serializer = SQLSerializer(database: sql)
            DaySequence.statement(take.key, count: take.count, now: take.now).serialize(to: &serializer)
            return (take.key, serializer.sql, try serializer.binds.map { try encoder.encode($0) })
        }
        let build = self.build
        return try await SQLiteStatements.transaction(on: lite) { c -> [Output]? in
            var lasts: [Int] = []
            for number in numbers {
                guard let last = try c.rows(number.text, number.binds, { $0.int64(0) }).first else { throw NumberNotTaken(key: number.key) }
                lasts.append(Int(last))
            }
            let made = try build(lasts)
            var statements: [(text: String, rows: [[SQLiteData]])] = []
            for table in made.tables where !table.rows.isEmpty {
                guard let values = BulkWriter.sqliteValues(table.rows) else { return nil }
                statements.append((BulkWriter.sqliteInsert(table.table, columns: table.columns), values))
            }
            for statement in statements { try c.execute(statement.text, rows: statement.rows) }
            return made.outputs
        }
    }
}

/// The sequence's bump answered no row (it always answers one: `RETURNING last`).
struct NumberNotTaken: Error, CustomStringConvertible {
    let key: String
    var description: String { "the day's sequence answered no number: \(key)" }
}
