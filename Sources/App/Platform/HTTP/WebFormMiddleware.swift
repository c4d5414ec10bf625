import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a person sees when a page or a form fails, signed in as they are.
///
/// - A refused form (`DomainError.invalid` from a URL-encoded post) shows the page it was posted
///   from again — the `Referer` on this site, else the form's own address — with status 422, what
///   was typed and a message beside each field (`FormState`), instead of an error page.
/// - Any other failure of a page is the error page with the caller's own header (it runs after
///   `AuthMiddleware`, which the outer `ErrorMiddleware` does not see).
struct WebFormMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The finished router, to show a page again (set once every route is added).
    let pages: PageResponder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard WebSessionMiddleware.isWeb(request.uri.path) else { return try await next(request, context) }
        var request = request
        var posted: [String: String]?
        if request.method == .post, (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.readBody(limit: BodyLimits.import)
            request.body = RequestBody(buffer: body)
            posted = FormInput.parse(String(buffer: body))
        }
        do {
            return try await next(request, context)
        } catch DomainError.invalid(let fields) where posted != nil {
            let state = FormState(action: request.uri.path, values: posted ?? [:], errors: fields)
            if let page = try? await reshow(request, state, context: context) { return page }
            throw PageFailure(error: DomainError.invalid(fields), actor: context.actor, csrfToken: context.csrfToken)
        } catch let failure as PageFailure {
            throw failure
        } catch let error as HTTPError {
            // Left as it is: `FileMiddleware` serves `/static` when the router's 404 reaches it.
            throw error
        } catch {
            throw PageFailure(error: error, actor: context.actor, csrfToken: context.csrfToken)
        }
    }

    /// The page the form came from, shown again with the form's state.
    private func reshow(_ request: Request, _ state: FormState, context: Context) async throws -> Response? {
        guard let router = pages.responder else { return nil }
        var path = request.uri.path
        if let referer = request.headers[.referer], let url = URLComponents(string: referer),
           RequestOrigin.isSameSite(origin: nil, referer: referer, host: request.head.authority), !url.path.isEmpty {
            path = url.path + (url.query.map { "?" + $0 } ?? "")
        }
        var head = request.head
        head.method = .get
        head.path = LocalPath.safe(path)
        head.headerFields[.contentType] = nil
        head.headerFields[.contentLength] = nil
        let get = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        // Through the whole router again: a route's middleware runs after its route is chosen, so `next` would be the POST's handler.
        var response = try await FormState.$current.withValue(state) { try await router.respond(to: get, context: context) }
        guard response.status == .ok else { return nil }
        response.status = .unprocessableContent
        return response
    }
}

/// The router's responder, filled in after the route table is complete.
final class PageResponder: @unchecked Sendable {
    var responder: RouterResponder<AppRequestContext>?
}

/// A page's failure with who was signed in, so `ErrorMiddleware` draws the error page with the
/// caller's header rather than a signed-out one.
struct PageFailure: Error {
    let error: any Error
    let actor: Actor?
    let csrfToken: String
}
