import Domain
import Foundation
import Hummingbird
import SQLKit

/// Consultation pages: `/consultations` (meetings, twelve months held, open action items; residents
/// the published summaries of their compounds), convening one, and one meeting from agenda to summary.
struct ConsultationWeb: Sendable {
    let service: ConsultationService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.consultations, .signedIn) { call in try await list(call) }
        routes.page(.get, SiteURL.newConsultation, .signedIn) { call in try await newForm(call) }
        routes.page(.post, SiteURL.newConsultation, .signedIn) { call in try await convene(call) }
        routes.page(.get, SiteURL.consultation, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.consultation, .signedIn) { call in try await act(call) }
    }

    /// Communities whose meetings the caller convenes.
    func communities(_ actor: Actor) async throws -> [(id: UUID, name: String)] { try await PersonalScope.runCommunities(actor, on: service.db) }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let community = try MenuAPI.optionalId(call, "communityId")
        let meetings = try await service.list(call.access, community: community)
        let communities = try await communities(call.actor)
        var content: [N] = [RegistryPages.heading(t("consultations.title"), subtitle: t("consultations.subtitle"),
                                                  actions: communities.isEmpty ? [] : [RegistryPages.button(SiteURL.newConsultation.link(), t("consultations.convene"))])]
        if !communities.isEmpty {
            let months = try await service.figures(call.access, community: community, street: nil, through: call.access.todayDate.firstOfMonth)
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.consultations.link()), ("class", "filters")], [
                H.el("label", [], [H.t(t("resource.communities") + " "), FormControls.select("communityId", communities.map { ($0.id.text, $0.name) }, selected: community?.text,
                                                                                          blank: t("form.all"))]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]))
            content.append(H.el("h2", [], text: t("consultations.perMonth")))
            content.append(H.el("div", [("id", "consultation-months")], [H.table([t("rank.month"), t("consultations.held"), t("consultations.fiveParty")],
                months.map { [H.t($0.month.monthText), H.t("\($0.held)"), H.t("\($0.fiveParty)")] }, numericFrom: 1)]))
            let items = try await service.openItems(call.access, community: community)
            let today = call.access.todayDate
            content.append(H.el("h2", [], text: t("consultations.openItems", items.count)))
            var byParty: [SeatParty: (open: Int, overdue: Int)] = [:]
            for i in items {
                byParty[i.party, default: (0, 0)].open += 1
                if ConsultationRules.isOverdue(due: i.dueOn, status: i.status, today: today) { byParty[i.party, default: (0, 0)].overdue += 1 }
            }
            content.append(H.el("div", [("id", "items-by-party")], [H.table([t("consultations.party"), t("consultations.open"), t("consultations.overdue")],
                SeatParty.allCases.compactMap { p in byParty[p].map { [H.t(t(p.labelKey)), H.t("\($0.open)"), H.t("\($0.overdue)")] } }, numericFrom: 1)]))
        }
        content.append(H.el("h2", [], text: t("consultations.meetings")))
        content.append(meetings.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "consultation-list")], [H.table(
            [t("disputes.number"), t("resource.communities"), t("consultations.topic"), t("consultations.when"), t("disputes.status")],
            meetings.map { c in
                [H.a(SiteURL.consultation.link(c.id.text), c.number), H.t(c.communityName), H.t(c.title), H.t(Timestamp.local(c.heldAt)),
                 H.el("span", [("class", "badge status-\(c.status.rawValue)")], text: t(c.status.labelKey))]
            })]))
        return .html(Layout.render(page, actor: call.actor, title: t("consultations.title"), crumbs: [Crumb(title: t("consultations.title"), href: nil)], content: content))
    }

    func newForm(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let communities = try await communities(call.actor)
        var community = try MenuAPI.optionalId(call, "communityId")
        if community == nil && communities.count == 1 { community = communities[0].id }
        var content: [N] = [H.el("h1", [], text: t("consultations.convene"))]
        let crumbs = [Crumb(title: t("consultations.title"), href: SiteURL.consultations.link()), Crumb(title: t("consultations.convene"), href: nil)]
        guard let community else {
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.newConsultation.link()), ("class", "record-form")], [
                FormControls.field("communityId", t("resource.communities"), FormControls.select("communityId", communities.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.submit(t("disputes.next")),
            ]))
            return .html(Layout.render(page, actor: call.actor, title: t("consultations.convene"), crumbs: crumbs, content: content))
        }
        guard communities.contains(where: { $0.id == community }) else { throw DomainError.notFound(entity: "communities", id: community.text) }
        let compounds = try await service.db.sql().raw("SELECT id, name FROM compounds WHERE community_id = \(bind: community) ORDER BY name").all()
            .map { (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
        // The company serving the first compound takes the company's seat.
        var company: (UUID, String)?
        if let first = compounds.first, let c = try await ServingCompany.of(first.id, today: call.access.today, on: service.db),
           let name = try await service.db.sql().raw("SELECT name FROM companies WHERE id = \(bind: c)").first()?.decode(column: "name", as: String.self) {
            company = (c, name)
        }
        let defaults: [(SeatParty, String)] = [(.partyCommittee, t("consultations.seat.party_committee")), (.residentsCommittee, t("consultations.seat.residents_committee")),
                                               (.company, company?.1 ?? ""), (.ownersCommittee, t("consultations.seat.owners_committee")),
                                               (.residents, t("consultations.seat.residents")), (.department, ""), (.other, "")]
        let parties = SeatParty.allCases.map { ($0.rawValue, t($0.labelKey)) }
        let tomorrow = Timestamp.today(call.now.addingTimeInterval(86_400)).description
        var fields: [N] = [
            FormControls.csrf(page.csrfToken), FormControls.hidden("communityId", community.text),
            FormControls.field("title", t("consultations.topic"), FormControls.input("title", value: t("consultations.defaultTitle"), required: true, [("maxlength", "200")])),
            FormControls.field("heldAt", t("consultations.when"), FormControls.input("heldAt", type: "datetime-local", value: tomorrow + "T19:00", required: true)),
            FormControls.field("place", t("consultations.place"), FormControls.input("place", value: t("consultations.defaultPlace"), [("maxlength", "200")])),
            H.el("fieldset", [("id", "consultation-compounds")], [H.el("legend", [], text: t("consultations.compounds"))] + compounds.map { c in
                H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "compound-" + c.id.text), ("value", "1"), ("checked", nil)]), H.t(" " + c.name)])
            }),
            H.el("fieldset", [("id", "consultation-seats")], [H.el("legend", [], text: t("consultations.seats"))] + defaults.enumerated().map { i, d in
                H.el("div", [("class", "inline-form")], [
                    H.el("select", [("name", "seatParty\(i)"), ("aria-label", t("consultations.party"))],
                         parties.map { H.el("option", [("value", $0.0)] + ($0.0 == d.0.rawValue ? [("selected", nil)] : []), text: $0.1) }),
                    H.void("input", [("type", "text"), ("name", "seatName\(i)"), ("value", d.1), ("maxlength", "100"), ("placeholder", t("consultations.seatName")),
                                     ("aria-label", t("consultations.seatName"))]),
                ] + (d.0 == .company && company != nil ? [FormControls.hidden("seatCompany\(i)", company!.0.text)] : []))
            }),
            H.el("fieldset", [("id", "consultation-agenda")], [H.el("legend", [], text: t("consultations.agenda"))] + (0..<3).map { i in
                H.void("input", [("type", "text"), ("name", "agenda\(i)"), ("maxlength", "200"), ("placeholder", t("consultations.agendaItem")),
                                 ("aria-label", t("consultations.agendaItem"))])
            } + [H.el("p", [("class", "muted")], text: t("consultations.carryHint"))]),
            FormControls.field("repeatMonthly", t("consultations.repeat"), FormControls.input("repeatMonthly", type: "number", value: "0", [("min", "0"), ("max", "12")])),
            H.el("div", [("class", "form-actions")], [FormControls.submit(t("consultations.convene"))]),
        ]
        fields.insert(H.el("p", [("class", "hint")], text: t("consultations.fiveHint")), at: 1)
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.newConsultation.link()), ("class", "record-form"), ("id", "consultation-form")], fields))
        return .html(Layout.render(page, actor: call.actor, title: t("consultations.convene"), crumbs: crumbs, content: content))
    }

    func convene(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        var seats: [JSONValue] = []
        for i in 0..<10 {
            guard let party = form["seatParty\(i)"], let name = form["seatName\(i)"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
            var o: [String: JSONValue] = ["party": .string(party), "name": .string(name)]
            if party == SeatParty.company.rawValue, let c = form["seatCompany\(i)"], !c.isEmpty { o["companyId"] = .string(c) }
            seats.append(.object(o))
        }
        let agenda: [JSONValue] = (0..<3).compactMap { i in
            guard let text = form["agenda\(i)"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return .object(["kind": .string("text"), "title": .string(text)])
        }
        let compounds = form.fields.filter { $0.key.hasPrefix("compound-") && $0.value == "1" }.keys.sorted().map { JSONValue.string(String($0.dropFirst(9))) }
        let at = form["heldAt"] ?? ""
        let body = try FieldReader.decode(ConveneBody.self, from: [
            "communityId": .string(form["communityId"] ?? ""), "compoundIds": .array(compounds), "title": .string(form["title"] ?? ""),
            "heldAt": .string(at.count == 16 ? at + ":00+08:00" : at), "place": .string(form["place"] ?? ""), "seats": .array(seats), "agenda": .array(agenda),
            "repeatMonthly": Int64(form["repeatMonthly"] ?? "0").map { .int($0) } ?? .string(form["repeatMonthly"] ?? ""),
        ])
        let id = try await service.convene(call.access, body.input)
        return .seeOther(to: SiteURL.consultation.link(id.text), flash: "flash.saved")
    }
}
