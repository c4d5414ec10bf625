import Domain
import Foundation
import Hummingbird

/// Gives every web request its CSRF token, its language and any flash message, and writes the
/// cookies back. It runs after `AuthMiddleware`: a signed-in browser's token is bound to its
/// session (`CSRFToken`), an anonymous one's to a random pre-session cookie. A state-changing
/// request from a page of another site (`Origin` or `Referer`) is refused before its body is read.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The installation's key (`SiteSecrets`).
    let key: [UInt8]
    /// The origin the site is served at when a proxy changes `Host` (`GONGZHI_PUBLIC_ORIGIN`).
    let publicOrigin: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // The JSON API and Open311 take no cookies: no CSRF token to make, no cookie to set.
        guard Self.isWeb(request.uri.path) else {
            context.language = Language.of(request)
            return try await next(request, context)
        }
        if !Self.safeMethods.contains(request.method),
           !RequestOrigin.isSameSite(origin: request.headers[.origin], referer: request.headers[.referer],
                                     host: request.head.authority, publicOrigin: publicOrigin) {
            throw DomainError.forbidden(reason: "a form from another site was refused")
        }
        let existing = request.cookies["csrf"]?.value
        let presession = existing.flatMap { $0.count == 32 ? $0 : nil } ?? Self.newToken()
        if let session = context.credential, context.actor?.kind == .user, request.cookies["session"]?.value == session {
            context.csrfToken = CSRFToken.make(key: key, .session(session))
        } else {
            context.csrfToken = CSRFToken.make(key: key, .anonymous(presession))
        }
        context.flashKey = request.cookies["flash"]?.value
        context.language = Language.of(request)
        var response = try await next(request, context)
        if existing != presession {
            response.setCookie(Cookie(name: "csrf", value: presession, path: "/", httpOnly: true, sameSite: .lax))
        }
        if context.flashKey != nil && response.headers[.setCookie]?.contains("flash=") != true {
            response.setCookie(Cookie(name: "flash", value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    /// Pages and forms; the JSON API and Open311 take no cookies and answer any origin.
    static func isWeb(_ path: String) -> Bool {
        !path.hasPrefix(SiteURL.apiRoot) && !path.hasPrefix(SiteURL.open311Root)
    }

    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
    }
}

extension AppRequestContext {
    /// Refuses a form whose token is not this browser's.
    func checkCSRF(_ sent: String?) throws {
        guard CSRFToken.matches(sent, expected: csrfToken) else {
            throw DomainError.forbidden(reason: "the form's security token is missing or stale; reload the page and try again")
        }
    }
}

/// A submitted web form. Reading one is the only way handlers see form input, and it refuses a
/// form whose CSRF token does not match the browser's cookie.
struct FormInput: Sendable {
    let fields: [String: String]

    init(fields: [String: String]) { self.fields = fields }

    static func read(_ request: Request, _ context: AppRequestContext, limit: Int = BodyLimits.form) async throws -> FormInput {
        let buffer = try await request.readBody(limit: limit)
        let form = FormInput(fields: parse(String(decoding: buffer.readableBytesView, as: UTF8.self)))
        try context.checkCSRF(form.fields["_csrf"])
        return form
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// `a=1&b=%E4%B8%AD` → ["a": "1", "b": "中"]; `+` is a space.
    static func parse(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(String(kv[0]))
            out[key] = kv.count > 1 ? decode(String(kv[1])) : ""
        }
        return out
    }

    static func decode(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension Response {
    /// Redirects and shows `flashKey` (a localisation key) on the next page.
    static func seeOther(to location: String, flash flashKey: String) -> Response {
        var r = Response.seeOther(to: location)
        r.setCookie(Cookie(name: "flash", value: flashKey, path: "/", httpOnly: true, sameSite: .lax))
        return r
    }
}

extension AppRequestContext {
    /// The shared page context for a request.
    func page(_ request: Request) -> PageContext {
        let flash = flashKey.flatMap { key in L10n.table[key] != nil ? Localizer(language: language)(key) : nil }
        let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return PageContext(lang: language, csrfToken: csrfToken, flash: flash, path: path)
    }
}
