import Domain
import Foundation
import Hummingbird

/// A 物管会's page: members by seat, meetings with their quorum and decisions, the duty work
/// lists, and the forms to record a meeting and a duty.
extension CommitteeWeb {
    func management(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, today = call.access.todayDate
        let id = try call.id("management-committees")
        let k = try await service.committee(call.access, id, on: service.db)
        guard k.kind == .managementCommittee else { throw DomainError.notFound(entity: "management-committees", id: id.text) }
        let meetings = try await service.meetings(id), duties = try await service.duties(id)
        let p = CommitteeService.Place(district: k.districtId, street: k.streetId, community: k.communityId, compound: k.compoundId)
        let writes = CommitteeService.isStaffOver(call.actor, p) || call.actor.grants.contains { $0.role == .committeeMember && $0.scopeId == k.compoundId }
        let action = SiteURL.managementPage.link(id.text)
        var content: [N] = [
            H.el("h1", [], text: t("committees.managementOf", k.compoundName)),
            H.el("p", [("class", "muted")], text: "\(k.termStart) — \(k.termEnd?.description ?? "")"),
            H.el("h2", [], text: t("committees.members")),
            H.el("ul", [("id", "management-members")], k.members.map { H.el("li", [], text: t(CommitteeView.seat($0.role).labelKey) + "：" + $0.name) }),
            H.el("h2", [], text: t("committees.meetings")),
        ]
        content.append(meetings.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "meetings")], meetings.map { m in
            H.el("div", [("class", "card meeting"), ("data-held", m.heldOn.description)], [
                H.el("h3", [], [H.t("\(m.heldOn) \(m.subject) "), H.el("span", [("class", m.quorate ? "badge status-done" : "badge overdue")],
                                                                        text: t(m.quorate ? "committees.quorate" : "committees.notQuorate"))]),
                H.el("p", [("class", "muted")], text: t("committees.attendance", m.present, m.members, m.ownerRepsPresent, m.ownerReps)
                     + " · " + t(m.calledBy == "members" ? "committees.calledByMembers" : "committees.calledByChair", m.requests)
                     + " · " + t("committees.postedOn", m.postedOn.description) + (m.postedLate ? " · " + t("committees.postedLate") : "")),
                H.el("p", [("class", "prewrap")], text: m.minutes),
                H.el("ol", [], m.decisions.map { d in
                    H.el("li", [], text: d.text + " · " + t("committees.signatures", d.signatures, m.members) + " · " + t(d.passed ? "committees.passed" : "committees.notPassed"))
                }),
            ] + (m.noticeId.map { [H.a(SiteURL.notice.link($0.text), t("committees.minutesNotice"))] } ?? []))
        }))
        content.append(H.el("h2", [], text: t("committees.duties")))
        content.append(duties.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "duties")], [H.table(
            [t("field.on"), t("field.kind"), t("field.note"), t("committees.recordedBy")],
            duties.map { [H.t($0.on.description), H.t(t($0.kind.labelKey)), H.t($0.note), H.t($0.recordedBy)] })]))
        if writes {
            let members = k.members
            let present: [N] = [H.el("legend", [], text: t("committees.present"))] + members.map { (m: CommitteeView.Member) -> N in
                let box: [(String, String?)] = [("type", "checkbox"), ("name", "present-" + m.id.text), ("value", "1")]
                return H.el("label", [("class", "check")], [H.void("input", box), H.t(" \(t(CommitteeView.seat(m.role).labelKey))：\(m.name)")])
            }
            let head: [N] = [
                H.el("h3", [], text: t("committees.recordMeeting")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "meeting"),
                H.el("p", [("class", "hint")], text: t("committees.quorumHint")),
                FormControls.field("heldOn", t("committees.heldOn"), FormControls.input("heldOn", type: "date", value: today.description, required: true)),
                FormControls.field("calledBy", t("committees.calledBy"), FormControls.select("calledBy", [("chair", t("committees.byChair")), ("members", t("committees.byMembers"))])),
                FormControls.field("requests", t("committees.requests"), FormControls.input("requests", type: "number", value: "0", [("min", "0")])),
                H.el("fieldset", [("id", "f-present")], present),
                FormControls.field("subject", t("committees.subject"), FormControls.input("subject", required: true, [("maxlength", "200")])),
                FormControls.field("minutes", t("field.minutes"), FormControls.textarea("minutes", required: true, rows: 4, maxLength: 20_000)),
            ]
            let decisions: [N] = (0..<2).map { (i: Int) -> N in Self.decisionRow(i, members: members, t: t) }
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "meeting-form")],
                                head + decisions + [FormControls.submit(t("committees.recordMeeting"))]))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "duty-form")], [
                H.el("h3", [], text: t("committees.addDuty")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "duty"),
                FormControls.field("kind", t("field.kind"), FormControls.select("kind", ManagementDuty.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("on", t("field.on"), FormControls.input("on", type: "date", value: today.description, required: true)),
                FormControls.field("note", t("field.note"), FormControls.textarea("note", required: true, rows: 2, maxLength: 2_000)),
                FormControls.submit(t("committees.addDuty"), primary: false),
            ]))
        }
        let crumbs = [Crumb(title: t("committees.title"), href: SiteURL.committeesPage.link()), Crumb(title: k.compoundName, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: t("committees.managementOf", k.compoundName), crumbs: crumbs, content: content))
    }

    /// A decision row of the meeting form: its text and who signed it.
    static func decisionRow(_ i: Int, members: [CommitteeView.Member], t: Localizer) -> N {
        let text: [(String, String?)] = [("type", "text"), ("name", "decisions[\(i)].text"), ("id", "f-decisions[\(i)].text"), ("maxlength", "500"),
                                         ("aria-label", t("committees.decisionN", i + 1))]
        let signs: [N] = members.map { (m: CommitteeView.Member) -> N in
            let box: [(String, String?)] = [("type", "checkbox"), ("name", "sign\(i)-" + m.id.text), ("value", "1")]
            return H.el("label", [("class", "check")], [H.void("input", box), H.t(" " + m.name)])
        }
        return H.el("fieldset", [("class", "management-decision")], [H.el("legend", [], text: t("committees.decisionN", i + 1)), H.void("input", text)] + signs)
    }

    func record(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("management-committees")
        if form["do"] == "duty" {
            let body = try FieldReader.decode(DutyBody.self, from: ["kind": .string(form["kind"] ?? ""), "on": .string(form["on"] ?? ""), "note": .string(form["note"] ?? "")])
            _ = try await service.duty(call.access, committee: id, kind: body.kind, on: body.on, note: body.note)
        } else {
            func ids(_ prefix: String) -> [JSONValue] {
                form.fields.filter { $0.key.hasPrefix(prefix) && $0.value == "1" }.keys.sorted().map { .string(String($0.dropFirst(prefix.count))) }
            }
            var decisions: [JSONValue] = []
            for i in 0..<2 {
                let text = (form["decisions[\(i)].text"] ?? "").trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { decisions.append(.object(["text": .string(text), "signatures": .array(ids("sign\(i)-"))])) }
            }
            let body = try FieldReader.decode(MeetingBody.self, from: [
                "heldOn": .string(form["heldOn"] ?? ""), "calledBy": .string(form["calledBy"] ?? "chair"), "requests": .int(Int64(form["requests"] ?? "") ?? 0),
                "present": .array(ids("present-")), "subject": .string(form["subject"] ?? ""), "minutes": .string(form["minutes"] ?? ""), "decisions": .array(decisions)])
            _ = try await service.meeting(call.access, committee: id, body.input)
        }
        return .seeOther(to: SiteURL.managementPage.link(id.text), flash: "flash.saved")
    }
}
