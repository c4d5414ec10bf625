import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import VaporCSQLite

/// A result row read column by column (`RequestRow(reading:)`): the database's own row where the
/// query ran through `RowSource.all` (SQLite's, PostgresNIO's), any SQLKit row otherwise.
///
/// Why SQLite's own row: through SQLKit each column of each row went through SQLiteKit's generic
/// decoder (a run-time conformance check and a conversion per value) — half of what reading a
/// 50-row request list cost. UUIDs stored as text are parsed by hand, not with `sscanf`. Here text, integers, reals and times are taken from SQLite's value
/// directly; anything else still goes through SQLiteKit's decoder, so the values read are the same.
enum RowSource {
    case sqlite(SQLiteValues)
    /// The row a kept SQLite statement stands on (`map`): read in place, valid only inside the reader.
    case native(SQLiteStatements.Row)
    case postgres(PostgresValues)
    case sql(any SQLRow)

    /// A query's column names, found by position (shared by its rows, SQLite's and PostgreSQL's).
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        init(_ names: [String]) {
            self.names = names
            index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// A SQLite row's values, by the statement's columns (copied out of a kept statement, or SQLiteNIO's row).
    final class SQLiteValues: Sendable {
        let columns: Columns
        let values: [SQLiteData]
        init(columns: Columns, values: [SQLiteData]) {
            self.columns = columns
            self.values = values
        }

        convenience init(_ row: SQLiteRow) {
            let cells = row.columns
            self.init(columns: Columns(cells.map(\.name)), values: cells.map(\.data))
        }

        convenience init(_ row: SQLiteStatements.Row) {
            self.init(columns: row.columns, values: (0..<Int32(row.columns.names.count)).map { row.data($0) })
        }

        func column(_ name: String) -> SQLiteData? { columns.index[name].map { values[$0] } }
    }

    /// The rows of a query: the database's own rows (SQLite's; PostgresNIO's when every bind is a
    /// PostgreSQL value, as all of ours are), SQLKit's otherwise.
    static func all(_ query: SQLQueryString, on db: any Database) async throws -> [RowSource] {
        let sql = db.sql()
        if let pg = db as? any PostgresDatabase, let rows = try await postgres(query, sql: sql, on: pg) { return rows }
        guard let lite = db as? any SQLiteDatabase else { return try await sql.raw(query).all().map { .sql($0) } }
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        do {
            if let rows = try await SQLiteStatements.rows(serializer.sql, binds, on: lite, read: { SQLiteValues($0) }) { return rows.map { .sqlite($0) } }
        } catch is SQLiteStatements.StatementError {
            // Below, through SQLiteNIO, for its error.
        }
        // SQLiteNIO's own path: where the handle is not reachable, and for the error of a failed
        // read (the same statement again, so that the error is SQLiteNIO's as everywhere else).
        return try await lite.query(serializer.sql, binds).map { .sqlite(SQLiteValues($0)) }
    }

    /// The query's rows, each read by `read` — on SQLite where the kept statement stands on it,
    /// without copying its values first (a page of requests: 51 rows of 52 columns).
    static func map<T: Sendable>(_ query: SQLQueryString, on db: any Database, _ read: @escaping @Sendable (RowSource) throws -> T) async throws -> [T] {
        if let lite = db as? any SQLiteDatabase {
            let sql = db.sql()
            var serializer = SQLSerializer(database: sql)
            query.serialize(to: &serializer)
            let encoder = SQLiteDataEncoder()
            let binds = try serializer.binds.map { try encoder.encode($0) }
            do {
                if let rows = try await SQLiteStatements.rows(serializer.sql, binds, on: lite, read: { try read(.native($0)) }) { return rows }
            } catch is SQLiteStatements.StatementError {
                // Below, through SQLiteNIO, for its error.
            }
        }
        return try await all(query, on: db).map(read)
    }

    private static let decoder = SQLiteDataDecoder()

    private static let kinds = NIOLockedValueBox<[ObjectIdentifier: Bool]>([:])

    /// Whether rows of this kind come from SQLite (UUIDs as text), found once per row type.
    static func textIds(_ row: any SQLRow) -> Bool {
        let kind = ObjectIdentifier(type(of: row))
        if let known = kinds.withLockedValue({ $0[kind] }) { return known }
        let text = !String(reflecting: type(of: row)).contains("Postgres")
        kinds.withLockedValue { $0[kind] = text }
        return text
    }

    /// A UUID from its 36-character text (either case), without `sscanf`.
    static func uuid(text: String) -> UUID? {
        var text = text
        return text.withUTF8 { uuid(utf8: $0) }
    }

    /// A UUID from the 36 bytes of its text (either case).
    static func uuid(utf8 p: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard p.count == 36 else { return nil }
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &id) { bytes -> Bool in
            var out = 0, i = 0
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: c - 0x30
                case 0x41...0x46: c - 0x37
                case 0x61...0x66: c - 0x57
                default: nil
                }
            }
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard p[i] == UInt8(ascii: "-") else { return false }
                    i += 1
                    continue
                }
                guard let hi = nibble(p[i]), let lo = nibble(p[i + 1]) else { return false }
                bytes[out] = hi << 4 | lo
                out += 1
                i += 2
            }
            return true
        }
        return ok ? UUID(uuid: id) : nil
    }

    /// A SQLite value by column name: nil where this is no SQLite row, `.some(nil)` where the row has no such column.
    private func lite(_ column: String) -> SQLiteData?? {
        switch self {
        case .sqlite(let values): return .some(values.column(column))
        case .native(let row): return .some(row.position(column).map { row.data($0) })
        case .postgres, .sql: return nil
        }
    }

    private func value(_ column: String) throws -> SQLiteData {
        guard case .some(let data) = lite(column) else { preconditionFailure("SQLite rows only") }
        guard let data else { throw RowSourceError.missingColumn(column) }
        return data
    }

    private var isSQLite: Bool {
        switch self {
        case .sqlite, .native: true
        case .postgres, .sql: false
        }
    }

    func isNull(_ column: String) throws -> Bool {
        switch self {
        case .sqlite(let values): return (values.column(column) ?? .null) == .null
        case .native(let row): return row.position(column).map { row.isNull($0) } ?? true
        case .postgres(let values): return values.cell(column)?.bytes == nil
        case .sql(let row): return try row.decodeNil(column: column)
        }
    }

    func contains(_ column: String) -> Bool {
        switch self {
        case .sqlite(let values): values.columns.index[column] != nil
        case .native(let row): row.columns.index[column] != nil
        case .postgres(let values): values.columns.index[column] != nil
        case .sql(let row): row.contains(column: column)
        }
    }

    var allColumns: [String] {
        switch self {
        case .sqlite(let values): values.columns.names
        case .native(let row): row.columns.names
        case .postgres(let values): values.columns.names
        case .sql(let row): row.allColumns
        }
    }

    func string(_ column: String) throws -> String {
        if case .postgres(let values) = self { return try values.decode(column, as: String.self) }
        if case .native(let row) = self, let i = row.position(column), row.type(i) == SQLITE_TEXT { return row.text(i) }
        guard isSQLite else { return try decode(column, as: String.self) }
        if case .text(let s) = try value(column) { return s }
        return try decode(column, as: String.self)
    }

    func int64(_ column: String) throws -> Int64 {
        if case .postgres(let values) = self { return try values.decode(column, as: Int64.self) }
        guard isSQLite else { return try decode(column, as: Int64.self) }
        if case .integer(let i) = try value(column) { return Int64(i) }
        return try decode(column, as: Int64.self)
    }

    func double(_ column: String) throws -> Double {
        if case .postgres(let values) = self { return try values.decode(column, as: Double.self) }
        guard isSQLite else { return try decode(column, as: Double.self) }
        switch try value(column) {
        case .float(let d): return d
        case .integer(let i): return Double(i)
        default: return try decode(column, as: Double.self)
        }
    }

    func date(_ column: String) throws -> Date {
        if case .postgres(let values) = self { return try values.decode(column, as: Date.self) }
        guard isSQLite else { return try decode(column, as: Date.self) }
        switch try value(column) {
        case .float(let d): return Date(timeIntervalSince1970: d)
        case .integer(let i): return Date(timeIntervalSince1970: Double(i))
        default: return try decode(column, as: Date.self)
        }
    }

    /// A UUID: SQLite keeps them as text, parsed here by hand (`Self.uuid(utf8:)`).
    func uuid(_ column: String) throws -> UUID {
        switch self {
        case .native(let row):
            if let i = row.position(column), row.type(i) == SQLITE_TEXT {
                guard let id = row.uuid(i) else { throw RowSourceError.notUUID(column, row.text(i)) }
                return id
            }
            return try decode(column, as: UUID.self)
        case .sqlite:
            if case .text(let s) = try value(column) {
                guard let id = Self.uuid(text: s) else { throw RowSourceError.notUUID(column, s) }
                return id
            }
            return try decode(column, as: UUID.self)
        case .postgres(let values): return try values.decode(column, as: UUID.self)
        case .sql(let row):
            guard Self.textIds(row) else { return try row.decode(column: column, as: UUID.self) }
            let s = try row.decode(column: column, as: String.self)
            guard let id = Self.uuid(text: s) else { throw RowSourceError.notUUID(column, s) }
            return id
        }
    }

    /// Any other type, as the database's SQLKit row would decode it.
    func decode<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        switch self {
        case .sqlite, .native: return try Self.decoder.decode(T.self, from: try value(column))
        case .postgres(let values):
            guard let cell = values.cell(column) else { throw RowSourceError.missingColumn(column) }
            // PostgresKit's own first choice for a type PostgresNIO decodes; anything else through it.
            if let type = T.self as? any PostgresDecodable.Type, let value = try Self.decode(cell, as: type) as? T { return value }
            return try values.row.sql().decode(column: column, as: T.self)
        case .sql(let row): return try row.decode(column: column, as: T.self)
        }
    }

    private static func decode<V: PostgresDecodable>(_ cell: PostgresCell, as type: V.Type) throws -> Any { try cell.decode(V.self) }
}

