@testable import App
import FluentKit
import PostgresNIO
import Foundation
import SQLKit
import Testing

/// Multi-row inserts as typed arrays into one named statement on PostgreSQL (`PostgresInserts`).
@Suite("Bulk inserts on PostgreSQL as arrays")
struct PostgresInsertsTests {
    static let columns = ["id", "n", "t", "at", "x", "b"]

    /// Rows with a value or NULL in every column, text that needs no quoting and text that would.
    static func rows(_ ids: [UUID]) -> [[any SQLExpression]] {
        ids.enumerated().map { i, id in
            [Bind.uuid(id), i == 1 ? Bind.int(nil) : Bind.int(Int64(i) * 1_000_000_007), Bind.text(i == 2 ? nil : "第\(i)行 'quoted' \"double\" $1 \u{200B}"),
             Bind.date(i == 0 ? nil : Date(timeIntervalSince1970: 1_796_004_000.123 + Double(i))), Bind.real(i == 1 ? -0.5 : nil), Bind.bool(i % 2 == 0)]
        }
    }

    /// What was stored, row by row in id order, as text.
    static func stored(_ table: String, on db: any Database) async throws -> [String] {
        try await db.sql().raw("SELECT id, n, t, at, x, b FROM \(unsafeRaw: table) ORDER BY id").all().map { row in
            func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "nil" }
            return [try row.decode(column: "id", as: UUID.self).uuidString, text(try row.decode(column: "n", as: Int64?.self)),
                    text(try row.decode(column: "t", as: String?.self)), text(try row.decode(column: "at", as: Date?.self)?.timeIntervalSince1970),
                    text(try row.decode(column: "x", as: Double?.self)), text(try row.decode(column: "b", as: Bool.self))].joined(separator: "|")
        }
    }

    @Test("arrays store exactly what VALUES stores, NULLs and quotes included; other values fall back to VALUES", arguments: TestDatabase.all)
    func sameAsValues(db: TestDatabase) async throws {
        guard case .postgres = db else { return }
        try await withApp(db) { app, _ in
            let sql = app.database.db.sql()
            for table in ["probe_arrays", "probe_values"] {
                try await sql.raw("CREATE TABLE \(unsafeRaw: table) (id uuid PRIMARY KEY, n int8, t text, at timestamptz, x float8, b bool NOT NULL)").run()
            }
            let ids = (0..<4).map { _ in UUID() }
            // given the same rows written both ways
            try await app.database.db.transaction { tx in
                try await BulkWriter(db: tx).insert("probe_arrays", columns: Self.columns, rows: Self.rows(ids))
                // then the arrays went through one named statement on the transaction's connection
                let named = try await tx.sql().raw("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO \"probe_arrays\"%'").all()
                #expect(named.count == 1)
                #expect(try named.first?.decode(column: "statement", as: String.self).contains("SELECT * FROM unnest($1, $2, $3, $4, $5, $6)") == true)
            }
            try await sql.execute(sql: RowsInsert(table: "probe_values", columns: Self.columns, rows: Self.rows(ids)[...])) { _ in }
            let arrays = try await Self.stored("probe_arrays", on: app.database.db), values = try await Self.stored("probe_values", on: app.database.db)
            #expect(arrays.count == 4 && arrays == values)
            #expect(arrays.contains { $0.contains("nil|nil") } && arrays.contains { $0.contains("'quoted' \"double\" $1") })
            // a value of another type than its column's (an integer for text), or not a bind, is no array: nothing is written, and BulkWriter uses VALUES
            let pg = try #require(app.database.db as? any PostgresDatabase)
            let odd: [[any SQLExpression]] = [[Bind.uuid(UUID()), Bind.int(1), Bind.int(2), Bind.date(nil), Bind.real(nil), Bind.bool(true)]]
            #expect(try await PostgresInserts.insert("probe_arrays", columns: Self.columns, rows: odd[...], on: pg, logger: app.database.logger) == false)
            let raw: [[any SQLExpression]] = [[Bind.uuid(UUID()), Bind.int(1), SQLRaw("'raw'"), SQLRaw("now()"), Bind.real(1), Bind.bool(false)]]
            #expect(try await PostgresInserts.insert("probe_arrays", columns: Self.columns, rows: raw[...], on: pg, logger: app.database.logger) == false)
            #expect(try await Self.stored("probe_arrays", on: app.database.db).count == 4)
            try await BulkWriter(db: app.database.db).insert("probe_arrays", columns: Self.columns, rows: raw)
            #expect(try await Self.stored("probe_arrays", on: app.database.db).count == 5)
            // a failing row fails the whole statement: nothing of the batch is kept
            let clash = Self.rows([UUID(), ids[0]])
            await #expect(throws: (any Error).self) { try await BulkWriter(db: app.database.db).insert("probe_arrays", columns: Self.columns, rows: clash) }
            #expect(try await Self.stored("probe_arrays", on: app.database.db).count == 5)
        }
    }

    @Test("several tables in one statement: a child's key to a parent written beside it holds; a broken one fails the statement and keeps nothing", arguments: TestDatabase.all)
    func severalTables(db: TestDatabase) async throws {
        guard case .postgres = db else { return }
        try await withApp(db) { app, _ in
            let sql = app.database.db.sql()
            try await sql.raw("CREATE TABLE probe_parent (id uuid PRIMARY KEY, name text NOT NULL)").run()
            try await sql.raw("CREATE TABLE probe_child (id uuid PRIMARY KEY, parent_id uuid NOT NULL REFERENCES probe_parent(id), n int8)").run()
            let pg = try #require(app.database.db as? any PostgresDatabase)
            let parents = (0..<3).map { _ in UUID() }
            func tables(_ childParents: [UUID]) -> [(table: String, columns: [String], rows: ArraySlice<[any SQLExpression]>)] {
                [("probe_parent", ["id", "name"], parents.enumerated().map { [Bind.uuid($1), Bind.text("p\($0)")] }[...]),
                 ("probe_child", ["id", "parent_id", "n"], childParents.enumerated().map { [Bind.uuid(UUID()), Bind.uuid($1), Bind.int($0)] }[...])]
            }
            #expect(PostgresInserts.text([("a", ["x"]), ("b", ["y", "z"])])
                    == "WITH w1 AS (INSERT INTO \"a\" (\"x\") SELECT * FROM unnest($1)) INSERT INTO \"b\" (\"y\", \"z\") SELECT * FROM unnest($2, $3)")
            // a child naming a parent that nothing writes: the statement fails, neither table keeps a row
            await #expect(throws: (any Error).self) {
                _ = try await PostgresInserts.insert(tables([parents[0], UUID()]), on: pg, logger: app.database.logger)
            }
            #expect(try await count(app, "probe_parent") == 0)
            #expect(try await count(app, "probe_child") == 0)
            // children of parents written in the same statement
            #expect(try await PostgresInserts.insert(tables([parents[0], parents[2], parents[2]]), on: pg, logger: app.database.logger))
            #expect(try await count(app, "probe_parent") == 3)
            #expect(try await count(app, "probe_child") == 3)
            let pairs = try await sql.raw("SELECT p.name, c.n FROM probe_child c JOIN probe_parent p ON p.id = c.parent_id ORDER BY c.n").all()
                .map { "\(try $0.decode(column: "name", as: String.self)):\(try $0.decode(column: "n", as: Int64.self))" }
            #expect(pairs == ["p0:0", "p2:1", "p2:2"])
        }
    }
}
