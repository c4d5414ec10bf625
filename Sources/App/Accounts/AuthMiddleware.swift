import Domain
import Foundation
import Hummingbird

/// Finds who is calling: `Authorization: Bearer …` (a session token, an integration key, or a device's key) for
/// the API, the `session` cookie for the web. It only identifies; routes decide what is allowed.
/// (`/metrics` reads its own key from the header.)
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let auth: AuthService
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], request.uri.path != SiteURL.metrics.pattern {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw DomainError.unauthorized }
            let secret = String(parts[1])
            if secret.hasPrefix("gzd_") {
                // A device's key: no actor; the device routes look the device up (`RouteAccess.device`).
                context.deviceKey = secret
                return try await next(request, context)
            }
            guard let actor = try await auth.actor(forSecret: secret, as: .api, now: clock()) else { throw DomainError.unauthorized }
            context.actor = actor
            context.credential = secret
        } else if let session = request.cookies["session"]?.value, !request.uri.path.hasPrefix(SiteURL.apiRoot) {
            context.actor = try await auth.actor(forSecret: session, as: .web, now: clock())
            context.credential = context.actor == nil ? nil : session
        }
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The signed-in actor; 401 (or the login page on the web) when there is none.
    func requireActor() throws -> Actor {
        guard let actor else { throw DomainError.unauthorized }
        return actor
    }

    /// The access context of this request for the given door (`api` or `web`).
    func access(_ source: String, now: Date) throws -> AccessContext {
        AccessContext(actor: try requireActor(), source: source, address: address, now: now)
    }
}
