import Domain
import Foundation

/// Turns JSON input into stored values and stored values into JSON, field by field,
/// collecting every problem instead of stopping at the first.
enum FieldCodec {
    /// Validates a whole object against a resource. With `partial`, absent fields are left out
    /// (PATCH); otherwise absent required fields are errors. Unknown fields are errors too.
    static func decode(_ body: JSONValue, spec: ResourceSpec, partial: Bool) throws -> [String: FieldValue] {
        guard case .object(let object) = body else {
            throw DomainError.badRequest(message: "The body must be a JSON object.")
        }
        var errors = FieldErrors()
        let known = Set(spec.fields.map(\.name))
        for key in object.keys.sorted() where !known.contains(key) && !["id", "createdAt", "updatedAt"].contains(key) {
            errors.add(key, "unknown_field", "\(key) is not a field of \(spec.name)")
        }
        var values: [String: FieldValue] = [:]
        for field in spec.fields {
            guard let raw = object[field.name] else {
                if !partial {
                    if field.required { errors.add(field.name, "required", "\(field.name) is required") } else { values[field.name] = .null }
                }
                continue
            }
            switch decode(raw, field: field) {
            case .success(let v): values[field.name] = v
            case .failure(let e): errors.add(e)
            }
        }
        try errors.throwIfAny()
        return values
    }

    /// One field's value, or why it is refused.
    static func decode(_ raw: JSONValue, field: FieldSpec) -> Result<FieldValue, FieldError> {
        func fail(_ code: String, _ message: String) -> Result<FieldValue, FieldError> {
            .failure(FieldError(field: field.name, code: code, message: message))
        }
        if case .null = raw {
            return field.required ? fail("required", "\(field.name) is required") : .success(.null)
        }
        if case .string(let s) = raw, TextRules.hasControlCharacter(s) {
            return fail("control_character", "\(field.name) may not contain control characters")
        }
        switch field.kind {
        case .text(let max):
            guard case .string(let s) = raw else { return fail("wrong_type", "\(field.name) must be a string") }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { return field.required ? fail("required", "\(field.name) is required") : .success(.null) }
            // Counted as JSON Schema's maxLength counts: in code points, not in grapheme clusters.
            if t.unicodeScalars.count > max { return fail("too_long", "\(field.name) is longer than \(max) characters") }
            return .success(.text(t))
        case .integer(let range):
            guard case .int(let i) = raw else { return fail("wrong_type", "\(field.name) must be a whole number") }
            guard range.contains(i) else { return fail("out_of_range", "\(field.name) must be from \(range.lowerBound) to \(range.upperBound)") }
            return .success(.integer(i))
        case .boolean:
            guard case .bool(let b) = raw else { return fail("wrong_type", "\(field.name) must be true or false") }
            return .success(.boolean(b))
        case .area, .money:
            guard case .string(let s) = raw else {
                return fail("wrong_type", "\(field.name) must be a decimal string with at most two decimals, e.g. \"89.50\"")
            }
            do {
                let v = try FixedPoint2.parse(s)
                if case .area = field.kind, v == 0 { return fail("out_of_range", "\(field.name) must be more than 0") }
                return .success(.integer(v))
            } catch .negative {
                return fail("out_of_range", "\(field.name) may not be negative")
            } catch .tooManyDecimals {
                return fail("too_many_decimals", "\(field.name) has more than two decimals")
            } catch {
                return fail("invalid_format", "\(field.name) must be a decimal string with at most two decimals, e.g. \"89.50\"")
            }
        case .date:
            guard case .string(let s) = raw, let d = CivilDate(s) else { return fail("invalid_date", "\(field.name) must be a date YYYY-MM-DD") }
            return .success(.text(d.description))
        case .code(_, let codes):
            guard case .string(let s) = raw, codes.contains(s) else {
                return fail("invalid_choice", "\(field.name) must be one of \(codes.joined(separator: ", "))")
            }
            return .success(.text(s))
        case .reference:
            guard case .string(let s) = raw, let u = UUID(uuidString: s) else { return fail("invalid_id", "\(field.name) must be an id (UUID)") }
            return .success(.uuid(u))
        case .coordinate(let range):
            let d: Double
            switch raw {
            case .double(let x): d = x
            case .int(let x): d = Double(x)
            default: return fail("wrong_type", "\(field.name) must be a number")
            }
            guard range.contains(d) else { return fail("out_of_range", "\(field.name) must be from \(range.lowerBound) to \(range.upperBound)") }
            return .success(.real(d))
        case .creditCode:
            guard case .string(let s) = raw else { return fail("wrong_type", "\(field.name) must be a string") }
            let code = s.trimmingCharacters(in: .whitespaces).uppercased()
            do {
                try CreditCode.validate(code)
                return .success(.text(code))
            } catch .checkCharacter {
                return fail("check_character", "\(field.name) has a wrong check character")
            } catch {
                return fail("invalid_format", "\(field.name) must be an 18-character unified social credit code")
            }
        case .phone:
            guard case .string(let s) = raw else { return fail("wrong_type", "\(field.name) must be a string") }
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty && !field.required { return .success(.null) }
            let ok = (5...20).contains(t.count) && t.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+" || $0 == " ") }
            return ok ? .success(.text(t)) : fail("invalid_phone", "\(field.name) must be a telephone number")
        }
    }

    /// A stored value as JSON: areas and money as two-decimal strings, ids as UUID strings.
    static func encode(_ value: FieldValue, field: FieldSpec) -> JSONValue {
        switch (value, field.kind) {
        case (.null, _): return .null
        case (.integer(let i), .area), (.integer(let i), .money): return .string(FixedPoint2.format(i))
        case (.integer(let i), _): return .int(i)
        case (.text(let t), _): return .string(t)
        case (.boolean(let b), _): return .bool(b)
        case (.uuid(let u), _): return .string(u.uuidString.lowercased())
        case (.real(let d), _): return .double(d)
        }
    }

    /// A record as the API's JSON object.
    static func encode(_ record: Record, spec: ResourceSpec) -> JSONValue {
        var object: [String: JSONValue] = ["id": .string(record.id.uuidString.lowercased()),
                                           "createdAt": .string(Timestamp.iso(record.createdAt)),
                                           "updatedAt": .string(Timestamp.iso(record.updatedAt))]
        for field in spec.fields { object[field.name] = encode(record[field.name], field: field) }
        return .object(object)
    }
}
