import Domain
import Foundation
import Hummingbird

/// Health, the OpenAPI document, and the language switch.
struct OperationsAPI: Sendable {
    let database: AppDatabase
    let catalog: ResourceCatalog

    let auth: AuthService
    let metricsKey: String?
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.openAPI(.get, SiteURL.healthz, OperationDoc("health", "Health and schema version", tag: "operations", errors: [503: "The database is unreachable"]),
                       answer: Health.self) { _ in await health() }
        // Made from the finished table on each call (rare), so every route added after this one is in it.
        var doc = OperationDoc("openapi", "This document (OpenAPI 3.1)", tag: "operations")
        doc.access = .open
        doc.success = (200, "OpenAPI 3.1 document", .object([], open: true))
        routes.add(.get, SiteURL.openAPI.pattern, .open, operation: doc) { _, _ in Response.json(OpenAPIDocument.make(catalog, entries: routes.entries)) }
        routes.add(.get, SiteURL.language, .open) { request, context in try await language(request, context) }
        routes.add(.get, SiteURL.metrics, .open) { request, _ in try await metrics(request) }
        routes.add(.get, SiteURL.faviconICO, .open) { _, _ in .redirect(to: SiteURL.favicon.link(), type: .permanent) }
    }

    /// Prometheus's text format; behind the key when one is configured.
    func metrics(_ request: Request) async throws -> Response {
        if let metricsKey {
            guard CSRFToken.matches(request.headers[.authorization], expected: "Bearer " + metricsKey) else {
                return .json(HTTPFailure(.unauthorized, "unauthorized", "the metrics key is missing or wrong", []).json, status: .unauthorized,
                             headers: [.wwwAuthenticate: "Bearer"])
            }
        }
        let text = await AppMetrics.scrape(database, now: clock())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func health() async -> Response {
        do {
            let version = try await database.appliedMigrations()
            return try RouteTable.encode(Health(status: "ok", schemaVersion: Int64(version), database: database.isPostgres ? "postgresql" : "sqlite"), status: .ok)
        } catch {
            return .json(HTTPFailure(.serviceUnavailable, "database_unreachable", "the database cannot be reached", []).json,
                         status: .serviceUnavailable)
        }
    }

    /// Remembers the language in a cookie and goes back to the page the switch was on.
    func language(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let lang = Language(rawValue: context.parameters.get("code") ?? "") ?? .zhHans
        if let actor = context.actor, actor.kind == .user, let id = actor.id { try await auth.setLanguage(userId: id, lang.rawValue) }
        // Only a path on this site: never send the browser off it (`LocalPath.safe`).
        let back = LocalPath.safe(request.uri.queryParameters.get("back"))
        var response = Response.seeOther(to: back)
        response.setCookie(Cookie(name: "lang", value: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }
}

/// `GET /healthz`.
struct Health: APIAnswer {
    let status: String
    let schemaVersion: Int64
    let database: String
    static var schema: Schema {
        .object([.req("status", .choice(["ok"])), .req("schemaVersion", .integer(minimum: 0)), .req("database", .choice(["sqlite", "postgresql"]))])
    }
}
