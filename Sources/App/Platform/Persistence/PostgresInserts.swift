import FluentKit
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import SQLKit

/// Multi-row inserts on PostgreSQL as one named statement per table and column list:
/// `INSERT INTO t (a, b, …) SELECT * FROM unnest($1, $2, …)`, each parameter an array holding the
/// column's values. Written as `VALUES (…), (…)`, a batch of filings was three statements of
/// about 700 parameters each, parsed, analysed and planned anew for every batch size: 15% of
/// PostgreSQL's CPU while owners filed, and writing their text took 10% of the server's
/// (`perf`, issue: speed). Named, the text is parsed and planned once per connection, whatever the
/// batch's size, and the server builds 45 arrays instead of a 700-placeholder text.
///
/// The arrays' types are the columns' own, read from the catalog once per table. A batch whose
/// values are not all plain binds of exactly their column's type (UUID, text, int8, timestamptz,
/// float8, bool) or NULL answers false, and is written as `VALUES` (`BulkWriter`).
enum PostgresInserts {
    /// Element type → array type, for the column types arrays are sent for (`ColumnArray`'s cells).
    static let arrayTypes: [PostgresDataType: PostgresDataType] = [
        .uuid: .uuidArray, .text: .textArray, .int8: .int8Array, .float8: .float8Array, .bool: .boolArray, .timestamptz: .timestamptzArray,
    ]

    /// Each table's column types, read once (the schema is the migrations', the same in every database of this version).
    private static let columnTypes = NIOLockedValueBox<[String: [String: PostgresDataType]]>([:])

    /// Inserts `rows` as one named statement; false when they cannot be sent as typed arrays
    /// (nothing was written then).
    static func insert(_ table: String, columns: [String], rows: ArraySlice<[any SQLExpression]>, on pg: any PostgresDatabase, logger: Logger) async throws -> Bool {
        try await insert([(table, columns, rows)], on: pg, logger: logger)
    }

    /// Inserts into several tables in one statement (the first ones as data-modifying `WITH`
    /// clauses): a filing batch's requests, timeline and audit rows cost one round trip instead of
    /// three. Foreign keys between them hold, as PostgreSQL checks them at the statement's end.
    /// False, with nothing written, when a table's rows cannot be sent as typed arrays.
    static func insert(_ tables: [(table: String, columns: [String], rows: ArraySlice<[any SQLExpression]>)], on pg: any PostgresDatabase,
                       logger: Logger) async throws -> Bool {
        let tables = tables.filter { !$0.rows.isEmpty }
        guard !tables.isEmpty else { return true }
        var arrays: [ColumnArray] = []
        for t in tables {
            guard let columnTypes = try await types(of: t.table, on: pg, logger: logger) else { return false }
            for (i, column) in t.columns.enumerated() {
                guard let element = columnTypes[column], let arrayType = arrayTypes[element] else { return false }
                var array = ColumnArray(element: element, arrayType: arrayType, count: t.rows.count)
                for row in t.rows {
                    guard i < row.count, array.append(row[row.startIndex + i]) else { return false }
                }
                arrays.append(array)
            }
        }
        var bindings = PostgresBindings(capacity: arrays.count)
        for array in arrays { try bindings.append(array, context: .default) }
        let sql = text(tables.map { ($0.table, $0.columns) })
        let types = arrays.map(\.arrayType)
        guard let name = PostgresStatements.name(sql: sql, types: types) else { return false }
        _ = try await pg.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await PostgresStatements.rows(sql, name: name, types: types, bindings: bindings, on: connection, logger: logger)
            }
        }.get()
        return true
    }

    /// `WITH w1 AS (INSERT INTO "t1" (…) SELECT * FROM unnest($1, …)) INSERT INTO "t2" (…) SELECT * FROM unnest(…)`.
    static func text(_ tables: [(table: String, columns: [String])]) -> String {
        var next = 1
        let inserts = tables.map { t -> String in
            let params = t.columns.indices.map { "$\(next + $0)" }.joined(separator: ", ")
            next += t.columns.count
            return "INSERT INTO \"\(t.table)\" (" + t.columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") SELECT * FROM unnest(" + params + ")"
        }
        guard inserts.count > 1 else { return inserts[0] }
        return "WITH " + inserts.dropLast().enumerated().map { "w\($0.offset + 1) AS (\($0.element))" }.joined(separator: ", ") + " " + inserts.last!
    }

    /// `INSERT INTO "t" ("a", "b") SELECT * FROM unnest($1, $2)`.
    static func text(_ table: String, columns: [String]) -> String { text([(table, columns)]) }

    /// The table's column types, read from the catalog the first time.
    private static func types(of table: String, on pg: any PostgresDatabase, logger: Logger) async throws -> [String: PostgresDataType]? {
        if let known = columnTypes.withLockedValue({ $0[table] }) { return known }
        let query: PostgresQuery = """
            SELECT a.attname::text AS name, a.atttypid::int8 AS type FROM pg_attribute a
            WHERE a.attrelid = to_regclass(\(table)) AND a.attnum > 0 AND NOT a.attisdropped
            """
        let rows = try await pg.withConnection { $0.query(query, logger: logger) }.get().rows
        var types: [String: PostgresDataType] = [:]
        for row in rows {
            let (name, type) = try row.decode((String, Int64).self)
            types[name] = PostgresDataType(UInt32(type))
        }
        guard !types.isEmpty else { return nil }
        columnTypes.withLockedValue { $0[table] = types }
        return types
    }
}

