import Domain
import Foundation
import Hummingbird
import SQLKit

/// The menu pages: `/menu` (a resident's catalogue and orders; a provider's queue; the street's
/// providers), one order, a provider's statistics, and a compound's catalogue and rule.
struct MenuWeb: Sendable {
    let service: MenuService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.menu, .signedIn) { call in try await menu(call) }
        routes.page(.post, SiteURL.menu, .signedIn) { call in try await post(call) }
        routes.page(.get, SiteURL.menuOrder, .signedIn) { call in try await orderPage(call) }
        routes.page(.post, SiteURL.menuOrder, .signedIn) { call in try await orderAction(call) }
        routes.page(.get, SiteURL.menuProvider, .signedIn) { call in try await providerPage(call) }
        routes.page(.get, SiteURL.compoundMenu, .signedIn) { call in try await compoundPage(call) }
        routes.page(.post, SiteURL.compoundMenu, .signedIn) { call in try await compoundAction(call) }
    }

    func menu(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        // The staff's compound picker: on to that compound's catalogue and rule.
        if let keep = call.query.get("keep").flatMap(UUID.init(uuidString:)) { return .seeOther(to: SiteURL.compoundMenu.link(keep.text)) }
        var content: [N] = [H.el("h1", [], text: t("menu.title")), H.el("p", [("class", "hint")], text: t("menu.subtitle"))]
        let rooms = try await service.orderRooms(call.actor, on: service.db)
        if !rooms.isEmpty { content += try await residentSection(call, rooms: rooms, page: page) }
        let queue = try await service.orders(call.access).filter { MenuService.actsFor(call.actor, providerId: $0.providerId, companyId: $0.providerCompanyId) }
        let providers = try await service.providers(call.access)
        let own = providers.filter { MenuService.actsFor(call.actor, providerId: $0.id, companyId: $0.companyId) }
        if !own.isEmpty {
            content.append(H.el("h2", [], text: t("menu.queue")))
            content.append(orderTable(queue, t: t, id: "order-queue"))
            content.append(H.el("p", [], own.map { H.a(SiteURL.menuProvider.link($0.id.text), t("menu.stats") + " · " + $0.name, [("class", "button")]) }))
        }
        if call.actor.grants.contains(where: { [.districtAdmin, .streetStaff, .communityStaff].contains($0.role) }) {
            content += try await staffSection(call, providers: providers, page: page)
        }
        return .html(Layout.render(page, actor: call.actor, title: t("menu.title"), crumbs: [Crumb(title: t("menu.title"), href: nil)], content: content))
    }

    func orderTable(_ orders: [OrderRecord], t: Localizer, id: String) -> N {
        orders.isEmpty ? H.el("p", [("class", "empty")], text: t("menu.noOrders")) : H.el("div", [("id", id)], [H.table(
            [t("menu.number"), t("menu.item"), t("resource.rooms"), t("menu.window"), t("menu.provider"), t("menu.status")],
            orders.map { o in
                [H.a(SiteURL.menuOrder.link(o.id.text), o.number), H.t(o.itemName), H.t("\(o.compoundName) \(o.roomLabel)"),
                 H.t("\(Timestamp.local(o.windowFrom)) – \(Timestamp.local(o.windowTo).suffix(5))"), H.t(o.providerName),
                 H.el("span", [("class", "badge status-\(o.status.rawValue)")], text: t(o.status.labelKey))]
            })])
    }

    /// A resident's rooms, the chosen room's catalogue, the order form for a chosen item, and their orders.
    func residentSection(_ call: SignedIn, rooms: [(id: UUID, label: String, compoundId: UUID, compound: String)], page: PageContext) async throws -> [N] {
        let t = page.t
        let chosen = call.query.get("roomId").flatMap(UUID.init(uuidString:)).flatMap { id in rooms.first { $0.id == id } } ?? rooms[0]
        let items = try await service.catalogue(call.access, compound: chosen.compoundId)
        let providers = Dictionary(uniqueKeysWithValues: try await service.providers(serving: chosen.compoundId).map { ($0.id, $0.name) })
        let rule = try await service.routing(compound: chosen.compoundId, on: service.db)
        let building = try await service.db.sql().raw("SELECT e.building_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id WHERE r.id = \(bind: chosen.id)").first()?
            .decode(column: "building_id", as: UUID.self)
        var out: [N] = []
        if rooms.count > 1 {
            out.append(H.el("form", [("method", "get"), ("action", SiteURL.menu.link()), ("class", "filters")], [
                H.el("label", [], [H.t(t("resource.rooms") + " "), FormControls.select("roomId", rooms.map { ($0.id.text, "\($0.compound) \($0.label)") }, selected: chosen.id.text)]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]))
        }
        out.append(H.el("h2", [], text: t("menu.catalogue", chosen.compound)))
        out.append(items.isEmpty ? H.el("p", [("class", "empty")], text: t("menu.noItems")) : H.el("ul", [("class", "tiles"), ("id", "menu-items")], items.map { i in
            let provider = MenuRules.route(itemProvider: i.providerId, part: i.part, building: building, rule: rule).flatMap { providers[$0] }
            return H.el("li", [("class", "card"), ("data-item", i.name)], [
                H.el("h3", [], text: i.name), H.el("p", [("class", "price")], text: i.priceMin == 0 && (i.priceMax ?? 0) == 0 ? t("menu.free") : t("menu.price", i.priceText)),
                H.el("p", [("class", "muted")], text: "\(t(i.part.labelKey)) · \(provider ?? t("menu.noProvider")) · \(t("menu.minutes", i.minutes))"),
                H.el("p", [], text: i.description),
                H.a(SiteURL.menu.link() + "?roomId=\(chosen.id.text)&itemId=\(i.id.text)#order-form", t("menu.order"), [("class", "button primary"), ("id", "order-\(i.id.text)")]),
            ])
        }))
        if let itemId = call.query.get("itemId").flatMap(UUID.init(uuidString:)), let item = items.first(where: { $0.id == itemId }) {
            let tomorrow = Timestamp.today(call.now.addingTimeInterval(86_400)).description
            out.append(H.el("form", [("method", "post"), ("action", SiteURL.menu.link()), ("class", "record-form"), ("id", "order-form")], [
                H.el("h3", [], text: t("menu.orderTitle", item.name)), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "order"),
                FormControls.hidden("itemId", item.id.text), FormControls.hidden("roomId", chosen.id.text),
                FormControls.field("day", t("menu.day"), FormControls.input("day", type: "date", value: tomorrow, required: true)),
                FormControls.field("from", t("menu.from"), FormControls.input("from", type: "time", value: "09:00", required: true)),
                FormControls.field("to", t("menu.to"), FormControls.input("to", type: "time", value: "11:00", required: true)),
                FormControls.field("description", t("menu.job"), FormControls.textarea("description", required: true)),
                FormControls.field("phone", t("menu.phone"), FormControls.input("phone", type: "tel"), optional: t("form.optional")),
                H.el("p", [("class", "muted")], text: t("menu.payHint")),
                FormControls.submit(t("menu.order")),
            ]))
        }
        out.append(H.el("h2", [], text: t("menu.myOrders")))
        out.append(orderTable(try await service.orders(call.access, mine: true), t: t, id: "my-orders"))
        return out
    }

    /// Staff: the providers of their area, the form for a street's team or vendor, and compounds' menus.
    func staffSection(_ call: SignedIn, providers: [ProviderRecord], page: PageContext) async throws -> [N] {
        let t = page.t
        var out: [N] = [H.el("h2", [], text: t("menu.providers"))]
        out.append(providers.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "providers")], [H.table(
            [t("menu.provider"), t("menu.providerKind"), t("menu.phone"), t("list.actions")],
            providers.map { p in [H.t(p.name), H.t(t(p.kind.labelKey)), H.t(p.phone ?? "—"), H.a(SiteURL.menuProvider.link(p.id.text), t("menu.stats"))] })]))
        let streets = call.actor.grants.filter { $0.role == .streetStaff }.map(\.scopeId)
        if let street = streets.first {
            out.append(H.el("form", [("method", "post"), ("action", SiteURL.menu.link()), ("class", "record-form"), ("id", "provider-form")], [
                H.el("h3", [], text: t("menu.addProvider")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "provider"), FormControls.hidden("streetId", street.text),
                FormControls.field("kind", t("menu.providerKind"), FormControls.select("kind", [ProviderKind.repairTeam, .vendor].map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("name", t("menu.providerName"), FormControls.input("name", required: true, [("maxlength", "100")])),
                FormControls.field("phone", t("menu.phone"), FormControls.input("phone", type: "tel"), optional: t("form.optional")),
                FormControls.submit(t("menu.addProvider")),
            ]))
        }
        // The compounds whose menus the caller keeps.
        let visible = call.access.scope.visible(call.actor, service.store.access.chain(service.store.catalog["compounds"]!))
        let compounds = try await service.db.sql().raw("SELECT t0.id, t0.name FROM compounds t0 JOIN communities t1 ON t1.id = t0.community_id JOIN streets t2 ON t2.id = t1.street_id"
                                                       + " JOIN districts t3 ON t3.id = t2.district_id WHERE " + visible + " ORDER BY t0.name LIMIT 3000").all()
            .map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "name", as: String.self)) }
        out.append(H.el("form", [("method", "get"), ("action", SiteURL.menu.link()), ("class", "filters"), ("id", "compound-menu-pick")], [
            H.el("label", [], [H.t(t("menu.keep") + " "), FormControls.select("keep", compounds)]),
            H.el("button", [("type", "submit")], text: t("rank.show")),
        ]))
        return out
    }

    func post(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        switch form["do"] {
        case "order":
            let day = form["day"] ?? ""
            func at(_ time: String?) -> JSONValue { .string("\(day)T\(time ?? ""):00+08:00") }
            let body = try FieldReader.decode(OrderBody.self, from: ["itemId": .string(form["itemId"] ?? ""), "roomId": .string(form["roomId"] ?? ""),
                                                                     "windowFrom": at(form["from"]), "windowTo": at(form["to"]), "description": .string(form["description"] ?? ""),
                                                                     "phone": .string(form["phone"] ?? "")])
            let id = try await service.order(call.access, body.order)
            return .seeOther(to: SiteURL.menuOrder.link(id.text), flash: "flash.ordered")
        case "provider":
            let body = try FieldReader.decode(ProviderBody.self, from: ["streetId": .string(form["streetId"] ?? ""), "kind": .string(form["kind"] ?? ""),
                                                                        "name": .string(form["name"] ?? ""), "phone": .string(form["phone"] ?? "")])
            _ = try await service.addProvider(call.access, street: body.streetId, compound: nil, kind: body.kind, name: body.name, phone: body.phone, company: nil)
            return .seeOther(to: SiteURL.menu.link(), flash: "flash.saved")
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
    }
}
