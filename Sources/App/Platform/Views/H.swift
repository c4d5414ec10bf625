import Plot

/// A node of page content.
typealias N = Node<HTML.BodyContext>

/// Small, explicit HTML building on Plot's generic elements. Every text and attribute value is
/// escaped here, once, so no page can forget to.
enum H {
    static func el(_ tag: String, _ attributes: [(String, String?)] = [], _ children: [N] = []) -> N {
        .element(named: tag, nodes: attributes.map(attribute) + children)
    }

    static func el(_ tag: String, _ attributes: [(String, String?)] = [], text: String) -> N {
        el(tag, attributes, [t(text)])
    }

    /// A void element such as `input` or `meta`. An attribute without a value is a boolean one
    /// (`required`, `checked`, `selected`) and is written bare.
    static func void(_ tag: String, _ attributes: [(String, String?)]) -> N {
        .selfClosedElement(named: tag, attributes: attributes.map { name, value in
            Attribute<HTML.BodyContext>(name: name, value: value.map(escape), ignoreIfValueIsEmpty: false)
        })
    }

    /// Escaped text.
    static func t(_ text: String) -> N { .raw(escape(text)) }

    static func a(_ href: String, _ text: String, _ attributes: [(String, String?)] = []) -> N {
        el("a", [("href", href)] + attributes, text: text)
    }

    static func group(_ nodes: [N]) -> N { .group(nodes) }

    static func attribute(_ pair: (String, String?)) -> N {
        guard let value = pair.1 else { return .attribute(named: pair.0) }
        return .attribute(Attribute(name: pair.0, value: escape(value), ignoreIfValueIsEmpty: false))
    }

    /// `&`, `<`, `>`, `"` and `'` as entities.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A table with a header row; each row is a list of cells. Each cell carries its column's
    /// heading, so that on a phone the stylesheet shows every row as a card of labelled lines
    /// instead of a table wider than the screen.
    /// A table that becomes cards on a phone; `rowAttributes` (one list per row) marks rows, e.g. the caller's own.
    static func table(_ headers: [String], _ rows: [[N]], numericFrom: Int = Int.max, rowAttributes: [[(String, String?)]]? = nil) -> N {
        el("div", [("class", "table-wrap")], [
            el("table", [("class", "cards")], [
                el("thead", [], [el("tr", [], headers.enumerated().map { i, h in el("th", i >= numericFrom ? [("class", "num")] : [], text: h) })]),
                el("tbody", [], rows.enumerated().map { r, cells in
                    el("tr", rowAttributes.map { r < $0.count ? $0[r] : [] } ?? [], cells.enumerated().map { i, c in
                        el("td", (i >= numericFrom ? [("class", "num")] : []) + [("data-label", i < headers.count ? headers[i] : "")], [c])
                    })
                }),
            ]),
        ])
    }
}
