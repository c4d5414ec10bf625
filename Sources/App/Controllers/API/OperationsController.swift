import Domain
import Foundation
import Hummingbird

/// Health, the OpenAPI document, and the language switch.
struct OperationsController: Sendable {
    let database: AppDatabase
    let catalog: ResourceCatalog

    let auth: AuthService

    func register(on routes: RouteTable) {
        let document = OpenAPIDocument.make(catalog)
        routes.add(.get, SiteURL.healthz, .open) { _, _ in await health() }
        routes.add(.get, SiteURL.openAPI, .open) { _, _ in Response.json(document) }
        routes.add(.get, SiteURL.language, .open) { request, context in try await language(request, context) }
    }

    func health() async -> Response {
        do {
            let version = try await database.appliedMigrations()
            return .json(.object(["status": .string("ok"), "schemaVersion": .int(Int64(version)),
                                  "database": .string(database.isPostgres ? "postgresql" : "sqlite")]))
        } catch {
            return .json(HTTPFailure(.serviceUnavailable, "database_unreachable", "the database cannot be reached", []).json,
                         status: .serviceUnavailable)
        }
    }

    /// Remembers the language in a cookie and goes back to the page the switch was on.
    func language(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let lang = Language(rawValue: context.parameters.get("code") ?? "") ?? .zhHans
        if let actor = context.actor, actor.kind == .user, let id = actor.id { try await auth.setLanguage(userId: id, lang.rawValue) }
        var back = request.uri.queryParameters.get("back") ?? "/"
        // Only local paths: never redirect off the site.
        if !back.hasPrefix("/") || back.hasPrefix("//") { back = "/" }
        var response = Response.seeOther(to: back)
        response.setCookie(Cookie(name: "lang", value: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }
}
