import Domain
import Foundation

/// `PUT /api/v1/districts/{id}/smart-settings`.
struct SmartSettingsBody: APIBody {
    let settings: SmartSettings

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        func int(_ name: String, _ message: String) -> Int? { r.required(name, Int.self, message) }
        let fever = int("feverTenths", "°C in tenths, 370 to 400"), confirm = int("confirmMinutes", "minutes, 0 to 120")
        let offline = int("offlineMinutes", "minutes, 2 to 1440"), count = int("denialCount", "2 to 100"), window = int("denialWindowMinutes", "minutes, 1 to 120")
        let retention = int("retentionDays", "days, 7 to 3650")
        try r.finish()
        guard let fever, let confirm, let offline, let count, let window, let retention else { throw r.failure }
        settings = SmartSettings(feverTenths: fever, confirmMinutes: confirm, offlineMinutes: offline, denialCount: count, denialWindowMinutes: window, retentionDays: retention)
        let problems = settings.problems()
        if !problems.isEmpty { throw DomainError.invalid(problems) }
    }

    static var schema: Schema {
        .object([.req("feverTenths", .integer(minimum: 370, maximum: 400)), .req("confirmMinutes", .integer(minimum: 0, maximum: 120)),
                 .req("offlineMinutes", .integer(minimum: 2, maximum: 1_440)), .req("denialCount", .integer(minimum: 2, maximum: 100)),
                 .req("denialWindowMinutes", .integer(minimum: 1, maximum: 120)), .req("retentionDays", .integer(minimum: 7, maximum: 3_650))])
    }
}

struct SmartSettingsAnswer: APIAnswer {
    let districtId: String, feverTenths: Int64, fever: String, confirmMinutes: Int64, offlineMinutes: Int64, denialCount: Int64, denialWindowMinutes: Int64, retentionDays: Int64

    init(district: UUID, _ s: SmartSettings) {
        districtId = district.text; feverTenths = Int64(s.feverTenths); fever = DeviceEventRules.celsius(s.feverTenths); confirmMinutes = Int64(s.confirmMinutes)
        offlineMinutes = Int64(s.offlineMinutes); denialCount = Int64(s.denialCount); denialWindowMinutes = Int64(s.denialWindowMinutes); retentionDays = Int64(s.retentionDays)
    }

    static var schema: Schema {
        .object([.req("districtId", .uuid), .req("feverTenths", .integer(minimum: 370, maximum: 400)), .req("fever", .string(pattern: "^[0-9]+\\.[0-9]$")),
                 .req("confirmMinutes", .integer(minimum: 0)), .req("offlineMinutes", .integer(minimum: 2)), .req("denialCount", .integer(minimum: 2)),
                 .req("denialWindowMinutes", .integer(minimum: 1)), .req("retentionDays", .integer(minimum: 7))])
    }
}

/// `POST /api/v1/compounds/{id}/devices` and `PUT /api/v1/devices/{id}`.
struct DeviceBody: APIBody {
    let input: SmartService.DeviceInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let kind = r.choice("kind", DeviceKind.self, required: true)
        let name = r.text("name", required: true, max: 100, "a name of at most 100 characters")
        let place = r.text("place", required: true, max: 100, "where it is (东门, 3号楼1单元)")
        let building = r.id("buildingId", required: false)
        let vendor = r.text("vendor", required: false, max: 100, "at most 100 characters"), model = r.text("model", required: false, max: 100, "at most 100 characters")
        try r.finish()
        guard let kind, let name, let place else { throw r.failure }
        input = .init(kind: kind, name: name, place: place, buildingId: building, vendor: vendor ?? "", model: model ?? "")
    }

    static var schema: Schema {
        .object([.req("kind", .choice(DeviceKind.self)), .req("name", .string(minLength: 1, maxLength: 100)), .req("place", .string(minLength: 1, maxLength: 100)),
                 .opt("buildingId", .nullable(.uuid)), .opt("vendor", .nullable(.string(maxLength: 100))), .opt("model", .nullable(.string(maxLength: 100)))])
    }
}

