import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/visitors`: an owner's or resident's passes and the form for a new one; `/visitors/{id}`: the
/// pass to send — its code in large type and its QR code (drawn here as SVG) — and revoking it.
extension SmartWeb {
    func registerVisitors(on routes: RouteTable) {
        routes.page(.get, SiteURL.visitorsPage, .signedIn) { call in try await visitorsPage(call) }
        routes.page(.post, SiteURL.visitorsPage, .signedIn) { call in try await registerVisitor(call) }
        routes.page(.get, SiteURL.visitorPage, .signedIn) { call in try await visitorPage(call) }
        routes.page(.post, SiteURL.visitorPage, .signedIn) { call in try await visitorAction(call) }
    }

    /// The QR code as SVG: one path of dark modules inside a four-module quiet zone.
    static func qrSVG(_ text: String, label: String) -> N {
        guard let code = QRCode.encode(text) else { return H.t(text) }
        var path = ""
        for (y, row) in code.modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        let side = code.size + 8
        return H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(side) \(side)"), ("class", "qr"), ("id", "pass-qr"), ("role", "img"),
                            ("aria-label", label), ("shape-rendering", "crispEdges")], [
            H.el("rect", [("width", String(side)), ("height", String(side)), ("fill", "#fff")]),
            H.el("path", [("d", path), ("fill", "#000")]),
        ])
    }

    func visitorsPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let rooms = try await service.visitorRooms(call.actor, on: service.db)
        guard !rooms.isEmpty else { throw DomainError.forbidden(reason: "owners and residents register visitors for their homes") }
        let passes = try await service.passes(call.access)
        let today = Timestamp.today(call.now).description
        let content: [N] = [
            H.el("h1", [], text: t("visitor.title")),
            H.el("p", [("class", "hint")], text: t("visitor.subtitle")),
            H.el("form", [("method", "post"), ("action", SiteURL.visitorsPage.link()), ("class", "record-form"), ("id", "visitor-form")], [
                H.el("h2", [], text: t("visitor.new")), FormControls.csrf(page.csrfToken),
                FormControls.field("roomId", t("resource.rooms"), FormControls.select("roomId", rooms.map { ($0.id.text, "\($0.compound) \($0.label)") })),
                FormControls.field("visitorName", t("field.visitorName"), FormControls.input("visitorName", required: true, [("maxlength", "50")])),
                FormControls.field("people", t("field.people"), FormControls.input("people", type: "number", value: "1", required: true, [("min", "1"), ("max", "20")])),
                FormControls.field("plate", t("field.plate"), FormControls.input("plate", [("maxlength", "10"), ("placeholder", "京A12345")]), optional: t("form.optional")),
                FormControls.field("day", t("visitor.day"), FormControls.input("day", type: "date", value: today, required: true)),
                FormControls.field("from", t("menu.from"), FormControls.input("from", type: "time", value: "08:00", required: true)),
                FormControls.field("to", t("menu.to"), FormControls.input("to", type: "time", value: "22:00", required: true)),
                FormControls.submit(t("visitor.register")),
            ]),
            H.el("h2", [], text: t("visitor.mine")),
            passes.isEmpty ? H.el("p", [("class", "empty")], text: t("visitor.none")) : H.el("div", [("id", "my-passes")], [H.table(
                [t("field.visitorName"), t("field.people"), t("visitor.window"), t("visitor.code"), t("alert.status")],
                passes.map { v in
                    [H.a(SiteURL.visitorPage.link(v.id.text), v.visitorName), H.t(String(v.people)), H.t("\(Timestamp.local(v.validFrom)) – \(Timestamp.local(v.validTo).suffix(5))"),
                     H.el("code", [], text: VisitorRules.display(v.code)), H.el("span", [("class", "badge status-\(v.status.rawValue)")], text: t(v.status.labelKey))]
                })]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("visitor.title"), crumbs: [Crumb(title: t("visitor.title"), href: nil)], content: content))
    }

    func registerVisitor(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let day = form["day"] ?? ""
        func at(_ time: String?) -> JSONValue { .string("\(day)T\(time ?? ""):00+08:00") }
        var o: [String: JSONValue] = ["roomId": .string(form["roomId"] ?? ""), "visitorName": .string(form["visitorName"] ?? ""),
                                      "validFrom": at(form["from"]), "validTo": at(form["to"])]
        let people = form["people"] ?? ""
        o["people"] = Int64(people).map { .int($0) } ?? .string(people)
        if let plate = form["plate"], !plate.isEmpty { o["plate"] = .string(plate.uppercased().replacingOccurrences(of: " ", with: "")) }
        let body = try FieldReader.decode(VisitorPassBody.self, from: o)
        let pass = try await service.registerVisitor(call.access, room: body.roomId, body.input)
        return .seeOther(to: SiteURL.visitorPage.link(pass.id.text), flash: "flash.saved")
    }

    func visitorPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let v = try await service.pass(call.access, id: try call.id("visitor-passes"))
        var content: [N] = [
            H.el("h1", [], [H.t(t("visitor.pass") + " "), H.el("span", [("class", "badge status-\(v.status.rawValue)"), ("id", "pass-status")], text: t(v.status.labelKey))]),
            H.el("div", [("class", "pass-card"), ("id", "pass-card")], [
                H.el("p", [("class", "pass-code"), ("id", "pass-code"), ("data-code", v.code)], text: VisitorRules.display(v.code)),
                Self.qrSVG(v.qrText, label: t("visitor.qr")),
                H.el("dl", [("class", "facts pairs")], [
                    H.el("dt", [], text: t("field.visitorName")), H.el("dd", [], text: v.visitorName),
                    H.el("dt", [], text: t("field.people")), H.el("dd", [], text: String(v.people)),
                    H.el("dt", [], text: t("field.plate")), H.el("dd", [], text: v.plate ?? "—"),
                    H.el("dt", [], text: t("resource.compounds")), H.el("dd", [], text: v.compoundName),
                    H.el("dt", [], text: t("visitor.window")), H.el("dd", [("id", "pass-window")], text: "\(Timestamp.local(v.validFrom)) – \(Timestamp.local(v.validTo))"),
                ] + (v.usedAt.map { [H.el("dt", [], text: t("visitor.usedAt")), H.el("dd", [("id", "pass-used")], text: Timestamp.local($0))] } ?? [])),
            ]),
            H.el("p", [("class", "hint")], text: t("visitor.send")),
        ]
        if v.status == .active {
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.visitorPage.link(v.id.text)), ("id", "revoke-pass")], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("do", "revoke"),
                H.el("button", [("type", "submit"), ("class", "danger"), ("data-confirm", t("visitor.revokeConfirm"))], text: t("visitor.revoke")),
            ]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("visitor.pass"),
                                   crumbs: [Crumb(title: t("visitor.title"), href: SiteURL.visitorsPage.link()), Crumb(title: v.visitorName, href: nil)], content: content))
    }

    func visitorAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("visitor-passes")
        guard form["do"] == "revoke" else { throw DomainError.badRequest(message: "unknown action") }
        _ = try await service.revokePass(call.access, id: id)
        return .seeOther(to: SiteURL.visitorPage.link(id.text), flash: "flash.saved")
    }
}
