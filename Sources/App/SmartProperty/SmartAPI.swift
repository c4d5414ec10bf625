import Domain
import Foundation
import Hummingbird

/// Smart property's JSON API: settings, devices and their keys, the devices' own routes (event
/// batches, their compound's devices for a gateway, pass checks at a gate), alerts, access records
/// and visitors' passes.
struct SmartAPI: Sendable {
    let service: SmartService

    static func window(_ call: SignedIn) throws -> (Date, Date) {
        var errors = FieldErrors()
        func at(_ name: String) -> Date? {
            guard let raw = call.query.get(name), !raw.isEmpty else { return nil }
            guard let d = Timestamp.parse(raw) else { errors.add(name, "invalid_format", "an ISO 8601 time"); return nil }
            return d
        }
        let to = at("to") ?? call.now
        let from = at("from") ?? to.addingTimeInterval(-86_400)
        try errors.throwIfAny()
        return (from, to)
    }

    static func month(_ call: SignedIn) throws -> CivilDate {
        guard let raw = call.query.get("month"), !raw.isEmpty else { return Timestamp.today(call.now) }
        guard raw.count == 7, let d = CivilDate(raw + "-01") else { throw DomainError.invalid([FieldError(field: "month", code: "invalid_format", message: "YYYY-MM")]) }
        return d
    }

