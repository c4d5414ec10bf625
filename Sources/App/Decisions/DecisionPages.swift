import Domain
import Foundation

/// The decision pages' views: list with the new-decision form, detail with the result, the
/// phone ballot, and the publication.
enum DecisionPages {
    static func statusLine(_ d: DecisionRecord, t: Localizer) -> N {
        let line = H.el("p", [("class", "sub")], text: "\(t("enum.matter.\(d.matter.rawValue)")) · \(t("enum.decision_status.\(d.status.rawValue)")) · "
             + "\(t("decision.window")) \(Timestamp.local(d.opensAt)) — \(Timestamp.local(d.closesAt))")
        guard let amount = d.amount else { return line }
        return H.group([line, H.el("p", [("class", "amount"), ("id", "decision-amount")], text: t("decision.amountLine", FixedPoint2.grouped(amount)))])
    }

    /// Who issues the matter and when, and an early close with its reason and actual end.
    static func issuer(_ d: DecisionRecord, compound: String, now: Date, t: Localizer) -> N {
        var nodes: [N] = [H.el("p", [("id", "publication-issuer")], text: t("decision.issuer", compound, CivilTime(d.publishedAt ?? d.closedAt ?? now, offsetSeconds: CivilTime.beijingOffset).date.description))]
        if let closed = d.closedAt, closed < d.closesAt {
            nodes.append(H.el("p", [("class", "warn"), ("id", "early-close")], text: t("decision.closedEarly", Timestamp.local(closed), d.closeReason ?? "—")))
        }
        return H.group(nodes)
    }

    static func list(_ decisions: [DecisionRecord], t: Localizer) -> N {
        guard !decisions.isEmpty else { return H.el("p", [("class", "empty")], text: t("decision.none")) }
        return H.table([t("decision.field.title"), t("decision.field.matter"), t("decision.status"), t("decision.window")], decisions.map { d in
            [H.a(SiteURL.decisionPage.link(d.id.uuidString.lowercased()), d.title), H.t(t("enum.matter.\(d.matter.rawValue)")),
             H.el("span", [("class", "status status-\(d.status.rawValue)")], text: t("enum.decision_status.\(d.status.rawValue)")),
             H.t("\(Timestamp.local(d.opensAt)) — \(Timestamp.local(d.closesAt))")]
        })
    }

