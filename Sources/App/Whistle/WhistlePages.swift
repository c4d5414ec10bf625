import Domain
import Foundation

/// The whistle-case pages' parts.
enum WhistlePages {
    static func list(_ cases: [WhistleCaseRecord], t: Localizer) -> N {
        guard !cases.isEmpty else { return H.el("p", [("class", "empty")], text: t("whistle.none")) }
        return H.table([t("whistle.number"), t("whistle.titleField"), t("resource.streets"), t("resource.compounds"), t("whistle.openedAt"), t("whistle.status")], cases.map { c in
            [H.a(SiteURL.whistleCasePage.link(c.id.uuidString.lowercased()), c.number), H.t(c.title), H.t(c.streetName), H.t(c.compoundName ?? "—"),
             H.t(Timestamp.local(c.openedAt)), H.el("span", [("class", "badge status-\(c.status.rawValue)")], text: t(c.status.labelKey))]
        })
    }

    static func parties(_ view: WhistleCaseView, now: Date, csrf: String, t: Localizer) -> N {
        H.el("section", [("id", "parties")], [H.el("h2", [], text: t("whistle.parties"))] + view.parties.map { p in
            let state = p.reportedAt != nil ? (p.rule.onTime ? t("whistle.reportedOnTime") : t("whistle.reportedLate")) : p.rule.isLate(now: now) ? t("whistle.late") : t("whistle.waiting")
            var nodes: [N] = [
                H.el("h3", [], [H.t("\(p.name) "), H.el("span", [("class", "badge")], text: t(p.kind.labelKey)), H.t(" "),
                                H.el("span", [("class", p.reportedAt == nil && p.rule.isLate(now: now) ? "badge overdue" : "badge")], text: state)]),
                H.el("p", [("class", "meta")], text: "\(t("whistle.reportBy")) \(Timestamp.local(p.reportBy))" + (p.reportedAt.map { " · \(t("whistle.reportedAt")) \(Timestamp.local($0))" } ?? "")),
            ]
            if let r = p.response { nodes.append(H.el("p", [], text: r)) }
            if let by = p.reportedBy, by.contains("（代") { nodes.append(H.el("p", [("class", "muted"), ("id", "on-behalf-\(p.id.uuidString.lowercased())")], text: t("whistle.recordedBy") + by)) }
            if !p.commitments.isEmpty {
                nodes.append(H.table([t("whistle.task"), t("whistle.amount"), t("whistle.dueOn")], p.commitments.map { [H.t($0.task), H.t($0.amount.description), H.t($0.dueOn.description)] }, numericFrom: 1))
            }
            let rule = WhistleRules.reporting(kind: p.kind, own: view.standing.partyIds.contains(p.id), runs: view.standing.runs, partyHasAccount: p.hasAccount)
            if view.record.status == .open && p.reportedAt == nil && rule.allowed {
                if rule.onBehalf { nodes.append(H.el("p", [("class", "hint")], text: t("whistle.onBehalfHint"))) }
                nodes.append(H.el("form", [("method", "post"), ("action", SiteURL.whistleCasePage.link(view.record.id.uuidString.lowercased())), ("class", "record-form"), ("id", "report-\(p.id.uuidString.lowercased())")], [
                    H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                    H.void("input", [("type", "hidden"), ("name", "do"), ("value", "report")]),
                    H.void("input", [("type", "hidden"), ("name", "partyId"), ("value", p.id.uuidString.lowercased())]),
                    H.el("label", [], [H.t(t("whistle.response")), H.el("textarea", [("name", "response"), ("required", nil), ("rows", "3")], text: "")]),
                    H.el("label", [], [H.t(t("whistle.task")), H.void("input", [("type", "text"), ("name", "task")])]),
                    H.el("label", [], [H.t(t("whistle.amount")), H.void("input", [("type", "text"), ("name", "amount"), ("inputmode", "decimal"), ("placeholder", "0.00")])]),
                    H.el("label", [], [H.t(t("whistle.dueOn")), H.void("input", [("type", "date"), ("name", "dueOn")])]),
                    H.el("button", [("type", "submit"), ("class", "primary")], text: t("whistle.report")),
                ]))
            }
            return H.el("article", [("class", "card party")], nodes)
        })
    }

    static func simpleForm(_ id: UUID, action: String, field: String, label: String, button: String, csrf: String) -> N {
        H.el("form", [("method", "post"), ("action", SiteURL.whistleCasePage.link(id.uuidString.lowercased())), ("class", "record-form"), ("id", "form-\(action)")], [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
            H.void("input", [("type", "hidden"), ("name", "do"), ("value", action)]),
            H.el("label", [], [H.t(label), H.el("textarea", [("name", field), ("required", nil), ("rows", "2")], text: "")]),
            H.el("button", [("type", "submit")], text: button),
        ])
    }

    /// What the form starts with when opened from a request.
    struct Prefill: Sendable {
        let title: String, description: String, reportBy: String
    }

    static func openForm(departments: [(UUID, String)], compounds: [(UUID, String)], requestId: UUID?, prefill: Prefill? = nil, csrf: String,
                         errors: [FieldError], t: Localizer) -> N {
        var nodes: [N] = [H.el("h2", [], text: t("whistle.open")), H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)])]
        if !errors.isEmpty {
            nodes.append(H.el("div", [("class", "errors"), ("role", "alert")], [H.el("ul", [], errors.map { e in
                let m = FormState.message(e, t: t)
                return H.el("li", [], text: "\(m.label)：\(m.text)")
            })]))
        }
        if let r = requestId {
            nodes.append(H.void("input", [("type", "hidden"), ("name", "requestId"), ("value", r.uuidString.lowercased())]))
            nodes.append(H.el("p", [("class", "hint")], text: t("whistle.fromRequestHint")))
        } else {
            nodes.append(H.el("label", [], [H.t(t("resource.compounds")), H.el("select", [("name", "compoundId"), ("id", "case-compound")],
                [H.el("option", [("value", "")], text: "—")] + compounds.map { H.el("option", [("value", $0.0.uuidString.lowercased())], text: $0.1) })]))
        }
        nodes += [
            H.el("label", [], [H.t(t("whistle.titleField")), H.void("input", [("type", "text"), ("name", "title"), ("required", nil), ("id", "case-title"), ("value", prefill?.title ?? "")])]),
            H.el("label", [], [H.t(t("whistle.description")), H.el("textarea", [("name", "description"), ("rows", "3"), ("id", "case-description")], text: prefill?.description ?? "")]),
            H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: t("whistle.summon"))] + departments.map { d in
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "dept-\(d.0.uuidString.lowercased())"), ("value", "1")]), H.t(d.1)])
            } + [
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "summonCompany"), ("value", "1")]), H.t(t("whistle.summonCompany"))]),
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "summonCommittee"), ("value", "1")]), H.t(t("whistle.summonCommittee"))]),
            ]),
            H.el("label", [], [H.t(t("whistle.developer")), H.void("input", [("type", "text"), ("name", "developer")])]),
            H.el("label", [], [H.t(t("whistle.reportBy")), H.void("input", [("type", "datetime-local"), ("name", "reportBy"), ("required", nil), ("id", "case-report-by"),
                                                                                ("value", prefill?.reportBy ?? "")])]),
            H.el("button", [("type", "submit"), ("class", "primary"), ("id", "open-case")], text: t("whistle.open")),
        ]
        return H.el("form", [("method", "post"), ("action", SiteURL.whistleCases.link()), ("class", "record-form")], nodes)
    }
}