struct DeviceAnswer: APIAnswer {
    let id: String, compoundId: String, compound: String, buildingId: String?, kind: String, name: String, place: String, vendor: String, model: String
    let state: String, lastSeenAt: String?, keyIssuedAt: String, revokedAt: String?
    /// Only in the answer that made the key (registration, reissue): it is never shown again.
    let key: String?

    init(_ d: DeviceRecord, settings: SmartSettings, now: Date, key: String? = nil) {
        id = d.id.text; compoundId = d.compoundId.text; compound = d.compoundName; buildingId = d.buildingId?.text; kind = d.kind.rawValue; name = d.name
        place = d.place; vendor = d.vendor; model = d.model; state = d.state(now: now, offlineMinutes: settings.offlineMinutes).rawValue
        lastSeenAt = d.lastSeenAt.map(Timestamp.iso); keyIssuedAt = Timestamp.iso(d.keyIssuedAt); revokedAt = d.revokedAt.map(Timestamp.iso); self.key = key
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .null("buildingId", .uuid), .req("kind", .choice(DeviceKind.self)),
                 .req("name", .string()), .req("place", .string()), .req("vendor", .string()), .req("model", .string()), .req("state", .choice(DeviceState.self)),
                 .null("lastSeenAt", .dateTime), .req("keyIssuedAt", .dateTime), .null("revokedAt", .dateTime),
                 .null("key", .string(pattern: "^gzd_[0-9a-f]{48}$", description: "the device's key, shown once"))])
    }
}

/// One event of a batch. Read leniently: a problem with one event is reported by its index and
/// does not refuse the others.
struct DeviceEventBody: APIBody {
    let deviceId: UUID?
    let event: DeviceEventInput
    /// What was wrong with the event's fields as sent (the rules add theirs).
    let problems: [FieldError]

    init(from decoder: any Decoder) throws {
        guard var r = try? FieldReader(decoder) else {
            deviceId = nil
            event = DeviceEventInput(eventId: "", kind: "", occurredAt: nil)
            problems = [FieldError(field: FieldReader.name(decoder.codingPath), code: "invalid", message: "each event is an object")]
            return
        }
        deviceId = r.id("deviceId", required: false)
        let id = r.text("id", required: true, max: 100, "the device's own id of the event")
        let type = r.text("type", required: true, max: 40, "what happened: " + DeviceEventKind.codes.joined(separator: ", "))
        let at = r.instant("at", required: true, "when it happened, ISO 8601")
        let method = r.text("method", required: false, max: 20, AccessMethod.codes.joined(separator: ", "))
        let person = r.text("person", required: false, max: 200, "the vendor's reference of the person")
        let temperature = r.optional("temperature", Int.self, "°C in tenths, a whole number (365 is 36.5 °C)")
        let pass = r.text("passCode", required: false, max: 20, "the visitor's pass code")
        event = DeviceEventInput(eventId: id ?? "", kind: type ?? "", occurredAt: at, method: method, person: person, temperatureTenths: temperature, passCode: pass)
        problems = r.errors.all
    }

    static var schema: Schema {
        .object([.req("id", .string(minLength: 1, maxLength: 100)), .req("type", .choice(DeviceEventKind.self)), .req("at", .dateTime),
                 .opt("deviceId", .nullable(.uuid)), .opt("method", .nullable(.choice(AccessMethod.self))), .opt("person", .nullable(.string(minLength: 1, maxLength: 200))),
                 .opt("temperature", .nullable(.integer(minimum: 300, maximum: 450))), .opt("passCode", .nullable(.string(maxLength: 20)))])
    }
}