/// Reading by a row type's `CodingKeys`, for readers written by hand (`RequestRow(reading:)`).
extension RowSource {
    func uuid<K: CodingKey>(_ key: K) throws -> UUID { try uuid(key.stringValue) }
    func string<K: CodingKey>(_ key: K) throws -> String { try string(key.stringValue) }
    func int64<K: CodingKey>(_ key: K) throws -> Int64 { try int64(key.stringValue) }
    func date<K: CodingKey>(_ key: K) throws -> Date { try date(key.stringValue) }

    // Optional columns: on SQLite one look-up of the column, not one for null and one for the value.
    func uuid<K: CodingKey>(_ key: K) throws -> UUID? {
        if case .postgres(let values) = self { return try values.optional(key.stringValue, as: UUID.self) }
        if case .native(let row) = self {
            guard let i = row.position(key.stringValue) else { return nil }
            switch row.type(i) {
            case SQLITE_NULL: return nil
            case SQLITE_TEXT:
                guard let id = row.uuid(i) else { throw RowSourceError.notUUID(key.stringValue, row.text(i)) }
                return id
            default: return try Self.decoder.decode(UUID.self, from: row.data(i))
            }
        }
        guard case .some(let data) = lite(key.stringValue) else { return try isNull(key.stringValue) ? nil : try uuid(key.stringValue) }
        switch data {
        case nil, .null?: return nil
        case .text(let s)?:
            guard let id = Self.uuid(text: s) else { throw RowSourceError.notUUID(key.stringValue, s) }
            return id
        case let data?: return try Self.decoder.decode(UUID.self, from: data)
        }
    }

