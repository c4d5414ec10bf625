import Domain
import Foundation
import Hummingbird
import SQLKit

/// The monthly ranking: `/api/v1/rankings` (JSON), `/rankings` (table and SVG bar chart),
/// `/rankings.csv` (the same table for spreadsheets). Anyone signed in sees their district's.
struct RankingController: Sendable {
    let service: RankingService
    let clock: @Sendable () -> Date

    struct Query: Sendable {
        var district: UUID
        var month: String
        var level: RankingService.Level
        var streetId: UUID?
    }

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.apiRankings, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let q = try query(request, ctx)
            let (settings, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: ctx.now)
            return .json(.object(["month": .string(q.month), "level": .string(q.level.rawValue), "streetId": q.streetId.map { .string($0.uuidString.lowercased()) } ?? .null,
                                  "weights": .object(["response": .int(settings.weights.response), "resolution": .int(settings.weights.resolution),
                                                       "satisfaction": .int(settings.weights.satisfaction)]), "items": .array(rows.enumerated().map { $1.json(rank: $0 + 1) })]))
        }
        routes.add(.get, SiteURL.rankingsCSV, .signedIn) { request, context in
            let ctx = try context.access("web", now: clock())
            let q = try query(request, ctx)
            let (_, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: ctx.now)
            let csv = RankingService.csv(rows, level: q.level, t: Localizer(language: context.language))
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"ranking-\(q.level.rawValue)-\(q.month).csv\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }
        routes.add(.get, SiteURL.rankings, .signedIn) { request, context in try await page(request, context) }
    }

    /// The actor's district; the month defaults to this one, the level to companies.
    func query(_ request: Request, _ ctx: AccessContext) throws -> Query {
        let p = request.uri.queryParameters
        var errors = FieldErrors()
        guard let district = ctx.actor.grants.compactMap({ $0.role == .districtAdmin ? $0.scopeId : $0.districtId }).first else {
            throw DomainError.forbidden(reason: "rankings belong to a district")
        }
        let month = p.get("month").flatMap { $0.isEmpty ? nil : $0 } ?? String(ctx.today.prefix(7))
        if RankingService.bounds(month: month) == nil { errors.add("month", "invalid_format", "YYYY-MM") }
        let level = p.get("level").flatMap { $0.isEmpty ? nil : $0 }.map { RankingService.Level(rawValue: $0) } ?? .company
        if level == nil { errors.add("level", "invalid_choice", RankingService.Level.codes.joined(separator: ", ")) }
        var street: UUID?
        if let s = p.get("streetId"), !s.isEmpty { street = UUID(uuidString: s); if street == nil { errors.add("streetId", "invalid_id", "streetId must be an id") } }
        try errors.throwIfAny()
        return Query(district: district, month: month, level: level!, streetId: street)
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let page = context.page(request), t = page.t
        var q = try query(request, ctx)
        if request.uri.queryParameters.get("streetId") == nil, let mine = ctx.actor.grants.first(where: { $0.role == .streetStaff })?.scopeId { q.streetId = mine }
        let (_, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: ctx.now)
        let streets = try await service.database.db.sql().raw("SELECT id, name FROM streets WHERE district_id = \(bind: q.district) ORDER BY name").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
        }
        let scopeName = q.streetId.flatMap { s in streets.first { $0.0 == s }?.1 } ?? t("rank.wholeDistrict")
        let title = "\(t("rank.title")) · \(q.month) · \(scopeName)"
        let csvLink = SiteURL.rankingsCSV.link() + "?month=\(q.month)&level=\(q.level.rawValue)" + (q.streetId.map { "&streetId=\($0.uuidString.lowercased())" } ?? "")
        let content: [N] = [
            H.el("h1", [], text: title),
            RankingPages.filterForm(q, streets: streets, t: t),
            rows.isEmpty ? H.el("p", [("class", "empty")], text: t("rank.empty")) : RankingPages.chart(rows, t: t),
            RankingPages.table(rows, level: q.level, t: t),
            H.el("p", [], [H.a(csvLink, t("rank.csv"), [("class", "button"), ("id", "ranking-csv")])]),
            H.el("p", [("class", "hint")], text: t("rank.explain")),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: title, crumbs: [Crumb(title: t("rank.title"), href: nil)], content: content))
    }
}

