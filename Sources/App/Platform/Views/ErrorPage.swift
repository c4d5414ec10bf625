import Domain
/// The HTML error page: a localised explanation, the specific message, and the request id.
enum ErrorPage {
    static func render(_ failure: HTTPFailure, lang: Language, requestId: String, actor: Actor? = nil, csrfToken: String = "") -> String {
        let t = Localizer(language: lang)
        let code = failure.status.code
        let key = "error.\(code)"
        var content: [N] = [
            H.el("h1", [], text: "\(code) · \(t("error.title"))"),
            H.el("p", [("class", "lead")], text: L10n.table[key] != nil ? t(key) : failure.status.reasonPhrase),
        ]
        if L10n.table["conflict." + failure.code] != nil {
            content.append(H.el("p", [("id", "error-message")], text: t("conflict." + failure.code)))
        } else if [400, 403, 409, 422].contains(code) { content.append(H.el("p", [("id", "error-message")], text: failure.message)) }
        if !failure.fields.isEmpty {
            content.append(H.el("ul", [], failure.fields.map { f in
                let m = FormState.message(f, t: t)
                return H.el("li", [], text: m.label + "：" + m.text)
            }))
        }
        content.append(H.el("p", [("class", "muted")], text: t("error.requestId") + ": " + requestId))
        content.append(H.a(SiteURL.home.link(), t("error.back"), [("class", "button")]))
        let page = PageContext(lang: lang, csrfToken: csrfToken, flash: nil, path: SiteURL.home.link())
        return Layout.render(page, actor: actor, title: t("error.title"), content: content)
    }
}
