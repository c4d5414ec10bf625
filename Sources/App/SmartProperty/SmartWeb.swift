import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// The command centre's board `/alerts` (live: new and changed alerts arrive over server-sent
/// events from `/alerts/stream` without a reload), one alert with what can be done with it, and
/// the district's thresholds for its admins.
struct SmartWeb: Sendable {
    let service: SmartService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.alertsBoard, .signedIn) { call in try await board(call) }
        routes.page(.post, SiteURL.alertsBoard, .signedIn) { call in try await saveSettings(call) }
        routes.page(.get, SiteURL.alertsStream, .signedIn) { call in try await stream(call) }
        routes.page(.get, SiteURL.alertPage, .signedIn) { call in try await alertPage(call) }
        routes.page(.post, SiteURL.alertPage, .signedIn) { call in try await alertAction(call) }
        registerDevices(on: routes)
        registerAccess(on: routes)
        registerVisitors(on: routes)
    }

    static func kindText(_ a: AlertRecord, t: Localizer) -> String {
        t(a.kind.labelKey) + (a.temperature.map { " " + DeviceEventRules.celsius($0) + " °C" } ?? "") + (a.count.map { " ×\($0)" } ?? "")
    }

    /// One row of the board; the stream sends the same row for an alert that changed.
    static func row(_ a: AlertRecord, t: Localizer) -> N {
        let headers = [t("alert.time"), t("alert.kind"), t("resource.compounds"), t("alert.place"), t("alert.status")]
        let cells: [N] = [
            H.t(Timestamp.local(a.raisedAt)),
            H.a(SiteURL.alertPage.link(a.id.text), kindText(a, t: t), [("class", "alert-kind kind-\(a.kind.rawValue)")]),
            H.t(a.compoundName), H.t(a.place + (a.deviceName.map { " · " + $0 } ?? "")),
            H.el("span", [("class", "badge status-\(a.status.rawValue)")], text: t(a.status.labelKey)),
        ]
        return H.el("tr", [("data-alert-id", a.id.text), ("data-status", a.status.rawValue), ("class", a.status.isOpen ? "alert-open" : "alert-done")],
                    cells.enumerated().map { i, c in H.el("td", [("data-label", headers[i])], [c]) })
    }

    func board(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        guard call.actor.grants.contains(where: { Policy.watchers["alerts"]!.contains($0.role) }) else {
            throw DomainError.forbidden(reason: "the board belongs to the command centres")
        }
        let open = call.query.get("all") != "1"
        let alerts = try await service.alerts(call.access, openOnly: open)
        let headers = [t("alert.time"), t("alert.kind"), t("resource.compounds"), t("alert.place"), t("alert.status")]
        var content: [N] = [
            H.el("h1", [], text: t("alert.title")),
            H.el("p", [("class", "hint")], text: t("alert.subtitle")),
            H.el("p", [("class", "filters")], [
                H.a(SiteURL.alertsBoard.link(), t("alert.openOnly"), open ? [("class", "button primary")] : [("class", "button")]),
                H.a(SiteURL.alertsBoard.link() + "?all=1", t("alert.all"), open ? [("class", "button")] : [("class", "button primary")]),
                H.a(SiteURL.devicesPage.link(), t("nav.devices"), [("class", "button")]),
                H.a(SiteURL.accessPage.link(), t("nav.access"), [("class", "button")]),
            ]),
            H.el("p", [("class", "live"), ("id", "live-status"), ("aria-live", "polite"), ("data-live", t("alert.live")), ("data-lost", t("alert.liveLost"))],
                 text: t("alert.live")),
            H.el("div", [("class", "table-wrap")], [
                H.el("table", [("class", "cards"), ("id", "alert-board"), ("data-stream", SiteURL.alertsStream.link() + "?since=" + Timestamp.iso(call.now)),
                               ("data-open-only", open ? "1" : "0")], [
                    H.el("thead", [], [H.el("tr", [], headers.map { H.el("th", [], text: $0) })]),
                    H.el("tbody", [], alerts.map { Self.row($0, t: t) }),
                ]),
            ]),
            H.el("p", [("class", "empty"), ("id", "board-empty")] + (alerts.isEmpty ? [] : [("hidden", nil)]), text: t("alert.none")),
        ]
        // This month's counts per compound and kind.
        let counts = try await service.counts(call.access, month: Timestamp.today(call.now))
        content.append(H.el("h2", [], text: t("alert.counts", Timestamp.today(call.now).monthText)))
        content.append(counts.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "alert-counts")], [
            H.table([t("resource.compounds"), t("alert.kind"), t("alert.count")], counts.map { [H.t($0.compound), H.t(t($0.kind.labelKey)), H.t(String($0.count))] }, numericFrom: 2),
        ]))
        // The district's thresholds, set by its admins.
        for g in call.actor.grants where g.role == .districtAdmin {
            let s = try await service.settings(district: g.scopeId, on: service.db)
            func number(_ name: String, _ value: Int, _ min: Int, _ max: Int) -> N {
                FormControls.field(name, t("field." + name), FormControls.input(name, type: "number", value: String(value), required: true, [("min", String(min)), ("max", String(max))]))
            }
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.alertsBoard.link()), ("class", "record-form"), ("id", "smart-settings")], [
                H.el("h2", [], text: t("alert.settings")), FormControls.csrf(page.csrfToken), FormControls.hidden("districtId", g.scopeId.text),
                FormControls.field("fever", t("field.feverTenths"), FormControls.input("fever", value: DeviceEventRules.celsius(s.feverTenths), required: true, [("inputmode", "decimal")])),
                number("confirmMinutes", s.confirmMinutes, 0, 120), number("offlineMinutes", s.offlineMinutes, 2, 1440),
                number("denialCount", s.denialCount, 2, 100), number("denialWindowMinutes", s.denialWindowMinutes, 1, 120), number("retentionDays", s.retentionDays, 7, 3650),
                FormControls.submit(t("form.save")),
            ]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("alert.title"), crumbs: [Crumb(title: t("alert.title"), href: nil)], content: content))
    }

    func saveSettings(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        guard let district = form["districtId"].flatMap(UUID.init(uuidString:)) else { throw DomainError.badRequest(message: "no district") }
        var o: [String: JSONValue] = [:]
        if let fever = form["fever"] { o["feverTenths"] = DeviceEventRules.tenths(fever).map { .int(Int64($0)) } ?? .string(fever) }
        for name in ["confirmMinutes", "offlineMinutes", "denialCount", "denialWindowMinutes", "retentionDays"] {
            let raw = form[name] ?? ""
            o[name] = Int64(raw).map { .int($0) } ?? .string(raw)
        }
        let body = try FieldReader.decode(SmartSettingsBody.self, from: o)
        _ = try await service.setSettings(call.access, district: district, body.settings)
        return .seeOther(to: SiteURL.alertsBoard.link(), flash: "flash.saved")
    }

    /// Server-sent events: every alert the caller watches that changed since `since` (or the
    /// `Last-Event-ID` the browser resends on reconnecting), as its board row. Polls the database
    /// each second, so alerts raised through any server sharing it arrive; ends after a minute and
    /// the browser reconnects. `once=1` answers what is pending and ends (for tests and scripts).
    func stream(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        guard call.actor.grants.contains(where: { Policy.watchers["alerts"]!.contains($0.role) }) else {
            throw DomainError.forbidden(reason: "the board belongs to the command centres")
        }
        let resumed = call.request.headers[HTTPField.Name("Last-Event-ID")!].flatMap(Timestamp.parse)
        let start = resumed ?? call.query.get("since").flatMap(Timestamp.parse) ?? call.now
        let once = call.query.get("once") == "1"
        let ctx = call.access, service = self.service
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var since = start
            let started = Date()
            var sent: [UUID: Date] = [:]
            var quiet = 0
            while !Task.isCancelled {
                let changes = try await service.changes(ctx, since: since)
                var out = ""
                for a in changes where sent[a.id] != a.updatedAt {
                    sent[a.id] = a.updatedAt
                    since = max(since, a.updatedAt)
                    let data = JSONValue.object(["id": .string(a.id.text), "status": .string(a.status.rawValue), "open": .bool(a.status.isOpen),
                                                 "kind": .string(a.kind.rawValue), "html": .string(Self.row(a, t: t).render())])
                    out += "event: alert\nid: \(Timestamp.iso(since))\ndata: \(String(decoding: data.encoded(), as: UTF8.self))\n\n"
                }
                if !out.isEmpty { try await writer.write(ByteBuffer(string: out)); quiet = 0 } else { quiet += 1 }
                if once || Date().timeIntervalSince(started) > 60 { break }
                if quiet >= 15 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")); quiet = 0 }
                try await Task.sleep(for: .seconds(1))
            }
            try await writer.finish(nil)
        })
    }

    func alertPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let (a, log) = try await service.alert(call.access, id: try call.id("alerts"))
        let action = SiteURL.alertPage.link(a.id.text)
        var facts: [N] = [
            H.el("dt", [], text: t("alert.time")), H.el("dd", [], text: Timestamp.local(a.raisedAt)),
            H.el("dt", [], text: t("resource.compounds")), H.el("dd", [], text: a.compoundName),
            H.el("dt", [], text: t("alert.place")), H.el("dd", [], text: a.place + (a.deviceName.map { " · " + $0 } ?? "")),
        ]
        if let temp = a.temperature { facts += [H.el("dt", [], text: t("alert.temperature")), H.el("dd", [("id", "alert-temperature")], text: DeviceEventRules.celsius(temp) + " °C")] }
        if let r = a.requestId { facts += [H.el("dt", [], text: t("alert.request")), H.el("dd", [], [H.a(SiteURL.requestPage.link(r.text), t("alert.openRequest"), [("id", "alert-request")])])] }
        if let c = a.caseId { facts += [H.el("dt", [], text: t("alert.case")), H.el("dd", [], [H.a(SiteURL.whistleCasePage.link(c.text), t("alert.openCase"), [("id", "alert-case")])])] }
        var content: [N] = [
            H.el("h1", [], [H.t(Self.kindText(a, t: t) + " "), H.el("span", [("class", "badge status-\(a.status.rawValue)"), ("id", "alert-status")], text: t(a.status.labelKey))]),
            H.el("dl", [("class", "facts pairs")], facts),
            H.el("h2", [], text: t("alert.log")),
            H.el("ol", [("class", "timeline"), ("id", "alert-log")], log.map { l in
                let note = l.note.hasPrefix("alert.recheck:") ? t("alert.recheck", String(l.note.dropFirst("alert.recheck:".count))) : l.note.hasPrefix("alert.") ? t(l.note) : l.note
                return H.el("li", [], [H.el("time", [], text: Timestamp.local(l.at)), H.t(" · \(l.actor == "system" ? t("alert.system") : l.actor) · "),
                                       H.el("strong", [], text: t("enum.alert_log." + l.action)), H.el("p", [], text: note)])
            }),
        ]
        let acts = (try? await service.store.access.authorize(call.access, .update, "alerts", inCompound: a.compoundId, on: service.db)) != nil
        if acts && a.status.isOpen {
            func form(_ id: String, _ do_: AlertAction, _ fields: [N], primary: Bool = true) -> N {
                H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", id)],
                     [FormControls.csrf(page.csrfToken), FormControls.hidden("do", do_.rawValue)] + fields + [FormControls.submit(t(do_.labelKey), primary: primary)])
            }
            let note = { (required: Bool) in FormControls.field("note", t("field.note"), FormControls.textarea("note", required: required, rows: 2, maxLength: 2000),
                                                                optional: required ? nil : t("form.optional")) }
            if AlertRules.next(a.status, .acknowledge) != nil { content.append(form("ack-form", .acknowledge, [])) }
            if a.requestId == nil { content.append(form("request-form", .toRequest, [note(false)])) }
            if a.caseId == nil && Policy.isStaffOver(call.actor, district: a.districtId, street: a.streetId, community: nil) {
                let tomorrow = Timestamp.beijing(call.now.addingTimeInterval(86_400)).prefix(16)
                content.append(form("whistle-form", .toWhistle, [
                    FormControls.field("reportBy", t("field.reportBy"), FormControls.input("reportBy", type: "datetime-local", value: String(tomorrow), required: true)), note(false),
                ], primary: false))
            }
            if AlertRules.next(a.status, .handle) != nil { content.append(form("handle-form", .handle, [note(false)], primary: false)) }
            content.append(form("close-form", .close, [note(true)], primary: false))
        }
        return .html(Layout.render(page, actor: call.actor, title: t(a.kind.labelKey),
                                   crumbs: [Crumb(title: t("alert.title"), href: SiteURL.alertsBoard.link()), Crumb(title: t(a.kind.labelKey), href: nil)], content: content))
    }

    func alertAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("alerts")
        guard let action = form["do"].flatMap(AlertAction.init(rawValue:)) else { throw DomainError.badRequest(message: "unknown action") }
        let note = form["note"] ?? ""
        switch action {
        case .toRequest:
            let request = try await service.toRequest(call.access, id: id, note: note)
            return .seeOther(to: SiteURL.requestPage.link(request.text), flash: "flash.saved")
        case .toWhistle:
            let raw = form["reportBy"] ?? ""
            guard let by = Timestamp.parse(raw.count == 16 ? raw + ":00+08:00" : raw) else {
                throw DomainError.invalid([FieldError(field: "reportBy", code: "invalid_format", message: "a date and time")])
            }
            let caseId = try await service.toWhistle(call.access, id: id, reportBy: by, note: note)
            return .seeOther(to: SiteURL.whistleCasePage.link(caseId.text), flash: "flash.saved")
        default:
            _ = try await service.act(call.access, id: id, action, note: note)
            return .seeOther(to: SiteURL.alertPage.link(id.text), flash: "flash.saved")
        }
    }
}
