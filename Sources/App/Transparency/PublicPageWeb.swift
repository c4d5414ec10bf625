import Domain
import Foundation
import Hummingbird

/// `/public/compounds/{id}`: the compound's public page, opened without signing in (a 404 page
/// when the district's pages are off); and the district admin's switch, shown on the district's
/// coverage page.
struct PublicPageWeb: Sendable {
    let service: PublicPageService

    func register(on routes: RouteTable) {
        let clock = routes.clock
        routes.add(.get, SiteURL.publicCompound, .open) { request, context in try await page(request, context, now: clock()) }
        routes.page(.post, SiteURL.districtPublicPages, .signedIn) { call in try await toggle(call) }
    }

    /// The page as of `now`, the app's clock (the notices up today, the months of the rates).
    func page(_ request: Request, _ context: AppRequestContext, now: Date) async throws -> Response {
        let page = context.page(request), t = page.t
        let raw = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: "compounds", id: raw) }
        let p = try await service.page(id, now: now)
        func row(_ label: String, _ value: String, id: String? = nil) -> [N] {
            [H.el("dt", [], text: label), H.el("dd", id.map { [("id", $0)] } ?? [], text: value)]
        }
        var content: [N] = [
            H.el("h1", [], text: p.name),
            H.el("p", [("class", "sub")], text: "\(p.street) · \(p.community) · \(p.address)"),
            H.el("p", [("class", "hint")], text: t("public.hint")),
            H.el("dl", [("class", "facts pairs"), ("id", "public-facts")],
                 row(t("public.built"), p.yearBuilt > 0 ? String(p.yearBuilt) : "—") + row(t("public.size"), t("public.sizeValue", p.buildings, p.rooms, FixedPoint2.grouped(p.area)))
                 + row(t("public.mode"), t("enum.management_mode." + p.mode.rawValue))
                 + row(t("public.company"), p.company.map { "\($0.name) · \($0.startsOn) — \($0.endsOn ?? t("public.open")) · \(FixedPoint2.format($0.monthlyFeePerSqm)) \(t("public.feeUnit"))" }
                       ?? t("public.noCompany"), id: "public-company")
                 + row(t("public.committee"), p.committee.map { "\(t("enum.committee_kind." + $0.kind.rawValue)) · \($0.termStart) — \($0.termEnd ?? t("public.open")) · \(t("public.members", $0.members))" }
                       ?? t("public.noCommittee"), id: "public-committee")),
        ]
        content.append(H.el("h2", [], text: t("public.rates")))
        content.append(H.el("div", [("id", "public-rates")], [H.table(
            [t("rank.month"), t("public.requests"), t("rank.response"), t("rank.resolution"), t("rank.satisfaction"), t("public.rank")],
            p.rates.map { r in
                [H.t(r.month), H.t("\(r.requests)"), H.t(r.rates?.response.percentText ?? "—"), H.t(r.rates?.resolution.percentText ?? "—"),
                 H.t(r.rates?.satisfaction.percentText ?? "—"), H.t(r.rank.map { t("public.rankOf", $0, r.of) } ?? t("public.unranked"))]
            }, numericFrom: 1)]))
        content.append(H.el("h2", [], text: t("public.votes")))
        content.append(p.decisions.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "public-votes")], [H.table(
            [t("field.title"), t("public.closedOn"), t("public.participation"), t("public.yes"), t("public.outcome")],
            p.decisions.map { d in
                [H.t(d.title), H.t(d.closedOn),
                 H.t("\(Ratio(d.persons.participating, d.persons.total).percentText) \(t("public.byPersons")) · \(Ratio(d.area.participating, d.area.total).percentText) \(t("public.byArea"))"),
                 H.t("\(Ratio(d.persons.yes, d.persons.participating).percentText) · \(Ratio(d.area.yes, d.area.participating).percentText)"),
                 H.el("span", [("class", "badge status-\(d.passed ? "done" : "closed")")], text: t(d.passed ? "public.passed" : "public.failed"))]
            })]))
        content.append(H.el("h2", [], text: t("public.fund")))
        content.append(H.el("p", [("id", "public-fund")], text: t("public.fundLine", FixedPoint2.grouped(p.fundBalance), FixedPoint2.grouped(p.fundDeposited))))
        if !p.spending.isEmpty {
            content.append(H.el("ul", [("id", "public-spending")], p.spending.map {
                H.el("li", [], text: "\($0.project) · \(FixedPoint2.grouped($0.amount)) \(t("public.yuan")) · \(t("enum.spending_status." + $0.status))")
            }))
        }
        if !p.placings.isEmpty {
            content.append(H.el("h2", [], text: t("public.placings")))
            content.append(H.el("ul", [("id", "public-placings")], p.placings.map { pl in
                H.el("li", [], [H.el("span", [("class", "badge list-\(pl.list.rawValue)")], text: t("assessment.list.\(pl.list.rawValue)")),
                                H.t(" \(pl.period) · \(pl.street) · \(pl.company) · \(pl.score.map(FixedPoint2.format) ?? "—")" + (pl.rank.map { " · \(t("assessment.rank")) \($0)" } ?? ""))])
            }))
        }
        content.append(H.el("h2", [], text: t("public.notices")))
        content.append(p.notices.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ul", [("id", "public-notices")], p.notices.map {
            H.el("li", [], text: "\($0.title) · \(t("notices.author.\($0.author)")) · \($0.validFrom) — \($0.validUntil)")
        }))
        return .html(Layout.render(page, title: p.name, content: content))
    }

    func toggle(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let district = try call.id("districts")
        try await service.setOpen(call.access, district: district, open: form["open"] == "1")
        return .seeOther(to: CoverageWeb.link(.district, district), flash: "flash.saved")
    }
}
