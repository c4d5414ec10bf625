import Domain
import Foundation
import Hummingbird
import SQLKit

/// 12345 work orders: `POST /api/v1/hotline-orders` (CSV or JSON body, for a district's
/// integration key or admin), the queue of unmatched orders (API and `/hotline-queue`), assignment.
struct HotlineAPI: Sendable {
    let importer: HotlineImport
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        var importDoc = OperationDoc("import-hotline-orders",
                                     "Import 12345 work orders (CSV or JSON: order_no, received_at, content, address, category, phone); each order once; 200 when nothing was new",
                                     tag: "hotline", rawBody: ["application/json", "text/csv"])
        importDoc = importDoc.answering(HotlineImportAnswer.self, status: .created, access: .signedIn)
        importDoc.alsoSucceeds = [200]
        routes.signedIn(.post, SiteURL.apiHotlineOrders.pattern, .signedIn, source: "api", operation: importDoc) { call in
            let (request, ctx) = (call.request, call.access)
            guard let district = ctx.actor.grants.first(where: { $0.role == .districtAdmin })?.scopeId else {
                throw DomainError.forbidden(reason: "hotline orders are imported with the district's integration key")
            }
            let type = (request.headers[.contentType] ?? "").lowercased()
            let body = try await request.readBody(limit: BodyLimits.import)
            let orders = try HotlineImport.parse(Data(body.readableBytesView), json: !type.contains("csv"))
            let summary = try await importer.run(ctx, district: district, orders: orders)
            return try RouteTable.encode(HotlineImportAnswer(summary), status: summary.imported.isEmpty && summary.unmatched.isEmpty ? .ok : .created)
        }
        routes.api(.get, SiteURL.apiHotlineOrders, .signedIn,
                   OperationDoc("hotline-queue", "Unmatched 12345 orders waiting for assignment in the caller's street or district", tag: "hotline")) { call in
            Items(items: try await importer.queue(call.access).map(QueuedOrderAnswer.init))
        }
        routes.api(.post, SiteURL.apiHotlineAssign, .signedIn,
                   OperationDoc("assign-hotline-order", "Assign a queued order to a compound (compoundId); it becomes a request", tag: "hotline",
                                errors: [409: "Already assigned"]),
                   body: AssignOrderBody.self, status: .created) { call, body in
            let id = try await importer.assign(call.access, order: try call.id("hotline-orders"), compound: body.compoundId)
            return AssignedOrderAnswer(requestId: id.text, url: SiteURL.apiRequest.link(id.text))
        }
        routes.page(.get, SiteURL.hotlineQueue, .signedIn) { call in try await queuePage(call) }
        routes.page(.post, SiteURL.hotlineQueue, .signedIn) { call in
            let (request, context, ctx) = (call.request, call.context, call.access)
            let form = try await FormInput.read(request, context)
            guard let order = UUID(uuidString: form["orderId"] ?? ""), let compound = UUID(uuidString: form["compoundId"] ?? "") else {
                throw DomainError.invalid([FieldError(field: "compoundId", code: "required", message: Localizer(language: context.language)("hotline.pickCompound"))])
            }
            let id = try await importer.assign(ctx, order: order, compound: compound)
            return .seeOther(to: SiteURL.requestPage.link(id.uuidString.lowercased()), flash: "flash.saved")
        }
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "hotline-orders", id: context.parameters.get("id") ?? "") }
        return id
    }

    func queuePage(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let orders = try await importer.queue(ctx)
        // Compounds to pick from: those of the order's street (or the district's, for orders with none).
        var options: [UUID?: [(UUID, String)]] = [:]
        for street in Set(orders.map(\.streetId)) {
            let rows: [any SQLRow]
            if let s = street {
                rows = try await importer.database.db.sql().raw("SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id WHERE m.street_id = \(bind: s) ORDER BY p.name").all()
            } else {
                let district = ctx.actor.grants.first { $0.role == .districtAdmin }?.scopeId ?? UUID.random()
                rows = try await importer.database.db.sql().raw("""
                    SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id
                    WHERE s.district_id = \(bind: district) ORDER BY p.name LIMIT 3000
                    """).all()
            }
            options[street] = try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        }
        let rows: [[N]] = orders.map { o in
            [H.t(o.orderNo), H.t(Timestamp.local(o.receivedAt)), H.t(o.address), H.t(o.content), H.t(o.streetName ?? t("hotline.noStreet")),
             H.el("form", [("method", "post"), ("action", SiteURL.hotlineQueue.link()), ("class", "inline-form")], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.void("input", [("type", "hidden"), ("name", "orderId"), ("value", o.id.uuidString.lowercased())]),
                H.el("select", [("name", "compoundId"), ("aria-label", t("hotline.pickCompound"))],
                     [H.el("option", [("value", "")], text: t("hotline.pickCompound"))] + (options[o.streetId] ?? []).map { H.el("option", [("value", $0.0.uuidString.lowercased())], text: $0.1) }),
                H.el("button", [("type", "submit")], text: t("hotline.assign")),
             ])]
        }
        let content: [N] = [
            H.el("h1", [], text: t("hotline.title")),
            H.el("p", [("class", "hint")], text: t("hotline.explain")),
            orders.isEmpty ? H.el("p", [("class", "empty"), ("id", "queue-empty")], text: t("hotline.empty"))
                : H.table([t("hotline.orderNo"), t("hotline.receivedAt"), t("hotline.address"), t("hotline.content"), t("hotline.street"), t("hotline.assign")], rows),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: t("hotline.title"), crumbs: [Crumb(title: t("hotline.title"), href: nil)], content: content))
    }
}