/// The ranking page's parts.
enum RankingPages {
    static func filterForm(_ q: RankingController.Query, streets: [(UUID, String)], t: Localizer) -> N {
        H.el("form", [("method", "get"), ("action", SiteURL.rankings.link()), ("class", "filters")], [
            H.el("label", [], [H.t(t("rank.month")), H.void("input", [("type", "month"), ("name", "month"), ("value", q.month), ("id", "month")])]),
            H.el("label", [], [H.t(t("rank.level")), H.el("select", [("name", "level"), ("id", "level")], RankingService.Level.allCases.map { l in
                H.el("option", [("value", l.rawValue)] + (l == q.level ? [("selected", nil)] : []), text: t("rank.level.\(l.rawValue)"))
            })]),
            H.el("label", [], [H.t(t("rank.street")), H.el("select", [("name", "streetId"), ("id", "street")],
                [H.el("option", [("value", "")] + (q.streetId == nil ? [("selected", nil)] : []), text: t("rank.wholeDistrict"))] + streets.map { s in
                    H.el("option", [("value", s.0.uuidString.lowercased())] + (s.0 == q.streetId ? [("selected", nil)] : []), text: s.1)
                })]),
            H.el("button", [("type", "submit")], text: t("rank.show")),
        ])
    }

    /// Horizontal bars of the composite (0–100), at most the top 30, drawn as SVG.
    static func chart(_ rows: [RankingService.Row], t: Localizer) -> N {
        let shown = Array(rows.prefix(30))
        let rowHeight = 22, labelWidth = 220, barWidth = 360
        let height = shown.count * rowHeight + 10
        var bars: [N] = []
        for (i, r) in shown.enumerated() {
            let y = i * rowHeight + 5
            let value = r.composite ?? 0
            let w = Int(value) * barWidth / 10_000
            let label = r.name.count > 14 ? String(r.name.prefix(13)) + "…" : r.name
            bars.append(H.el("text", [("x", String(labelWidth - 6)), ("y", String(y + 15)), ("text-anchor", "end"), ("class", "bar-label")], text: "\(i + 1). \(label)"))
            bars.append(H.el("rect", [("x", String(labelWidth)), ("y", String(y + 3)), ("width", String(max(1, w))), ("height", "15"),
                                      ("class", value >= 9000 ? "rank-bar good" : value >= 7000 ? "rank-bar fair" : "rank-bar poor")], [H.el("title", [], text: "\(r.name) \(FixedPoint2.format(value))")]))
            bars.append(H.el("text", [("x", String(labelWidth + w + 4)), ("y", String(y + 15)), ("class", "bar-value")], text: r.composite.map { FixedPoint2.format($0) } ?? "—"))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(labelWidth + barWidth + 60) \(height)"), ("role", "img"),
                         ("aria-label", t("rank.chart")), ("id", "ranking-chart")], bars),
            H.el("figcaption", [], text: t("rank.chart")),
        ])
    }

    static func table(_ rows: [RankingService.Row], level: RankingService.Level, t: Localizer) -> N {
        var headers = [t("rank.rank"), t("rank.name"), t("rank.requests"), t("rank.response"), t("rank.resolution"), t("rank.satisfaction"), t("rank.composite"), t("rank.overdue")]
        if level == .department { headers.append(t("rank.reportsOnTime")) }
        return H.el("div", [("id", "ranking-table")], [H.table(headers, rows.enumerated().map { i, r in
            var cells: [N] = [H.t("\(i + 1)"), H.t(r.name), H.t("\(r.requests)"), H.t(r.rates.response.percentText), H.t(r.rates.resolution.percentText),
                              H.t(r.rates.satisfaction.percentText), H.el("strong", [], text: r.composite.map { FixedPoint2.format($0) } ?? "—"), H.t("\(r.overdue)")]
            if level == .department { cells.append(H.t(r.reportsOnTime?.percentText ?? "—")) }
            return cells
        }, numericFrom: 2)])
    }
}