    func string<K: CodingKey>(_ key: K) throws -> String? {
        if case .postgres(let values) = self { return try values.optional(key.stringValue, as: String.self) }
        if case .native(let row) = self {
            guard let i = row.position(key.stringValue) else { return nil }
            switch row.type(i) {
            case SQLITE_NULL: return nil
            case SQLITE_TEXT: return row.text(i)
            default: return try Self.decoder.decode(String.self, from: row.data(i))
            }
        }
        guard case .some(let data) = lite(key.stringValue) else { return try isNull(key.stringValue) ? nil : try string(key.stringValue) }
        switch data {
        case nil, .null?: return nil
        case .text(let s)?: return s
        case let data?: return try Self.decoder.decode(String.self, from: data)
        }
    }

    func int64<K: CodingKey>(_ key: K) throws -> Int64? {
        if case .postgres(let values) = self { return try values.optional(key.stringValue, as: Int64.self) }
        guard case .some(let data) = lite(key.stringValue) else { return try isNull(key.stringValue) ? nil : try int64(key.stringValue) }
        switch data {
        case nil, .null?: return nil
        case .integer(let i)?: return Int64(i)
        case let data?: return try Self.decoder.decode(Int64.self, from: data)
        }
    }

    func double<K: CodingKey>(_ key: K) throws -> Double? {
        if case .postgres(let values) = self { return try values.optional(key.stringValue, as: Double.self) }
        guard case .some(let data) = lite(key.stringValue) else { return try isNull(key.stringValue) ? nil : try double(key.stringValue) }
        switch data {
        case nil, .null?: return nil
        case .float(let d)?: return d
        case .integer(let i)?: return Double(i)
        case let data?: return try Self.decoder.decode(Double.self, from: data)
        }
    }

    func date<K: CodingKey>(_ key: K) throws -> Date? {
        if case .postgres(let values) = self { return try values.optional(key.stringValue, as: Date.self) }
        guard case .some(let data) = lite(key.stringValue) else { return try isNull(key.stringValue) ? nil : try date(key.stringValue) }
        switch data {
        case nil, .null?: return nil
        case .float(let d)?: return Date(timeIntervalSince1970: d)
        case .integer(let i)?: return Date(timeIntervalSince1970: Double(i))
        case let data?: return try Self.decoder.decode(Date.self, from: data)
        }
    }

    /// A stored code: one of the enum's raw values, or the read fails (never a default).
    func code<K: CodingKey, T: RawRepresentable>(_ key: K) throws -> T where T.RawValue == String {
        let text = try string(key.stringValue)
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "\(key.stringValue) holds \(text), not a \(T.self)"))
        }
        return value
    }

    func code<K: CodingKey, T: RawRepresentable>(_ key: K) throws -> T? where T.RawValue == String {
        guard let text = try string(key) as String? else { return nil }
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "\(key.stringValue) holds \(text), not a \(T.self)"))
        }
        return value
    }
}

/// A row of `RowSource.all` is also a SQLKit row, for readers written against `SQLRow` (a filing's
/// facts: the access policy's reach columns, the district's settings).
extension RowSource: SQLRow {
    func contains(column: String) -> Bool { contains(column) }
    func decodeNil(column: String) throws -> Bool { try isNull(column) }
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D { try decode(column, as: D.self) }
}

enum RowSourceError: Error, CustomStringConvertible {
    case missingColumn(String)
    case notUUID(String, String)

    var description: String {
        switch self {
        case .missingColumn(let c): "no column \(c) in the row"
        case .notUUID(let c, let s): "\(c) is not a UUID: \(s)"
        }
    }
}