/// `POST /api/v1/device-events`: up to 1,000 events.
struct DeviceBatchBody: APIBody {
    let events: [DeviceEventBody]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let events = r.list("events", DeviceEventBody.self, required: true, "a list of events")
        r.check((events?.count ?? 0) <= DeviceEventRules.maxBatch, "events", "too_many", "at most \(DeviceEventRules.maxBatch) events in one batch")
        try r.finish()
        guard let events else { throw r.failure }
        self.events = events
    }

    static var schema: Schema { .object([.req("events", .array(.named(DeviceEventBody.self)))]) }
}

struct IngestAnswer: APIAnswer {
    struct Rejected: Codable, Sendable { let index: Int64, fields: [FieldError] }
    let accepted: Int64, duplicates: Int64, rejected: [Rejected], alerts: Int64, cleared: Int64

    init(_ r: IngestResult) {
        accepted = Int64(r.accepted); duplicates = Int64(r.duplicates); alerts = Int64(r.alerts); cleared = Int64(r.cleared)
        rejected = r.rejected.map { Rejected(index: Int64($0.index), fields: $0.errors) }
    }

    static var schema: Schema {
        .object([.req("accepted", .integer(minimum: 0)), .req("duplicates", .integer(minimum: 0)), .req("alerts", .integer(minimum: 0)), .req("cleared", .integer(minimum: 0)),
                 .req("rejected", .array(.object([.req("index", .integer(minimum: 0)),
                                                  .req("fields", .array(.object([.req("field", .string()), .req("code", .string()), .req("message", .string())])))])))])
    }
}

/// `POST /api/v1/alerts/{id}/actions`.
struct AlertActionBody: APIBody {
    let action: AlertAction, note: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let action = r.choice("action", AlertAction.self, required: true)
        let note = r.text("note", required: false, max: 2000, "at most 2000 characters")
        try r.finish()
        guard let action else { throw r.failure }
        self.action = action; self.note = note ?? ""
    }

    static var schema: Schema {
        .object([.req("action", .choice(["acknowledge", "handle", "close", "note"])), .opt("note", .nullable(.string(maxLength: 2000)))])
    }
}

/// `POST /api/v1/alerts/{id}/request` and `…/whistle`.
struct AlertEscalationBody: APIBody {
    let note: String, reportBy: Date?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let note = r.text("note", required: false, max: 2000, "at most 2000 characters")
        let by = r.instant("reportBy", required: false, "when the company reports back (a whistle case), ISO 8601")
        try r.finish()
        self.note = note ?? ""; reportBy = by
    }

    static var schema: Schema { .object([.opt("note", .nullable(.string(maxLength: 2000))), .opt("reportBy", .nullable(.dateTime))]) }
}

struct AlertAnswer: APIAnswer {
    struct Entry: Codable, Sendable { let action: String, note: String, actor: String, at: String }
    let id: String, compoundId: String, compound: String, deviceId: String?, device: String?, place: String, kind: String, status: String
    let raisedAt: String, temperature: String?, count: Int64?, requestId: String?, caseId: String?, closedAt: String?, updatedAt: String
    let log: [Entry]?

    init(_ a: AlertRecord, log entries: [AlertLogEntry]? = nil) {
        id = a.id.text; compoundId = a.compoundId.text; compound = a.compoundName; deviceId = a.deviceId?.text; device = a.deviceName; place = a.place
        kind = a.kind.rawValue; status = a.status.rawValue; raisedAt = Timestamp.iso(a.raisedAt); temperature = a.temperature.map(DeviceEventRules.celsius)
        count = a.count.map(Int64.init); requestId = a.requestId?.text; caseId = a.caseId?.text; closedAt = a.closedAt.map(Timestamp.iso)
        updatedAt = Timestamp.iso(a.updatedAt)
        log = entries.map { $0.map { Entry(action: $0.action, note: $0.note, actor: $0.actor, at: Timestamp.iso($0.at)) } }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .null("deviceId", .uuid), .null("device", .string()),
                 .req("place", .string()), .req("kind", .choice(AlertKind.self)), .req("status", .choice(AlertStatus.self)), .req("raisedAt", .dateTime),
                 .null("temperature", .string(pattern: "^[0-9]+\\.[0-9]$")), .null("count", .integer(minimum: 0)), .null("requestId", .uuid), .null("caseId", .uuid),
                 .null("closedAt", .dateTime), .req("updatedAt", .dateTime),
                 .null("log", .array(.object([.req("action", .string()), .req("note", .string()), .req("actor", .string()), .req("at", .dateTime)])))])
    }
}

