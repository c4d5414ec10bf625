import Domain
import Foundation

/// The reception form: where and who, then a few rows of requests.
enum ReceptionPages {
    static func form(_ places: [(community: (UUID, String), compounds: [(UUID, String)])], csrf: String, today: String, rows: Int, t: Localizer) -> N {
        func field(_ label: String, _ control: N) -> N { H.el("div", [("class", "field")], [H.el("label", [], [H.t(label), control])]) }
        var nodes: [N] = [
            H.el("h2", [], text: t("reception.new")),
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
            field(t("reception.community"), H.el("select", [("name", "communityId"), ("id", "communityId")], places.map { H.el("option", [("value", $0.community.0.uuidString.lowercased())], text: $0.community.1) })),
            field(t("reception.kind"), H.el("select", [("name", "kind")], ReceptionService.Kind.allCases.map { H.el("option", [("value", $0.rawValue)], text: t("enum.reception_kind.\($0.rawValue)")) })),
            field(t("reception.heldOn"), H.void("input", [("type", "date"), ("name", "heldOn"), ("value", today), ("required", nil)])),
            field(t("reception.place"), H.void("input", [("type", "text"), ("name", "place"), ("required", nil), ("id", "place")])),
            field(t("reception.attendees"), H.void("input", [("type", "text"), ("name", "attendees"), ("required", nil), ("id", "attendees"), ("placeholder", t("reception.attendeesHint"))])),
            H.el("h3", [], text: t("reception.requestsFound")),
        ]
        let compounds = places.flatMap { p in p.compounds.map { ($0.0, "\(p.community.1) · \($0.1)") } }
        for i in 0..<rows {
            nodes.append(H.el("fieldset", [("class", "reception-row")], [
                H.el("legend", [], text: "\(i + 1)"),
                field(t("request.compound"), H.el("select", [("name", "r\(i).compoundId")], compounds.map { H.el("option", [("value", $0.0.uuidString.lowercased())], text: $0.1) })),
                field(t("request.category"), H.el("select", [("name", "r\(i).category")], RequestCategory.allCases.map { H.el("option", [("value", $0.rawValue)], text: t($0.labelKey)) })),
                field(t("request.description"), H.el("textarea", [("name", "r\(i).description"), ("rows", "2"), ("id", "r\(i)-description")], text: "")),
                field(t("request.reporterName"), H.void("input", [("type", "text"), ("name", "r\(i).reporterName")])),
                field(t("request.reporterPhone"), H.void("input", [("type", "tel"), ("name", "r\(i).reporterPhone")])),
            ]))
        }
        nodes.append(H.el("button", [("type", "submit"), ("class", "primary"), ("id", "save-reception")], text: t("reception.save")))
        return H.el("form", [("method", "post"), ("action", SiteURL.receptions.link()), ("class", "record-form")], nodes)
    }
}
