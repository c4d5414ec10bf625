import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Reads a `Decodable` row type straight from a result row, column by column, by its `CodingKeys`.
///
/// SQLKit's `decode(model:)` does the same through its generic `SQLRowDecoder`. For a 50-row
/// request list that took a quarter of the server's CPU: every optional column asked whether the
/// column exists and then read it twice, every enum and UUID column went through a nested decoder
/// allocated for it, and each UUID stored as text on SQLite was parsed with `sscanf`. Here a
/// column is looked up once, enums read their raw text directly, and text UUIDs are parsed by hand.
struct RowReader: Decoder {
    let row: any SQLRow
    /// SQLite stores UUIDs as 36-character text; PostgreSQL as `uuid`.
    let textIds: Bool
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func read<T: Decodable>(_ type: T.Type, from row: any SQLRow) throws -> T {
        try T(from: RowReader(row: row, textIds: textIds(row)))
    }

    private static let kinds = NIOLockedValueBox<[ObjectIdentifier: Bool]>([:])

    /// Whether rows of this kind come from SQLite, found once per row type.
    static func textIds(_ row: any SQLRow) -> Bool {
        let kind = ObjectIdentifier(type(of: row))
        if let known = kinds.withLockedValue({ $0[kind] }) { return known }
        let text = !String(reflecting: type(of: row)).contains("Postgres")
        kinds.withLockedValue { $0[kind] = text }
        return text
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row, textIds: textIds))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    /// A UUID from its 36-character text (either case), without `sscanf`.
    static func uuid(text: String) -> UUID? {
        var text = text
        return text.withUTF8 { p -> UUID? in
            guard p.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
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
                    guard p[i] == UInt8(ascii: "-") else { return nil }
                    i += 1
                    continue
                }
                guard let hi = nibble(p[i]), let lo = nibble(p[i + 1]) else { return nil }
                bytes[out] = hi << 4 | lo
                out += 1
                i += 2
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: any SQLRow
        let textIds: Bool
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.allColumns.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.contains(column: key.stringValue) }
        func decodeNil(forKey key: Key) throws -> Bool { try row.decodeNil(column: key.stringValue) }

        func decode(_ type: String.Type, forKey key: Key) throws -> String { try row.decode(column: key.stringValue, as: String.self) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try row.decode(column: key.stringValue, as: Int64.self) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try row.decode(column: key.stringValue, as: Int.self) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try row.decode(column: key.stringValue, as: Double.self) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try row.decode(column: key.stringValue, as: Bool.self) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            if T.self == UUID.self { return try uuid(key) as! T }
            if T.self == Date.self { return try row.decode(column: key.stringValue, as: Date.self) as! T }
            // Enums and other single values read the column through `Column`.
            return try T(from: Column(row: row, column: key.stringValue, textIds: textIds))
        }

        /// An optional column: looked up once for null, then read.
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            if try row.decodeNil(column: key.stringValue) { return nil }
            return try decode(T.self, forKey: key)
        }

        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            try row.decodeNil(column: key.stringValue) ? nil : try decode(String.self, forKey: key)
        }

        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
            try row.decodeNil(column: key.stringValue) ? nil : try decode(Int64.self, forKey: key)
        }

        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            try row.decodeNil(column: key.stringValue) ? nil : try decode(Double.self, forKey: key)
        }

        private func uuid(_ key: Key) throws -> UUID {
            guard textIds else { return try row.decode(column: key.stringValue, as: UUID.self) }
            let text = try row.decode(column: key.stringValue, as: String.self)
            guard let id = RowReader.uuid(text: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not a UUID: \(text)")
            }
            return id
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column holds one value"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a column holds one value"))
        }

        func superDecoder() throws -> any Decoder { RowReader(row: row, textIds: textIds) }
        func superDecoder(forKey key: Key) throws -> any Decoder { Column(row: row, column: key.stringValue, textIds: textIds) }
    }

    /// One column as a single value (an enum's raw value, a UUID, any type the row decodes itself).
    struct Column: Decoder, SingleValueDecodingContainer {
        let row: any SQLRow
        let column: String
        let textIds: Bool
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "\(column) holds one value"))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "\(column) holds one value"))
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { (try? row.decodeNil(column: column)) ?? true }
        func decode(_ type: String.Type) throws -> String { try row.decode(column: column, as: String.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
        func decode(_ type: Int.Type) throws -> Int { try row.decode(column: column, as: Int.self) }
        func decode(_ type: Double.Type) throws -> Double { try row.decode(column: column, as: Double.self) }
        func decode(_ type: Bool.Type) throws -> Bool { try row.decode(column: column, as: Bool.self) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if T.self == UUID.self, textIds {
                let text = try row.decode(column: column, as: String.self)
                guard let id = RowReader.uuid(text: text) else { throw DecodingError.dataCorruptedError(in: self, debugDescription: "\(column) is not a UUID: \(text)") }
                return id as! T
            }
            // Anything else is the row's own conversion, as SQLKit would read it.
            return try row.decode(column: column, as: T.self)
        }
    }
}
