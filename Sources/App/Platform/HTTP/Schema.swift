import Domain
import Foundation

/// A JSON Schema, as much of it as the OpenAPI document states. Each body and answer type declares
/// its own next to its `Codable` conformance; the document collects them from the route table.
indirect enum Schema {
    case string(format: String? = nil, pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil, description: String? = nil)
    /// A string that is one of the codes.
    case choice([String])
    case integer(minimum: Int64? = nil, maximum: Int64? = nil)
    case number(minimum: Double? = nil, maximum: Double? = nil)
    case boolean
    case array(Schema)
    /// An object with named properties and no others (unless `open`).
    case object([Property], open: Bool = false)
    /// An object whose values all have one schema (`additionalProperties`).
    case map(Schema)
    /// A named type of its own, stated once under `components/schemas`.
    case named(any Documented.Type)
    /// The value or `null`.
    case nullable(Schema)
    /// Any JSON value (the audit log's before/after).
    case any

    struct Property {
        let name: String
        let schema: Schema
        let required: Bool
    }

    static var uuid: Schema { .string(format: "uuid") }
    static var dateTime: Schema { .string(format: "date-time") }
    static var date: Schema { .string(format: "date") }
    /// Money in yuan or an area in m², exact, as a decimal string with at most two decimals.
    static var decimal: Schema { .string(pattern: "^-?[0-9]+(\\.[0-9]{1,2})?$", description: "exact decimal with two places") }
    static func choice<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> Schema where E.RawValue == String {
        .choice(E.allCases.map(\.rawValue))
    }

    /// The schema as JSON; named types are added to `components` and referenced.
    func json(_ components: inout [String: JSONValue]) -> JSONValue {
        switch self {
        case .string(let format, let pattern, let minLength, let maxLength, let description):
            var o: [String: JSONValue] = ["type": .string("string")]
            if let format { o["format"] = .string(format) }
            if let pattern { o["pattern"] = .string(pattern) }
            if let minLength { o["minLength"] = .int(Int64(minLength)) }
            if let maxLength { o["maxLength"] = .int(Int64(maxLength)) }
            if let description { o["description"] = .string(description) }
            return .object(o)
        case .choice(let codes):
            return .object(["type": .string("string"), "enum": .array(codes.map { .string($0) })])
        case .integer(let minimum, let maximum):
            var o: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { o["minimum"] = .int(minimum) }
            if let maximum { o["maximum"] = .int(maximum) }
            return .object(o)
        case .number(let minimum, let maximum):
            var o: [String: JSONValue] = ["type": .string("number")]
            if let minimum { o["minimum"] = .double(minimum) }
            if let maximum { o["maximum"] = .double(maximum) }
            return .object(o)
        case .boolean:
            return .object(["type": .string("boolean")])
        case .array(let items):
            return .object(["type": .string("array"), "items": items.json(&components)])
        case .object(let properties, let open):
            var props: [String: JSONValue] = [:]
            for p in properties { props[p.name] = p.schema.json(&components) }
            var o: [String: JSONValue] = ["type": .string("object"), "properties": .object(props),
                                          "required": .array(properties.filter(\.required).map { .string($0.name) })]
            if !open { o["additionalProperties"] = .bool(false) }
            return .object(o)
        case .map(let values):
            return .object(["type": .string("object"), "additionalProperties": values.json(&components)])
        case .named(let type):
            let name = type.schemaName
            if components[name] == nil {
                components[name] = .null  // reserved first, so a type that refers to itself ends
                components[name] = type.schema.json(&components)
            }
            return .object(["$ref": .string("#/components/schemas/\(name)")])
        case .nullable(let inner):
            return .object(["anyOf": .array([inner.json(&components), .object(["type": .string("null")])])])
        case .any:
            return .object([:])
        }
    }
}

/// A type with a schema in the OpenAPI document.
protocol Documented {
    static var schema: Schema { get }
    static var schemaName: String { get }
}

extension Documented {
    static var schemaName: String { String(describing: Self.self) }
}

/// A JSON request body: decoded by `FieldReader`, so every bad field is reported at once.
typealias APIBody = Decodable & Documented & Sendable

/// A JSON answer.
typealias APIAnswer = Encodable & Documented & Sendable

/// Shorthands for properties: `.req("title", .string())`, `.opt("note", .string())`.
extension Schema.Property {
    static func req(_ name: String, _ schema: Schema) -> Self { .init(name: name, schema: schema, required: true) }
    static func opt(_ name: String, _ schema: Schema) -> Self { .init(name: name, schema: schema, required: false) }
    /// Always present in an answer, `null` when there is no value.
    static func null(_ name: String, _ schema: Schema) -> Self { .init(name: name, schema: .nullable(schema), required: true) }
}

/// The answer of a route that answers nothing (204).
struct NoContent: APIAnswer {
    static var schema: Schema { .object([]) }
}

/// `{"items": [...]}`: a whole list.
struct Items<Item: APIAnswer>: APIAnswer {
    let items: [Item]
    static var schemaName: String { Item.schemaName + "List" }
    static var schema: Schema { .object([.req("items", .array(.named(Item.self)))]) }
}

/// `{"items": [...], "next": cursor|null}`: one page of a longer list.
struct Page<Item: APIAnswer>: APIAnswer {
    let items: [Item]
    let next: String?
    static var schemaName: String { Item.schemaName + "Page" }
    static var schema: Schema { .object([.req("items", .array(.named(Item.self))), .null("next", .string())]) }
}

extension KeyedEncodingContainer {
    /// Answers state every property: a missing value is written as `null`, as the document says,
    /// instead of being left out (the synthesised `Encodable` calls this for optionals).
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension UUID {
    /// The id as every answer and link writes it: lower case (`uuidString.lowercased()`, written
    /// from the bytes: a list writes hundreds, and `uuidString` goes through `sprintf`).
    var text: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var o = 0
                    for (i, byte) in bytes.enumerated() {
                        if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                        out[o] = hex[Int(byte >> 4)]
                        out[o + 1] = hex[Int(byte & 0x0f)]
                        o += 2
                    }
                    return o
                }
            }
        }
    }
}
