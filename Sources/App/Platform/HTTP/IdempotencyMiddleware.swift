import Domain
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// Retries create nothing twice. A `POST` to the JSON API or Open311 that carries an
/// `Idempotency-Key` is run once per caller and key: the same key with the same request within
/// 24 hours answers the first result again (with `Idempotent-Replayed: true`); the same key with
/// another request is 409 `idempotency_key_reused`; while the first is still running, or when it
/// never finished (the server died mid-way, so whether it took effect is unknown), 409
/// `idempotency_in_progress` — never a second run. A request that failed (any error answer)
/// keeps no record, since it changed nothing, and may be retried under the same key.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let clock: @Sendable () -> Date

    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let lifetime: TimeInterval = 24 * 3600

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.header],
              request.uri.path.hasPrefix(SiteURL.apiRoot) || request.uri.path.hasPrefix(SiteURL.open311Root)
        else { return try await next(request, context) }
        guard Self.isValid(key) else {
            throw DomainError.badRequest(message: "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        // The route's own limit still applies when it reads the body again.
        let body = try await request.readBody(limit: BodyLimits.largest)
        var request = request
        request.body = RequestBody(buffer: body)
        let caller = context.actor.map { "\($0.kind.rawValue):\($0.id?.uuidString.lowercased() ?? $0.label)" } ?? "anonymous:" + (context.address ?? "-")
        let hash = Self.fingerprint(request, body: body)
        let now = clock()
        let db = database.db.sql()
        try await db.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: now.addingTimeInterval(-Self.lifetime))").run()
        let reserved = try await db.raw("""
            INSERT INTO idempotency_keys (id, caller, key, request_hash, created_at, updated_at)
            VALUES (\(bind: UUID.random()), \(bind: caller), \(bind: key), \(bind: hash), \(bind: now), \(bind: now))
            ON CONFLICT (caller, key) DO NOTHING RETURNING id
            """).first()
        guard let reserved else { return try await replay(caller: caller, key: key, hash: hash) }
        let id = try reserved.decode(column: "id", as: UUID.self)
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await db.raw("DELETE FROM idempotency_keys WHERE id = \(bind: id)").run()
            throw error
        }
        guard (200..<300).contains(response.status.code) else {
            try? await db.raw("DELETE FROM idempotency_keys WHERE id = \(bind: id)").run()
            return response
        }
        let collector = Collector()
        try await response.body.write(collector)
        let text = String(decoding: collector.buffer.readableBytesView, as: UTF8.self)
        try await db.raw("""
            UPDATE idempotency_keys SET status = \(bind: Int64(response.status.code)), content_type = \(bind: response.headers[.contentType]),
            location = \(bind: response.headers[.location]), body = \(bind: text), updated_at = \(bind: clock()) WHERE id = \(bind: id)
            """).run()
        var answer = response
        answer.body = ResponseBody(byteBuffer: collector.buffer)
        return answer
    }

    private func replay(caller: String, key: String, hash: String) async throws -> Response {
        guard let row = try await database.db.sql().raw("""
            SELECT request_hash, status, content_type, location, body FROM idempotency_keys WHERE caller = \(bind: caller) AND key = \(bind: key)
            """).first()
        else { throw DomainError.conflict(code: "idempotency_in_progress", message: "a request with this Idempotency-Key is being handled; retry shortly") }
        guard try row.decode(column: "request_hash", as: String.self) == hash else {
            throw DomainError.conflict(code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request")
        }
        guard let status = try row.decode(column: "status", as: Int64?.self) else {
            throw DomainError.conflict(code: "idempotency_in_progress",
                                       message: "a request with this Idempotency-Key is being handled or did not finish; retry shortly or check before using a new key")
        }
        var headers: HTTPFields = [Self.replayed: "true"]
        if let type = try row.decode(column: "content_type", as: String?.self) { headers[.contentType] = type }
        if let location = try row.decode(column: "location", as: String?.self) { headers[.location] = location }
        let body = try row.decode(column: "body", as: String?.self) ?? ""
        return Response(status: HTTPResponse.Status(code: Int(status)), headers: headers,
                        body: body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func isValid(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// What makes two requests the same: method, path with query, media type and body.
    static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var bytes = Array("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n\(request.headers[.contentType] ?? "")\n".utf8)
        bytes.append(contentsOf: body.readableBytesView)
        return Checksum.sha256Hex(bytes: bytes)
    }

    /// Gathers a response body to store it.
    private final class Collector: ResponseBodyWriter {
        var buffer = ByteBuffer()
        func write(_ buffer: ByteBuffer) async throws { self.buffer.writeImmutableBuffer(buffer) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
