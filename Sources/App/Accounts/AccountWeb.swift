import Domain
import Foundation
import Hummingbird

/// Log in, log out and change password on the web.
struct AccountWeb: Sendable {
    let auth: AuthService
    let clock: @Sendable () -> Date
    /// Set the session cookie's Secure flag (when served over https).
    let secureCookies: Bool

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.login, .open) { request, context in loginPage(request, context, error: nil, status: .ok) }
        routes.add(.post, SiteURL.login, .open) { request, context in try await login(request, context) }
        routes.add(.post, SiteURL.logout, .signedIn) { request, context in try await logout(request, context) }
        routes.add(.get, SiteURL.password, .signedIn) { request, context in passwordPage(request, context, errors: [], status: .ok) }
        routes.page(.post, SiteURL.password, .signedIn) { call in try await changePassword(call) }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormInput.read(request, context)
        do {
            let session = try await auth.login(username: form["username"] ?? "", password: form["password"] ?? "",
                                               address: context.address, kind: .web, device: request.cookies["device"]?.value, now: clock())
            var response = Response.seeOther(to: LocalPath.safe(form["next"]))
            response.setCookie(Cookie(name: "session", value: session.token, maxAge: Int(AuthService.sessionLifetime), path: "/",
                                      secure: secureCookies, httpOnly: true, sameSite: .lax))
            response.setCookie(Cookie(name: "lang", value: session.user.language, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax))
            if let device = session.deviceCookie {
                // Remembers this browser for the account: its logins skip the account's wait (LoginThrottle).
                response.setCookie(Cookie(name: "device", value: device, maxAge: 365 * 24 * 3600, path: SiteURL.login.link(),
                                          secure: secureCookies, httpOnly: true, sameSite: .strict))
            }
            return response
        } catch DomainError.unauthorized {
            return loginPage(request, context, error: "login.failed", status: .unauthorized)
        } catch AuthError.tooManyAttempts(let wait) {
            var response = loginPage(request, context, error: "login.locked", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await FormInput.read(request, context)
        if let token = context.credential { try await auth.revoke(token: token, now: clock()) }
        var response = Response.seeOther(to: SiteURL.login.link(), flash: "flash.loggedOut")
        response.setCookie(Cookie(name: "session", value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    func changePassword(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        guard form["newPassword"] == form["confirmPassword"] else {
            return passwordPage(request, context, errors: [FieldError(field: "confirmPassword", code: "mismatch", message: context.page(request).t("password.mismatch"))],
                                status: .unprocessableContent)
        }
        do {
            try await auth.setPassword(ctx, userId: ctx.actor.id!, current: form["currentPassword"] ?? "", new: form["newPassword"] ?? "")
        } catch DomainError.invalid(let errors) {
            return passwordPage(request, context, errors: errors, status: .unprocessableContent)
        }
        var response = Response.seeOther(to: SiteURL.login.link(), flash: "flash.passwordChanged")
        response.setCookie(Cookie(name: "session", value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    func loginPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) -> Response {
        let page = context.page(request), t = page.t
        var content: [N] = [H.el("h1", [], text: t("login.title"))]
        if let error { content.append(H.el("div", [("class", "errors"), ("role", "alert"), ("id", "login-error")], text: t(error))) }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.login.link()), ("class", "record-form login")], [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
            H.void("input", [("type", "hidden"), ("name", "next"), ("value", LocalPath.safe(request.uri.queryParameters.get("next")))]),
            field("username", t("login.username"), type: "text", autocomplete: "username"),
            field("password", t("login.password"), type: "password", autocomplete: "current-password"),
            H.el("div", [("class", "form-actions")], [H.el("button", [("type", "submit"), ("class", "primary")], text: t("login.submit"))]),
        ]))
        content.append(H.el("p", [], [H.a(SiteURL.register.link(), t("login.register"), [("id", "register-link")])]))
        return .html(Layout.render(page, title: t("login.title"), content: content), status: status)
    }

    func passwordPage(_ request: Request, _ context: AppRequestContext, errors: [FieldError], status: HTTPResponse.Status) -> Response {
        let page = context.page(request), t = page.t
        var content: [N] = [H.el("h1", [], text: t("password.title"))]
        if !errors.isEmpty {
            content.append(H.el("div", [("class", "errors"), ("role", "alert")], [H.el("ul", [], errors.map { e in
                let m = FormState.message(e, t: t)
                return H.el("li", [], text: t("password.\(e.field)") + "：" + m.text)
            })]))
        }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.password.link()), ("class", "record-form")], [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
            field("currentPassword", t("password.current"), type: "password", autocomplete: "current-password"),
            field("newPassword", t("password.new"), type: "password", autocomplete: "new-password"),
            field("confirmPassword", t("password.confirm"), type: "password", autocomplete: "new-password"),
            H.el("div", [("class", "form-actions")], [H.el("button", [("type", "submit"), ("class", "primary")], text: t("action.save"))]),
        ]))
        return .html(Layout.render(page, actor: context.actor, title: t("password.title"), content: content), status: status)
    }

    func field(_ name: String, _ label: String, type: String, autocomplete: String) -> N {
        H.el("div", [("class", "field")], [
            H.el("label", [("for", name)], text: label),
            H.void("input", [("type", type), ("id", name), ("name", name), ("autocomplete", autocomplete), ("required", nil)]),
        ])
    }
}
