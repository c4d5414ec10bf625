import Domain
import Foundation
import Hummingbird
import SQLKit

/// One life cycle: its steps with their dates and deadlines, and the form for the next step.
extension CommitteeWeb {
    func cycle(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, today = call.access.todayDate
        let c = try await service.get(call.access, try call.id("committee-cycles"))
        let p = CommitteeService.Place(district: c.districtId, street: c.streetId, community: c.communityId, compound: c.compoundId)
        let street = CommitteeService.isStreetOver(call.actor, p), staff = CommitteeService.isStaffOver(call.actor, p)
        let action = SiteURL.cyclePage.link(c.id.text)
        func row(_ label: String, _ value: String, late: Bool = false) -> [N] {
            [H.el("dt", [], text: label), H.el("dd", late ? [("class", "overdue")] : [], text: value + (late ? " · " + t("committees.overdue") : ""))]
        }
        var facts = row(t("committees.trigger"), t(c.trigger.labelKey) + (c.requestPersons.map { " · " + t("committees.requestCount", $0) } ?? ""))
            + row(t("committees.triggeredOn"), c.triggeredOn.description)
        if c.trigger != .termEnding {
            facts += row(t("committees.groupBy"), c.groupFormedOn.map { $0.description + (c.leader.map { " · " + t("committees.leader") + "：" + $0 } ?? "") }
                            ?? t("committees.dueBy", c.preparatoryDeadline.description), late: c.preparatoryOverdue(today: today))
        }
        if let posted = c.groupPostedOn, let formed = c.groupFormedOn {
            facts += row(t("committees.posted"), posted.description, late: posted > CommitteeRules.postingDeadline(formedOn: formed))
        }
        if let d = c.decisionId { facts += [H.el("dt", [], text: t("committees.election")), H.el("dd", [], [H.a(SiteURL.decisionPage.link(d.text), t("committees.electionLink"))])] }
        if let elected = c.electedOn { facts += row(t("committees.electedOn"), elected.description) }
        if c.electedOn != nil {
            facts += row(t("committees.filedOn"), c.filedOn?.description ?? t("committees.dueBy", c.filingDeadline?.description ?? ""), late: c.filingOverdue(today: today))
        }
        if let reason = c.abandonedReason { facts += row(t("committees.abandoned"), reason) }
        var content: [N] = [
            H.el("h1", [], [H.t("\(c.number) \(c.compoundName) "), Self.stageBadge(c, today: today, t: t)]),
            Self.steps(c, t: t),
            H.el("dl", [("class", "facts pairs"), ("id", "cycle-facts")], facts),
        ]
        if let committee = c.committeeId, let k = try? await service.committee(call.access, committee, on: service.db) {
            content.append(H.el("h2", [], text: t("committees.electedMembers") + " · " + k.termStart.description + " — " + (k.termEnd?.description ?? "")))
            content.append(H.el("ul", [("id", "elected-members")], k.members.map { H.el("li", [], text: t("enum.committee_role." + $0.role.rawValue) + "：" + $0.name) }))
        }
        if street && c.stage == .triggered && c.trigger != .termEnding {
            let head: [N] = [
                H.el("h3", [], text: t("committees.formGroup")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "group"),
                H.el("p", [("class", "hint")], text: t("committees.groupHint")),
                FormControls.field("formedOn", t("committees.formedOn"), FormControls.input("formedOn", type: "date", value: today.description, required: true)),
                H.el("div", [("id", "f-members")], []), H.el("div", [("id", "f-leader")], []),
            ]
            let rows: [N] = (0..<9).map { (i: Int) -> N in Self.groupRow(i, t: t) }
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "group-form")],
                                head + rows + [FormControls.submit(t("committees.formGroup"))]))
        }
        if staff && (c.stage == .preparing || (c.stage == .triggered && c.trigger == .termEnding)) {
            let decisions = try await service.db.sql().raw("""
                SELECT id, title FROM decisions WHERE compound_id = \(bind: c.compoundId) AND matter = 'elect_committee' ORDER BY created_at DESC LIMIT 50
                """).all().map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "title", as: String.self)) }
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "election-form")], [
                H.el("h3", [], text: t("committees.election")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "election"),
                H.el("p", [("class", "hint")], [H.t(t("committees.electionHint") + " "),
                                                H.a(SiteURL.compoundDecisions.link(c.compoundId.text), t("committees.newElection"))]),
                FormControls.field("decisionId", t("committees.electionDecision"), FormControls.select("decisionId", decisions, blank: t("form.choose"))),
                FormControls.submit(t("committees.linkElection")),
            ]))
        }
        if street && c.stage == .elected {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "filing-form")], [
                H.el("h3", [], text: t("committees.file")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "filing"),
                FormControls.field("filedOn", t("committees.filedOn"), FormControls.input("filedOn", type: "date", value: today.description, required: true)),
                FormControls.submit(t("committees.file")),
            ]))
        }
        if street && [.triggered, .preparing, .electing].contains(c.stage) {
            content.append(H.el("details", [], [H.el("summary", [], text: t("committees.abandon")),
                H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "abandon-form")], [
                    FormControls.csrf(page.csrfToken), FormControls.hidden("do", "abandon"),
                    FormControls.field("reason", t("field.reason"), FormControls.textarea("reason", required: true, rows: 2, maxLength: 1_000)),
                    FormControls.submit(t("committees.abandon"), primary: false),
                ])]))
        }
        let crumbs = [Crumb(title: t("committees.title"), href: SiteURL.committeesPage.link()), Crumb(title: c.number, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: c.number, crumbs: crumbs, content: content))
    }

    /// The five steps, those passed marked done and the current one highlighted (none once given up).
    static func steps(_ c: CycleRecord, t: Localizer) -> N {
        let order: [CycleStage] = [.triggered, .preparing, .electing, .elected, .filed]
        let at = order.firstIndex(of: c.stage)
        return H.el("ol", [("class", "steps"), ("id", "cycle-steps")], order.enumerated().map { i, s in
            H.el("li", at == i ? [("class", "current"), ("aria-current", "step")] : (at.map { i < $0 } ?? false) ? [("class", "done")] : [], text: t(s.labelKey))
        })
    }

    /// A member row of the preparatory group's form: name, owner or not, leader.
    static func groupRow(_ i: Int, t: Localizer) -> N {
        let owner: [(String, String?)] = [("type", "checkbox"), ("name", "members[\(i)].owner"), ("value", "1")] + (i < 7 ? [("checked", nil)] : [])
        let leader: [(String, String?)] = [("type", "radio"), ("name", "leader"), ("value", String(i))] + (i == 0 ? [("checked", nil)] : [])
        let name: [(String, String?)] = [("type", "text"), ("name", "members[\(i)].name"), ("id", "f-members[\(i)].name"), ("maxlength", "100"),
                                         ("placeholder", t("field.name")), ("aria-label", t("field.name"))]
        return H.el("div", [("class", "inline-form group-member")], [
            H.void("input", name),
            H.el("label", [("class", "check")], [H.void("input", owner), H.t(" " + t("committees.isOwner"))]),
            H.el("label", [("class", "check")], [H.void("input", leader), H.t(" " + t("committees.leader"))]),
        ])
    }

    func step(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("committee-cycles")
        switch form["do"] {
        case "group":
            var members: [JSONValue] = []
            var leader: Int?
            for i in 0..<9 {
                let name = (form["members[\(i)].name"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { continue }
                if form["leader"] == String(i) { leader = members.count }
                members.append(.object(["name": .string(name), "owner": .bool(form["members[\(i)].owner"] == "1")]))
            }
            let body = try FieldReader.decode(GroupBody.self, from: ["members": .array(members), "leader": .int(Int64(leader ?? 99)), "formedOn": .string(form["formedOn"] ?? "")])
            _ = try await service.formGroup(call.access, id, members: body.members, leader: leader, formedOn: body.formedOn)
        case "election":
            let body = try FieldReader.decode(ElectionBody.self, from: ["decisionId": .string(form["decisionId"] ?? "")])
            _ = try await service.linkElection(call.access, id, decision: body.decisionId)
        case "filing":
            let body = try FieldReader.decode(FilingBody.self, from: ["filedOn": .string(form["filedOn"] ?? "")])
            _ = try await service.file(call.access, id, on: body.filedOn)
        default:
            let body = try FieldReader.decode(AbandonBody.self, from: ["reason": .string(form["reason"] ?? "")])
            _ = try await service.abandon(call.access, id, reason: body.reason)
        }
        return .seeOther(to: SiteURL.cyclePage.link(id.text), flash: "flash.saved")
    }
}
