import Domain
import Foundation

/// The registry pages: the district tree and one page per street, community, compound and building.
enum RegistryPages {
    /// Columns of a children table for rows at `level`.
    static func childTable(_ rows: [LevelRow], level: Level, link: SiteURL?, t: Localizer) -> N {
        guard !rows.isEmpty else { return H.el("p", [("class", "empty")], text: t("list.empty")) }
        var headers = [t("resource.\(level.table)")]
        var below: [Level] = []
        var l = level.child
        while let d = l { below.append(d); l = d.child }
        let shown = below.filter { $0 != .entrance }
        headers += shown.map { t("count.\($0.table)") }
        headers.append(t("count.area"))
        let coverage = level.rawValue <= Level.community.rawValue
        if coverage { headers += [t("rate.service"), t("rate.committee")] }
        let body: [[N]] = rows.map { row in
            var cells: [N] = [link.map { H.a($0.link(row.id.uuidString.lowercased()), row.label) } ?? H.t(row.label)]
            cells += shown.map { H.t(String(row.counts[$0] ?? 0)) }
            cells.append(H.t(FixedPoint2.grouped(row.area)))
            if coverage {
                let compounds = row.counts[.compound] ?? 0
                cells.append(rate(row.served, compounds))
                cells.append(rate(row.withCommittee, compounds))
            }
            return cells
        }
        return H.table(headers, body, numericFrom: 1)
    }

    /// `83.33% (10/12)` with a bar.
    static func rate(_ n: Int64, _ d: Int64) -> N {
        let ratio = Ratio(n, d)
        let width = ratio.basisPoints.map { FixedPoint2.format($0) } ?? "0"
        return H.el("span", [("class", "rate")], [
            H.el("span", [("class", "bar"), ("aria-hidden", "true")], [H.el("span", [("style", "width:\(width)%")])]),
            H.t("\(ratio.percentText) (\(n)/\(d))"),
        ])
    }

    /// Totals above a table: one figure per level below.
    static func summary(_ rows: [LevelRow], level: Level, t: Localizer) -> N {
        var items: [N] = [figure(t("count.\(level.table)"), String(rows.count))]
        var l = level.child
        while let d = l {
            if d != .entrance { items.append(figure(t("count.\(d.table)"), String(rows.reduce(0) { $0 + ($1.counts[d] ?? 0) }))) }
            l = d.child
        }
        items.append(figure(t("count.area"), FixedPoint2.grouped(rows.reduce(0) { $0 + $1.area })))
        if level.rawValue <= Level.compound.rawValue {
            let compounds = level == .compound ? Int64(rows.count) : rows.reduce(0) { $0 + ($1.counts[.compound] ?? 0) }
            items.append(figure(t("rate.service"), Ratio(rows.reduce(0) { $0 + $1.served }, compounds).percentText))
            items.append(figure(t("rate.committee"), Ratio(rows.reduce(0) { $0 + $1.withCommittee }, compounds).percentText))
        }
        return H.el("div", [("class", "figures")], items)
    }

    static func figure(_ label: String, _ value: String) -> N {
        H.el("div", [("class", "figure")], [H.el("div", [("class", "value")], text: value), H.el("div", [("class", "label")], text: label)])
    }

    /// A header with the page title and its actions.
    static func heading(_ title: String, subtitle: String? = nil, actions: [N]) -> N {
        H.el("div", [("class", "heading")], [
            H.el("div", [], [H.el("h1", [], text: title)] + (subtitle.map { [H.el("p", [("class", "sub")], text: $0)] } ?? [])),
            H.el("div", [("class", "actions")], actions),
        ])
    }

    static func button(_ href: String, _ text: String) -> N { H.a(href, text, [("class", "button")]) }

    /// "Add X" pointing at the generic form with the parent preset.
    static func addLink(_ resource: String, parentField: String, parentId: UUID, t: Localizer) -> N {
        button(SiteURL.manageNew.link(resource) + "?\(parentField)=\(parentId.uuidString.lowercased())",
               t("action.add") + t("resource.\(resource)"))
    }

    static func editLink(_ resource: String, _ id: UUID, t: Localizer) -> N {
        button(SiteURL.manageEdit.link(resource, id.uuidString.lowercased()), t("action.edit"))
    }
}
