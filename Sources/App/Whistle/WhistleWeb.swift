import Domain
import Foundation
import Hummingbird
import SQLKit

/// Whistle-case pages: the list with the street's form to open one (fresh or from a request),
/// and one case with its summoned parties, their reports and commitments, the log and closing.
struct WhistleWeb: Sendable {
    let service: WhistleService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.whistleCases, .signedIn) { call in try await list(call, errors: [], status: .ok) }
        routes.page(.post, SiteURL.whistleCases, .signedIn) { call in try await open(call) }
        routes.page(.get, SiteURL.whistleCasePage, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.whistleCasePage, .signedIn) { call in try await act(call) }
    }

    func list(_ call: SignedIn, errors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let cases = try await service.list(ctx, status: nil, streetId: nil)
        var content: [N] = [H.el("h1", [], text: t("whistle.title")), WhistlePages.list(cases, t: t)]
        if let street = ctx.actor.grants.first(where: { $0.role == .streetStaff || $0.role == .districtAdmin }) {
            let district = street.role == .districtAdmin ? street.scopeId : street.districtId ?? UUID.random()
            let sql = service.database.db.sql()
            let departments = try await sql.raw("SELECT id, name FROM departments WHERE district_id = \(bind: district) ORDER BY name").all()
                .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
            let compoundQuery: SQLQueryString = street.role == .streetStaff
                ? "SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id WHERE m.street_id = \(bind: street.scopeId) ORDER BY p.name"
                : "SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id WHERE s.district_id = \(bind: district) ORDER BY p.name LIMIT 3000"
            let compounds = try await sql.raw(compoundQuery).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
            let requestId = request.uri.queryParameters.get("requestId").flatMap(UUID.init(uuidString:))
            // Opened from a request: the matter, its description and a report-by two days on, ready to change.
            var prefill: WhistlePages.Prefill?
            if let requestId, let (r, _) = try? await service.requests.get(ctx, requestId) {
                let compound = compounds.first { $0.0 == r.compoundId }?.1 ?? ""
                prefill = WhistlePages.Prefill(title: [compound, t(r.category.labelKey)].filter { !$0.isEmpty }.joined(separator: " · "),
                                               description: "\(r.number)：\(r.description)",
                                               reportBy: Timestamp.local(ctx.now.addingTimeInterval(48 * 3600)).replacingOccurrences(of: " ", with: "T"))
            }
            content.append(WhistlePages.openForm(departments: departments, compounds: compounds, requestId: requestId, prefill: prefill, csrf: page.csrfToken,
                                                 errors: errors, t: t))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: t("whistle.title"), crumbs: [Crumb(title: t("whistle.title"), href: nil)], content: content), status: status)
    }

    func open(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let reportBy = form["reportBy"].flatMap(Timestamp.parse)
        var parties: [WhistleService.PartyInput] = []
        let picked = (form.fields.filter { $0.key.hasPrefix("dept-") && $0.value == "1" }).keys.compactMap { UUID(uuidString: String($0.dropFirst(5))) }
        for d in picked.sorted(by: { $0.uuidString < $1.uuidString }) { parties.append(.init(kind: .department, departmentId: d, reportBy: reportBy ?? ctx.now)) }
        if form["summonCompany"] == "1" { parties.append(.init(kind: .company, reportBy: reportBy ?? ctx.now)) }
        if let dev = form["developer"]?.trimmingCharacters(in: .whitespaces), !dev.isEmpty { parties.append(.init(kind: .developer, name: dev, reportBy: reportBy ?? ctx.now)) }
        if form["summonCommittee"] == "1" { parties.append(.init(kind: .committee, reportBy: reportBy ?? ctx.now)) }
        let requestId = UUID(uuidString: form["requestId"] ?? "")
        let compound = UUID(uuidString: form["compoundId"] ?? "")
        do {
            if reportBy == nil { throw DomainError.invalid([FieldError(field: "reportBy", code: "invalid_time", message: "YYYY-MM-DD HH:MM")]) }
            let input = WhistleService.NewCase(streetId: nil, compoundId: compound, requestId: requestId, title: (form["title"] ?? "").trimmingCharacters(in: .whitespaces),
                                               description: form["description"] ?? "", parties: try await serving(parties, compound: requestId == nil ? compound : nil, request: requestId))
            let id = try await service.open(ctx, input)
            return .seeOther(to: SiteURL.whistleCasePage.link(id.uuidString.lowercased()), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            return try await list(call, errors: fields, status: .unprocessableContent)
        }
    }

    /// Fills in the company serving the compound today for a summoned `company` party (none serving
    /// leaves it empty, and opening the case then reports the missing company).
    func serving(_ parties: [WhistleService.PartyInput], compound: UUID?, request: UUID?) async throws -> [WhistleService.PartyInput] {
        let sql = service.database.db.sql()
        var compoundId = compound
        if let r = request { compoundId = try await sql.raw("SELECT compound_id FROM requests WHERE id = \(bind: r)").first()?.decode(column: "compound_id", as: UUID.self) }
        return try await parties.asyncMap { p in
            guard p.kind == .company else { return p }
            var q = p
            if let c = compoundId {
                let today = Timestamp.today(clock()).description
                q.companyId = try await ServingCompany.of(c, today: today, on: service.database.db)
            }
            return q
        }
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let view = try await service.get(ctx, try WhistleAPI.id(context))
        let c = view.record
        var content: [N] = [
            H.el("h1", [], [H.t("\(c.number) \(c.title) "), H.el("span", [("class", "badge status-\(c.status.rawValue)"), ("id", "case-status")], text: t(c.status.labelKey))]),
            H.el("p", [], text: c.description),
            H.el("dl", [("class", "facts pairs")], [
                H.el("dt", [], text: t("resource.streets")), H.el("dd", [], text: c.streetName),
                H.el("dt", [], text: t("resource.compounds")), H.el("dd", [], text: c.compoundName ?? "—"),
                H.el("dt", [], text: t("whistle.openedAt")), H.el("dd", [], text: "\(Timestamp.local(c.openedAt)) · \(c.openedBy)"),
            ]),
        ]
        if let r = c.requestId { content.append(H.el("p", [], [H.a(SiteURL.requestPage.link(r.uuidString.lowercased()), t("whistle.fromRequest"), [("class", "button")])])) }
        content.append(WhistlePages.parties(view, now: ctx.now, csrf: page.csrfToken, t: t))
        content.append(H.el("h2", [], text: t("whistle.log")))
        content.append(H.el("ol", [("class", "timeline"), ("id", "case-log")], view.log.map { l in
            H.el("li", [], [H.el("time", [], text: Timestamp.local(l.at)), H.t(" · \(l.actor)"), H.el("p", [], text: TimelineText.whistleLog(l.note, t: t))])
        }))
        if c.status == .open && (view.standing.runs || !view.standing.partyIds.isEmpty) {
            content.append(WhistlePages.simpleForm(c.id, action: "log", field: "note", label: t("whistle.addLog"), button: t("whistle.addLog"), csrf: page.csrfToken))
        }
        if c.status == .open && view.standing.runs {
            content.append(WhistlePages.simpleForm(c.id, action: "close", field: "note", label: t("whistle.closeNote"), button: t("whistle.close"), csrf: page.csrfToken))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: c.number, crumbs: [Crumb(title: t("whistle.title"), href: SiteURL.whistleCases.link()),
                                                                                     Crumb(title: c.number, href: nil)], content: content))
    }

    func act(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let id = try WhistleAPI.id(context)
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch form["do"] {
        case "log":
            guard !note.isEmpty else { throw DomainError.invalid([FieldError(field: "note", code: "required", message: "note")]) }
            try await service.addLog(ctx, case: id, note: note)
        case "close":
            guard !note.isEmpty else { throw DomainError.invalid([FieldError(field: "note", code: "required", message: "note")]) }
            try await service.close(ctx, case: id, note: note)
        case "report":
            var o: [String: JSONValue] = ["partyId": .string(form["partyId"] ?? ""), "response": .string(form["response"] ?? "")]
            if let task = form["task"]?.trimmingCharacters(in: .whitespaces), !task.isEmpty {
                o["commitments"] = .array([.object(["task": .string(task), "amount": .string(form["amount"]?.nilIfEmpty ?? "0"), "dueOn": .string(form["dueOn"] ?? "")])])
            }
            let body = try FieldReader.decode(ReportInBody.self, from: o)
            try await service.report(ctx, case: id, party: body.partyId, response: body.response, commitments: body.commitments)
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.whistleCasePage.link(id.uuidString.lowercased()), flash: "flash.saved")
    }
}
