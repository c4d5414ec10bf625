import Domain
import Foundation

/// The fee pages' charts: rates as horizontal bars, and a compound's months as columns (SVG).
enum FeePages {
    /// Horizontal bars of rates (0–100%), as SVG.
    static func bars(_ items: [(String, Ratio)], label: String, id: String) -> N {
        let rowHeight = 22, labelWidth = 200, barWidth = 360
        var nodes: [N] = []
        for (i, (name, rate)) in items.enumerated() {
            let y = i * rowHeight + 5
            let bp = Int(rate.basisPoints ?? 0)
            let w = bp * barWidth / 10_000
            let short = name.count > 12 ? String(name.prefix(11)) + "…" : name
            nodes.append(H.el("text", [("x", String(labelWidth - 6)), ("y", String(y + 15)), ("text-anchor", "end"), ("class", "bar-label")], text: short))
            nodes.append(H.el("rect", [("x", String(labelWidth)), ("y", String(y + 3)), ("width", String(max(1, w))), ("height", "15"),
                                       ("class", bp >= 9000 ? "rank-bar good" : bp >= 7000 ? "rank-bar fair" : "rank-bar poor")], [H.el("title", [], text: "\(name) \(rate.percentText)")]))
            nodes.append(H.el("text", [("x", String(labelWidth + w + 4)), ("y", String(y + 15)), ("class", "bar-value")], text: rate.percentText))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(labelWidth + barWidth + 70) \(items.count * rowHeight + 10)"), ("role", "img"),
                         ("aria-label", label), ("id", id)], nodes),
            H.el("figcaption", [], text: label),
        ])
    }

    /// Twelve months of a compound's rate as a line of columns.
    static func trend(_ months: [(month: CivilDate, rate: CollectionRate)], label: String) -> N {
        let width = 40, height = 120
        var nodes: [N] = []
        for (i, m) in months.enumerated() {
            let bp = Int(m.rate.byAmount.basisPoints ?? 0)
            let h = bp * height / 10_000
            let x = i * width + 10
            nodes.append(H.el("rect", [("x", String(x)), ("y", String(height - h + 10)), ("width", String(width - 10)), ("height", String(max(h, m.rate.billed > 0 ? 1 : 0))),
                                       ("class", bp >= 9000 ? "rank-bar good" : bp >= 7000 ? "rank-bar fair" : "rank-bar poor")],
                              [H.el("title", [], text: "\(m.month.description.prefix(7)) \(m.rate.billed > 0 ? m.rate.byAmount.percentText : "—")")]))
            nodes.append(H.el("text", [("x", String(x + (width - 10) / 2)), ("y", String(height + 26)), ("text-anchor", "middle"), ("class", "bar-label")],
                              text: String(m.month.month)))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(months.count * width + 20) \(height + 34)"), ("role", "img"),
                         ("aria-label", label), ("id", "collection-trend")], nodes),
            H.el("figcaption", [], text: label),
        ])
    }

}
