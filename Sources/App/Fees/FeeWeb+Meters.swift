import Domain
import Foundation
import Hummingbird
import SQLKit

extension FeeWeb {
    /// The compound's shared meters: their last readings, a new meter, and readings typed or pasted as CSV.
    func meters(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compound = try call.id("compounds")
        let meters = try await service.meters(call.access, compound: compound)
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: String.self)) }
        let keeper = (try? await service.store.access.authorize(call.access, .create, "fees", inCompound: compound, on: service.db)) != nil
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        var content: [N] = [
            H.el("h1", [], text: "\(name) · \(t("meters.title"))"),
            H.el("p", [("class", "hint")], text: t("meters.explain")),
            meters.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "meters")], [H.table(
                [t("meters.name"), t("meters.kind"), t("meters.scope"), t("meters.unitPrice"), t("meters.lastMonth"), t("meters.lastReading")],
                meters.map { m in
                    [H.t(m.name), H.t(t(m.kind.labelKey)), H.t(m.buildingId.flatMap { b in buildings.first { $0.0 == b }?.1 } ?? t("meters.wholeCompound")),
                     H.t(FixedPoint2.grouped(m.unitPrice)), H.t(m.lastMonth ?? "—"), H.t(m.lastReading.map(FixedPoint2.grouped) ?? "—")]
                }, numericFrom: 3)]),
        ]
        if keeper {
            content.append(H.el("h2", [], text: t("meters.readings")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMeters.link(compound.text)), ("class", "record-form"), ("id", "readings-form"),
                                         ("data-confirm", t("meters.confirmReadings"))], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "readings")]),
                H.el("div", [("class", "field")], [
                    H.el("label", [("for", "f-csv")], text: t("meters.csv")),
                    H.el("textarea", [("id", "f-csv"), ("name", "csv"), ("rows", "6"), ("required", nil), ("placeholder", "表名,月份,读数,换表\n1号楼电表,2026-11,12050.75,")], text: ""),
                    H.el("p", [("class", "muted")], text: t("meters.csvHint")),
                ]),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("meters.record")),
            ]))
            content.append(H.el("h2", [], text: t("meters.new")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMeters.link(compound.text)), ("class", "record-form"), ("id", "meter-form")], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "meter")]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-name")], text: t("meters.name")),
                                                   H.void("input", [("type", "text"), ("id", "f-name"), ("name", "name"), ("maxlength", "100"), ("required", nil)])]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-kind")], text: t("meters.kind")),
                    H.el("select", [("id", "f-kind"), ("name", "kind")], MeterKind.allCases.map { H.el("option", [("value", $0.rawValue)], text: t($0.labelKey)) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-buildingId")], text: t("meters.scope")),
                    H.el("select", [("id", "f-buildingId"), ("name", "buildingId")],
                         [H.el("option", [("value", "")], text: t("meters.wholeCompound"))] + buildings.map { H.el("option", [("value", $0.0.text)], text: $0.1) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-unitPrice")], text: t("meters.unitPrice")),
                    H.void("input", [("type", "text"), ("id", "f-unitPrice"), ("name", "unitPrice"), ("inputmode", "decimal"), ("required", nil)])]),
                H.el("button", [("type", "submit")], text: t("meters.add")),
            ]))
        }
        let crumbs = [Crumb(title: name, href: SiteURL.compoundFees.link(compound.text)), Crumb(title: t("meters.title"), href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: t("meters.title"), crumbs: crumbs, content: content))
    }

}
