import Domain
import Foundation
import Hummingbird
import SQLKit

/// One order with the forms its standing allows, and a provider's statistics.
extension MenuWeb {
    func orderPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let (o, s, log) = try await service.get(call.access, order: try call.id("service-orders"))
        let action = SiteURL.menuOrder.link(o.id.text)
        var content: [N] = [
            H.el("h1", [], [H.t("\(o.number) \(o.itemName) "), H.el("span", [("class", "badge status-\(o.status.rawValue)"), ("id", "order-status")], text: t(o.status.labelKey))]),
            H.el("dl", [("class", "facts pairs")], [
                H.el("dt", [], text: t("resource.rooms")), H.el("dd", [], text: "\(o.compoundName) \(o.roomLabel)"),
                H.el("dt", [], text: t("menu.window")), H.el("dd", [], text: "\(Timestamp.local(o.windowFrom)) – \(Timestamp.local(o.windowTo))"),
                H.el("dt", [], text: t("menu.provider")), H.el("dd", [("id", "order-provider")], text: o.providerName),
                H.el("dt", [], text: t("menu.job")), H.el("dd", [], text: o.description),
                H.el("dt", [], text: t("menu.orderedBy")), H.el("dd", [], text: o.orderedBy + (s.provider ? (o.phone.map { " · " + $0 } ?? "") : "")),
            ] + (o.scheduledAt.map { [H.el("dt", [], text: t("menu.scheduled")), H.el("dd", [], text: Timestamp.local($0))] } ?? [])
              + (o.price.map { [H.el("dt", [], text: t("menu.finalPrice")), H.el("dd", [("id", "order-price")], text: FixedPoint2.grouped($0) + " · " + t(o.paymentMethod?.labelKey ?? ""))] } ?? [])
              + (o.rating.map { [H.el("dt", [], text: t("menu.rating")), H.el("dd", [("id", "order-rating")], text: String(repeating: "★", count: $0) + ((o.comment ?? "").isEmpty ? "" : " " + o.comment!))] } ?? [])),
        ]
        content.append(H.el("h2", [], text: t("menu.log")))
        content.append(H.el("ol", [("class", "timeline"), ("id", "order-log")], log.map { l in
            H.el("li", [], [H.el("time", [], text: Timestamp.local(l.at)), H.t(" · \(l.actor) · "),
                            H.el("strong", [], text: L10n.table["enum.order_event.\(l.event)"] != nil ? t("enum.order_event.\(l.event)") : t("menu.ordered")),
                            H.el("p", [], text: l.note)])
        }))
        func form(_ id: String, _ event: OrderEvent, _ fields: [N], primary: Bool = true) -> N {
            H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", id)],
                 [FormControls.csrf(page.csrfToken), FormControls.hidden("event", event.rawValue)] + fields + [FormControls.submit(t(event.labelKey), primary: primary)])
        }
        if s.provider {
            if MenuRules.next(o.status, .accept) != nil { content.append(form("accept-form", .accept, [])) }
            if MenuRules.next(o.status, .schedule) != nil {
                content.append(form("schedule-form", .schedule, [FormControls.field("scheduledAt", t("menu.scheduled"),
                    FormControls.input("scheduledAt", type: "datetime-local", value: Timestamp.local(o.windowFrom).replacingOccurrences(of: " ", with: "T"), required: true))]))
            }
            if MenuRules.next(o.status, .complete) != nil {
                let suggested = try await service.db.sql().raw("SELECT price_min FROM menu_items WHERE id = \(bind: o.itemId)").first()?.decode(column: "price_min", as: Int64.self) ?? 0
                content.append(form("complete-form", .complete, [
                    FormControls.field("price", t("menu.finalPrice"), FormControls.input("price", value: FixedPoint2.format(suggested), required: true, [("inputmode", "decimal")])),
                    FormControls.field("paymentMethod", t("fees.method"), FormControls.select("paymentMethod", PaymentMethod.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                ]))
            }
            if MenuRules.next(o.status, .decline) != nil {
                content.append(form("decline-form", .decline, [FormControls.field("reason", t("menu.reason"), FormControls.input("reason", required: true, [("maxlength", "500")]))],
                                    primary: false))
            }
        }
        if s.orderer {
            if MenuRules.next(o.status, .confirm) != nil {
                content.append(form("confirm-form", .confirm, [
                    FormControls.field("rating", t("menu.rating"), FormControls.select("rating", (1...5).reversed().map { (String($0), String(repeating: "★", count: $0)) })),
                    FormControls.field("comment", t("menu.comment"), FormControls.input("comment", [("maxlength", "500")]), optional: t("form.optional")),
                ]))
            }
            if MenuRules.next(o.status, .cancel) != nil {
                content.append(form("cancel-form", .cancel, [FormControls.field("reason", t("menu.reason"), FormControls.input("reason", [("maxlength", "500")]), optional: t("form.optional"))],
                                    primary: false))
            }
        }
        return .html(Layout.render(page, actor: call.actor, title: o.number, crumbs: [Crumb(title: t("menu.title"), href: SiteURL.menu.link()), Crumb(title: o.number, href: nil)],
                                   content: content))
    }

    func orderAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("service-orders")
        var o: [String: JSONValue] = ["event": .string(form["event"] ?? "")]
        for key in ["price", "paymentMethod", "reason", "comment"] { if let v = form[key], !v.isEmpty { o[key] = .string(v) } }
        if let at = form["scheduledAt"], !at.isEmpty { o["scheduledAt"] = .string(at.count == 16 ? at + ":00+08:00" : at) }
        if let r = form["rating"], !r.isEmpty { o["rating"] = Int64(r).map { .int($0) } ?? .string(r) }
        let body = try FieldReader.decode(OrderEventBody.self, from: o)
        _ = try await service.change(call.access, order: id, body.change)
        return .seeOther(to: SiteURL.menuOrder.link(id.text), flash: "flash.saved")
    }

    func providerPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let (p, s, months) = try await service.stats(call.access, provider: try call.id("service-providers"), through: try DisputeAPI.through(call))
        let top = max(1, s.revenueByMonth.values.max() ?? 1)
        let width = 40, height = 110
        var bars: [N] = []
        for (i, m) in months.enumerated() {
            let v = s.revenueByMonth[m.monthText] ?? 0
            let h = Int(v * Int64(height) / top)
            bars.append(H.el("rect", [("x", String(i * width + 10)), ("y", String(height - h + 10)), ("width", String(width - 10)), ("height", String(h)), ("class", "rank-bar good")],
                             [H.el("title", [], text: "\(m.monthText) \(FixedPoint2.format(v))")]))
            bars.append(H.el("text", [("x", String(i * width + 10 + (width - 10) / 2)), ("y", String(height + 26)), ("text-anchor", "middle"), ("class", "bar-label")], text: String(m.month)))
        }
        let content: [N] = [
            H.el("h1", [], text: "\(p.name) · \(t("menu.stats"))"),
            H.el("p", [("class", "muted")], text: t(p.kind.labelKey) + (p.phone.map { " · " + $0 } ?? "")),
            H.el("div", [("class", "figures"), ("id", "provider-figures")], [
                RegistryPages.figure(t("menu.orders"), String(s.orders)), RegistryPages.figure(t("menu.completed"), String(s.completed)),
                RegistryPages.figure(t("menu.medianTime"), s.medianMinutesToComplete.map { t("menu.hoursMinutes", $0 / 60, $0 % 60) } ?? "—"),
                RegistryPages.figure(t("menu.rating"), s.ratingText + (s.rating.denominator > 0 ? " (\(s.rating.denominator))" : "")),
                RegistryPages.figure(t("menu.revenue"), FixedPoint2.grouped(s.revenue)),
            ]),
            H.el("figure", [("class", "chart")], [
                H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(months.count * width + 20) \(height + 34)"), ("role", "img"),
                             ("aria-label", t("menu.revenueByMonth")), ("id", "revenue-chart")], bars),
                H.el("figcaption", [], text: t("menu.revenueByMonth")),
            ]),
            H.table([t("rank.month"), t("menu.revenue")], months.map { [H.t($0.monthText), H.t(FixedPoint2.grouped(s.revenueByMonth[$0.monthText] ?? 0))] }, numericFrom: 1),
        ]
        return .html(Layout.render(page, actor: call.actor, title: p.name, crumbs: [Crumb(title: t("menu.title"), href: SiteURL.menu.link()), Crumb(title: p.name, href: nil)],
                                   content: content))
    }
}
