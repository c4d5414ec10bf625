import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/compounds/{id}/menu`: who serves which part of the compound (big and small property), its
/// catalogue with the street's items, and the forms to keep both (community, street, district staff).
extension MenuWeb {
    func compoundPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compound = try call.id("compounds")
        let items = try await service.catalogue(call.access, compound: compound, all: true)
        let keeps = (try? await service.store.access.authorize(call.access, .update, "menu", inCompound: compound, on: service.db)) != nil
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let providers = try await service.providers(serving: compound)
        let rule = try await service.routing(compound: compound, on: service.db)
        let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
            .map { (id: try $0.decode(column: "id", as: UUID.self), number: try $0.decode(column: "number", as: String.self)) }
        let names = Dictionary(uniqueKeysWithValues: providers.map { ($0.id, $0.name) })
        var content: [N] = [
            H.el("h1", [], text: "\(name) · \(t("menu.title"))"),
            H.el("p", [("class", "hint")], text: t("menu.ruleHint")),
            H.el("dl", [("class", "facts pairs"), ("id", "routing")], [
                H.el("dt", [], text: t("enum.provider_kind.big_property")), H.el("dd", [], text: rule.bigProperty.flatMap { names[$0] } ?? "—"),
                H.el("dt", [], text: t("enum.provider_kind.small_property")),
                H.el("dd", [], text: rule.smallProperty.isEmpty ? "—" : buildings.compactMap { b in rule.smallProperty[b.id].flatMap { names[$0] }.map { "\(b.number)：\($0)" } }.joined(separator: "；")),
            ]),
            H.el("h2", [], text: t("menu.items")),
            items.isEmpty ? H.el("p", [("class", "empty")], text: t("menu.noItems")) : H.el("div", [("id", "catalogue")], [H.table(
                [t("menu.item"), t("menu.part"), t("menu.provider"), t("menu.priceHeader"), t("menu.minutesHeader"), t("menu.status")] + (keeps ? [t("list.actions")] : []),
                items.map { i in
                    var row: [N] = [H.t(i.name), H.t(t(i.part.labelKey)), H.t(i.providerName ?? t("menu.byRule")), H.t(i.priceText), H.t("\(i.minutes)"),
                                    H.t(i.active ? t("menu.onMenu") : t("menu.offMenu"))]
                    if keeps && i.compoundId == compound {
                        row.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMenu.link(compound.text)), ("class", "inline-form")], [
                            FormControls.csrf(page.csrfToken), FormControls.hidden("do", "toggle"), FormControls.hidden("itemId", i.id.text),
                            H.el("button", [("type", "submit")], text: i.active ? t("menu.takeOff") : t("menu.putOn")),
                        ]))
                    } else if keeps { row.append(H.t(t("menu.streetItem"))) }
                    return row
                })]),
        ]
        if keeps {
            let providerOptions = providers.map { ($0.id.text, "\($0.name)（\(t($0.kind.labelKey))）") }
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMenu.link(compound.text)), ("class", "record-form"), ("id", "item-form")], [
                H.el("h3", [], text: t("menu.addItem")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "item"),
                FormControls.field("name", t("menu.item"), FormControls.input("name", required: true, [("maxlength", "100")])),
                FormControls.field("part", t("menu.part"), FormControls.select("part", ServicePart.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("providerId", t("menu.provider"), FormControls.select("providerId", providerOptions, blank: t("menu.byRule")), optional: t("form.optional")),
                FormControls.field("priceMin", t("menu.priceMin"), FormControls.input("priceMin", required: true, [("inputmode", "decimal"), ("placeholder", "0.00")])),
                FormControls.field("priceMax", t("menu.priceMax"), FormControls.input("priceMax", [("inputmode", "decimal"), ("placeholder", "0.00")]), optional: t("form.optional")),
                FormControls.field("minutes", t("menu.minutesHeader"), FormControls.input("minutes", type: "number", value: "60", [("min", "1"), ("max", "10080")])),
                FormControls.field("description", t("disputes.description"), FormControls.textarea("description", maxLength: 1000), optional: t("form.optional")),
                FormControls.submit(t("menu.addItem")),
            ]))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMenu.link(compound.text)), ("class", "record-form"), ("id", "provider-form")], [
                H.el("h3", [], text: t("menu.addCompoundProvider")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "provider"),
                FormControls.field("kind", t("menu.providerKind"), FormControls.select("kind", [ProviderKind.bigProperty, .smallProperty].map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("name", t("menu.providerName"), FormControls.input("name", required: true, [("maxlength", "100")])),
                FormControls.field("servingCompany", t("menu.isCompany"), H.void("input", [("type", "checkbox"), ("id", "f-servingCompany"), ("name", "servingCompany"), ("value", "1")])),
                FormControls.field("phone", t("menu.phone"), FormControls.input("phone", type: "tel"), optional: t("form.optional")),
                FormControls.submit(t("menu.addProvider")),
            ]))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMenu.link(compound.text)), ("class", "record-form"), ("id", "routing-form")], [
                H.el("h3", [], text: t("menu.setRule")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "routing"),
                FormControls.field("bigPropertyId", t("enum.provider_kind.big_property"),
                                   FormControls.select("bigPropertyId", providerOptions, selected: rule.bigProperty?.text, blank: "—")),
            ] + buildings.map { b in
                FormControls.field("building-" + b.id.text, t("menu.smallFor", b.number),
                                   FormControls.select("building-" + b.id.text, providerOptions, selected: rule.smallProperty[b.id]?.text, blank: t("menu.sameAsBig")))
            } + [FormControls.submit(t("action.save"))]))
        }
        return .html(Layout.render(page, actor: call.actor, title: name, crumbs: [Crumb(title: t("menu.title"), href: SiteURL.menu.link()), Crumb(title: name, href: nil)],
                                   content: content))
    }

    func compoundAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = try call.id("compounds")
        func opt(_ key: String) -> JSONValue { (form[key] ?? "").isEmpty ? .null : .string(form[key]!) }
        switch form["do"] {
        case "item":
            var o: [String: JSONValue] = ["compoundId": .string(compound.text), "name": .string(form["name"] ?? ""), "part": .string(form["part"] ?? ""),
                                          "providerId": opt("providerId"), "priceMin": .string(form["priceMin"] ?? ""), "priceMax": opt("priceMax"),
                                          "description": .string(form["description"] ?? "")]
            o["minutes"] = Int64(form["minutes"] ?? "").map { .int($0) } ?? ((form["minutes"] ?? "").isEmpty ? .int(60) : .string(form["minutes"]!))
            _ = try await service.saveItem(call.access, id: nil, try FieldReader.decode(MenuItemBody.self, from: o).item)
        case "toggle":
            guard let id = UUID(uuidString: form["itemId"] ?? ""),
                  let item = try await service.catalogue(call.access, compound: compound, all: true).first(where: { $0.id == id }) else {
                throw DomainError.notFound(entity: "menu-items", id: form["itemId"] ?? "")
            }
            _ = try await service.saveItem(call.access, id: id, .init(streetId: nil, compoundId: compound, providerId: item.providerId, part: item.part, name: item.name,
                                                                      description: item.description, priceMin: item.priceMin, priceMax: item.priceMax,
                                                                      minutes: item.minutes, active: !item.active))
        case "provider":
            let company = form["servingCompany"] == "1" ? try await ServingCompany.of(compound, today: call.access.today, on: service.db) : nil
            let body = try FieldReader.decode(ProviderBody.self, from: ["compoundId": .string(compound.text), "kind": .string(form["kind"] ?? ""),
                                                                        "name": .string(form["name"] ?? ""), "phone": opt("phone")])
            _ = try await service.addProvider(call.access, street: nil, compound: compound, kind: body.kind, name: body.name, phone: body.phone, company: company)
        case "routing":
            var small: [UUID: UUID] = [:]
            for (key, value) in form.fields where key.hasPrefix("building-") && !value.isEmpty {
                if let b = UUID(uuidString: String(key.dropFirst(9))), let p = UUID(uuidString: value) { small[b] = p }
            }
            _ = try await service.setRouting(call.access, compound: compound, big: UUID(uuidString: form["bigPropertyId"] ?? ""), small: small)
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.compoundMenu.link(compound.text), flash: "flash.saved")
    }
}
