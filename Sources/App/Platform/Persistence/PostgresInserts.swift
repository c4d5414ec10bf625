import FluentKit
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
/// values are not all plain binds of exactly their column's type (or NULL) answers nil, and is
/// written as `VALUES` (`BulkWriter`).
enum PostgresInserts {
    /// Element type → array type, for the column types arrays are sent for.
    static let arrayTypes: [PostgresDataType: PostgresDataType] = [
        .uuid: .uuidArray, .text: .textArray, .varchar: .varcharArray, .int8: .int8Array, .int4: .int4Array, .int2: .int2Array,
        .float8: .float8Array, .float4: .float4Array, .bool: .boolArray, .timestamptz: .timestamptzArray, .timestamp: .timestampArray,
        .date: .dateArray, .bytea: .byteaArray, .jsonb: .jsonbArray, .json: .jsonArray,
    ]

    /// Each table's column types, read once (the schema is the migrations', the same in every database of this version).
    private static let columnTypes = NIOLockedValueBox<[String: [String: PostgresDataType]]>([:])

    /// Inserts `rows` as one named statement; false when they cannot be sent as typed arrays
    /// (nothing was written then).
    static func insert(_ table: String, columns: [String], rows: ArraySlice<[any SQLExpression]>, on pg: any PostgresDatabase, logger: Logger) async throws -> Bool {
        guard !rows.isEmpty, let columnTypes = try await types(of: table, on: pg, logger: logger) else { return false }
        var arrays: [ColumnArray] = []
        arrays.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            guard let element = columnTypes[column], let arrayType = arrayTypes[element] else { return false }
            var array = ColumnArray(element: element, arrayType: arrayType, count: rows.count)
            for row in rows {
                guard i < row.count, array.append(row[row.startIndex + i]) else { return false }
            }
            arrays.append(array)
        }
        var bindings = PostgresBindings(capacity: arrays.count)
        for array in arrays { try bindings.append(array, context: .default) }
        let sql = text(table, columns: columns)
        let types = arrays.map(\.arrayType)
        guard let name = PostgresStatements.name(sql: sql, types: types) else { return false }
        _ = try await pg.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await PostgresStatements.rows(sql, name: name, types: types, bindings: bindings, on: connection, logger: logger)
            }
        }.get()
        return true
    }

    /// `INSERT INTO "t" ("a", "b") SELECT * FROM unnest($1, $2)`.
    static func text(_ table: String, columns: [String]) -> String {
        "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") SELECT * FROM unnest("
            + columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ") + ")"
    }

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
    let element: PostgresDataType
    let arrayType: PostgresDataType
    private var values: [(any PostgresThrowingDynamicTypeEncodable)?] = []

    init(element: PostgresDataType, arrayType: PostgresDataType, count: Int) {
        self.element = element
        self.arrayType = arrayType
        values.reserveCapacity(count)
    }

    var psqlType: PostgresDataType { arrayType }
    var psqlFormat: PostgresFormat { .binary }

    /// Adds a row's value: a bind whose type is the column's, or NULL; false for anything else.
    mutating func append(_ value: any SQLExpression) -> Bool {
        if let literal = value as? SQLLiteral, case .null = literal {
            values.append(nil)
            return true
        }
        guard let bind = value as? SQLBind, let encodable = bind.encodable as? any PostgresThrowingDynamicTypeEncodable,
              encodable.psqlType == element, encodable.psqlFormat == .binary else { return false }
        values.append(encodable)
        return true
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        buffer.writeInteger(1, as: Int32.self)
        buffer.writeInteger(values.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(element.rawValue)
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            guard let value else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            try value.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
        }
    }
}
