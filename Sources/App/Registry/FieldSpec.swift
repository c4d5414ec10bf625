import Domain
import Foundation

/// What kind of value a field holds, which fixes its JSON form, its column type and its checks.
enum FieldKind: Sendable {
    /// Text of 1…max characters (trimmed).
    case text(max: Int)
    /// A whole number in a range.
    case integer(ClosedRange<Int64>)
    /// true / false.
    case boolean
    /// Square metres, JSON `"89.50"`, stored as hundredths; must be more than zero.
    case area
    /// Yuan, JSON `"3.50"`, stored as fen; zero or more.
    case money
    /// A calendar date `YYYY-MM-DD`.
    case date
    /// One of a closed set of codes (with the localisation family for labels).
    case code(family: String, values: [String])
    /// The id of a row of another resource.
    case reference(resource: String)
    /// A latitude or longitude in degrees.
    case coordinate(ClosedRange<Double>)
    /// A unified social credit code, checked by its GB 32100 check character.
    case creditCode
    /// A mainland mobile or landline number.
    case phone

    static func codes<T: RegistryCode>(_ type: T.Type) -> FieldKind {
        .code(family: String(describing: type).snakeCased, values: T.codes)
    }
}

/// One field of a resource: its public name, its column, its kind and whether it must be given.
struct FieldSpec: Sendable {
    /// camelCase name in JSON and forms.
    let name: String
    let kind: FieldKind
    let required: Bool
    /// Whether lists may be filtered by it (`?streetId=…`).
    let filterable: Bool

    init(_ name: String, _ kind: FieldKind, required: Bool = true, filterable: Bool? = nil) {
        self.name = name
        self.kind = kind
        self.required = required
        if let filterable {
            self.filterable = filterable
        } else if case .reference = kind {
            self.filterable = true
        } else if case .code = kind {
            self.filterable = true
        } else {
            self.filterable = false
        }
    }

    /// snake_case column.
    var column: String { name.snakeCased }
    /// Text a list search (`?q=`) looks in: names, numbers, codes, phones, addresses.
    var searchable: Bool { ["name", "number", "code", "creditCode", "phone", "address", "aliases"].contains(name) }

    var referencedResource: String? {
        if case .reference(let r) = kind { return r }
        return nil
    }
}

/// A stored value of one field.
enum FieldValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case boolean(Bool)
    case uuid(UUID)
    case real(Double)

    var uuid: UUID? { if case .uuid(let u) = self { return u }; return nil }
    var text: String? { if case .text(let t) = self { return t }; return nil }
    var integer: Int64? { if case .integer(let i) = self { return i }; return nil }
    var boolean: Bool? { if case .boolean(let b) = self { return b }; return nil }
    var isNull: Bool { if case .null = self { return true }; return false }
}

/// A stored row of a resource: its id, its field values and its timestamps.
struct Record: Sendable {
    let id: UUID
    var values: [String: FieldValue]
    var createdAt: Date
    var updatedAt: Date

    subscript(_ name: String) -> FieldValue { values[name] ?? .null }
}
