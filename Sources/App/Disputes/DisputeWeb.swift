import Domain
import Foundation
import Hummingbird
import SQLKit

/// The dispute pages: the branch's list (`/disputes`) with ages and states, reporting one (fresh
/// or from a request), one dispute with its mediation, and the community's figures with charts and CSV.
struct DisputeWeb: Sendable {
    let service: DisputeService
    let consultations: ConsultationService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.disputes, .signedIn) { call in try await list(call) }
        routes.page(.get, SiteURL.newDispute, .signedIn) { call in try await newForm(call) }
        routes.page(.post, SiteURL.newDispute, .signedIn) { call in try await report(call) }
        routes.page(.get, SiteURL.dispute, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.dispute, .signedIn) { call in try await act(call) }
        routes.page(.get, SiteURL.disputeFigures, .signedIn) { call in try await figures(call) }
        routes.page(.post, SiteURL.disputeFigures, .signedIn) { call in try await addActivity(call) }
        routes.page(.get, SiteURL.disputeFiguresCSV, .signedIn) { call in try await figuresCSV(call) }
    }

    /// Communities the caller runs the list of (staff of a community, a street, a district).
    func communities(_ actor: Actor) async throws -> [(id: UUID, name: String)] { try await PersonalScope.runCommunities(actor, on: service.db) }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let q = try DisputeAPI.ListQuery(call)
        let rows = try await service.list(call.access, communityId: q.community, streetId: q.street, status: q.status, open: q.open)
        let communities = try await communities(call.actor)
        let today = call.access.todayDate
        let open = rows.filter { !$0.status.isClosed }
        var content: [N] = [
            RegistryPages.heading(t("disputes.title"), subtitle: t("disputes.subtitle"), actions: [
                RegistryPages.button(SiteURL.newDispute.link(), t("disputes.report")),
            ] + (communities.isEmpty ? [] : [RegistryPages.button(SiteURL.disputeFigures.link(), t("disputes.figures"))])),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("disputes.open"), String(open.count)),
                RegistryPages.figure(t("disputes.over30"), String(open.filter { $0.age(today: today) > 30 }.count)),
                RegistryPages.figure(t("disputes.closed"), String(rows.count - open.count)),
            ]),
        ]
        if !communities.isEmpty {
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.disputes.link()), ("class", "filters")], [
                H.el("label", [], [H.t(t("resource.communities") + " "), FormControls.select("communityId", communities.map { ($0.id.text, $0.name) },
                                                                                          selected: q.community?.text, blank: t("rank.wholeDistrict"))]),
                H.el("label", [], [H.t(t("disputes.status") + " "), FormControls.select("status", DisputeStatus.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                                                                     selected: q.status?.rawValue, blank: t("form.all"))]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]))
        }
        content.append(rows.isEmpty ? H.el("p", [("class", "empty")], text: t("disputes.none")) : H.el("div", [("id", "dispute-list")], [H.table(
            [t("disputes.number"), t("resource.communities"), t("resource.compounds"), t("disputes.kind"), t("disputes.titleField"), t("disputes.status"),
             t("disputes.received"), t("disputes.age")],
            rows.map { d in
                [H.a(SiteURL.dispute.link(d.id.text), d.number), H.t(d.communityName), H.t(d.compoundName), H.t(t(d.kind.labelKey)), H.t(d.title),
                 H.el("span", [("class", "badge status-\(d.status.rawValue)")], text: t(d.status.labelKey)), H.t(d.receivedOn.description),
                 H.t(t("fees.days", d.age(today: today)))]
            }, numericFrom: 7, rowAttributes: rows.map { [("class", !$0.status.isClosed && $0.age(today: today) > 30 ? "overdue" : "")] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("disputes.title"), crumbs: [Crumb(title: t("disputes.title"), href: nil)], content: content))
    }

    /// Compounds the caller may put disputes on the list for.
    func compounds(_ ctx: AccessContext) async throws -> [(id: UUID, name: String)] {
        let visible = ctx.scope.visible(ctx.actor, service.store.access.chain(service.store.catalog["compounds"]!))
        return try await service.db.sql().raw("SELECT t0.id, t1.name || ' · ' || t0.name AS name FROM compounds t0 JOIN communities t1 ON t1.id = t0.community_id"
                                              + " JOIN streets t2 ON t2.id = t1.street_id JOIN districts t3 ON t3.id = t2.district_id WHERE " + visible
                                              + " ORDER BY t1.name, t0.name LIMIT 3000").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    func newForm(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let requestId = call.query.get("requestId").flatMap(UUID.init(uuidString:))
        var request: RequestRecord?
        if let requestId {
            request = try await service.requests.get(call.access, requestId).0
            // A request already on the register leads to its dispute.
            if let existing = try await service.db.sql().raw("SELECT id FROM disputes WHERE request_id = \(bind: requestId)").first()?.decode(column: "id", as: UUID.self),
               (try? await service.get(call.access, existing)) != nil {
                return .seeOther(to: SiteURL.dispute.link(existing.text))
            }
        }
        var compoundId = call.query.get("compoundId").flatMap(UUID.init(uuidString:)) ?? request?.compoundId
        let compounds = try await compounds(call.access)
        if compoundId == nil, compounds.count == 1 { compoundId = compounds[0].id }
        // Only a compound the caller sees: its rooms are listed below.
        if let c = compoundId, !compounds.contains(where: { $0.id == c }) { throw DomainError.notFound(entity: "compounds", id: c.text) }
        var content: [N] = [H.el("h1", [], text: request.map { t("disputes.fromRequest", $0.number) } ?? t("disputes.report")),
                            H.el("p", [("class", "hint")], text: t("disputes.reportHint"))]
        guard let compoundId else {
            // First the compound: its rooms and company fill the form.
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.newDispute.link()), ("class", "record-form"), ("id", "dispute-compound")], [
                FormControls.field("compoundId", t("resource.compounds"), FormControls.select("compoundId", compounds.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.submit(t("disputes.next")),
            ]))
            return .html(Layout.render(page, actor: call.actor, title: t("disputes.report"), crumbs: [Crumb(title: t("disputes.title"), href: SiteURL.disputes.link())], content: content))
        }
        let rooms = try await service.db.sql().raw("""
            SELECT r.id, bd.number AS building, e.number || ' ' || r.number AS label FROM rooms r JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings bd ON bd.id = e.building_id WHERE bd.compound_id = \(bind: compoundId) ORDER BY bd.number, e.number, r.number
            """).all().map { (id: try $0.decode(column: "id", as: UUID.self), building: try $0.decode(column: "building", as: String.self), label: try $0.decode(column: "label", as: String.self)) }
        let buildings = Dictionary(grouping: rooms, by: \.building).sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
        let partyKinds = DisputePartyKind.allCases.map { ($0.rawValue, t($0.labelKey)) }
        var fields: [N] = [
            FormControls.csrf(page.csrfToken), FormControls.hidden("compoundId", compoundId.text),
            FormControls.field("kind", t("disputes.kind"), FormControls.select("kind", DisputeKind.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: nil, blank: t("form.choose"))),
            FormControls.field("source", t("disputes.source"), FormControls.select("source", DisputeSource.allCases.filter { $0 != .request }.map { ($0.rawValue, t($0.labelKey)) },
                                                                                     selected: request == nil ? DisputeSource.partyMember.rawValue : nil)),
            FormControls.field("title", t("disputes.titleField"), FormControls.input("title", value: request.map { t($0.category.labelKey) } ?? "", required: true, [("maxlength", "200")])),
            FormControls.field("description", t("disputes.description"), FormControls.textarea("description", value: request?.description ?? "", rows: 4)),
            FormControls.field("receivedOn", t("disputes.received"), FormControls.input("receivedOn", type: "date", value: call.access.today), optional: t("form.optional")),
        ]
        if let requestId { fields.append(FormControls.hidden("requestId", requestId.text)) }
        fields.append(H.el("fieldset", [("id", "dispute-rooms")], [H.el("legend", [], text: t("disputes.rooms"))] + buildings.map { b in
            H.el("details", [], [H.el("summary", [], text: b.key)] + b.value.map { r in
                H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "room-" + r.id.text), ("value", "1")]
                                                            + (r.id == request?.roomId ? [("checked", nil)] : [])), H.t(" " + r.label)])
            })
        }))
        fields.append(H.el("fieldset", [("id", "dispute-parties")], [H.el("legend", [], text: t("disputes.parties"))] + (0..<3).map { i in
            H.el("div", [("class", "inline-form")], [
                H.el("select", [("name", "partyKind\(i)"), ("aria-label", t("disputes.partyKind"))], [H.el("option", [("value", "")], text: "—")]
                     + partyKinds.map { H.el("option", [("value", $0.0)], text: $0.1) }),
                H.void("input", [("type", "text"), ("name", "partyName\(i)"), ("maxlength", "100"), ("placeholder", t("disputes.partyName")), ("aria-label", t("disputes.partyName"))]),
            ])
        } + [H.el("p", [("class", "muted")], text: t("disputes.companyHint"))]))
        fields.append(H.el("div", [("class", "form-actions")], [FormControls.submit(t("disputes.report"))]))
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.newDispute.link()), ("class", "record-form"), ("id", "dispute-form")], fields))
        return .html(Layout.render(page, actor: call.actor, title: t("disputes.report"), crumbs: [Crumb(title: t("disputes.title"), href: SiteURL.disputes.link()),
                                                                                                 Crumb(title: t("disputes.report"), href: nil)], content: content))
    }

    func report(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = UUID(uuidString: form["compoundId"] ?? "")
        var parties: [JSONValue] = []
        for i in 0..<3 {
            guard let kind = form["partyKind\(i)"], !kind.isEmpty else { continue }
            var o: [String: JSONValue] = ["kind": .string(kind), "name": .string(form["partyName\(i)"] ?? "")]
            if kind == DisputePartyKind.company.rawValue, let c = compound { o["companyId"] = try await ServingCompany.of(c, today: call.access.today, on: service.db).map { .string($0.text) } ?? .null }
            parties.append(.object(o))
        }
        let rooms = form.fields.filter { $0.key.hasPrefix("room-") && $0.value == "1" }.keys.map { JSONValue.string(String($0.dropFirst(5))) }.sorted { "\($0)" < "\($1)" }
        var o: [String: JSONValue] = ["kind": .string(form["kind"] ?? ""), "title": .string(form["title"] ?? ""), "description": .string(form["description"] ?? ""),
                                      "roomIds": .array(rooms), "parties": .array(parties), "compoundId": compound.map { .string($0.text) } ?? .null]
        if let s = form["source"], !s.isEmpty { o["source"] = .string(s) }
        if let d = form["receivedOn"], !d.isEmpty { o["receivedOn"] = .string(d) }
        var input = try FieldReader.decode(ReportDisputeBody.self, from: o).dispute
        input.requestId = UUID(uuidString: form["requestId"] ?? "")
        let id = try await service.report(call.access, input)
        return .seeOther(to: SiteURL.dispute.link(id.text), flash: "flash.saved")
    }
}
