import Domain
import Foundation
import Hummingbird

/// Health, the OpenAPI document, and the language switch.
struct OperationsController: Sendable {
    let database: AppDatabase
    let catalog: ResourceCatalog

    func register(on router: Router<AppRequestContext>) {
        let document = OpenAPIDocument.make(catalog)
        router.get(RouterPath(SiteURL.healthz.pattern)) { _, _ in await health() }
        router.get(RouterPath(SiteURL.openAPI.pattern)) { _, _ in Response.json(document) }
        router.get(RouterPath(SiteURL.language.pattern)) { request, context in language(request, context) }
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
    func language(_ request: Request, _ context: AppRequestContext) -> Response {
        let lang = Language(rawValue: context.parameters.get("code") ?? "") ?? .zhHans
        var back = request.uri.queryParameters.get("back") ?? "/"
        // Only local paths: never redirect off the site.
        if !back.hasPrefix("/") || back.hasPrefix("//") { back = "/" }
        var response = Response.seeOther(to: back)
        response.setCookie(Cookie(name: "lang", value: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }
}
