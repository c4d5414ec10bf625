import Domain
import Hummingbird
import Logging

/// Turns every error into the right answer: JSON under `/api` and `/open311`, an HTML page elsewhere.
/// Unexpected errors are logged with the request id and answered 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            // A page's failure carries who was signed in (`WebFormMiddleware`).
            let page = error as? PageFailure
            let error = page?.error ?? error
            let failure: HTTPFailure
            if let known = HTTPFailure(error) {
                failure = known
            } else {
                context.logger.error("\(context.requestId) unexpected error: \(String(reflecting: error))")
                failure = HTTPFailure(.internalServerError, "internal_error", "an unexpected error occurred (request \(context.requestId))", [])
            }
            if request.uri.path.hasPrefix("/api") || request.uri.path.hasPrefix("/open311") || request.uri.path == SiteURL.healthz.pattern {
                return .json(failure.json, status: failure.status)
            }
            // A web page that needs a signed-in user sends the browser to the login form.
            if failure.status == .unauthorized && request.method == .get {
                let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return .seeOther(to: SiteURL.login.link() + "?next=" + Layout.percentEncode(next))
            }
            let lang = Language.of(request)
            return .html(ErrorPage.render(failure, lang: lang, requestId: context.requestId, actor: page?.actor, csrfToken: page?.csrfToken ?? ""),
                         status: failure.status)
        }
    }
}
