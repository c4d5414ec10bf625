import FluentKit
import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL's side of `RowSource`: the hot reads as named statements (`PostgresStatements`), and
/// PostgresNIO's rows read by position.
extension RowSource {
    /// PostgresNIO's row, its cells by position. Through SQLKit every value went through
    /// PostgresKit's generic translation (run-time casts, a decoding context) to reach the same
    /// `PostgresCell.decode`; by name, PostgresNIO hashes the name twice a column (`contains`, then
    /// the subscript). The columns are found once a query; a look-up tries the column after the
    /// last one read first, as readers read in the statement's order.
    final class PostgresValues: @unchecked Sendable {
        // @unchecked: `cursor` is a hint, moved by the one reader of the row.
        let row: PostgresRow
        let cells: PostgresRandomAccessRow
        let columns: Columns
        private var cursor = 0

        init(_ row: PostgresRow, columns: Columns) {
            self.row = row
            // The row's values by position; a cell is made only for a column read.
            cells = row.makeRandomAccess()
            self.columns = columns
        }

        convenience init(_ row: PostgresRow) {
            self.init(row, columns: Columns(row.map(\.columnName)))
        }

        /// The rows of one query, sharing its columns.
        static func rows(_ rows: [PostgresRow]) -> [RowSource] {
            guard let first = rows.first else { return [] }
            let columns = Columns(first.map(\.columnName))
            return rows.map { .postgres(PostgresValues($0, columns: columns)) }
        }

        func cell(_ column: String) -> PostgresCell? {
            let names = columns.names
            if cursor < names.count, names[cursor] == column {
                cursor += 1
                return cells[cursor - 1]
            }
            guard let i = columns.index[column] else { return nil }
            cursor = i + 1
            return cells[i]
        }

        /// A value as PostgresKit's first choice decodes it: the cell's own decoding (text from a
        /// user-defined type read as a name, its workaround for enums).
        func decode<V: PostgresDecodable>(_ column: String, as type: V.Type) throws -> V {
            guard let cell = cell(column) else { throw RowSourceError.missingColumn(column) }
            return try Self.decode(cell, as: V.self)
        }

        private static func decode<V: PostgresDecodable>(_ cell: PostgresCell, as type: V.Type) throws -> V {
            var cell = cell
            if V.self == String.self, cell.dataType.isUserDefined {
                cell = PostgresCell(bytes: cell.bytes, dataType: .name, format: cell.format, columnName: cell.columnName, columnIndex: cell.columnIndex)
            }
            return try cell.decode(V.self)
        }

        /// nil for SQL NULL (or no such column, as SQLKit's rows answer).
        func optional<V: PostgresDecodable>(_ column: String, as type: V.Type) throws -> V? {
            guard let cell = cell(column), cell.bytes != nil else { return nil }
            return try Self.decode(cell, as: V.self)
        }
    }

    /// The query on the connection itself, with its binds encoded as PostgresKit encodes them (its
    /// first choice, `PostgresEncodable`: UUIDs, text, integers, times); nil when a bind is not.
    static func postgres(_ query: SQLQueryString, sql: any SQLDatabase, on pg: any PostgresDatabase) async throws -> [RowSource]? {
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        var bindings = PostgresBindings(capacity: serializer.binds.count)
        var types: [PostgresDataType] = []
        for bind in serializer.binds {
            // A nil optional is no PostgresEncodable: such a query goes through SQLKit.
            guard let value = bind as? any PostgresThrowingDynamicTypeEncodable else { return nil }
            try bindings.append(value, context: .default)
            types.append(value.psqlType)
        }
        let logger = sql.logger
        let unnamed = PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
        // Named (planned once per connection, `PostgresStatements`), unless too many texts have names.
        guard let (name, text) = PostgresStatements.statement(sql: serializer.sql, types: types) else {
            return PostgresValues.rows(try await pg.withConnection { $0.query(unnamed, logger: logger) }.get().rows)
        }
        do {
            let rows = try await pg.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    try await PostgresStatements.rows(text, name: name, types: types, bindings: bindings, on: connection, logger: logger)
                }
            }.get()
            return PostgresValues.rows(rows)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "0A000" {
            // "cached plan must not change result type": the tables changed under a prepared
            // statement (a migration by another server); this call runs unnamed.
            return PostgresValues.rows(try await pg.withConnection { $0.query(unnamed, logger: logger) }.get().rows)
        }
    }
}
