import Domain
import Foundation

/// Reads a JSON object's fields inside a body's `init(from:)`, collecting every bad field so that
/// the 422 lists them all at once (a plain synthesised `Decodable` stops at the first).
struct FieldReader {
    private let container: KeyedDecodingContainer<Key>
    private let prefix: String
    /// The fields come from a web form: amounts may be written with thousands separators.
    private let fromForm: Bool
    private(set) var errors = FieldErrors()

    struct Key: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// Errors name nested fields by their path (`requests[0].category`), after the prefix the
    /// caller set in `userInfo[.fieldPrefix]` (a form's row, `r2.`).
    init(_ decoder: any Decoder) throws {
        let path = decoder.codingPath
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch {
            throw path.isEmpty ? DomainError.badRequest(message: "The body must be a JSON object.")
                : DomainError.invalid([FieldError(field: Self.name(path), code: "invalid", message: "must be an object")])
        }
        let base = decoder.userInfo[.fieldPrefix] as? String ?? ""
        prefix = path.isEmpty ? base : base + Self.name(path) + "."
        fromForm = decoder.userInfo[.fromForm] as? Bool ?? false
    }

    /// `requests[0]` from a coding path.
    static func name(_ path: [any CodingKey]) -> String {
        path.reduce("") { out, key in
            if let i = key.intValue { return out + "[\(i)]" }
            return out.isEmpty ? key.stringValue : out + "." + key.stringValue
        }
    }

    /// Decodes a body from an object built elsewhere (a web form), naming errors after `prefix`.
    static func decode<T: Decodable>(_ type: T.Type, from object: [String: JSONValue], prefix: String = "") throws -> T {
        let decoder = JSONDecoder()
        decoder.userInfo[.fieldPrefix] = prefix
        decoder.userInfo[.fromForm] = true
        do {
            return try decoder.decode(T.self, from: JSONValue.object(object).encoded())
        } catch is DecodingError {
            throw DomainError.badRequest(message: "The form could not be read.")
        }
    }

    /// A list of objects, each read by `T`; every element's errors are collected.
    mutating func list<T: Decodable>(_ name: String, _ type: T.Type, required: Bool, _ message: @autoclosure () -> String) -> [T]? {
        guard has(name) else {
            if required { errors.add(prefix + name, "required", message()) }
            return nil
        }
        do {
            var items = try container.nestedUnkeyedContainer(forKey: Key(name))
            var out: [T] = []
            var failed = false
            while !items.isAtEnd {
                let index = items.currentIndex
                do {
                    out.append(try items.decode(T.self))
                } catch {
                    failed = true
                    if case DomainError.invalid(let fields) = error { fields.forEach { errors.add($0) } } else {
                        errors.add(prefix + name + "[\(index)]", "invalid", "each item is an object")
                    }
                    // A failed element does not advance the container: step over it.
                    if items.currentIndex == index { _ = try? items.decode(JSONValue.self) }
                    if items.currentIndex == index { break }
                }
            }
            return failed ? nil : out
        } catch {
            errors.add(prefix + name, "invalid", message())
            return nil
        }
    }

    /// A field that must be present and of its type.
    mutating func required<T: Decodable>(_ name: String, _ type: T.Type = T.self, _ message: @autoclosure () -> String) -> T? {
        guard has(name) else {
            errors.add(prefix + name, "required", message())
            return nil
        }
        return optional(name, type, message())
    }

    /// A field that may be missing or `null`; present, it must be of its type.
    mutating func optional<T: Decodable>(_ name: String, _ type: T.Type = T.self, _ message: @autoclosure () -> String) -> T? {
        let key = Key(name)
        do {
            let value = try container.decodeIfPresent(T.self, forKey: key)
            if let text = value as? String, TextRules.hasControlCharacter(text) {
                errors.add(prefix + name, "control_character", "\(name) may not contain control characters")
                return nil
            }
            if let texts = value as? [String], texts.contains(where: TextRules.hasControlCharacter) {
                errors.add(prefix + name, "control_character", "\(name) may not contain control characters")
                return nil
            }
            return value
        } catch let error as DomainError {
            if case .invalid(let fields) = error { fields.forEach { errors.add($0) } } else { errors.add(prefix + name, "invalid", message()) }
        } catch {
            errors.add(prefix + name, "invalid_type", message())
        }
        return nil
    }

    /// Trimmed text; empty counts as missing. `max` is in characters.
    mutating func text(_ name: String, required: Bool, max: Int, _ message: @autoclosure () -> String) -> String? {
        let raw = required ? self.required(name, String.self, message()) : optional(name, String.self, message())
        guard let raw else { return nil }
        let text = Self.trimmed(raw)
        if text.isEmpty {
            if required { errors.add(prefix + name, "required", message()) }
            return nil
        }
        if text.unicodeScalars.count > max {
            errors.add(prefix + name, "too_long", message())
            return nil
        }
        return text
    }

