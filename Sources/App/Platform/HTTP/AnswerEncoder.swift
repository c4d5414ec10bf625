import Foundation
import NIOConcurrencyHelpers

/// Encodes answers the one way: sorted keys, unescaped slashes, `null` for missing values — the
/// same bytes as Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` and its
/// default strategies (`AnswerEncoderTests` holds it to that), at a fraction of the cost.
///
/// Why not `JSONEncoder` itself: a 50-row request list spent a fifth of its CPU in it. It builds
/// a tree of boxed values and sorts every object's keys anew. Here scalars are kept unboxed, each
/// answer type's key order is sorted once and remembered, and the text is written into one byte
/// array.
enum AnswerEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try bytes(value))
    }

    static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        // Answers read in bulk write themselves (the same bytes, without the tree of nodes).
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            try writable.writeJSON(to: &writer)
            return writer.out
        }
        let node = try JSONNode.of(value)
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        node.write(to: &out)
        return out
    }
}

/// One encoded value, before it is written out.
enum JSONNode {
    case null
    case bool(Bool)
    /// A number as its final text.
    case number(String)
    case string(String)
    case array(JSONArrayBox)
    case object(JSONObjectBox)

    /// The node of any `Encodable`, with `JSONEncoder`'s special cases: `Data` as base64, `URL`
    /// as its absolute string, `Decimal` as its digits, non-finite numbers refused.
    static func of<T: Encodable>(_ value: T) throws -> JSONNode {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .number(String(value as! Int)) }
        if T.self == Int64.self { return .number(String(value as! Int64)) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Double.self { return try .double(value as! Double) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Decimal.self { return .number((value as! Decimal).description) }
        if T.self == Date.self { return try .double((value as! Date).timeIntervalSinceReferenceDate) }
        if T.self == JSONValue.self { return try .of(json: value as! JSONValue) }
        let encoder = JSONNodeEncoder()
        try value.encode(to: encoder)
        return encoder.node ?? .object(JSONObjectBox())
    }

    static func of(json: JSONValue) throws -> JSONNode {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(String(i))
        case .double(let d): return try .double(d)
        case .string(let s): return .string(s)
        case .array(let items):
            let box = JSONArrayBox()
            box.items = try items.map { try .of(json: $0) }
            return .array(box)
        case .object(let fields):
            let box = JSONObjectBox()
            box.entries = try fields.map { ($0.key, try .of(json: $0.value)) }
            return .object(box)
        }
    }

    static func double(_ d: Double) throws -> JSONNode { try number(d) }
    static func float(_ f: Float) throws -> JSONNode { try number(f) }

    private static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws -> JSONNode {
        .number(try numberText(value))
    }

    /// A finite number as `JSONEncoder` writes it: its shortest text, without a trailing `.0`.
    static func numberText<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): Self.write(string: s, to: &out)
        case .array(let box):
            out.append(UInt8(ascii: "["))
            for (i, item) in box.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let box):
            out.append(UInt8(ascii: "{"))
            let entries = box.entries
            var first = true
            for i in JSONKeyOrder.order(entries.map(\.key)) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.write(string: entries[i].key, to: &out)
                out.append(UInt8(ascii: ":"))
                entries[i].value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func write(string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text needs no escapes: copied in one go.
        let copied = string.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

final class JSONArrayBox {
    var items: [JSONNode] = []
}

final class JSONObjectBox {
    var entries: [(key: String, value: JSONNode)] = []
}

/// `JSONEncoder`'s key order for `.sortedKeys` here: by the keys' UTF-8 bytes (`String`'s `<`),
/// of equal keys the last written, as a dictionary keeps it.
enum JSONKeyOrder {
    /// Which entries to write, in order. An answer type writes the same keys every time, so each
    /// list of keys is sorted once and remembered (up to `remembered` lists).
    static func order(_ keys: [String]) -> [Int] {
        if let known = orders.withLockedValue({ $0[keys] }) { return known }
        let sorted = keys.indices.sorted { x, y in keys[x] != keys[y] ? keys[x] < keys[y] : x < y }
        let kept = sorted.enumerated().filter { $0.offset + 1 == sorted.count || keys[sorted[$0.offset + 1]] != keys[$0.element] }.map(\.element)
        orders.withLockedValue { cache in
            if cache.count >= remembered { cache.removeAll(keepingCapacity: true) }
            cache[keys] = kept
        }
        return kept
    }

    static let remembered = 4096
    private static let orders = NIOLockedValueBox<[[String]: [Int]]>([:])
}

/// The `Encoder` behind `JSONNode.of`: each instance holds the one value it was asked to encode.
final class JSONNodeEncoder: Encoder {
    var node: JSONNode?
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey] = []) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box)? = node { return KeyedEncodingContainer(KeyedContainer(box: box, codingPath: codingPath)) }
        let box = JSONObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(KeyedContainer(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let box)? = node { return UnkeyedContainer(box: box, codingPath: codingPath) }
        let box = JSONArrayBox()
        node = .array(box)
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: JSONObjectBox
        let codingPath: [any CodingKey]

        private func put(_ node: JSONNode, _ key: Key) { box.entries.append((key.stringValue, node)) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(try .double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(try .float(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(try JSONNode.of(value), key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObjectBox()
            put(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = JSONArrayBox()
            put(.array(nested), key)
            return UnkeyedContainer(box: nested, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(key: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key.stringValue) }

        private func superEncoder(key: String) -> any Encoder {
            // The nested value is whatever the encoder is given; an object until then.
            let nested = JSONObjectBox()
            box.entries.append((key, .object(nested)))
            let index = box.entries.count - 1
            return JSONDeferredEncoder(codingPath: codingPath) { [box] node in box.entries[index].value = node }
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: JSONArrayBox
        let codingPath: [any CodingKey]
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { box.items.append(try .double(value)) }
        mutating func encode(_ value: Float) throws { box.items.append(try .float(value)) }
        mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try JSONNode.of(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObjectBox()
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = JSONArrayBox()
            box.items.append(.array(nested))
            return UnkeyedContainer(box: nested, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            box.items.append(.object(JSONObjectBox()))
            let index = box.items.count - 1
            return JSONDeferredEncoder(codingPath: codingPath) { [box] node in box.items[index] = node }
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let encoder: JSONNodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.node = .null }
        mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.node = .string(value) }
        mutating func encode(_ value: Double) throws { encoder.node = try .double(value) }
        mutating func encode(_ value: Float) throws { encoder.node = try .float(value) }
        mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int8) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int16) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int32) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int64) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node = .number(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try JSONNode.of(value) }
    }
}

/// A `superEncoder`: whatever is encoded into it lands where the container reserved a place.
final class JSONDeferredEncoder: Encoder {
    let inner: JSONNodeEncoder
    let place: (JSONNode) -> Void
    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], place: @escaping (JSONNode) -> Void) {
        inner = JSONNodeEncoder(codingPath: codingPath)
        self.place = place
    }

    deinit { place(inner.node ?? .object(JSONObjectBox())) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
