import Domain
import Foundation
import Hummingbird
import SQLKit

/// Whistle-case pages: the list with the street's form to open one (fresh or from a request),
/// and one case with its summoned parties, their reports and commitments, the log and closing.
struct WhistleWebController: Sendable {
    let service: WhistleService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.whistleCases, .signedIn) { request, context in try await list(request, context, errors: [], status: .ok) }
        routes.add(.post, SiteURL.whistleCases, .signedIn) { request, context in try await open(request, context) }
        routes.add(.get, SiteURL.whistleCasePage, .signedIn) { request, context in try await detail(request, context) }
        routes.add(.post, SiteURL.whistleCasePage, .signedIn) { request, context in try await act(request, context) }
    }

    func list(_ request: Request, _ context: AppRequestContext, errors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let page = context.page(request), t = page.t
        let cases = try await service.list(ctx, status: nil, streetId: nil)
        var content: [N] = [H.el("h1", [], text: t("whistle.title")), WhistlePages.list(cases, t: t)]
        if let street = ctx.actor.grants.first(where: { $0.role == .streetStaff || $0.role == .districtAdmin }) {
            let district = street.role == .districtAdmin ? street.scopeId : street.districtId ?? UUID()
            let sql = service.database.db.sql()
            let departments = try await sql.raw("SELECT id, name FROM departments WHERE district_id = \(bind: district) ORDER BY name").all()
                .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
            let compoundQuery: SQLQueryString = street.role == .streetStaff
                ? "SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id WHERE m.street_id = \(bind: street.scopeId) ORDER BY p.name"
                : "SELECT p.id, p.name FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id WHERE s.district_id = \(bind: district) ORDER BY p.name LIMIT 3000"
            let compounds = try await sql.raw(compoundQuery).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
            let requestId = request.uri.queryParameters.get("requestId").flatMap(UUID.init(uuidString:))
            content.append(WhistlePages.openForm(departments: departments, compounds: compounds, requestId: requestId, csrf: page.csrfToken, errors: errors, t: t))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: t("whistle.title"), crumbs: [Crumb(title: t("whistle.title"), href: nil)], content: content), status: status)
    }

    func open(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let form = try await FormInput.read(request, context)
        let reportBy = DecisionWebController.localTime(form["reportBy"])
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
            return try await list(request, context, errors: fields, status: .unprocessableContent)
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
                q.companyId = try await sql.raw("""
                    SELECT company_id FROM contracts WHERE compound_id = \(bind: c) AND starts_on <= \(bind: today) AND (ends_on IS NULL OR ends_on >= \(bind: today))
                    ORDER BY starts_on DESC LIMIT 1
                    """).first()?.decode(column: "company_id", as: UUID.self)
            }
            return q
        }
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let page = context.page(request), t = page.t
        let view = try await service.get(ctx, try WhistleAPIController.id(context))
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
            H.el("li", [], [H.el("time", [], text: Timestamp.local(l.at)), H.t(" · \(l.actor)"), H.el("p", [], text: l.note)])
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

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let form = try await FormInput.read(request, context)
        let id = try WhistleAPIController.id(context)
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
            let (party, response, commitments) = try WhistleAPIController.report(JSONBody(object: o))
            try await service.report(ctx, case: id, party: party, response: response, commitments: commitments)
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.whistleCasePage.link(id.uuidString.lowercased()), flash: "flash.saved")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for e in self { out.append(try await transform(e)) }
        return out
    }
}

/// The whistle-case pages' parts.
enum WhistlePages {
    static func list(_ cases: [WhistleCaseRecord], t: Localizer) -> N {
        guard !cases.isEmpty else { return H.el("p", [("class", "empty")], text: t("whistle.none")) }
        return H.table([t("whistle.number"), t("whistle.titleField"), t("resource.streets"), t("resource.compounds"), t("whistle.openedAt"), t("whistle.status")], cases.map { c in
            [H.a(SiteURL.whistleCasePage.link(c.id.uuidString.lowercased()), c.number), H.t(c.title), H.t(c.streetName), H.t(c.compoundName ?? "—"),
             H.t(Timestamp.local(c.openedAt)), H.el("span", [("class", "badge status-\(c.status.rawValue)")], text: t(c.status.labelKey))]
        })
    }

