import Domain
import Foundation
import Hummingbird
import SQLKit

/// The paper ballot pages: the organisers' printable register with recording and confirmation,
/// and the owner's dispute of a sheet recorded in their name (shown on the ballot page).
struct DecisionPaperWeb: Sendable {
    let service: DecisionService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.paperRegister, .resource("decisions", .update)) { call in try await registerPage(call) }
        routes.page(.post, SiteURL.paperRegister, .resource("decisions", .update)) { call in try await record(call) }
        routes.page(.post, SiteURL.paperConfirm, .resource("decisions", .update)) { call in
            _ = try await FormInput.read(call.request, call.context)  // the CSRF check
            let id = try call.id("decisions")
            _ = try await service.confirmPaper(call.access, id, number: call.context.parameters.get("number") ?? "")
            return .seeOther(to: SiteURL.paperRegister.link(id.text), flash: "flash.paperConfirmed")
        }
        routes.page(.post, SiteURL.paperDispute, .resource("decisions", .read)) { call in
            let form = try await FormInput.read(call.request, call.context)
            let id = try call.id("decisions")
            let reason = form["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? "the owner did not cast this ballot"
            _ = try await service.disputePaper(call.access, id, number: call.context.parameters.get("number") ?? "", reason: String(reason.prefix(500)))
            return .seeOther(to: SiteURL.decisionBallot.link(id.text), flash: "flash.paperDisputed")
        }
    }

    /// `1号楼 1单元 101` for each room of the compound.
    func roomLabels(compound: UUID) async throws -> [UUID: String] {
        let rows = try await service.database.db.sql().raw("""
            SELECT r.id, b.number AS building, e.number AS entrance, r.number AS room FROM rooms r JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
            """).all()
        return Dictionary(uniqueKeysWithValues: try rows.map {
            (try $0.decode(column: "id", as: UUID.self),
             "\(try $0.decode(column: "building", as: String.self)) \(try $0.decode(column: "entrance", as: String.self)) \(try $0.decode(column: "room", as: String.self))")
        })
    }

    func registerPage(_ call: SignedIn, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let id = try call.id("decisions")
        let d = try await service.get(call.access, id)
        try await service.authorize(call.access, .update, compound: d.compoundId, on: service.database.db)
        let ballots = try await service.paperRegister(call.access, id)
        let labels = try await roomLabels(compound: d.compoundId)
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        var content: [N] = [H.el("h1", [], text: "\(t("paper.title")) · \(d.title)"), H.el("p", [("class", "hint")], text: t("paper.hint"))]
        if !errors.isEmpty {
            content.append(H.el("div", [("class", "errors"), ("role", "alert")], errors.map { e in let m = FormState.message(e, t: t); return H.el("p", [], text: "\(m.label)：\(m.text)") }))
        }
        if VotingWindow.accepts(d.status, now: call.now, opensAt: d.opensAt, closesAt: d.closesAt) {
            let choices: [N] = d.isElection ? d.candidates.map { c in
                H.el("label", [], [H.t(c + " "), H.el("select", [("name", "c:" + c)], Choice.allCases.map { H.el("option", [("value", $0.rawValue)], text: t("enum.choice.\($0.rawValue)")) })])
            } : [H.el("label", [], [H.t(t("paper.choice") + " "),
                                    H.el("select", [("name", "choice"), ("id", "paper-choice")], Choice.allCases.map { H.el("option", [("value", $0.rawValue)], text: t("enum.choice.\($0.rawValue)")) })])]
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.paperRegister.link(id.text)), ("class", "inline-form"), ("id", "paper-record")],
                                [csrf, H.el("h2", [], text: t("paper.record")),
                                 H.el("label", [], [H.t(t("paper.number") + " "), H.void("input", [("name", "number"), ("id", "paper-number"), ("required", nil),
                                                                                                    ("inputmode", "numeric"), ("maxlength", "20")])])]
                                + choices + [H.el("button", [("type", "submit"), ("class", "primary")], text: t("paper.record"))]))
        }
        content.append(H.table([t("paper.number"), t("paper.rooms"), t("paper.status"), t("paper.choice"), t("paper.recordedBy"), t("paper.confirmedBy"), ""],
                               ballots.map { b in
            [H.t(b.number), H.t(b.rooms.compactMap { labels[$0] }.sorted().joined(separator: "、")), H.t(t("enum.paper_ballot_status.\(b.status.rawValue)")),
             H.t(b.choice.map { c in Choice(rawValue: c).map { t("enum.choice.\($0.rawValue)") } ?? c } ?? ""), H.t([b.recordedBy, b.recordedAt.map(Timestamp.local)].compactMap { $0 }.joined(separator: " ")), H.t(b.confirmedBy ?? ""),
             b.status == .recorded ? H.el("form", [("method", "post"), ("action", SiteURL.paperConfirm.link(id.text, b.number))],
                                          [csrf, H.el("button", [("type", "submit"), ("id", "confirm-\(b.number)")], text: t("paper.confirm"))]) : H.t("")]
        }))
        return .html(Layout.render(page, actor: call.actor, title: t("paper.title"),
                                   crumbs: [Crumb(title: d.title, href: SiteURL.decisionPage.link(id.text)), Crumb(title: t("paper.title"), href: nil)],
                                   content: content), status: status)
    }

    /// Records a returned sheet by its number: the voter is the one the number was issued to.
    func record(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("decisions")
        let number = (form["number"] ?? "").trimmingCharacters(in: .whitespaces)
        var choices: [String: Choice] = [:]
        for (k, v) in form.fields where k.hasPrefix("c:") { choices[String(k.dropFirst(2))] = Choice(rawValue: v) }
        let owner = try await service.database.db.sql().raw("""
            SELECT v.owner_ids FROM paper_ballots p JOIN decision_voters v ON v.decision_id = p.decision_id AND v.voter_key = p.voter_key
            WHERE p.decision_id = \(bind: id) AND p.number = \(bind: number)
            """).first()?.decode(column: "owner_ids", as: String.self).split(separator: ",").first.flatMap { UUID(uuidString: String($0)) }
        guard let owner else {
            return try await registerPage(call, errors: [FieldError(field: "number", code: "unknown_number",
                                                                    message: call.context.page(call.request).t("paper.unknownNumber"))],
                                          status: .unprocessableContent)
        }
        do {
            _ = try await service.recordPaper(call.access, id, number: number, owner: owner, choice: Choice(rawValue: form["choice"] ?? ""), choices: choices)
        } catch DomainError.conflict(let code, let message) {
            return try await registerPage(call, errors: [FieldError(field: "number", code: code, message: message)], status: .conflict)
        }
        return .seeOther(to: SiteURL.paperRegister.link(id.text), flash: "flash.paperRecorded")
    }
}