struct LinkAnswer: APIAnswer {
    let alert: AlertAnswer, requestId: String?, caseId: String?

    static var schema: Schema { .object([.req("alert", .named(AlertAnswer.self)), .null("requestId", .uuid), .null("caseId", .uuid)]) }
}

struct AlertCountAnswer: APIAnswer {
    let compoundId: String, compound: String, kind: String, count: Int64

    static var schema: Schema { .object([.req("compoundId", .uuid), .req("compound", .string()), .req("kind", .choice(AlertKind.self)), .req("count", .integer(minimum: 1))]) }
}

struct AccessEventAnswer: APIAnswer {
    let id: String, compoundId: String, deviceId: String?, device: String?, place: String?, type: String, at: String, method: String?, temperature: String?

    init(_ e: AccessEventRecord) {
        id = e.id.text; compoundId = e.compoundId.text; deviceId = e.deviceId?.text; device = e.deviceName; place = e.place; type = e.kind.rawValue
        at = Timestamp.iso(e.at); method = e.method?.rawValue; temperature = e.temperature.map(DeviceEventRules.celsius)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .null("deviceId", .uuid), .null("device", .string()), .null("place", .string()),
                 .req("type", .choice(DeviceEventKind.self)), .req("at", .dateTime), .null("method", .choice(AccessMethod.self)),
                 .null("temperature", .string(pattern: "^[0-9]+\\.[0-9]$"))])
    }
}

struct HourAnswer: APIAnswer {
    let hour: Int64, granted: Int64, denied: Int64, visitors: Int64

    static var schema: Schema {
        .object([.req("hour", .integer(minimum: 0, maximum: 23)), .req("granted", .integer(minimum: 0)), .req("denied", .integer(minimum: 0)), .req("visitors", .integer(minimum: 0))])
    }
}

/// `POST /api/v1/access-events/person-search`.
struct PersonSearchBody: APIBody {
    let districtId: UUID, person: String, reason: String, from: Date, to: Date

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let district = r.id("districtId", required: true)
        let person = r.text("person", required: true, max: 200, "the vendor's reference of the person")
        let reason = r.text("reason", required: true, max: 500, "why (recorded in the audit log)")
        let from = r.instant("from", required: true, "the window's start"), to = r.instant("to", required: true, "its end")
        try r.finish()
        guard let district, let person, let reason, let from, let to else { throw r.failure }
        districtId = district; self.person = person; self.reason = reason; self.from = from; self.to = to
    }

    static var schema: Schema {
        .object([.req("districtId", .uuid), .req("person", .string(minLength: 1, maxLength: 200)), .req("reason", .string(minLength: 4, maxLength: 500)),
                 .req("from", .dateTime), .req("to", .dateTime)])
    }
}

/// `POST /api/v1/visitor-passes`.
struct VisitorPassBody: APIBody {
    let roomId: UUID, input: VisitorInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let room = r.id("roomId", required: true)
        let name = r.text("visitorName", required: true, max: 50, "the visitor's name")
        let people = r.optional("people", Int.self, "how many people, 1 to 20")
        let plate = r.text("plate", required: false, max: 10, "a plate such as 京A12345")
        let from = r.instant("validFrom", required: true, "when the visit may start, ISO 8601"), to = r.instant("validTo", required: true, "when the pass ends")
        try r.finish()
        guard let room, let name, let from, let to else { throw r.failure }
        roomId = room
        input = VisitorInput(visitorName: name, people: people ?? 1, plate: plate, validFrom: from, validTo: to)
    }

    static var schema: Schema {
        .object([.req("roomId", .uuid), .req("visitorName", .string(minLength: 1, maxLength: 50)), .opt("people", .nullable(.integer(minimum: 1, maximum: 20))),
                 .opt("plate", .nullable(.string(maxLength: 10))), .req("validFrom", .dateTime), .req("validTo", .dateTime)])
    }
}

