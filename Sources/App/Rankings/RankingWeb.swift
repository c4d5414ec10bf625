import Domain
import Foundation
import Hummingbird
import SQLKit

/// The monthly ranking's pages: `/rankings` (table and SVG bar chart) and `/rankings.csv` (the
/// same table for spreadsheets). Anyone signed in sees their district's.
struct RankingWeb: Sendable {
    let service: RankingService
    let clock: @Sendable () -> Date

    struct Query: Sendable {
        var district: UUID
        var month: String
        var level: RankingService.Level
        var streetId: UUID?
    }

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.rankingsCSV, .signedIn) { call in
            let (request, context, ctx) = (call.request, call.context, call.access)
            let q = try Self.query(request, ctx)
            let (_, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: ctx.now)
            let csv = RankingService.csv(rows, level: q.level, t: Localizer(language: context.language))
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"ranking-\(q.level.rawValue)-\(q.month).csv\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }
        routes.page(.get, SiteURL.rankings, .signedIn) { call in try await page(call) }
    }

    /// The actor's district; the month defaults to the last complete one, the level to companies.
    static func query(_ request: Request, _ ctx: AccessContext) throws -> Query {
        let p = request.uri.queryParameters
        var errors = FieldErrors()
        guard let district = ctx.actor.grants.compactMap({ $0.role == .districtAdmin ? $0.scopeId : $0.districtId }).first else {
            throw DomainError.forbidden(reason: "rankings belong to a district")
        }
        // A ranking of a month still running changes by the hour: the default is the last one ended.
        let month = p.get("month").flatMap { $0.isEmpty ? nil : $0 } ?? RankOrder.lastCompleteMonth(today: ctx.today)
        if RankingService.bounds(month: month) == nil { errors.add("month", "invalid_format", "YYYY-MM") }
        let level = p.get("level").flatMap { $0.isEmpty ? nil : $0 }.map { RankingService.Level(rawValue: $0) } ?? .company
        if level == nil { errors.add("level", "invalid_choice", RankingService.Level.codes.joined(separator: ", ")) }
        var street: UUID?
        if let s = p.get("streetId"), !s.isEmpty { street = UUID(uuidString: s); if street == nil { errors.add("streetId", "invalid_id", "streetId must be an id") } }
        try errors.throwIfAny()
        return Query(district: district, month: month, level: level!, streetId: street)
    }

    func page(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        var q = try Self.query(request, ctx)
        if request.uri.queryParameters.get("streetId") == nil, let mine = ctx.actor.grants.first(where: { $0.role == .streetStaff })?.scopeId { q.streetId = mine }
        let (settings, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: ctx.now)
        let ranked = rows.filter(\.sampleSufficient), apart = rows.filter { !$0.sampleSufficient }
        let mine = Set(ctx.actor.grants.map(\.scopeId))
        let streets = try await service.database.db.sql().raw("SELECT id, name FROM streets WHERE district_id = \(bind: q.district) ORDER BY name").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
        }
        let scopeName = q.streetId.flatMap { s in streets.first { $0.0 == s }?.1 } ?? t("rank.wholeDistrict")
        let title = "\(t("rank.title")) · \(q.month) · \(scopeName)"
        let filter = "?month=\(q.month)&level=\(q.level.rawValue)" + (q.streetId.map { "&streetId=\($0.uuidString.lowercased())" } ?? "")
        let csvLink = SiteURL.rankingsCSV.link() + filter
        // A district's compounds run to thousands: each table shows 50 at a time (the chart the top 30, the CSV all).
        let p = request.uri.queryParameters
        let rankedPage = RankingPages.Paging(total: ranked.count, page: Int(p.get("page") ?? "") ?? 1, param: "page", link: SiteURL.rankings.link() + filter,
                                             other: p.get("apartPage").map { "&apartPage=\($0)" } ?? "")
        let apartPage = RankingPages.Paging(total: apart.count, page: Int(p.get("apartPage") ?? "") ?? 1, param: "apartPage", link: SiteURL.rankings.link() + filter,
                                            other: p.get("page").map { "&page=\($0)" } ?? "")
        let content: [N] = [
            H.el("h1", [], text: title),
            RankingPages.filterForm(q, streets: streets, t: t),
            H.el("p", [("class", "hint"), ("id", "ranking-month")], text: t("rank.showing", q.month, settings.minimumRated)),
        ] + (rows.isEmpty ? [H.el("p", [("class", "empty")], text: t("rank.empty"))]
            : ranked.isEmpty ? [H.el("p", [("class", "empty"), ("id", "none-ranked")], text: t("rank.noneRanked", settings.minimumRated))]
            : [RankingPages.chart(ranked, t: t), RankingPages.table(rankedPage.slice(ranked), level: q.level, mine: mine, t: t), rankedPage.links(t: t)]
        ) + (apart.isEmpty ? [] : [
            H.el("h2", [("id", "ranking-insufficient")], text: t("rank.insufficientTitle", settings.minimumRated)),
            RankingPages.table(apartPage.slice(apart), level: q.level, mine: mine, t: t), apartPage.links(t: t),
        ]) + [
            H.el("p", [], [H.a(csvLink, t("rank.csv"), [("class", "button"), ("id", "ranking-csv")])]),
            H.el("p", [("class", "hint")], text: t("rank.explain")),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: title, crumbs: [Crumb(title: t("rank.title"), href: nil)], content: content))
    }
}
