import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/access`: a compound's entries by hour of a day and its events at one entrance or all, this
/// month's visitors per day, and for district admins the look-up of one person's entries with a
/// reason. `/gate`: the guard's phone page that checks a visitor's pass.
extension SmartWeb {
    func registerAccess(on routes: RouteTable) {
        routes.page(.get, SiteURL.accessPage, .signedIn) { call in try await accessPage(call, found: nil) }
        routes.page(.post, SiteURL.accessPage, .signedIn) { call in try await personSearch(call) }
        routes.page(.get, SiteURL.gatePage, .signedIn) { call in try await gatePage(call, verdict: nil) }
        routes.page(.post, SiteURL.gatePage, .signedIn) { call in try await gateCheck(call) }
    }

    func eventText(_ e: AccessEventRecord, t: Localizer) -> String {
        t(e.kind.labelKey) + (e.method.map { " · " + t($0.labelKey) } ?? "") + (e.temperature.map { " · " + DeviceEventRules.celsius($0) + " °C" } ?? "")
    }

    func accessPage(_ call: SignedIn, found: [AccessEventRecord]?) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        guard call.actor.grants.contains(where: { Policy.watchers["access-records"]!.contains($0.role) }) else {
            throw DomainError.forbidden(reason: "access records are kept for staff and the compound's company")
        }
        let compounds = try await watchedCompounds(call)
        var content: [N] = [H.el("h1", [], text: t("access.title")), H.el("p", [("class", "hint")], text: t("access.subtitle"))]
        let chosen = call.query.get("compoundId").flatMap(UUID.init(uuidString:)) ?? compounds.first?.id
        let day = call.query.get("day").flatMap { CivilDate($0) } ?? Timestamp.today(call.now)
        let device = call.query.get("deviceId").flatMap(UUID.init(uuidString:))
        if let compound = chosen {
            let devices = try await service.devices(call.access, compound: compound)
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.accessPage.link()), ("class", "filters"), ("id", "access-filter")], [
                H.el("label", [], [H.t(t("resource.compounds") + " "), FormControls.select("compoundId", compounds.map { ($0.id.text, $0.name) }, selected: compound.text)]),
                H.el("label", [], [H.t(t("access.entrance") + " "), FormControls.select("deviceId", devices.map { ($0.id.text, "\($0.place) · \($0.name)") }, selected: device?.text,
                                                                                   blank: t("access.allEntrances"))]),
                H.el("label", [], [H.t(t("access.day") + " "), FormControls.input("day", type: "date", value: day.description)]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]))
            let hours = try await service.hourly(call.access, compound: compound, day: day)
            let top = max(1, hours.map { $0.granted + $0.denied + $0.visitors }.max() ?? 1)
            let width = 24, height = 100
            var bars: [N] = []
            for (h, c) in hours.enumerated() {
                var y = height + 10
                for (value, cls) in [(c.granted, "good"), (c.visitors, "mid"), (c.denied, "bad")] where value > 0 {
                    let bh = max(1, value * height / top)
                    y -= bh
                    bars.append(H.el("rect", [("x", String(h * width + 4)), ("y", String(y)), ("width", String(width - 6)), ("height", String(bh)), ("class", "rank-bar \(cls)")],
                                     [H.el("title", [], text: "\(h):00 \(t("access.granted")) \(c.granted) · \(t("access.visitors")) \(c.visitors) · \(t("access.denied")) \(c.denied)")]))
                }
                if h % 3 == 0 {
                    bars.append(H.el("text", [("x", String(h * width + width / 2)), ("y", String(height + 26)), ("text-anchor", "middle"), ("class", "bar-label")], text: String(h)))
                }
            }
            let totals = hours.reduce((0, 0, 0)) { ($0.0 + $1.granted, $0.1 + $1.denied, $0.2 + $1.visitors) }
            content.append(H.el("div", [("class", "figures"), ("id", "access-figures")], [
                RegistryPages.figure(t("access.granted"), String(totals.0)), RegistryPages.figure(t("access.denied"), String(totals.1)),
                RegistryPages.figure(t("access.visitors"), String(totals.2)),
            ]))
            content.append(H.el("figure", [("class", "chart")], [
                H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(24 * width + 8) \(height + 34)"), ("role", "img"), ("aria-label", t("access.byHour")),
                             ("id", "access-hours")], bars),
                H.el("figcaption", [], text: t("access.byHour")),
            ]))
            let from = CivilTime.beijingMidnight(day)
            let events = try await service.accessEvents(call.access, compound: compound, device: device, from: from, to: from.addingTimeInterval(86_400), limit: 300)
            content.append(H.el("h2", [], text: t("access.events")))
            content.append(events.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "access-events")], [H.table(
                [t("alert.time"), t("access.entrance"), t("access.event")],
                events.map { [H.t(Timestamp.local($0.at)), H.t(($0.place ?? t("access.guard")) + ($0.deviceName.map { " · " + $0 } ?? "")), H.t(eventText($0, t: t))] })]))
            let visitors = try await service.visitorCounts(call.access, month: day, compound: compound)
            content.append(H.el("h2", [], text: t("access.visitorsByDay", day.monthText)))
            content.append(visitors.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "visitor-counts")], [H.table(
                [t("access.day"), t("access.passes"), t("access.people")], visitors.map { [H.t($0.day), H.t(String($0.passes)), H.t(String($0.people))] }, numericFrom: 1)]))
        } else {
            content.append(H.el("p", [("class", "empty")], text: t("device.none")))
        }
        // One person's entries: the district's admins, with a reason.
        for g in call.actor.grants where g.role == .districtAdmin {
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.accessPage.link()), ("class", "record-form"), ("id", "person-search")], [
                H.el("h2", [], text: t("access.personSearch")), H.el("p", [("class", "hint")], text: t("access.personHint")),
                FormControls.csrf(page.csrfToken), FormControls.hidden("districtId", g.scopeId.text),
                FormControls.field("person", t("field.person"), FormControls.input("person", required: true, [("maxlength", "200"), ("autocomplete", "off")])),
                FormControls.field("reason", t("field.reason"), FormControls.input("reason", required: true, [("maxlength", "500")])),
                FormControls.field("from", t("access.from"), FormControls.input("from", type: "date", value: Timestamp.today(call.now).adding(days: -30).description, required: true)),
                FormControls.field("to", t("access.to"), FormControls.input("to", type: "date", value: Timestamp.today(call.now).description, required: true)),
                FormControls.submit(t("access.search")),
            ]))
        }
        if let found {
            content.append(H.el("h2", [], text: t("access.found", found.count)))
            content.append(H.el("div", [("id", "person-entries")], [H.table([t("alert.time"), t("access.entrance"), t("access.event")],
                                                                            found.map { [H.t(Timestamp.local($0.at)), H.t($0.place ?? t("access.guard")), H.t(eventText($0, t: t))] })]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("access.title"), crumbs: [Crumb(title: t("access.title"), href: nil)], content: content))
    }

    func personSearch(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        func day(_ name: String) -> JSONValue { .string((form[name] ?? "") + "T00:00:00+08:00") }
        var o: [String: JSONValue] = ["districtId": .string(form["districtId"] ?? ""), "person": .string(form["person"] ?? ""), "reason": .string(form["reason"] ?? ""),
                                      "from": day("from"), "to": day("to")]
        if let to = form["to"].flatMap({ CivilDate($0) }) { o["to"] = .string(to.adding(days: 1).description + "T00:00:00+08:00") }
        let body = try FieldReader.decode(PersonSearchBody.self, from: o)
        let found = try await service.personEntries(call.access, district: body.districtId, person: body.person, reason: body.reason, from: body.from, to: body.to)
        return try await accessPage(call, found: found)
    }

    // MARK: - The gate

    func gatePage(_ call: SignedIn, verdict: (PassVerdict, VisitorPassRecord?)?) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        guard call.actor.grants.contains(where: { Policy.watchers["gate"]!.contains($0.role) }) else { throw DomainError.forbidden(reason: "the gate is kept by the company and staff") }
        var content: [N] = [H.el("h1", [], text: t("gate.title")), H.el("p", [("class", "hint")], text: t("gate.subtitle"))]
        if let (v, pass) = verdict {
            var lines: [N] = [H.el("p", [("class", "verdict-text")], text: t(v.labelKey))]
            if let pass {
                lines.append(H.el("p", [], text: t("gate.visitor", pass.visitorName, pass.people) + (pass.plate.map { " · " + $0 } ?? "")))
                lines.append(H.el("p", [("class", "muted")], text: t("gate.host", "\(pass.compoundName) \(pass.roomLabel) · \(pass.host)") + " · " + Timestamp.local(pass.validFrom) + " – " + Timestamp.local(pass.validTo)))
            }
            content.append(H.el("div", [("class", "verdict " + (v == .admitted ? "verdict-ok" : "verdict-no")), ("id", "gate-verdict"), ("data-verdict", v.rawValue), ("role", "status")], lines))
        }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.gatePage.link()), ("class", "record-form gate-form"), ("id", "gate-form")], [
            FormControls.csrf(page.csrfToken),
            FormControls.field("code", t("gate.code"), FormControls.input("code", required: true, [("autocomplete", "off"), ("autocapitalize", "characters"), ("maxlength", "40"),
                                                                                                  ("inputmode", "text"), ("autofocus", nil)])),
            FormControls.submit(t("gate.check")),
        ]))
        return .html(Layout.render(page, actor: call.actor, title: t("gate.title"), crumbs: [Crumb(title: t("gate.title"), href: nil)], content: content))
    }

    func gateCheck(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let body = try FieldReader.decode(PassCheckBody.self, from: ["code": .string(form["code"] ?? "")])
        let result = try await service.checkPass(call.access, device: nil, code: body.code, now: call.now)
        return try await gatePage(call, verdict: result)
    }
}