struct VisitorPassAnswer: APIAnswer {
    let id: String, compoundId: String, compound: String, roomId: String, host: String, code: String, visitorName: String, people: Int64, plate: String?
    let validFrom: String, validTo: String, status: String, usedAt: String?, qr: String

    init(_ v: VisitorPassRecord) {
        id = v.id.text; compoundId = v.compoundId.text; compound = v.compoundName; roomId = v.roomId.text; host = v.host; code = v.code; visitorName = v.visitorName
        people = Int64(v.people); plate = v.plate; validFrom = Timestamp.iso(v.validFrom); validTo = Timestamp.iso(v.validTo); status = v.status.rawValue
        usedAt = v.usedAt.map(Timestamp.iso); qr = v.qrText
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("compoundId", .uuid), .req("compound", .string()), .req("roomId", .uuid), .req("host", .string()),
                 .req("code", .string(pattern: "^[2-9A-HJKMNP-Z]{8}$")), .req("visitorName", .string()), .req("people", .integer(minimum: 1, maximum: 20)),
                 .null("plate", .string()), .req("validFrom", .dateTime), .req("validTo", .dateTime), .req("status", .choice(PassStatus.self)),
                 .null("usedAt", .dateTime), .req("qr", .string(description: "the text of the pass's QR code"))])
    }
}

/// `POST /api/v1/visitor-passes/check` (a guard) and `POST /api/v1/device-passes` (a gate device).
struct PassCheckBody: APIBody {
    let code: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let code = r.text("code", required: true, max: 40, "the pass code, or the text of its QR code")
        try r.finish()
        guard let code else { throw r.failure }
        self.code = code.hasPrefix("GZPASS:") ? String(code.dropFirst(7)) : code
    }

    static var schema: Schema { .object([.req("code", .string(minLength: 1, maxLength: 40))]) }
}

struct PassVerdictAnswer: APIAnswer {
    /// What the gate shows: the visitor's name, party and window, once the code is the compound's.
    struct Pass: Codable, Sendable { let visitorName: String, people: Int64, plate: String?, host: String, room: String, validFrom: String, validTo: String }
    let verdict: String, pass: Pass?

    init(_ verdict: PassVerdict, _ v: VisitorPassRecord?) {
        self.verdict = verdict.rawValue
        pass = v.map { Pass(visitorName: $0.visitorName, people: Int64($0.people), plate: $0.plate, host: $0.host, room: $0.roomLabel, validFrom: Timestamp.iso($0.validFrom),
                            validTo: Timestamp.iso($0.validTo)) }
    }

    static var schema: Schema {
        .object([.req("verdict", .choice(PassVerdict.self)),
                 .null("pass", .object([.req("visitorName", .string()), .req("people", .integer(minimum: 1)), .null("plate", .string()), .req("host", .string()),
                                        .req("room", .string()), .req("validFrom", .dateTime), .req("validTo", .dateTime)]))])
    }
}

struct VisitorCountAnswer: APIAnswer {
    let compoundId: String, compound: String, day: String, passes: Int64, people: Int64

    static var schema: Schema {
        .object([.req("compoundId", .uuid), .req("compound", .string()), .req("day", .date), .req("passes", .integer(minimum: 1)), .req("people", .integer(minimum: 1))])
    }
}

struct GatewayDeviceAnswer: APIAnswer {
    let id: String, kind: String, name: String, place: String

    static var schema: Schema { .object([.req("id", .uuid), .req("kind", .choice(DeviceKind.self)), .req("name", .string()), .req("place", .string())]) }
}
