import AsyncKit
import Domain
import FluentKit
import PostgresNIO
import Hummingbird

/// The one table from failures to HTTP statuses and `{"error":{"code","message","fields"}}` bodies.
struct HTTPFailure: Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    let fields: [FieldError]

    /// Maps any error; `nil` means unexpected (a 500 that is logged with the request id).
    init?(_ error: any Error) {
        switch error {
        case let e as DomainError:
            switch e {
            case .notFound(let entity, let id):
                self.init(.notFound, "not_found", "\(entity) \(id) was not found", [])
            case .forbidden(let reason):
                self.init(.forbidden, "forbidden", reason, [])
            case .unauthorized:
                self.init(.unauthorized, "unauthorized", "authentication is required", [])
            case .conflict(let code, let message):
                self.init(.conflict, code, message, [])
            case .invalid(let fields):
                self.init(.unprocessableContent, "validation_failed", "\(fields.count) field(s) are invalid", fields)
            case .badRequest(let message):
                self.init(.badRequest, "bad_request", message, [])
            }
        case AuthError.tooManyAttempts(let wait):
            self.init(.tooManyRequests, "too_many_attempts", "too many failed logins; try again in \(wait) s", [])
        case let e as any DatabaseError where e.isConstraintFailure:
            // A unique or foreign-key constraint caught what the checks before it could not (a race or a duplicate).
            self.init(.conflict, "constraint_violation", "the change conflicts with existing data (duplicate or still referenced)", [])
        case is ConnectionPoolTimeoutError, is GroupCommitTimeout, is DatabaseClosed:
            self.init(.serviceUnavailable, "database_unavailable", "the database cannot be reached; try again shortly", [])
        case let e as PSQLError where ["40001", "40P01"].contains(e.serverInfo?[.sqlState] ?? ""):
            // PostgreSQL chose this transaction to give way to a concurrent one (two writes taking the
            // same rows in opposite orders, such as a month's ranking totals); nothing was written.
            self.init(.conflict, "concurrent_change", "a concurrent change got there first; nothing was saved, try again", [])
        case let e as PSQLError where e.code == .connectionError || e.code == .serverClosedConnection || e.code == .clientClosedConnection
            // 57: the server is shutting down, crashed or starting up; 08: the connection failed.
            || ["57", "08"].contains(e.serverInfo?[.sqlState]?.prefix(2) ?? ""):
            self.init(.serviceUnavailable, "database_unavailable", "the database cannot be reached; try again shortly", [])
        case let e as HTTPError:
            self.init(e.status, e.status.code == 404 ? "not_found" : "http_\(e.status.code)", e.body ?? e.status.reasonPhrase, [])
        default:
            return nil
        }
    }

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, _ fields: [FieldError]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    var json: JSONValue {
        .object(["error": .object([
            "code": .string(code),
            "message": .string(message),
            "fields": .array(fields.map { .object(["field": .string($0.field), "code": .string($0.code), "message": .string($0.message)]) }),
        ])])
    }
}

extension Response {
    /// A JSON response with sorted keys.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    /// An HTML response.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 303 redirect after a form post.
    static func seeOther(to location: String, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.location] = location
        return Response(status: .seeOther, headers: h)
    }
}
