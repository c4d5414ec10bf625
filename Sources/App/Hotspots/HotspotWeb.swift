import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/hotspots`: weeks well above their baseline, open ones first; `/hotspots/{id}`: one flag with
/// the requests behind it and the street's three choices (a whistle case, the month's problem with
/// a plan and progress notes, or dismissal with a reason).
struct HotspotWeb: Sendable {
    let service: HotspotService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.hotspotsPage, .signedIn) { call in try await list(call) }
        routes.page(.post, SiteURL.hotspotsPage, .signedIn) { call in try await scan(call) }
        routes.page(.get, SiteURL.hotspotPage, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.hotspotPage, .signedIn) { call in try await act(call) }
    }

    static func badge(_ s: HotspotStatus, t: Localizer) -> N {
        H.el("span", [("class", "badge status-\(s == .open ? "open" : s == .dismissed ? "closed" : "done")"), ("data-status", s.rawValue)], text: t("hotspots.status.\(s.rawValue)"))
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let flags = try await service.list(call.access, status: nil)
        let scans = call.actor.grants.contains { $0.role == .districtAdmin || $0.role == .streetStaff }
        let scan: [N] = scans ? [H.el("form", [("method", "post"), ("action", SiteURL.hotspotsPage.link()), ("id", "scan-form")], [
            FormControls.csrf(page.csrfToken), FormControls.submit(t("hotspots.scan"), primary: false),
        ])] : []
        var content: [N] = [RegistryPages.heading(t("hotspots.title"), subtitle: t("hotspots.subtitle"), actions: scan)]
        content.append(flags.isEmpty ? H.el("p", [("class", "empty")], text: t("hotspots.none")) : H.el("div", [("id", "hotspot-list")], [H.table(
            [t("hotspots.week"), t("resource.compounds"), t("resource.communities"), t("request.category"), t("hotspots.countVsBaseline"), t("hotspots.state")],
            flags.map { h in
                [H.a(SiteURL.hotspotPage.link(h.id.text), h.weekStart.description), H.t(h.compoundName), H.t(h.communityName),
                 H.t(t("enum.request_category." + h.category)), H.t(t("hotspots.countLine", h.count, FixedPoint2.format(h.expected))), Self.badge(h.status, t: t)]
            }, rowAttributes: flags.map { [("data-hotspot", "\($0.compoundName)|\($0.category)")] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("hotspots.title"), crumbs: [Crumb(title: t("hotspots.title"), href: nil)], content: content))
    }

    func scan(_ call: SignedIn) async throws -> Response {
        _ = try await FormInput.read(call.request, call.context)
        _ = try await service.scan(call.access)
        return .seeOther(to: SiteURL.hotspotsPage.link(), flash: "flash.saved")
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, ctx = call.access
        let h = try await service.get(ctx, try call.id("hotspots"))
        let requests = try await service.requests(h), notes = try await service.notes(h.id)
        let decides = Policy.isStaffOver(ctx.actor, district: h.districtId, street: h.streetId, community: nil)
        let action = SiteURL.hotspotPage.link(h.id.text)
        var facts: [N] = [H.el("dt", [], text: t("hotspots.week")), H.el("dd", [], text: "\(h.weekStart) — \(h.weekStart.adding(days: 6))"),
                          H.el("dt", [], text: t("hotspots.countVsBaseline")),
                          H.el("dd", [("id", "hotspot-count")], text: t("hotspots.countLine", h.count, FixedPoint2.format(h.expected)) + " · " + t("hotspots.thresholdLine", h.threshold))]
        if let c = h.caseId { facts += [H.el("dt", [], text: t("hotspots.case")), H.el("dd", [], [H.a(SiteURL.whistleCasePage.link(c.text), h.caseNumber ?? c.text, [("id", "hotspot-case")])])] }
        if let plan = h.plan { facts += [H.el("dt", [], text: t("hotspots.plan") + (h.month.map { "（\($0)）" } ?? "")), H.el("dd", [("id", "hotspot-plan")], text: plan)] }
        if let reason = h.reason { facts += [H.el("dt", [], text: t("field.reason")), H.el("dd", [], text: reason)] }
        if let by = h.decidedBy, let at = h.decidedAt { facts += [H.el("dt", [], text: t("hotspots.decided")), H.el("dd", [], text: "\(by) · \(Timestamp.local(at))")] }
        var content: [N] = [
            H.el("h1", [], [H.t("\(h.compoundName) · \(t("enum.request_category." + h.category)) "), Self.badge(h.status, t: t)]),
            H.el("p", [("class", "hint")], text: t("hotspots.method")),
            H.el("dl", [("class", "facts pairs"), ("id", "hotspot-facts")], facts),
            H.el("h2", [], text: t("hotspots.requests", requests.count)),
            H.el("ul", [("id", "hotspot-requests")], requests.map { r in
                H.el("li", [], [H.a(SiteURL.requestPage.link(r.id.text), r.number), H.t(" · \(Timestamp.local(r.receivedAt)) · \(r.description)")])
            }),
        ]
        if decides && h.status.mayMove(to: .whistled) { content.append(try await whistleForm(h, action: action, csrf: page.csrfToken, t: t, now: ctx.now)) }
        if decides && h.status == .open {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "monthly-form")], [
                H.el("h3", [], text: t("hotspots.makeMonthly")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "monthly"),
                FormControls.field("plan", t("hotspots.plan"), FormControls.textarea("plan", required: true, rows: 3, maxLength: 2_000)),
                FormControls.submit(t("hotspots.makeMonthly"), primary: false),
            ]))
            content.append(H.el("details", [], [H.el("summary", [], text: t("hotspots.dismiss")),
                H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "dismiss-form")], [
                    FormControls.csrf(page.csrfToken), FormControls.hidden("do", "dismiss"),
                    FormControls.field("reason", t("field.reason"), FormControls.textarea("reason", required: true, rows: 2, maxLength: 2_000)),
                    FormControls.submit(t("hotspots.dismiss"), primary: false),
                ])]))
        }
        if h.status == .monthly {
            content.append(H.el("h2", [], text: t("hotspots.progress")))
            content.append(notes.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ol", [("class", "timeline"), ("id", "hotspot-notes")], notes.map {
                H.el("li", [], text: "\(Timestamp.local($0.at)) · \($0.by)：\($0.note)")
            }))
            if Policy.isStaffOver(ctx.actor, district: h.districtId, street: h.streetId, community: h.communityId) {
                content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "progress-form")], [
                    FormControls.csrf(page.csrfToken), FormControls.hidden("do", "progress"),
                    FormControls.field("note", t("hotspots.progressNote"), FormControls.textarea("note", required: true, rows: 2, maxLength: 2_000)),
                    FormControls.submit(t("hotspots.addProgress"), primary: false),
                ]))
            }
        }
        let crumbs = [Crumb(title: t("hotspots.title"), href: SiteURL.hotspotsPage.link()), Crumb(title: h.compoundName, href: nil)]
        return .html(Layout.render(page, actor: ctx.actor, title: t("hotspots.title"), crumbs: crumbs, content: content))
    }

    /// Summon the departments ticked and the serving company, reporting by a time two days on.
    func whistleForm(_ h: HotspotRecord, action: String, csrf: String, t: Localizer, now: Date) async throws -> N {
        let departments = try await service.db.sql().raw("SELECT id, name FROM departments WHERE district_id = \(bind: h.districtId) ORDER BY name").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        let reportBy = Timestamp.local(now.addingTimeInterval(48 * 3_600)).replacingOccurrences(of: " ", with: "T")
        let summon: [N] = [H.el("legend", [], text: t("whistle.summon"))] + departments.map { d in
            H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "dept-\(d.0.text)"), ("value", "1")]), H.t(d.1)])
        } + [H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", "summonCompany"), ("value", "1"), ("checked", nil)]),
                                                   H.t(t("whistle.summonCompany"))])]
        return H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "whistle-form")], [
            H.el("h3", [], text: t("hotspots.whistle")), FormControls.csrf(csrf), FormControls.hidden("do", "whistle"),
            H.el("fieldset", [("class", "choices")], summon),
            FormControls.field("reportBy", t("whistle.reportBy"), FormControls.input("reportBy", type: "datetime-local", value: reportBy, required: true)),
            FormControls.submit(t("hotspots.whistle")),
        ])
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("hotspots"), ctx = call.access
        switch form["do"] {
        case "whistle":
            guard let reportBy = form["reportBy"].flatMap(Timestamp.parse) else {
                throw DomainError.invalid([FieldError(field: "reportBy", code: "invalid_time", message: "YYYY-MM-DD HH:MM")])
            }
            var parties = form.fields.filter { $0.key.hasPrefix("dept-") && $0.value == "1" }.keys.compactMap { UUID(uuidString: String($0.dropFirst(5))) }
                .sorted { $0.uuidString < $1.uuidString }.map { WhistleService.PartyInput(kind: .department, departmentId: $0, reportBy: reportBy) }
            if form["summonCompany"] == "1" { parties.append(.init(kind: .company, reportBy: reportBy)) }
            let caseId = try await service.whistle(ctx, id, parties: parties)
            return .seeOther(to: SiteURL.whistleCasePage.link(caseId.text), flash: "flash.saved")
        case "monthly": try await service.monthly(ctx, id, plan: form["plan"] ?? "")
        case "progress": try await service.progress(ctx, id, note: form["note"] ?? "")
        default: try await service.dismiss(ctx, id, reason: form["reason"] ?? "")
        }
        return .seeOther(to: SiteURL.hotspotPage.link(id.text), flash: "flash.saved")
    }
}