    /// An id, given as a UUID string.
    mutating func id(_ name: String, required: Bool, _ message: @autoclosure () -> String? = nil) -> UUID? {
        parsed(name, required: required, message() ?? "\(name) must be an id", code: "invalid_id") { UUID(uuidString: $0) }
    }

    /// A string field turned into a value by `parse`; text it cannot read is `code`.
    private mutating func parsed<T>(_ name: String, required: Bool, _ message: @autoclosure () -> String, code: String, _ parse: (String) -> T?) -> T? {
        let raw = required ? self.required(name, String.self, message()) : optional(name, String.self, message())
        guard let raw else { return nil }
        guard let value = parse(raw) else {
            errors.add(prefix + name, code, message())
            return nil
        }
        return value
    }

    /// One of a code list (`matter`, `category`, …).
    mutating func choice<E: CaseIterable & RawRepresentable>(_ name: String, _ type: E.Type, required: Bool) -> E? where E.RawValue == String {
        // Written only for an error: most bodies are right.
        func message() -> String { "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))" }
        let raw = required ? self.required(name, String.self, message()) : optional(name, String.self, message())
        guard let raw else {
            if required, has(name), !errors.all.contains(where: { $0.field == prefix + name }) { errors.add(prefix + name, "invalid_choice", message()) }
            return nil
        }
        guard let value = E(rawValue: raw) else {
            errors.add(prefix + name, "invalid_choice", message())
            return nil
        }
        return value
    }

    /// Exact money in yuan (`"3.50"`), never negative.
    /// A person typing in a web form may group thousands (`38,000`, `３８，０００.5`); the API takes the plain form only.
    mutating func money(_ name: String, required: Bool, _ message: @autoclosure () -> String) -> Money? {
        let form = fromForm
        let money = parsed(name, required: required, message(), code: "invalid_amount") { try? Money(parsing: form ? FixedPoint2.ungrouped($0) : $0) }
        if let money, money.fen.magnitude > Money.inputLimit.fen.magnitude {
            errors.add(prefix + name, "out_of_range", "at most \(Money.inputLimit) yuan")
            return nil
        }
        return money
    }

    /// A calendar date (`2026-12-01`).
    mutating func date(_ name: String, required: Bool, _ message: @autoclosure () -> String) -> CivilDate? {
        parsed(name, required: required, message(), code: "invalid_date") { CivilDate($0) }
    }

    /// An instant in ISO 8601 (`2026-12-01T00:00:00Z` or with an offset), or Beijing wall-clock time.
    mutating func instant(_ name: String, required: Bool, _ message: @autoclosure () -> String) -> Date? {
        parsed(name, required: required, message(), code: "invalid_time") { Timestamp.parse($0) }
    }

    /// Adds an error when a rule across fields fails.
    mutating func check(_ ok: Bool, _ name: String, _ code: String, _ message: @autoclosure () -> String) {
        if !ok { errors.add(prefix + name, code, message()) }
    }

    mutating func fail(_ name: String, _ code: String, _ message: String) { errors.add(prefix + name, code, message) }

    func has(_ name: String) -> Bool {
        guard container.contains(Key(name)) else { return false }
        return (try? container.decodeNil(forKey: Key(name))) == false
    }

    /// `text` without leading and trailing white space: what Foundation's `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` answers (Unicode's White_Space — Z*, U+0009–U+000D, U+0085 — and,
    /// as Core Foundation counts it, the zero-width space U+200B), without bridging to NSString on
    /// every field of every body.
    static func trimmed(_ text: String) -> String {
        func space(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x80 ? (s.value == 0x20 || (0x09...0x0D).contains(s.value)) : (s.properties.isWhitespace || s.value == 0x200B)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !space($0) }), let last = scalars.lastIndex(where: { !space($0) }) else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    /// Throws the collected errors, if any.
    func finish() throws { try errors.throwIfAny() }

    /// The error to throw from a `guard` after `finish()`; never empty.
    var failure: DomainError {
        errors.isEmpty ? .badRequest(message: "The body could not be read.") : .invalid(errors.all)
    }
}

extension CodingUserInfoKey {
    /// The prefix `FieldReader` puts before field names in errors.
    static let fieldPrefix = CodingUserInfoKey(rawValue: "gongzhi.fieldPrefix")!
    /// Set when the fields come from a web form rather than a JSON body.
    static let fromForm = CodingUserInfoKey(rawValue: "gongzhi.fromForm")!
}
