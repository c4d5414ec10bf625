import Domain
import Foundation

/// The ranking page's parts.
enum RankingPages {
    /// One page of 50 rows of a ranking table, and the links to the others.
    struct Paging {
        static let size = 50
        let total: Int
        let page: Int
        let param: String
        let link: String
        /// The other table's page, kept in the links.
        let other: String

        init(total: Int, page: Int, param: String, link: String, other: String) {
            self.total = total
            self.page = min(max(1, page), max(1, (total + Self.size - 1) / Self.size))
            self.param = param
            self.link = link
            self.other = other
        }

        func slice<T>(_ rows: [T]) -> [T] { Array(rows.dropFirst((page - 1) * Self.size).prefix(Self.size)) }

        func links(t: Localizer) -> N {
            let pages = (total + Self.size - 1) / Self.size
            guard pages > 1 else { return H.group([]) }
            var nodes: [N] = []
            if page > 1 { nodes.append(H.a(link + other + "&\(param)=\(page - 1)", t("list.previous"), [("class", "button"), ("rel", "prev")])) }
            nodes.append(H.el("span", [("class", "muted")], text: t("rank.pageOf", page, pages, total)))
            if page < pages { nodes.append(H.a(link + other + "&\(param)=\(page + 1)", t("list.next"), [("class", "button"), ("rel", "next"), ("id", "\(param)-next")])) }
            return H.el("div", [("class", "actions pager")], nodes)
        }
    }

    static func filterForm(_ q: RankingWeb.Query, streets: [(UUID, String)], t: Localizer) -> N {
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
            bars.append(H.el("text", [("x", String(labelWidth - 6)), ("y", String(y + 15)), ("text-anchor", "end"), ("class", "bar-label")], text: "\(r.rank ?? i + 1). \(label)"))
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

    /// `mine`: the caller's own units, highlighted.
    static func table(_ rows: [RankingService.Row], level: RankingService.Level, mine: Set<UUID> = [], t: Localizer) -> N {
        var headers = [t("rank.rank"), t("rank.name"), t("rank.requests"), t("rank.response"), t("rank.resolution"), t("rank.satisfaction"), t("rank.composite"), t("rank.overdue")]
        if level == .department { headers.append(t("rank.reportsOnTime")) }
        let id = rows.first?.sampleSufficient == false ? "ranking-table-insufficient" : "ranking-table"
        return H.el("div", [("id", id)], [H.table(headers, rows.map { r in
            let name: N = mine.contains(r.id) ? H.el("mark", [("class", "mine"), ("title", t("rank.mine"))], text: r.name) : H.t(r.name)
            var cells: [N] = [H.t(r.rank.map(String.init) ?? t("rank.insufficient")), name, H.t("\(r.requests)"), H.t(r.rates.response.percentText), H.t(r.rates.resolution.percentText),
                              H.t(r.rates.satisfaction.percentText), H.el("strong", [], text: r.composite.map { FixedPoint2.format($0) } ?? "—"), H.t("\(r.overdue)")]
            if level == .department { cells.append(H.t(r.reportsOnTime?.percentText ?? "—")) }
            return cells
        }, numericFrom: 2)])
    }
}
