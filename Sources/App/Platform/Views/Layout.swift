import Domain
import Foundation
import Plot

/// One step of the breadcrumb trail.
struct Crumb: Sendable {
    let title: String
    let href: String?
}

/// What every page shares: language, title, breadcrumbs, flash message and CSRF token.
struct PageContext: Sendable {
    let lang: Language
    let csrfToken: String
    var flash: String?
    var path: String

    var t: Localizer { Localizer(language: lang) }
}

/// The site layout: header with navigation and the language switch, breadcrumbs, flash, content.
enum Layout {
    static func render(_ page: PageContext, actor: Actor? = nil, title: String, crumbs: [Crumb] = [], content: [N]) -> String {
        let t = page.t
        let other: Language = page.lang == .zhHans ? .en : .zhHans
        var account: [N] = []
        if let actor {
            account.append(H.el("span", [("class", "who"), ("id", "who")], text: actor.label + " · " + actor.grants.map { t("role.\($0.role.rawValue)") }.joined(separator: "、")))
            account.append(H.a(SiteURL.password.link(), t("nav.password")))
            account.append(H.el("form", [("method", "post"), ("action", SiteURL.logout.link()), ("class", "inline")], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.el("button", [("type", "submit"), ("class", "link"), ("id", "logout")], text: t("nav.logout")),
            ]))
        } else {
            account.append(H.a(SiteURL.login.link(), t("nav.login")))
        }
        var body: [N] = [
            H.el("header", [("class", "top")], [
                H.a(SiteURL.home.link(), t("app.name"), [("class", "brand")]),
                H.el("nav", [("class", "menu"), ("aria-label", "main"), ("id", "menu")], Navigation.items(for: actor, t: t)),
                H.el("div", [("class", "account")], account + [
                    H.a(SiteURL.language.link(other.rawValue) + "?back=" + percentEncode(page.path), t("lang.switch"),
                        [("class", "lang"), ("lang", other.htmlLang), ("id", "lang-switch")]),
                ]),
            ]),
        ]
        if !crumbs.isEmpty {
            body.append(H.el("nav", [("class", "crumbs"), ("aria-label", "breadcrumb")], crumbs.enumerated().map { i, c in
                let item: N = c.href.map { H.a($0, c.title) } ?? H.el("span", [("aria-current", "page")], text: c.title)
                return H.group(i == 0 ? [item] : [H.el("span", [("class", "sep")], text: "›"), item])
            }))
        }
        if let flash = page.flash {
            body.append(H.el("div", [("class", "flash"), ("role", "status")], text: flash))
        }
        var main = content
        if let state = FormState.current {
            // A refused form shown again: every message at the top, and the values and messages for site.js to put back.
            // (A form shown again without errors — a question before saving — keeps only the values.)
            if !state.errors.isEmpty {
                main.insert(H.el("div", [("class", "errors"), ("role", "alert"), ("id", "form-errors")], [
                    H.el("p", [], text: t("form.fix")),
                    H.el("ul", [], state.errors.map { e in let m = FormState.message(e, t: t); return H.el("li", [], text: m.label + "：" + m.text) }),
                ]), at: min(1, main.count))
            }
            main.append(H.el("script", [("type", "application/json"), ("id", "form-state")], [.raw(state.json(t: t))]))
        }
        body.append(H.el("main", [("id", "main")], main))
        body.append(H.el("footer", [], text: t("app.name") + " · " + t("app.tagline")))
        body.append(H.el("script", [("src", SiteURL.js.link()), ("defer", nil)]))

        let html = HTML(
            .attribute(named: "lang", value: page.lang.htmlLang),
            .element(named: "head", nodes: [
                H.void("meta", [("charset", "utf-8")]),
                H.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
                H.void("meta", [("name", "csrf-token"), ("content", page.csrfToken)]),
                H.el("title", [], text: title + " · " + t("app.name")),
                H.void("link", [("rel", "stylesheet"), ("href", SiteURL.css.link())]),
                H.void("link", [("rel", "icon"), ("type", "image/svg+xml"), ("href", SiteURL.favicon.link())]),
            ]),
            .element(named: "body", nodes: body)
        )
        return html.render()
    }

    /// Percent-encodes a path for use in a query string.
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) { out.append(c) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }
}
