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
    static func render(_ page: PageContext, title: String, crumbs: [Crumb] = [], content: [N]) -> String {
        let t = page.t
        let other: Language = page.lang == .zhHans ? .en : .zhHans
        let nav: [N] = [
            H.a(SiteURL.home.link(), t("nav.tree")),
            H.a(SiteURL.manageList.link("companies"), t("nav.manage")),
            H.a(SiteURL.importRegistry.link(), t("nav.import")),
            H.a(SiteURL.exportRegistry.link(), t("nav.export")),
            H.a(SiteURL.openAPI.link(), t("nav.api")),
        ]
        var body: [N] = [
            H.el("header", [("class", "top")], [
                H.a(SiteURL.home.link(), t("app.name"), [("class", "brand")]),
                H.el("nav", [("class", "menu"), ("aria-label", "main")], nav),
                H.a(SiteURL.language.link(other.rawValue) + "?back=" + percentEncode(page.path), t("lang.switch"),
                    [("class", "lang"), ("lang", other.htmlLang), ("id", "lang-switch")]),
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
        body.append(H.el("main", [("id", "main")], content))
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
