/// One invalid input field: which field, a stable machine code and a human message key.
public struct FieldError: Error, Hashable, Sendable, Codable {
    /// The field's public (camelCase) name, or a row/column reference for imports.
    public var field: String
    /// A stable code such as `required`, `invalid_format`, `out_of_range`, `unknown_reference`.
    public var code: String
    /// A short explanation, in the language the caller asked for where the caller localises it.
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// The business failures every layer throws; the App maps each to one HTTP status in one place.
public enum DomainError: Error, Equatable, Sendable {
    /// The thing does not exist, or the caller may not know it exists.
    case notFound(entity: String, id: String)
    /// The caller is known but may not do this.
    case forbidden(reason: String)
    /// The caller is not authenticated.
    case unauthorized
    /// The change contradicts the current state (children still exist, duplicate key, illegal transition).
    case conflict(code: String, message: String)
    /// One or more fields are invalid; all of them are reported at once.
    case invalid([FieldError])
    /// The input could not be read at all (malformed JSON, wrong content type).
    case badRequest(message: String)
}

/// Collects field errors so validation reports every problem in one answer.
public struct FieldErrors: Sendable {
    public private(set) var all: [FieldError] = []

    public init() {}

    public var isEmpty: Bool { all.isEmpty }

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        all.append(FieldError(field: field, code: code, message: message))
    }

    public mutating func add(_ error: FieldError) { all.append(error) }

    /// Throws `DomainError.invalid` when anything was collected.
    public func throwIfAny() throws {
        if !all.isEmpty { throw DomainError.invalid(all) }
    }
}
