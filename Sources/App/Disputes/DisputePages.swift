import Domain
import Foundation

/// The dispute pages' chart: received and settled per month as paired columns (SVG).
enum DisputePages {
    static func months(_ rows: [DisputeMonthRow], label: String, received: String, settled: String) -> N {
        let width = 44, height = 120
        let top = max(1, rows.map { max($0.figures.received, $0.figures.settled) }.max() ?? 1)
        var nodes: [N] = []
        for (i, r) in rows.enumerated() {
            let x = i * width + 10
            for (j, (value, cls, name)) in [(r.figures.received, "rank-bar fair", received), (r.figures.settled, "rank-bar good", settled)].enumerated() {
                let h = value * height / top
                nodes.append(H.el("rect", [("x", String(x + j * 16)), ("y", String(height - h + 10)), ("width", "14"), ("height", String(h)), ("class", cls)],
                                  [H.el("title", [], text: "\(r.month.monthText) \(name) \(value)")]))
            }
            nodes.append(H.el("text", [("x", String(x + 15)), ("y", String(height + 26)), ("text-anchor", "middle"), ("class", "bar-label")], text: String(r.month.month)))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(rows.count * width + 20) \(height + 34)"), ("role", "img"),
                         ("aria-label", label), ("id", "dispute-chart")], nodes),
            H.el("figcaption", [], [H.t(label), H.el("span", [("class", "legend fair")], []), H.t(received), H.el("span", [("class", "legend good")], []), H.t(settled)]),
        ])
    }
}
