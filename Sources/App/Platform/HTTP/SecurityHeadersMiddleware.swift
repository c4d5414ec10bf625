import HTTPTypes
import Hummingbird

/// The headers every answer carries: no sniffing, referrers only to this site; pages also get a
/// Content-Security-Policy that allows no inline or foreign script and no framing, and dynamic
/// answers (pages and JSON) are never cached, so a signed-in page is not left in a shared cache.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        let type = response.headers[.contentType] ?? ""
        if type.hasPrefix("text/html") {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        }
        if (type.hasPrefix("text/html") || type.hasPrefix("application/json") || type.hasPrefix("text/csv")) && response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