/// One column's values as a PostgreSQL array (binary format: dimensions, a NULL flag, the element
/// type, length and lower bound, then each element's length and bytes, -1 for NULL).
struct ColumnArray: PostgresThrowingDynamicTypeEncodable {
    /// A value of one of the types binds hold, cast to its own type once: casting each value to a
    /// protocol instead took a quarter of the inserts' CPU (`perf`).
    private enum Cell {
        case null, uuid(UUID), text(String), int(Int64), date(Date), double(Double), bool(Bool)
    }

    let element: PostgresDataType
    let arrayType: PostgresDataType
    private var cells: [Cell] = []
    private var nulls = false

    init(element: PostgresDataType, arrayType: PostgresDataType, count: Int) {
        self.element = element
        self.arrayType = arrayType
        cells.reserveCapacity(count)
    }

    var psqlType: PostgresDataType { arrayType }
    var psqlFormat: PostgresFormat { .binary }

    /// Adds a row's value: a bind whose type is the column's, or NULL; false for anything else.
    mutating func append(_ value: any SQLExpression) -> Bool {
        guard let bind = value as? SQLBind else {
            guard let literal = value as? SQLLiteral, case .null = literal else { return false }
            cells.append(.null)
            nulls = true
            return true
        }
        let cell: Cell
        switch bind.encodable {
        case let v as UUID where element == .uuid: cell = .uuid(v)
        case let v as String where element == .text: cell = .text(v)
        case let v as Int64 where element == .int8: cell = .int(v)
        case let v as Int where element == .int8: cell = .int(Int64(v))
        case let v as Date where element == .timestamptz: cell = .date(v)
        case let v as Double where element == .float8: cell = .double(v)
        case let v as Bool where element == .bool: cell = .bool(v)
        default: return false
        }
        cells.append(cell)
        return true
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        buffer.writeInteger(1, as: Int32.self)
        buffer.writeInteger(nulls ? 1 : 0, as: Int32.self)
        buffer.writeInteger(element.rawValue)
        buffer.writeInteger(Int32(cells.count))
        buffer.writeInteger(1, as: Int32.self)
        for cell in cells {
            if case .null = cell {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            switch cell {
            case .null: break
            case .uuid(let v): v.encode(into: &buffer, context: context)
            case .text(let v): v.encode(into: &buffer, context: context)
            case .int(let v): v.encode(into: &buffer, context: context)
            case .date(let v): v.encode(into: &buffer, context: context)
            case .double(let v): v.encode(into: &buffer, context: context)
            case .bool(let v): v.encode(into: &buffer, context: context)
            }
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
        }
    }
}