    func register(on routes: RouteTable) {
        let lookup: @Sendable (String) async throws -> DeviceRecord? = { [service] key in try await service.device(key: key) }
        routes.api(.get, SiteURL.apiSmartSettings, .signedIn, OperationDoc("get-smart-settings", "The district's fever threshold, confirmation window, offline silence, denial rule and retention", tag: "smart")) { call in
            let district = try call.id("districts")
            return SmartSettingsAnswer(district: district, try await service.settings(call.access, district: district))
        }
        routes.api(.put, SiteURL.apiSmartSettings, .signedIn, OperationDoc("put-smart-settings", "Set the district's thresholds (its admins)", tag: "smart"),
                   body: SmartSettingsBody.self) { call, body in
            let district = try call.id("districts")
            return SmartSettingsAnswer(district: district, try await service.setSettings(call.access, district: district, body.settings))
        }
        // Devices
        routes.api(.post, SiteURL.apiCompoundDevices, .signedIn,
                   OperationDoc("register-device", "Register a device at a gate or entrance; the answer holds its key, shown this once", tag: "smart"),
                   body: DeviceBody.self, status: .created) { call, body in
            let (d, key) = try await service.register(call.access, compound: try call.id("compounds"), body.input)
            return DeviceAnswer(d, settings: try await service.settings(district: d.districtId, on: service.db), now: call.now, key: key)
        }
        routes.api(.get, SiteURL.apiCompoundDevices, .signedIn, OperationDoc("list-compound-devices", "A compound's devices with their state: staff over it and its company", tag: "smart")) { call in
            let compound = try call.id("compounds")
            let devices = try await service.devices(call.access, compound: compound)
            let s = try await service.settings(district: try await service.place(compound: compound, on: service.db).district, on: service.db)
            return Items(items: devices.map { DeviceAnswer($0, settings: s, now: call.now) })
        }
        routes.api(.get, SiteURL.apiDevices, .signedIn, OperationDoc("list-devices", "Every device the caller watches, by compound and place", tag: "smart",
                                                                     parameters: [.query("state", .choice(DeviceState.self), "only devices in this state")])) { call in
            var state: DeviceState?
            if let raw = call.query.get("state"), !raw.isEmpty {
                state = DeviceState(rawValue: raw)
                if state == nil { throw DomainError.invalid([FieldError(field: "state", code: "invalid_choice", message: DeviceState.codes.joined(separator: ", "))]) }
            }
            var settings: [UUID: SmartSettings] = [:]
            var out: [DeviceAnswer] = []
            for d in try await service.devices(call.access) {
                if settings[d.districtId] == nil { settings[d.districtId] = try await service.settings(district: d.districtId, on: service.db) }
                let a = DeviceAnswer(d, settings: settings[d.districtId]!, now: call.now)
                if state == nil || a.state == state!.rawValue { out.append(a) }
            }
            return Items(items: out)
        }
        routes.api(.get, SiteURL.apiDevice, .signedIn, OperationDoc("get-device", "One device", tag: "smart")) { call in
            let d = try await service.device(call.access, id: try call.id("devices"))
            return DeviceAnswer(d, settings: try await service.settings(district: d.districtId, on: service.db), now: call.now)
        }
        routes.api(.put, SiteURL.apiDevice, .signedIn, OperationDoc("put-device", "Change a device's name, place, building, vendor or model (not its kind)", tag: "smart"),
                   body: DeviceBody.self) { call, body in
            let d = try await service.update(call.access, id: try call.id("devices"), body.input)
            return DeviceAnswer(d, settings: try await service.settings(district: d.districtId, on: service.db), now: call.now)
        }
        routes.api(.post, SiteURL.apiDeviceKey, .signedIn,
                   OperationDoc("reissue-device-key", "A new key for the device; the old one stops working at once. Shown this once", tag: "smart")) { call in
            let (d, key) = try await service.reissueKey(call.access, id: try call.id("devices"))
            return DeviceAnswer(d, settings: try await service.settings(district: d.districtId, on: service.db), now: call.now, key: key)
        }
        routes.api(.delete, SiteURL.apiDeviceKey, .signedIn,
                   OperationDoc("revoke-device-key", "Revoke the device's key: its batches are refused from now on", tag: "smart", errors: [409: "Already revoked"])) { call in
            let d = try await service.revokeKey(call.access, id: try call.id("devices"))
            return DeviceAnswer(d, settings: try await service.settings(district: d.districtId, on: service.db), now: call.now)
        }
        // The devices' own routes
        routes.device(.post, SiteURL.apiDeviceEvents,
                      OperationDoc("post-device-events", """
                          A device's (or its compound's gateway's) batch of up to 1,000 events, with the device's key as the bearer token. Each event is \
                          checked on its own: good ones are stored, bad ones listed by index in `rejected` with their fields, and a retried event (same \
                          device, same id) is counted in `duplicates`, never stored twice. The answer comes once the batch is durable.
                          """, tag: "smart"),
                      body: DeviceBatchBody.self, lookup: lookup) { device, body, now in
            var items: [SmartService.BatchItem] = []
            var early: [(Int, [FieldError])] = []
            for (i, e) in body.events.enumerated() {
                if e.problems.isEmpty { items.append(.init(deviceId: e.deviceId, event: e.event)) } else { early.append((i, e.problems)); items.append(.init(deviceId: e.deviceId, event: DeviceEventInput(eventId: "", kind: "", occurredAt: nil))) }
            }
            var result = try await service.ingest(from: device, items, now: now)
            // Events whose fields could not be read are reported as read, not by the rules' second look.
            let earlyIndexes = Set(early.map(\.0))
            result.rejected = (result.rejected.filter { !earlyIndexes.contains($0.index) } + early.map { (index: $0.0, errors: $0.1) }).sorted { $0.index < $1.index }
            return IngestAnswer(result)
        }
        routes.device(.get, SiteURL.apiGatewayDevices,
                      OperationDoc("gateway-devices", "For a gateway's key: the devices of its compound it may post for (for a device, itself)", tag: "smart"),
                      lookup: lookup) { device, _ in
            let all = device.kind == .gateway ? try await service.db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE d.compound_id = \(bind: device.compoundId) ORDER BY d.place, d.name")
                .all().map { try DeviceRecord(row: $0) } : [device]
            return Items(items: all.map { GatewayDeviceAnswer(id: $0.id.text, kind: $0.kind.rawValue, name: $0.name, place: $0.place) })
        }
        routes.device(.post, SiteURL.apiDevicePasses,
                      OperationDoc("device-check-pass", "A gate device checks a visitor's pass of its compound: admitted once, inside its window", tag: "smart"),
                      body: PassCheckBody.self, lookup: lookup) { device, body, now in
            let (verdict, pass) = try await service.checkPass(nil, device: device, code: body.code, now: now)
            return PassVerdictAnswer(verdict, pass)
        }
        // Alerts
        routes.api(.get, SiteURL.apiAlerts, .signedIn, OperationDoc("list-alerts", "Alerts of the compounds the caller watches (staff): open first, newest first", tag: "smart", parameters: [
            .query("open", .boolean, "only open ones"), .query("compoundId", .uuid, "one compound"), .query("kind", .choice(AlertKind.self), "one kind"),
        ])) { call in
            var kind: AlertKind?
            if let raw = call.query.get("kind"), !raw.isEmpty {
                kind = AlertKind(rawValue: raw)
                if kind == nil { throw DomainError.invalid([FieldError(field: "kind", code: "invalid_choice", message: AlertKind.codes.joined(separator: ", "))]) }
            }
            let open = call.query.get("open") == "true"
            return Items(items: try await service.alerts(call.access, openOnly: open, compound: try MenuAPI.optionalId(call, "compoundId"), kind: kind).map { AlertAnswer($0) })
        }
        routes.api(.get, SiteURL.apiAlert, .signedIn, OperationDoc("get-alert", "One alert with its log", tag: "smart")) { call in
            let (a, log) = try await service.alert(call.access, id: try call.id("alerts"))
            return AlertAnswer(a, log: log)
        }
        routes.api(.post, SiteURL.apiAlertActions, .signedIn,
                   OperationDoc("act-on-alert", "Acknowledge, handle, close (with a note) or note an alert", tag: "smart", errors: [409: "Not possible in the alert's state"]),
                   body: AlertActionBody.self) { call, body in
            let a = try await service.act(call.access, id: try call.id("alerts"), body.action, note: body.note)
            return AlertAnswer(a, log: try await service.alert(call.access, id: a.id).1)
        }
        routes.api(.post, SiteURL.apiAlertRequest, .signedIn,
                   OperationDoc("alert-to-request", "Turn the alert into a request to the compound's company", tag: "smart", errors: [409: "Closed, or already a request"]),
                   body: AlertEscalationBody.self, optional: true, status: .created) { call, body in
            let id = try call.id("alerts")
            let request = try await service.toRequest(call.access, id: id, note: body.note)
            let (a, log) = try await service.alert(call.access, id: id)
            return LinkAnswer(alert: AlertAnswer(a, log: log), requestId: request.text, caseId: a.caseId?.text)
        }
        routes.api(.post, SiteURL.apiAlertWhistle, .signedIn,
                   OperationDoc("alert-to-whistle", "Blow the whistle on the alert: a case summoning the company serving the compound (the street's staff)", tag: "smart",
                                errors: [409: "Closed, already a case, or no company serves the compound"]),
                   body: AlertEscalationBody.self, optional: true, status: .created) { call, body in
            let id = try call.id("alerts")
            let caseId = try await service.toWhistle(call.access, id: id, reportBy: body.reportBy ?? call.now.addingTimeInterval(86_400), note: body.note)
            let (a, log) = try await service.alert(call.access, id: id)
            return LinkAnswer(alert: AlertAnswer(a, log: log), requestId: a.requestId?.text, caseId: caseId.text)
        }
        routes.api(.get, SiteURL.apiAlertCounts, .signedIn, OperationDoc("alert-counts", "Alerts raised in a month per compound and kind, over what the caller watches", tag: "smart",
                                                                         parameters: [.query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (default this month)"),
                                                                                      .query("compoundId", .uuid, "one compound")])) { call in
            let counts = try await service.counts(call.access, month: try Self.month(call), compound: try MenuAPI.optionalId(call, "compoundId"))
            return Items(items: counts.map { AlertCountAnswer(compoundId: $0.compoundId.text, compound: $0.compound, kind: $0.kind.rawValue, count: Int64($0.count)) })
        }
        // Access records and visitors
        routes.api(.get, SiteURL.apiAccessEvents, .signedIn, OperationDoc("list-access-events", "A compound's entries, refusals, door events and readings in a window (at most 31 days), newest first; never a person", tag: "smart", parameters: [
            .query("compoundId", .uuid, "the compound", required: true), .query("deviceId", .uuid, "one entrance's device"),
            .query("from", .dateTime, "start (default a day before the end)"), .query("to", .dateTime, "end (default now)"),
        ])) { call in
            guard let compound = try MenuAPI.optionalId(call, "compoundId") else { throw DomainError.invalid([FieldError(field: "compoundId", code: "required", message: "the compound")]) }
            let (from, to) = try Self.window(call)
            return Items(items: try await service.accessEvents(call.access, compound: compound, device: try MenuAPI.optionalId(call, "deviceId"), from: from, to: to)
                .map(AccessEventAnswer.init))
        }
        routes.api(.get, SiteURL.apiAccessHours, .signedIn, OperationDoc("access-hours", "Entries, refusals and visitors per hour of a day at a compound", tag: "smart",
                                                                         parameters: [.query("day", .date, "YYYY-MM-DD (default today)")])) { call in
            var day = Timestamp.today(call.now)
            if let raw = call.query.get("day"), !raw.isEmpty {
                guard let d = CivilDate(raw) else { throw DomainError.invalid([FieldError(field: "day", code: "invalid_format", message: "YYYY-MM-DD")]) }
                day = d
            }
            let hours = try await service.hourly(call.access, compound: try call.id("compounds"), day: day)
            return Items(items: hours.enumerated().map { HourAnswer(hour: Int64($0.offset), granted: Int64($0.element.granted), denied: Int64($0.element.denied),
                                                                    visitors: Int64($0.element.visitors)) })
        }
        routes.api(.post, SiteURL.apiPersonSearch, .signedIn,
                   OperationDoc("person-entries", "One person's entries in the district: its admins only, with the reason recorded in the audit log", tag: "smart"),
                   body: PersonSearchBody.self) { call, body in
            Items(items: try await service.personEntries(call.access, district: body.districtId, person: body.person, reason: body.reason, from: body.from, to: body.to)
                .map(AccessEventAnswer.init))
        }
        routes.api(.post, SiteURL.apiVisitorPasses, .signedIn,
                   OperationDoc("register-visitor", "An owner or resident registers a visitor for a room of theirs and a window; the answer holds the pass code and its QR text", tag: "smart"),
                   body: VisitorPassBody.self, status: .created) { call, body in
            VisitorPassAnswer(try await service.registerVisitor(call.access, room: body.roomId, body.input))
        }
        routes.api(.get, SiteURL.apiVisitorPasses, .signedIn, OperationDoc("list-visitor-passes", "The caller's own passes, newest first", tag: "smart")) { call in
            Items(items: try await service.passes(call.access).map(VisitorPassAnswer.init))
        }
        routes.api(.get, SiteURL.apiVisitorPass, .signedIn, OperationDoc("get-visitor-pass", "One of the caller's passes", tag: "smart")) { call in
            VisitorPassAnswer(try await service.pass(call.access, id: try call.id("visitor-passes")))
        }
        routes.api(.delete, SiteURL.apiVisitorPass, .signedIn,
                   OperationDoc("revoke-visitor-pass", "Revoke one of the caller's passes before it is used", tag: "smart", errors: [409: "Already used or revoked"])) { call in
            VisitorPassAnswer(try await service.revokePass(call.access, id: try call.id("visitor-passes")))
        }
        routes.api(.post, SiteURL.apiPassCheck, .signedIn,
                   OperationDoc("check-visitor-pass", "A guard checks a pass at the gate of a compound they keep: admitted once, inside its window; a code of another compound is unknown", tag: "smart"),
                   body: PassCheckBody.self) { call, body in
            let (verdict, pass) = try await service.checkPass(call.access, device: nil, code: body.code, now: call.now)
            return PassVerdictAnswer(verdict, pass)
        }
        routes.api(.get, SiteURL.apiVisitorCounts, .signedIn, OperationDoc("visitor-counts", "Visitors let in per compound and day of a month (counts only, never names)", tag: "smart",
                                                                           parameters: [.query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (default this month)"),
                                                                                        .query("compoundId", .uuid, "one compound")])) { call in
            let counts = try await service.visitorCounts(call.access, month: try Self.month(call), compound: try MenuAPI.optionalId(call, "compoundId"))
            return Items(items: counts.map { VisitorCountAnswer(compoundId: $0.compoundId.text, compound: $0.compound, day: $0.day, passes: Int64($0.passes), people: Int64($0.people)) })
        }
    }
}
