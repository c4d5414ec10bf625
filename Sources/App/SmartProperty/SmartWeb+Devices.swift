import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/devices` (every device the caller watches, with its state) and a compound's devices page,
/// where staff and the company register devices and reissue or revoke keys; a key is shown once,
/// on the page the registration or reissue answers with.
extension SmartWeb {
    func registerDevices(on routes: RouteTable) {
        routes.page(.get, SiteURL.devicesPage, .signedIn) { call in try await devicesPage(call) }
        routes.page(.get, SiteURL.compoundDevices, .signedIn) { call in try await compoundDevicesPage(call, shown: nil) }
        routes.page(.post, SiteURL.compoundDevices, .signedIn) { call in try await compoundDevicesAction(call) }
    }

    /// The compounds whose access records the caller watches, by name.
    func watchedCompounds(_ call: SignedIn) async throws -> [(id: UUID, name: String)] {
        let filter = SmartService.watched(call.access, "access-records", alias: "w")
        return try await service.db.sql().raw("""
            SELECT w.id AS compound_id, w.name FROM (SELECT p.id, p.id AS compound_id, p.name, cm.id AS community_id, cm.street_id, st.district_id
            FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id) w WHERE
            """ + " " + filter + " ORDER BY w.name LIMIT 3000").all().map { (try $0.decode(column: "compound_id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    func stateBadge(_ d: DeviceRecord, _ s: SmartSettings, now: Date, t: Localizer) -> N {
        if d.revokedAt != nil { return H.el("span", [("class", "badge status-revoked")], text: t("device.revoked")) }
        let state = d.state(now: now, offlineMinutes: s.offlineMinutes)
        return H.el("span", [("class", "badge state-\(state.rawValue)")], text: t(state.labelKey))
    }

    func devicesPage(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        if let pick = call.query.get("compoundId").flatMap(UUID.init(uuidString:)) { return .seeOther(to: SiteURL.compoundDevices.link(pick.text)) }
        guard call.actor.grants.contains(where: { Policy.watchers["access-records"]!.contains($0.role) }) else { throw DomainError.forbidden(reason: "devices are kept by staff and companies") }
        let devices = try await service.devices(call.access)
        var settings: [UUID: SmartSettings] = [:]
        for d in devices where settings[d.districtId] == nil { settings[d.districtId] = try await service.settings(district: d.districtId, on: service.db) }
        let compounds = try await watchedCompounds(call)
        let offline = devices.filter { $0.revokedAt == nil && $0.state(now: call.now, offlineMinutes: settings[$0.districtId]!.offlineMinutes) == .offline }.count
        let content: [N] = [
            H.el("h1", [], text: t("device.title")),
            H.el("div", [("class", "figures")], [RegistryPages.figure(t("device.count"), String(devices.count)), RegistryPages.figure(t("device.offlineCount"), String(offline))]),
            H.el("form", [("method", "get"), ("action", SiteURL.devicesPage.link()), ("class", "filters"), ("id", "device-compound-pick")], [
                H.el("label", [], [H.t(t("resource.compounds") + " "), FormControls.select("compoundId", compounds.map { ($0.id.text, $0.name) })]),
                H.el("button", [("type", "submit")], text: t("device.manage")),
            ]),
            devices.isEmpty ? H.el("p", [("class", "empty")], text: t("device.none")) : H.el("div", [("id", "device-list")], [H.table(
                [t("resource.compounds"), t("alert.place"), t("device.name"), t("device.kind"), t("device.state"), t("device.lastSeen")],
                devices.map { d in
                    [H.a(SiteURL.compoundDevices.link(d.compoundId.text), d.compoundName), H.t(d.place), H.t(d.name), H.t(t(d.kind.labelKey)),
                     stateBadge(d, settings[d.districtId]!, now: call.now, t: t), H.t(d.lastSeenAt.map(Timestamp.local) ?? "—")]
                })]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("device.title"), crumbs: [Crumb(title: t("device.title"), href: nil)], content: content))
    }

    func compoundDevicesPage(_ call: SignedIn, shown: (DeviceRecord, String)?) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compound = try call.id("compounds")
        let devices = try await service.devices(call.access, compound: compound)
        let p = try await service.place(compound: compound, on: service.db)
        let s = try await service.settings(district: p.district, on: service.db)
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let keeps = (try? await service.store.access.authorize(call.access, .update, "devices", inCompound: compound, on: service.db)) != nil
        let action = SiteURL.compoundDevices.link(compound.text)
        var content: [N] = [H.el("h1", [], text: t("device.ofCompound", name))]
        if let (d, key) = shown {
            content.append(H.el("div", [("class", "flash key-once"), ("id", "device-key"), ("role", "status")], [
                H.el("p", [], text: t("device.keyOnce", d.name)), H.el("code", [("class", "key")], text: key),
            ]))
        }
        content.append(devices.isEmpty ? H.el("p", [("class", "empty")], text: t("device.none")) : H.el("div", [("id", "compound-devices")], [H.table(
            [t("alert.place"), t("device.name"), t("device.kind"), t("device.vendor"), t("device.state"), t("device.lastSeen"), t("list.actions")],
            devices.map { d in
                var actions: [N] = []
                if keeps {
                    actions.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline")], [
                        FormControls.csrf(page.csrfToken), FormControls.hidden("do", "reissue"), FormControls.hidden("deviceId", d.id.text),
                        H.el("button", [("type", "submit"), ("data-confirm", t("device.reissueConfirm"))], text: t("device.reissue")),
                    ]))
                    if d.revokedAt == nil {
                        actions.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline")], [
                            FormControls.csrf(page.csrfToken), FormControls.hidden("do", "revoke"), FormControls.hidden("deviceId", d.id.text),
                            H.el("button", [("type", "submit"), ("class", "danger"), ("data-confirm", t("device.revokeConfirm"))], text: t("device.revoke")),
                        ]))
                    }
                }
                return [H.t(d.place), H.t(d.name), H.t(t(d.kind.labelKey)), H.t([d.vendor, d.model].filter { !$0.isEmpty }.joined(separator: " ")),
                        stateBadge(d, s, now: call.now, t: t), H.t(d.lastSeenAt.map(Timestamp.local) ?? "—"), H.group(actions)]
            })]))
        if keeps {
            let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
                .map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "number", as: String.self)) }
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "device-form")], [
                H.el("h2", [], text: t("device.register")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "register"),
                FormControls.field("kind", t("device.kind"), FormControls.select("kind", DeviceKind.allCases.map { ($0.rawValue, t($0.labelKey)) })),
                FormControls.field("name", t("device.name"), FormControls.input("name", required: true, [("maxlength", "100")])),
                FormControls.field("place", t("alert.place"), FormControls.input("place", required: true, [("maxlength", "100"), ("placeholder", t("device.placeHint"))])),
                FormControls.field("buildingId", t("resource.buildings"), FormControls.select("buildingId", buildings, blank: t("device.gate")), optional: t("form.optional")),
                FormControls.field("vendor", t("device.vendor"), FormControls.input("vendor", [("maxlength", "100")]), optional: t("form.optional")),
                FormControls.field("model", t("device.model"), FormControls.input("model", [("maxlength", "100")]), optional: t("form.optional")),
                FormControls.submit(t("device.register")),
            ]))
        }
        content.append(H.el("p", [], [H.a(SiteURL.accessPage.link() + "?compoundId=\(compound.text)", t("nav.access"), [("class", "button")])]))
        return .html(Layout.render(page, actor: call.actor, title: t("device.ofCompound", name),
                                   crumbs: [Crumb(title: t("device.title"), href: SiteURL.devicesPage.link()), Crumb(title: name, href: nil)], content: content))
    }

    func compoundDevicesAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = try call.id("compounds")
        switch form["do"] {
        case "register":
            var o: [String: JSONValue] = [:]
            for key in ["kind", "name", "place", "vendor", "model", "buildingId"] { if let v = form[key], !v.isEmpty { o[key] = .string(v) } }
            let body = try FieldReader.decode(DeviceBody.self, from: o)
            let (d, key) = try await service.register(call.access, compound: compound, body.input)
            return try await compoundDevicesPage(call, shown: (d, key))
        case "reissue":
            guard let id = form["deviceId"].flatMap(UUID.init(uuidString:)) else { throw DomainError.badRequest(message: "no device") }
            let (d, key) = try await service.reissueKey(call.access, id: id)
            guard d.compoundId == compound else { throw DomainError.notFound(entity: "devices", id: id.text) }
            return try await compoundDevicesPage(call, shown: (d, key))
        case "revoke":
            guard let id = form["deviceId"].flatMap(UUID.init(uuidString:)) else { throw DomainError.badRequest(message: "no device") }
            _ = try await service.revokeKey(call.access, id: id)
            return .seeOther(to: SiteURL.compoundDevices.link(compound.text), flash: "flash.saved")
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
    }
}
