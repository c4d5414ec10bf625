import Foundation

/// The pieces hand-made forms are built of: a labelled field (with the id `site.js` puts a refused
/// value and its message beside), selects, hidden inputs and the form token.
enum FormControls {
    static func csrf(_ token: String) -> N { H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", token)]) }

    static func hidden(_ name: String, _ value: String) -> N { H.void("input", [("type", "hidden"), ("name", name), ("value", value)]) }

    /// A labelled field: `<div class="field"><label for=f-name>…</label>control</div>`.
    static func field(_ name: String, _ label: String, _ control: N, optional: String? = nil) -> N {
        var text: [N] = [H.t(label)]
        if let optional { text.append(H.el("span", [("class", "optional")], text: " (\(optional))")) }
        return H.el("div", [("class", "field")], [H.el("label", [("for", "f-" + name)], text), control])
    }

    /// `<input id=f-name name=name …>`.
    static func input(_ name: String, type: String = "text", value: String = "", required: Bool = false, _ extra: [(String, String?)] = []) -> N {
        H.void("input", [("type", type), ("id", "f-" + name), ("name", name), ("value", value)] + (required ? [("required", nil)] : []) + extra)
    }

    static func textarea(_ name: String, value: String = "", required: Bool = false, rows: Int = 3, maxLength: Int = 4000) -> N {
        H.el("textarea", [("id", "f-" + name), ("name", name), ("rows", String(rows)), ("maxlength", String(maxLength))] + (required ? [("required", nil)] : []), text: value)
    }

    /// A select of `(value, label)` options, with an empty first choice when `blank` is given.
    static func select(_ name: String, _ options: [(String, String)], selected: String? = nil, blank: String? = nil, multiple: Bool = false) -> N {
        var nodes: [N] = blank.map { [H.el("option", [("value", "")], text: $0)] } ?? []
        nodes += options.map { o in H.el("option", [("value", o.0)] + (o.0 == selected ? [("selected", nil)] : []), text: o.1) }
        return H.el("select", [("id", "f-" + name), ("name", name)] + (multiple ? [("multiple", nil), ("size", "6")] : []), nodes)
    }

    static func submit(_ text: String, primary: Bool = true) -> N {
        H.el("button", [("type", "submit")] + (primary ? [("class", "primary")] : []), text: text)
    }
}
