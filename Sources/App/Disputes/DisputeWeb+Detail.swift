import Domain
import Foundation
import Hummingbird
import SQLKit

/// One dispute: its facts, parties and rooms, mediators, history, and the forms its standing allows.
extension DisputeWeb {
    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let view = try await service.get(call.access, try call.id("disputes"))
        let d = view.record
        let today = call.access.todayDate
        let action = SiteURL.dispute.link(d.id.text)
        var content: [N] = [
            H.el("h1", [], [H.t("\(d.number) \(d.title) "), H.el("span", [("class", "badge status-\(d.status.rawValue)"), ("id", "dispute-status")], text: t(d.status.labelKey))]),
            H.el("p", [], text: d.description),
            H.el("dl", [("class", "facts pairs")], [
                H.el("dt", [], text: t("resource.compounds")), H.el("dd", [], text: "\(d.communityName) · \(d.compoundName)"),
                H.el("dt", [], text: t("disputes.kind")), H.el("dd", [], text: t(d.kind.labelKey)),
                H.el("dt", [], text: t("disputes.source")), H.el("dd", [], text: t(d.source.labelKey)),
                H.el("dt", [], text: t("disputes.received")), H.el("dd", [], text: "\(d.receivedOn) · \(d.reportedBy)"),
                H.el("dt", [], text: t("disputes.age")), H.el("dd", [("id", "dispute-age")], text: t("fees.days", d.age(today: today))),
                H.el("dt", [], text: t("disputes.rooms")), H.el("dd", [], text: view.rooms.isEmpty ? "—" : view.rooms.map(\.label).joined(separator: "、")),
                H.el("dt", [], text: t("disputes.parties")),
                H.el("dd", [], text: view.parties.isEmpty ? "—" : view.parties.map { "\(t($0.kind.labelKey))：\($0.name)" }.joined(separator: "；")),
                H.el("dt", [], text: t("disputes.mediators")),
                H.el("dd", [("id", "dispute-mediators")], text: view.mediators.isEmpty ? "—" : view.mediators.map { "\($0.name)（\(t($0.kind.labelKey))）" }.joined(separator: "、")),
            ]),
        ]
        if let r = d.requestId { content.append(H.el("p", [], [H.a(SiteURL.requestPage.link(r.text), t("whistle.fromRequest"), [("class", "button")])])) }
        if let plan = d.plan { content += [H.el("h2", [], text: t("disputes.plan")), H.el("p", [("id", "dispute-plan")], text: plan)] }
        if let outcome = d.outcome {
            content.append(H.el("p", [("class", "notice"), ("id", "dispute-outcome")],
                                text: "\(t(outcome.labelKey)) · \(d.outcomeOn?.description ?? "")" + (d.outcomeNote.flatMap { $0.isEmpty ? nil : "：" + $0 } ?? "")))
        }
        content.append(H.el("h2", [], text: t("disputes.history")))
        content.append(view.events.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ol", [("class", "timeline"), ("id", "dispute-history")], view.events.map { e in
            var head = "\(e.on) · \(t(e.kind.labelKey))"
            if let k = e.mediatorKind { head += " · \(t(k.labelKey))" + (e.mediatorName.map { " \($0)" } ?? "") }
            if let c = e.companyName { head += " · \(c)" }
            var note = e.note
            if e.kind == .outcome, let code = note.split(separator: " ").first, let o = DisputeOutcome(rawValue: String(code)) {
                note = t(o.labelKey) + note.dropFirst(code.count)
            }
            return H.el("li", [], [H.el("strong", [], text: head), H.t(" · \(e.actor)"), H.el("p", [], text: note)])
        }))
        content += try await forms(view, action: action, page: page, today: call.access.today)
        return .html(Layout.render(page, actor: call.actor, title: d.number, crumbs: [Crumb(title: t("disputes.title"), href: SiteURL.disputes.link()),
                                                                                      Crumb(title: d.number, href: nil)], content: content))
    }

    /// The forms the caller's standing allows on the dispute now.
    func forms(_ view: DisputeView, action: String, page: PageContext, today day: String) async throws -> [N] {
        let t = page.t, d = view.record, s = view.standing
        var out: [N] = []
        func form(_ id: String, _ act: String, _ title: String, _ fields: [N], button: String) -> N {
            H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", id)],
                 [H.el("h3", [], text: title), FormControls.csrf(page.csrfToken), FormControls.hidden("do", act)] + fields + [FormControls.submit(button)])
        }
        let today = FormControls.input("on", type: "date", value: day)
        if !d.status.isClosed && s.mediates {
            out.append(form("session-form", "session", t("disputes.addSession"), [
                FormControls.field("on", t("disputes.on"), today),
                FormControls.field("mediatorKind", t("disputes.mediatorKind"), FormControls.select("mediatorKind", MediatorKind.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("mediatorName", t("disputes.mediatorName"), FormControls.input("mediatorName", [("maxlength", "100")]), optional: t("form.optional")),
                FormControls.field("note", t("disputes.sessionNote"), FormControls.textarea("note", required: true)),
            ], button: t("disputes.addSession")))
            out.append(form("plan-form", "plan", t("disputes.plan"), [FormControls.field("note", t("disputes.plan"), FormControls.textarea("note", value: d.plan ?? "", required: true, rows: 4))],
                            button: t("action.save")))
            out.append(form("outcome-form", "outcome", t("disputes.close"), [
                FormControls.field("outcome", t("disputes.outcome"), FormControls.select("outcome", DisputeOutcome.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("on", t("disputes.on"), today),
                FormControls.field("note", t("disputes.outcomeNote"), FormControls.textarea("note"), optional: t("form.optional")),
            ], button: t("disputes.close")))
        }
        if s.mediates {
            out.append(form("note-form", "note", t("disputes.addNote"), [FormControls.field("note", t("disputes.note"), FormControls.textarea("note", required: true))],
                            button: t("disputes.addNote")))
        }
        if s.runs && !d.status.isClosed {
            let mediators = try await service.mediators(street: d.streetId)
            out.append(form("mediator-form", "assign", t("disputes.assign"), [
                FormControls.field("userId", t("disputes.mediator"), FormControls.select("userId", mediators.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.field("kind", t("disputes.mediatorKind"), FormControls.select("kind", MediatorKind.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                                                                         selected: MediatorKind.judge.rawValue)),
            ], button: t("disputes.assign")))
        }
        if s.runs {
            // Onto the agenda of one of the community's coming meetings, in one step.
            let meetings = try await service.db.sql().raw("""
                SELECT id, number, title, held_at FROM consultations WHERE community_id = \(bind: d.communityId) AND status = 'scheduled' ORDER BY held_at LIMIT 12
                """).all().map { (try $0.decode(column: "id", as: UUID.self).text,
                                  "\(try $0.decode(column: "number", as: String.self)) \(Timestamp.local(try $0.decode(column: "held_at", as: Date.self))) \(try $0.decode(column: "title", as: String.self))") }
            out.append(meetings.isEmpty ? H.el("p", [("class", "muted"), ("id", "no-meeting")], text: t("consultations.noMeeting"))
                : form("agenda-form", "agenda", t("consultations.toAgenda"), [FormControls.field("consultationId", t("field.consultationId"), FormControls.select("consultationId", meetings))],
                       button: t("consultations.toAgenda")))
            var companies = view.parties.compactMap { p in p.companyId.map { ($0.text, p.name) } }
            if let c = try await ServingCompany.of(d.compoundId, today: day, on: service.db), !companies.contains(where: { $0.0 == c.text }),
               let name = try await service.db.sql().raw("SELECT name FROM companies WHERE id = \(bind: c)").first()?.decode(column: "name", as: String.self) {
                companies.append((c.text, name))
            }
            if !companies.isEmpty {
                out.append(form("improvement-form", "improvement", t("disputes.addImprovement"), [
                    FormControls.field("companyId", t("fees.company"), FormControls.select("companyId", companies)),
                    FormControls.field("on", t("disputes.on"), today),
                    FormControls.field("note", t("disputes.improvement"), FormControls.textarea("note", required: true)),
                ], button: t("disputes.addImprovement")))
            }
        }
        return out
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("disputes")
        if form["do"] == "agenda" {
            let body = try FieldReader.decode(ToAgendaBody.self, from: ["consultationId": .string(form["consultationId"] ?? "")])
            let title = try await consultations.disputeTitle(call.access, id)
            _ = try await consultations.addAgenda(call.access, consultation: body.consultationId, .init(kind: .dispute, title: title, refId: id))
            return .seeOther(to: SiteURL.consultation.link(body.consultationId.text), flash: "flash.saved")
        }
        if form["do"] == "assign" {
            let body = try FieldReader.decode(AssignMediatorBody.self, from: ["userId": .string(form["userId"] ?? ""), "kind": .string(form["kind"] ?? "")])
            _ = try await service.assign(call.access, dispute: id, user: body.userId, kind: body.kind)
            return .seeOther(to: SiteURL.dispute.link(id.text), flash: "flash.saved")
        }
        var o: [String: JSONValue] = ["kind": .string(form["do"] ?? ""), "note": .string(form["note"] ?? "")]
        for key in ["on", "mediatorKind", "mediatorName", "outcome", "companyId"] {
            if let v = form[key], !v.isEmpty { o[key] = .string(v) }
        }
        let body = try FieldReader.decode(DisputeEventBody.self, from: o)
        _ = try await service.record(call.access, dispute: id, body.event)
        return .seeOther(to: SiteURL.dispute.link(id.text), flash: "flash.saved")
    }
}
