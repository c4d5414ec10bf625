import Domain
import Foundation
import Hummingbird

/// The account pages of a district's admins: `/admin/users` (find), `/admin/users/new` (a role,
/// a scope found by name, then the account) and `/admin/users/{id}` (roles, disable and
/// re-enable, a new password). Forms are read by the API's body types; refusals come back with
/// what was typed (`WebFormMiddleware`).
struct UserAdminWeb: Sendable {
    let admin: UserAdmin

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.adminUsers, .administer) { call in try await list(call) }
        routes.page(.post, SiteURL.adminUsers, .administer) { call in try await create(call) }
        routes.page(.get, SiteURL.adminUserNew, .administer) { call in try await newPage(call) }
        routes.page(.get, SiteURL.adminUser, .administer) { call in try await detail(call) }
        routes.page(.post, SiteURL.adminUser, .administer) { call in try await act(call) }
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let q = call.query.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let pageNumber = min(100_000, max(1, Int(call.query.get("page") ?? "") ?? 1)), size = 50
        let (items, total) = try await admin.list(call.access, q: q, limit: size, offset: (pageNumber - 1) * size)
        var content: [N] = [
            H.el("h1", [], text: t("users.title")),
            H.el("div", [("class", "actions")], [H.a(SiteURL.adminUserNew.link(), t("users.new"), [("class", "button primary-link"), ("id", "new-user")])]),
            H.el("form", [("method", "get"), ("action", SiteURL.adminUsers.link()), ("class", "inline-form"), ("role", "search")], [
                H.void("input", [("type", "search"), ("name", "q"), ("value", q), ("placeholder", t("users.search")), ("aria-label", t("users.search"))]),
                H.el("button", [("type", "submit")], text: t("action.search")),
            ]),
            H.el("p", [("class", "muted"), ("id", "user-count")], text: t("users.count", total)),
        ]
        content.append(items.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.table(
            [t("users.username"), t("users.displayName"), t("users.roles"), t("users.status")],
            items.map { u in
                [H.a(SiteURL.adminUser.link(u.id.text), u.username), H.t(u.displayName),
                 H.t(u.grants.map { t("role.\($0.role.rawValue)") + " · " + $0.scopeName }.joined(separator: "；")),
                 H.t(t(u.disabled ? "users.disabled" : "users.active"))]
            }))
        if total > size {
            var links: [N] = []
            if pageNumber > 1 { links.append(H.a(SiteURL.adminUsers.link() + "?q=\(Self.escape(q))&page=\(pageNumber - 1)", t("list.previous"), [("class", "button")])) }
            if pageNumber * size < total { links.append(H.a(SiteURL.adminUsers.link() + "?q=\(Self.escape(q))&page=\(pageNumber + 1)", t("list.next"), [("class", "button")])) }
            content.append(H.el("div", [("class", "actions pager")], links))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("users.title"), crumbs: [Crumb(title: t("users.title"), href: nil)], content: content))
    }

    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    /// Step one: a role and words to find its scope by; step two (once a role is chosen): the scope and the account.
    func newPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let role = call.query.get("role").flatMap(Role.init(rawValue:)) ?? FormState.current.flatMap { $0.values["role"].flatMap(Role.init(rawValue:)) }
        let find = call.query.get("find") ?? ""
        var content: [N] = [H.el("h1", [], text: t("users.new"))]
        content.append(scopeFinder(action: SiteURL.adminUserNew.link(), role: role, find: find, t: t))
        if let role {
            let options = try await options(call, role: role, find: find)
            if options.isEmpty {
                content.append(H.el("p", [("class", "warn"), ("id", "no-scope")], text: t("users.noScope")))
            } else {
                content.append(H.el("form", [("method", "post"), ("action", SiteURL.adminUsers.link()), ("class", "record-form"), ("id", "user-form")], [
                    H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                    H.void("input", [("type", "hidden"), ("name", "role"), ("value", role.rawValue)]),
                    H.el("p", [], text: t("users.roleChosen", t("role.\(role.rawValue)"))),
                    scopeSelect(options, t: t),
                    input("username", t("users.username"), type: "text", extra: [("autocomplete", "off"), ("pattern", "[A-Za-z0-9._-]{3,40}"), ("maxlength", "40")],
                          hint: t("users.usernameHint")),
                    input("displayName", t("users.displayName"), type: "text", extra: [("maxlength", "100")], hint: nil),
                    input("password", t("users.initialPassword"), type: "password", extra: [("autocomplete", "new-password"), ("minlength", "8")],
                          hint: t("users.passwordHint")),
                    H.el("div", [("class", "form-actions")], [H.el("button", [("type", "submit"), ("class", "primary")], text: t("users.create"))]),
                ]))
            }
        }
        let crumbs = [Crumb(title: t("users.title"), href: SiteURL.adminUsers.link()), Crumb(title: t("users.new"), href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: t("users.new"), crumbs: crumbs, content: content))
    }

    func options(_ call: SignedIn, role: Role, find: String) async throws -> [(id: UUID, label: String)] {
        try await admin.scopeOptions(call.access, role: role, find: find)
    }

    /// A GET form: the role, and words of the scope's name (or, for owners and residents, a phone).
    func scopeFinder(action: String, role: Role?, find: String, t: Localizer) -> N {
        H.el("form", [("method", "get"), ("action", action), ("class", "record-form"), ("id", "scope-finder")], [
            H.el("div", [("class", "field")], [
                H.el("label", [("for", "f-role")], text: t("users.role")),
                H.el("select", [("id", "f-role"), ("name", "role"), ("required", nil)], [H.el("option", [("value", "")], text: t("form.choose"))] + Role.allCases.map { r in
                    H.el("option", [("value", r.rawValue)] + (r == role ? [("selected", nil)] : []), text: t("role.\(r.rawValue)"))
                }),
            ]),
            H.el("div", [("class", "field")], [
                H.el("label", [("for", "f-find")], text: t("users.find")),
                H.void("input", [("type", "search"), ("id", "f-find"), ("name", "find"), ("value", find)]),
                H.el("p", [("class", "muted")], text: t("users.findHint")),
            ]),
            H.el("button", [("type", "submit")], text: t("users.findScope")),
        ])
    }

    func scopeSelect(_ options: [(id: UUID, label: String)], t: Localizer) -> N {
        H.el("div", [("class", "field")], [
            H.el("label", [("for", "f-scopeId")], text: t("users.scope")),
            H.el("select", [("id", "f-scopeId"), ("name", "scopeId"), ("required", nil)],
                 (options.count == 1 ? [] : [H.el("option", [("value", "")], text: t("form.choose"))]) + options.map { H.el("option", [("value", $0.id.text)], text: $0.label) }),
        ])
    }

    func input(_ name: String, _ label: String, type: String, extra: [(String, String?)], hint: String?) -> N {
        var nodes: [N] = [H.el("label", [("for", "f-\(name)")], text: label),
                          H.void("input", [("type", type), ("id", "f-\(name)"), ("name", name), ("required", nil)] + extra)]
        if let hint { nodes.append(H.el("p", [("class", "muted")], text: hint)) }
        return H.el("div", [("class", "field")], nodes)
    }

    func create(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let body = try FieldReader.decode(CreateUserBody.self, from: [
            "username": .string(form["username"] ?? ""), "displayName": .string(form["displayName"] ?? ""), "password": .string(form["password"] ?? ""),
            "role": .string(form["role"] ?? ""), "scopeId": .string(form["scopeId"] ?? ""),
        ])
        let user: AccountRecord
        do {
            user = try await admin.create(call.access, username: body.username, displayName: body.displayName, password: body.password, role: body.role, scopeId: body.scopeId)
        } catch DomainError.conflict(let code, let message) where code == "username_taken" {
            throw DomainError.invalid([FieldError(field: "username", code: code, message: message)])
        }
        return .seeOther(to: SiteURL.adminUser.link(user.id.text), flash: "flash.userCreated")
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let u = try await admin.get(call.access, try call.id("users"))
        let action = SiteURL.adminUser.link(u.id.text)
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        var content: [N] = [
            H.el("h1", [], text: "\(u.displayName)（\(u.username)）"),
            H.el("p", [("id", "user-status"), ("class", u.disabled ? "warn" : "")], text: t(u.disabled ? "users.disabled" : "users.active")),
            H.el("dl", [("class", "facts")], [
                H.el("dt", [], text: t("users.createdAt")), H.el("dd", [], text: Timestamp.local(u.createdAt)),
                H.el("dt", [], text: t("users.lastLogin")), H.el("dd", [], text: u.lastLoginAt.map(Timestamp.local) ?? t("users.never")),
                H.el("dt", [], text: t("users.partyMember")), H.el("dd", [("id", "party-member")], [
                    H.t(t(u.partyMember ? "users.partyYes" : "users.partyNo") + " "),
                    H.el("form", [("method", "post"), ("action", action), ("class", "inline")], [
                        csrf, H.el("button", [("type", "submit"), ("name", "do"), ("value", u.partyMember ? "unparty" : "party"), ("id", "party-toggle")],
                                   text: t(u.partyMember ? "users.unflagParty" : "users.flagParty")),
                    ]),
                ]),
            ]),
            H.el("h2", [], text: t("users.roles")),
            H.table([t("users.role"), t("users.scope"), t("list.actions")], u.grants.map { g in
                [H.t(t("role.\(g.role.rawValue)")), H.t(g.scopeName),
                 u.grants.count > 1 ? H.el("form", [("method", "post"), ("action", action), ("class", "inline"), ("data-confirm", t("users.confirmRevoke"))], [
                     csrf, H.void("input", [("type", "hidden"), ("name", "grantId"), ("value", g.id.text)]),
                     H.el("button", [("type", "submit"), ("name", "do"), ("value", "revoke")], text: t("users.revoke")),
                 ]) : H.t("—")]
            }),
        ]
        // Another role: the same finder as for a new account.
        let role = call.query.get("role").flatMap(Role.init(rawValue:))
        let find = call.query.get("find") ?? ""
        content.append(H.el("h2", [], text: t("users.addRole")))
        content.append(scopeFinder(action: action, role: role, find: find, t: t))
        if let role {
            let options = try await options(call, role: role, find: find)
            content.append(options.isEmpty ? H.el("p", [("class", "warn")], text: t("users.noScope")) : H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "grant-form")], [
                csrf, H.void("input", [("type", "hidden"), ("name", "role"), ("value", role.rawValue)]),
                H.void("input", [("type", "hidden"), ("name", "do"), ("value", "grant")]),
                H.el("p", [], text: t("users.roleChosen", t("role.\(role.rawValue)"))), scopeSelect(options, t: t),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("users.grant")),
            ]))
        }
        content.append(H.el("h2", [], text: t("users.password")))
        content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "reset-form"), ("data-confirm", t("users.confirmReset"))], [
            csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "reset")]),
            input("password", t("users.newPassword"), type: "password", extra: [("autocomplete", "new-password"), ("minlength", "8")], hint: t("users.resetHint")),
            H.el("button", [("type", "submit")], text: t("users.reset")),
        ]))
        if u.id != call.actor.id {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "disable-form"),
                                         ("data-confirm", t(u.disabled ? "users.confirmEnable" : "users.confirmDisable"))], [
                csrf, H.el("button", [("type", "submit"), ("name", "do"), ("value", u.disabled ? "enable" : "disable"), ("class", u.disabled ? "primary" : "danger"),
                                      ("id", u.disabled ? "enable-user" : "disable-user")], text: t(u.disabled ? "users.enable" : "users.disable")),
            ]))
        }
        let crumbs = [Crumb(title: t("users.title"), href: SiteURL.adminUsers.link()), Crumb(title: u.username, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: u.username, crumbs: crumbs, content: content))
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("users")
        switch form["do"] {
        case "disable": _ = try await admin.setDisabled(call.access, id, disabled: true)
        case "enable": _ = try await admin.setDisabled(call.access, id, disabled: false)
        case "party", "unparty": _ = try await admin.setPartyMember(call.access, id, form["do"] == "party")
        case "reset":
            let body = try FieldReader.decode(ResetPasswordBody.self, from: ["password": .string(form["password"] ?? "")])
            try await admin.resetPassword(call.access, id, password: body.password)
        case "grant":
            let body = try FieldReader.decode(GrantBody.self, from: ["role": .string(form["role"] ?? ""), "scopeId": .string(form["scopeId"] ?? "")])
            _ = try await admin.grant(call.access, id, role: body.role, scopeId: body.scopeId)
        case "revoke":
            guard let grant = UUID(uuidString: form["grantId"] ?? "") else { throw DomainError.badRequest(message: "which role?") }
            _ = try await admin.revoke(call.access, grant: grant)
        default: throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.adminUser.link(id.text), flash: "flash.saved")
    }
}
