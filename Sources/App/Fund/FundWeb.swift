import Domain
import Foundation
import Hummingbird

/// The fund statement page `/compounds/{id}/fund`.
struct FundWeb: Sendable {
    let service: FundService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.fundPage, .resource("fund", .read)) { call in try await page(call) }
    }

    func uuid(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "compounds", id: context.parameters.get("id") ?? "") }
        return id
    }

    /// The compound's fund statement, public to its owners: totals, plans, each room's balance.
    func page(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let compound = try uuid(context)
        let s = try await service.statement(ctx, compound: compound)
        let l = s.ledger
        var content: [N] = [
            H.el("h1", [], text: t("fund.title")),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("fund.balance"), FixedPoint2.grouped(l.totalBalance)),
                RegistryPages.figure(t("fund.deposited"), FixedPoint2.grouped(l.totalDeposited)),
                RegistryPages.figure(t("fund.ratio"), Ratio(l.totalBalance, l.totalDeposited).percentText),
            ]),
        ]
        if l.needsTopUp { content.append(H.el("p", [("class", "warn"), ("id", "top-up")], text: t("fund.topUp"))) }
        content.append(H.el("h2", [], text: t("fund.plans")))
        content.append(s.plans.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty"))
                       : H.table([t("fund.project"), t("fund.amount"), t("fund.rooms"), t("decision.status")], s.plans.map { p in
                           [H.t(p.project + (p.emergency.map { " · " + t("enum.emergency_category.\($0.rawValue)") } ?? "")), H.t(FixedPoint2.grouped(p.amount)),
                            H.t(String(p.roomIds.count)), H.t(t("enum.spending_status.\(p.status.rawValue)"))]
                       }, numericFrom: 1))
        content.append(H.el("h2", [], text: t("fund.roomBalances")))
        content.append(H.table([t("resource.rooms"), t("field.area"), t("fund.balance")], s.rooms.map { r in
            [H.t(r.label), H.t(FixedPoint2.grouped(r.area)), H.t(FixedPoint2.grouped(l.balances[r.id] ?? 0))]
        }, numericFrom: 1))
        return .html(Layout.render(page, actor: ctx.actor, title: t("fund.title"),
                                   crumbs: [Crumb(title: t("resource.compounds"), href: SiteURL.compound.link(compound.uuidString.lowercased())), Crumb(title: t("fund.title"), href: nil)],
                                   content: content))
    }
}