    static func parties(_ view: WhistleCaseView, now: Date, csrf: String, t: Localizer) -> N {
        H.el("section", [("id", "parties")], [H.el("h2", [], text: t("whistle.parties"))] + view.parties.map { p in
            let state = p.reportedAt != nil ? (p.rule.onTime ? t("whistle.reportedOnTime") : t("whistle.reportedLate")) : p.rule.isLate(now: now) ? t("whistle.late") : t("whistle.waiting")
            var nodes: [N] = [
                H.el("h3", [], [H.t("\(p.name) "), H.el("span", [("class", "badge")], text: t(p.kind.labelKey)), H.t(" "),
                                H.el("span", [("class", p.reportedAt == nil && p.rule.isLate(now: now) ? "badge overdue" : "badge")], text: state)]),
                H.el("p", [("class", "meta")], text: "\(t("whistle.reportBy")) \(Timestamp.local(p.reportBy))" + (p.reportedAt.map { " · \(t("whistle.reportedAt")) \(Timestamp.local($0))" } ?? "")),
            ]
            if let r = p.response { nodes.append(H.el("p", [], text: r)) }
            if !p.commitments.isEmpty {
                nodes.append(H.table([t("whistle.task"), t("whistle.amount"), t("whistle.dueOn")], p.commitments.map { [H.t($0.task), H.t($0.amount.description), H.t($0.dueOn.description)] }, numericFrom: 1))
            }
            let mayReport = view.standing.partyIds.contains(p.id) || (view.standing.runs && [.developer, .committee].contains(p.kind))
            if view.record.status == .open && p.reportedAt == nil && mayReport {
                nodes.append(H.el("form", [("method", "post"), ("action", SiteURL.whistleCasePage.link(view.record.id.uuidString.lowercased())), ("class", "record-form"), ("id", "report-\(p.id.uuidString.lowercased())")], [
                    H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                    H.void("input", [("type", "hidden"), ("name", "do"), ("value", "report")]),
                    H.void("input", [("type", "hidden"), ("name", "partyId"), ("value", p.id.uuidString.lowercased())]),
                    H.el("label", [], [H.t(t("whistle.response")), H.el("textarea", [("name", "response"), ("required", nil), ("rows", "3")], text: "")]),
                    H.el("label", [], [H.t(t("whistle.task")), H.void("input", [("type", "text"), ("name", "task")])]),
                    H.el("label", [], [H.t(t("whistle.amount")), H.void("input", [("type", "text"), ("name", "amount"), ("inputmode", "decimal"), ("placeholder", "0.00")])]),
                    H.el("label", [], [H.t(t("whistle.dueOn")), H.void("input", [("type", "date"), ("name", "dueOn")])]),
                    H.el("button", [("type", "submit"), ("class", "primary")], text: t("whistle.report")),
                ]))
            }
            return H.el("article", [("class", "card party")], nodes)
        })
    }

    static func simpleForm(_ id: UUID, action: String, field: String, label: String, button: String, csrf: String) -> N {
        H.el("form", [("method", "post"), ("action", SiteURL.whistleCasePage.link(id.uuidString.lowercased())), ("class", "record-form"), ("id", "form-\(action)")], [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
            H.void("input", [("type", "hidden"), ("name", "do"), ("value", action)]),
            H.el("label", [], [H.t(label), H.el("textarea", [("name", field), ("required", nil), ("rows", "2")], text: "")]),
            H.el("button", [("type", "submit")], text: button),
        ])
    }

    static func openForm(departments: [(UUID, String)], compounds: [(UUID, String)], requestId: UUID?, csrf: String, errors: [FieldError], t: Localizer) -> N {
        var nodes: [N] = [H.el("h2", [], text: t("whistle.open")), H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)])]
        if !errors.isEmpty { nodes.append(H.el("div", [("class", "errors"), ("role", "alert")], [H.el("ul", [], errors.map { H.el("li", [], text: "\($0.field): \($0.message)") })])) }
        if let r = requestId {
            nodes.append(H.void("input", [("type", "hidden"), ("name", "requestId"), ("value", r.uuidString.lowercased())]))
            nodes.append(H.el("p", [("class", "hint")], text: t("whistle.fromRequestHint")))
        } else {
            nodes.append(H.el("label", [], [H.t(t("resource.compounds")), H.el("select", [("name", "compoundId"), ("id", "case-compound")],
                [H.el("option", [("value", "")], text: "—")] + compounds.map { H.el("option", [("value", $0.0.uuidString.lowercased())], text: $0.1) })]))
        }
        nodes += [
            H.el("label", [], [H.t(t("whistle.titleField")), H.void("input", [("type", "text"), ("name", "title"), ("required", nil), ("id", "case-title")])]),
            H.el("label", [], [H.t(t("whistle.description")), H.el("textarea", [("name", "description"), ("rows", "3"), ("id", "case-description")], text: "")]),
            H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: t("whistle.summon"))] + departments.map { d in
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "dept-\(d.0.uuidString.lowercased())"), ("value", "1")]), H.t(d.1)])
            } + [
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "summonCompany"), ("value", "1")]), H.t(t("whistle.summonCompany"))]),
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "summonCommittee"), ("value", "1")]), H.t(t("whistle.summonCommittee"))]),
            ]),
            H.el("label", [], [H.t(t("whistle.developer")), H.void("input", [("type", "text"), ("name", "developer")])]),
            H.el("label", [], [H.t(t("whistle.reportBy")), H.void("input", [("type", "datetime-local"), ("name", "reportBy"), ("required", nil), ("id", "case-report-by")])]),
            H.el("button", [("type", "submit"), ("class", "primary"), ("id", "open-case")], text: t("whistle.open")),
        ]
        return H.el("form", [("method", "post"), ("action", SiteURL.whistleCases.link()), ("class", "record-form")], nodes)
    }
}
