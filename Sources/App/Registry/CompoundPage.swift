import Domain
import Foundation

/// The compound page's facts panel: who serves it, its committee, its party organisations.
enum CompoundPage {
    static func facts(_ f: CompoundFacts, compound: Record, t: Localizer) -> N {
        var items: [N] = []
        func row(_ label: String, _ value: [N]) { items.append(H.el("div", [("class", "fact")], [H.el("dt", [], text: label), H.el("dd", [], value)])) }
        let kind = compound["housingKind"].text ?? ""
        let mode = compound["managementMode"].text ?? ""
        row(t("field.address"), [H.t(compound["address"].text ?? "")])
        row(t("field.housingKind"), [H.t(t("enum.housing_kind.\(kind)") + " · " + t("field.yearBuilt") + " " + String(compound["yearBuilt"].integer ?? 0))])
        row(t("field.managementMode"), [H.t(t("enum.management_mode.\(mode)"))])
        if let current = f.contracts.first(where: \.current) {
            row(t("facts.company"), [H.el("strong", [("class", "company-now")], text: current.companyName)])
            row(t("facts.contract"), [H.t("\(current.startsOn) — \(current.endsOn ?? "…")")])
            row(t("facts.fee"), [H.t(FixedPoint2.format(current.fee))])
        } else {
            row(t("facts.company"), [H.el("span", [("class", "warn company-now")], text: t("facts.company.none"))])
        }
        if let c = f.committees.first(where: \.current) {
            let members = c.members.map { "\($0.name)（\(t("enum.committee_role.\($0.role)"))）" }.joined(separator: "、")
            row(t("facts.committee"), [H.el("strong", [("class", "committee-now")], text: t("enum.committee_kind.\(c.kind)")),
                                       H.t(" \(c.termStart) — \(c.termEnd ?? "…")"),
                                       H.el("div", [("class", "members")], text: t("facts.members") + "：" + members)])
        } else {
            row(t("facts.committee"), [H.el("span", [("class", "warn committee-now")], text: t("facts.committee.none"))])
        }
        row(t("facts.party"), f.party.isEmpty ? [H.t(t("facts.party.none"))] : [H.el("ul", [("class", "plain")], f.party.map {
            H.el("li", [], text: "\($0.name)（\(t("enum.party_org_kind.\($0.kind)"))）")
        })])
        row(t("decision.title"), [H.a(SiteURL.compoundDecisions.link(compound.id.uuidString.lowercased()), t("decision.title"), [("id", "decisions-link")]),
                                  H.t(" · "), H.a(SiteURL.fundPage.link(compound.id.uuidString.lowercased()), t("fund.title"), [("id", "fund-link")])])
        if let a = f.alliance {
            row(t("facts.alliance"), [H.t(a.name + (a.companyIsMember ? " ✓" : ""))])
        }
        if !f.crossAppointments.isEmpty {
            row(t("facts.crossAppointments"), [H.el("ul", [("class", "plain")], f.crossAppointments.map {
                H.el("li", [], text: "\($0.person) · \($0.company) · \(t("enum.appointment_direction.\($0.direction)")) · \($0.post)")
            })])
        }
        return H.el("section", [("class", "card")], [H.el("h2", [], text: t("facts.title")), H.el("dl", [("class", "facts")], items)])
    }

    static func contracts(_ f: CompoundFacts, canEdit: Bool, t: Localizer) -> N {
        guard !f.contracts.isEmpty else { return H.group([]) }
        return H.el("section", [("class", "card")], [
            H.el("h2", [], text: t("resource.contracts")),
            H.table([t("field.companyId"), t("field.startsOn"), t("field.endsOn"), t("facts.fee"), ""], f.contracts.map { c in
                [H.t(c.companyName + (c.current ? " ●" : "")), H.t(c.startsOn), H.t(c.endsOn ?? "—"), H.t(FixedPoint2.format(c.fee)),
                 canEdit ? H.a(SiteURL.manageEdit.link("contracts", c.id.uuidString.lowercased()), t("action.edit")) : H.t("")]
            }),
        ])
    }
}
