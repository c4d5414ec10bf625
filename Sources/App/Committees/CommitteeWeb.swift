import Domain
import Foundation
import Hummingbird
import SQLKit

/// Committee pages: `/committees` (term reminders, life cycles with their deadlines, 物管会s, and
/// the forms that start a cycle or form a 物管会), one cycle's steps (`/committee-cycles/{id}`), and
/// a 物管会's members, meetings and duty work lists (`/management-committees/{id}`).
struct CommitteeWeb: Sendable {
    let service: CommitteeService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.committeesPage, .signedIn) { call in try await list(call) }
        routes.page(.post, SiteURL.committeesPage, .signedIn) { call in try await start(call) }
        routes.page(.get, SiteURL.cyclePage, .signedIn) { call in try await cycle(call) }
        routes.page(.post, SiteURL.cyclePage, .signedIn) { call in try await step(call) }
        routes.page(.get, SiteURL.managementPage, .signedIn) { call in try await management(call) }
        routes.page(.post, SiteURL.managementPage, .signedIn) { call in try await record(call) }
    }

    /// Compounds of the communities the caller runs as staff.
    func compounds(_ ctx: AccessContext) async throws -> [(id: UUID, name: String)] {
        let parts: [SQLQueryString] = ctx.actor.grants.compactMap { g in
            switch g.role {
            case .districtAdmin: "st.district_id = \(bind: g.scopeId)"
            case .streetStaff: "cm.street_id = \(bind: g.scopeId)"
            case .communityStaff: "cm.id = \(bind: g.scopeId)"
            default: nil
            }
        }
        guard !parts.isEmpty else { return [] }
        return try await service.db.sql().raw("""
            SELECT p.id, cm.name || ' · ' || p.name AS name FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE (
            """ + parts.joined(separator: " OR ") + ") ORDER BY st.name, cm.name, p.name LIMIT 1000").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func stageBadge(_ c: CycleRecord, today: CivilDate, t: Localizer) -> N {
        let late = c.preparatoryOverdue(today: today) || c.filingOverdue(today: today)
        return H.group([H.el("span", [("class", "badge status-\(c.stage == .filed ? "done" : c.stage == .abandoned ? "closed" : "open")")], text: t(c.stage.labelKey))]
            + (late ? [H.t(" "), H.el("span", [("class", "badge overdue")], text: t("committees.overdue"))] : []))
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, today = call.access.todayDate
        let cycles = try await service.list(call.access)
        let reminders = try await service.reminders(call.access)
        let managed = try await service.committees(call.access)
        let own = try await compounds(call.access)
        guard !own.isEmpty || call.actor.grants.contains(where: { $0.role == .committeeMember }) else {
            throw DomainError.forbidden(reason: "staff and committees follow committees' life cycles")
        }
        var content: [N] = [RegistryPages.heading(t("committees.title"), subtitle: t("committees.subtitle"), actions: [])]
        content.append(H.el("h2", [], text: t("committees.reminders")))
        let ownIds = Set(own.map(\.id))
        content.append(reminders.isEmpty ? H.el("p", [("class", "empty")], text: t("committees.noReminders")) : H.el("ul", [("id", "term-reminders")], reminders.map { r in
            let line = t("committees.reminderLine", r.compoundName, t(r.kind.labelKey), r.termEnd.description, r.daysLeft)
            let next: [N] = r.renewing ? [H.t(" · " + t("committees.renewing"))]
                : ownIds.contains(r.compoundId) ? [H.t(" · "), H.a(SiteURL.committeesPage.link() + "?compoundId=\(r.compoundId.text)&trigger=term_ending#trigger-form", t("committees.startRenewal"))] : []
            return H.el("li", [("class", r.reminder <= 30 ? "warn" : ""), ("data-compound", r.compoundName)], [H.t(line)] + next)
        }))
        content.append(H.el("h2", [], text: t("committees.cycles")))
        content.append(cycles.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "cycle-list")], [H.table(
            [t("disputes.number"), t("resource.compounds"), t("committees.trigger"), t("committees.triggeredOn"), t("committees.deadline"), t("committees.stage")],
            cycles.map { c in
                [H.a(SiteURL.cyclePage.link(c.id.text), c.number), H.t(c.compoundName), H.t(t(c.trigger.labelKey)), H.t(c.triggeredOn.description),
                 H.t(c.stage == .triggered ? c.preparatoryDeadline.description : c.stage == .elected ? (c.filingDeadline?.description ?? "—") : "—"),
                 Self.stageBadge(c, today: today, t: t)]
            }, rowAttributes: cycles.map { [("data-cycle", $0.compoundName)] })]))
        content.append(H.el("h2", [], text: t("committees.management")))
        content.append(managed.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ul", [("id", "management-list")], managed.map { k in
            H.el("li", [], [H.a(SiteURL.managementPage.link(k.id.text), k.compound), H.t(" · \(k.termStart) — \(k.termEnd ?? "")")])
        }))
        if !own.isEmpty {
            let action = SiteURL.committeesPage.link(), query = call.request.uri.queryParameters
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "trigger-form")], [
                H.el("h3", [], text: t("committees.start")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "trigger"),
                FormControls.field("compoundId", t("resource.compounds"), FormControls.select("compoundId", own.map { ($0.id.text, $0.name) },
                                                                                              selected: query.get("compoundId"), blank: t("form.choose"))),
                FormControls.field("trigger", t("committees.trigger"), FormControls.select("trigger", CycleTrigger.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                                                                         selected: query.get("trigger"))),
                FormControls.field("triggeredOn", t("committees.triggeredOn"), FormControls.input("triggeredOn", type: "date", value: today.description, required: true)),
                FormControls.field("requestPersons", t("field.requestPersons"), FormControls.input("requestPersons", type: "number", [("min", "0")]), optional: t("committees.requestHint")),
                FormControls.submit(t("committees.start")),
            ]))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "management-form")], [
                H.el("h3", [], text: t("committees.formManagement")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "management"),
                H.el("p", [("class", "hint")], text: t("committees.managementHint")),
                FormControls.field("compoundId", t("resource.compounds"), FormControls.select("compoundId", own.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.field("formedOn", t("committees.formedOn"), FormControls.input("formedOn", type: "date", value: today.description, required: true)),
                FormControls.field("termEnd", t("field.termEnd"), FormControls.input("termEnd", type: "date", value: today.adding(days: 3 * 365).description, required: true)),
            ] + (0..<7).map { i in
                H.el("div", [("class", "inline-form")], [
                    H.void("input", [("type", "text"), ("name", "members[\(i)].name"), ("id", "f-members[\(i)].name"), ("maxlength", "100"), ("placeholder", t("field.name")),
                                     ("aria-label", t("field.name"))]),
                    FormControls.select("members[\(i)].seat", ManagementSeat.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                        selected: i == 0 ? "chair" : i == 1 ? "vice_chair" : i < 5 ? "owner_representative" : "other"),
                ])
            } + [FormControls.submit(t("committees.formManagement"), primary: false)]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("committees.title"), crumbs: [Crumb(title: t("committees.title"), href: nil)], content: content))
    }

    func start(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        if form["do"] == "management" {
            var members: [JSONValue] = []
            for i in 0..<7 {
                let name = (form["members[\(i)].name"] ?? "").trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { members.append(.object(["name": .string(name), "seat": .string(form["members[\(i)].seat"] ?? "other")])) }
            }
            let body = try FieldReader.decode(FormManagementBody.self, from: ["compoundId": .string(form["compoundId"] ?? ""), "formedOn": .string(form["formedOn"] ?? ""),
                                                                              "termEnd": .string(form["termEnd"] ?? ""), "members": .array(members)])
            let id = try await service.formManagement(call.access, compound: body.compoundId, formedOn: body.formedOn, termEnd: body.termEnd, members: body.members)
            return .seeOther(to: SiteURL.managementPage.link(id.text), flash: "flash.saved")
        }
        var o: [String: JSONValue] = ["compoundId": .string(form["compoundId"] ?? ""), "trigger": .string(form["trigger"] ?? ""), "triggeredOn": .string(form["triggeredOn"] ?? "")]
        if let n = form["requestPersons"], !n.isEmpty { o["requestPersons"] = Int64(n).map { .int($0) } ?? .string(n) }
        let body = try FieldReader.decode(TriggerBody.self, from: o)
        let id = try await service.trigger(call.access, body.input)
        return .seeOther(to: SiteURL.cyclePage.link(id.text), flash: "flash.saved")
    }
}