    static func newForm(action: String, csrf: String, t: Localizer, errors: [FieldError]) -> N {
        func field(_ name: String, _ control: N) -> N {
            H.el("div", [("class", errors.contains { $0.field == name } ? "field has-error" : "field")],
                 [H.el("label", [("for", "d-\(name)")], text: t("decision.field.\(name)")), control]
                 + errors.filter { $0.field == name }.map { H.el("p", [("class", "field-error")], text: FormState.message($0, t: t).text) })
        }
        return H.el("section", [("class", "card")], [
            H.el("h2", [], text: t("decision.new")),
            H.el("form", [("method", "post"), ("action", action), ("class", "record-form")], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                field("title", H.void("input", [("type", "text"), ("id", "d-title"), ("name", "title"), ("maxlength", "200"), ("required", nil)])),
                field("matter", H.el("select", [("id", "d-matter"), ("name", "matter")], Matter.allCases.map {
                    H.el("option", [("value", $0.rawValue)], text: "\($0.item). \(t("enum.matter.\($0.rawValue)"))")
                })),
                field("description", H.el("textarea", [("id", "d-description"), ("name", "description"), ("rows", "3")], text: "")),
                field("amount", H.void("input", [("type", "text"), ("id", "d-amount"), ("name", "amount"), ("inputmode", "decimal"), ("placeholder", "0.00")])),
                field("opensAt", H.void("input", [("type", "datetime-local"), ("id", "d-opensAt"), ("name", "opensAt"), ("required", nil)])),
                field("closesAt", H.void("input", [("type", "datetime-local"), ("id", "d-closesAt"), ("name", "closesAt"), ("required", nil)])),
                field("candidates", H.el("textarea", [("id", "d-candidates"), ("name", "candidates"), ("rows", "3")], text: "")),
                field("seats", H.void("input", [("type", "number"), ("id", "d-seats"), ("name", "seats"), ("min", "1")])),
                H.el("div", [("class", "form-actions")], [H.el("button", [("type", "submit"), ("class", "primary")], text: t("decision.new"))]),
            ]),
        ])
    }

    /// Both ratios for each choice, by owners and by area, as the 北京业主 app shows them.
    /// While voting is open: only how many have voted, by persons and by area, against the
    /// quorum — no running result that could sway those yet to vote.
    static func participation(_ r: DecisionResult, t: Localizer) -> N {
        let p = r.tally.persons, a = r.tally.area
        return H.el("div", [("class", "participation"), ("id", "participation")], [
            H.el("p", [("class", "verdict open")], [
                H.el("strong", [], text: t("decision.voting")),
                H.t(" · " + (r.tally.quorumMet ? t("decision.quorumMet") : t("decision.quorumNotYet")) + " · \(t("decision.ballots")) \(r.ballots)"),
            ]),
            H.el("dl", [("class", "facts")], [
                H.el("div", [("class", "fact")], [H.el("dt", [], text: t("decision.byPersons")),
                    H.el("dd", [("id", "participation-persons")], text: "\(p.participating) / \(p.total)（\(Ratio(p.participating, p.total).percentText)）")]),
                H.el("div", [("class", "fact")], [H.el("dt", [], text: t("decision.byArea")),
                    H.el("dd", [("id", "participation-area")], text: "\(FixedPoint2.grouped(a.participating)) / \(FixedPoint2.grouped(a.total)) ㎡（\(Ratio(a.participating, a.total).percentText)）")]),
            ]),
            H.el("p", [("class", "muted")], text: t("decision.quorum") + "；" + t("decision.resultAfterClose")),
        ])
    }

    static func result(_ r: DecisionResult, t: Localizer) -> N {
        let p = r.tally.persons, a = r.tally.area
        func cells(_ n: Int64, _ c: Counts, area: Bool) -> [N] {
            [H.t(area ? FixedPoint2.grouped(n) : String(n)), H.t(Ratio(n, c.participating).percentText), H.t(Ratio(n, c.total).percentText)]
        }
        var rows: [[N]] = [
            [H.t(t("decision.total")), H.t(String(p.total)), H.t(""), H.t(""), H.t(FixedPoint2.grouped(a.total)), H.t(""), H.t("")],
            [H.t(t("decision.participating"))] + [H.t(String(p.participating)), H.t(""), H.t(Ratio(p.participating, p.total).percentText)]
                + [H.t(FixedPoint2.grouped(a.participating)), H.t(""), H.t(Ratio(a.participating, a.total).percentText)],
        ]
        if !r.decision.isElection {
            for (choice, pn, an) in [(Choice.yes, p.yes, a.yes), (.no, p.no, a.no), (.abstain, p.abstain, a.abstain)] {
                rows.append([H.el("strong", [], text: t("enum.choice.\(choice.rawValue)"))] + cells(pn, p, area: false) + cells(an, a, area: true))
            }
        }
        var nodes: [N] = [
            H.el("div", [("class", "verdict " + (r.tally.passed ? "passed" : "failed")), ("id", "verdict")], [
                H.el("strong", [], text: r.tally.passed ? t("decision.passed") : t("decision.notPassed")),
                H.t(" · " + (r.tally.quorumMet ? t("decision.quorumMet") : t("decision.quorumNotMet")) + " · \(t("decision.ballots")) \(r.ballots)"),
            ]),
            H.el("p", [("class", "muted")], text: t("decision.quorum") + "；" + t("decision.rule.\(r.tally.rule.rawValue)")),
            H.el("div", [("class", "table-wrap")], [H.el("table", [("id", "result-table")], [
                H.el("thead", [], [
                    H.el("tr", [], [H.el("th", [("rowspan", "2")], text: ""), H.el("th", [("colspan", "3"), ("class", "num")], text: t("decision.byPersons")),
                                    H.el("th", [("colspan", "3"), ("class", "num")], text: t("decision.byArea"))]),
                    H.el("tr", [], ["", t("decision.ofParticipating"), t("decision.ofTotal"), "", t("decision.ofParticipating"), t("decision.ofTotal")]
                        .map { H.el("th", [("class", "num")], text: $0) }),
                ]),
                H.el("tbody", [], rows.map { cells in H.el("tr", [], cells.enumerated().map { i, c in H.el("td", i > 0 ? [("class", "num")] : [], [c]) }) }),
            ])]),
        ]
        if r.decision.isElection {
            nodes.append(H.table([t("decision.candidate"), t("enum.choice.yes") + "（" + t("decision.byPersons") + "）",
                                  t("enum.choice.yes") + "（" + t("decision.byArea") + "）", t("decision.elected")], r.candidates.map { c in
                [H.t(c.candidate), H.t("\(c.persons.yes) · \(Ratio(c.persons.yes, c.persons.participating).percentText)"),
                 H.t("\(FixedPoint2.grouped(c.area.yes)) · \(Ratio(c.area.yes, c.area.participating).percentText)"), H.t(c.elected ? "✓" : "")]
            }, numericFrom: 1))
        }
        return H.el("section", [("class", "card")], [H.el("h2", [], text: t("decision.result"))] + nodes)
    }
}
