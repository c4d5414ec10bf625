import Domain
import Foundation
import Hummingbird

/// A JSON object body with typed field access that reports missing or mistyped fields as 422.
struct JSONBody {
    let object: [String: JSONValue]

    static func object(_ request: Request, _ context: AppRequestContext) async throws -> JSONBody {
        let buffer = try await request.readBody(limit: BodyLimits.json)
        guard case .object(let o) = try JSONValue.parse(Data(buffer.readableBytesView)) else {
            throw DomainError.badRequest(message: "The body must be a JSON object.")
        }
        return JSONBody(object: o)
    }

    func string(_ name: String) throws -> String {
        guard case .string(let s)? = object[name] else {
            throw DomainError.invalid([FieldError(field: name, code: "required", message: "\(name) is required (a string)")])
        }
        return s
    }

    func optionalString(_ name: String) -> String? {
        if case .string(let s)? = object[name] { return s }
        return nil
    }
}
