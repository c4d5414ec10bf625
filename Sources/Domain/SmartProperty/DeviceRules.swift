import Foundation

/// What a device at a compound gate or building entrance is.
public enum DeviceKind: String, RegistryCode, Codable {
    /// A door controller (face recognition, app, card or password).
    case doorController = "door_controller"
    /// An entrance thermometer (测温): everyone entering is measured.
    case thermometer
    /// A camera reporting door states.
    case camera
    /// A vendor's gateway posting for the other devices of its compound.
    case gateway
}

/// Whether a device is heard from.
public enum DeviceState: String, RegistryCode, Codable {
    case online, offline
    /// Registered, never heard from.
    case never
}

/// What a device reports.
public enum DeviceEventKind: String, RegistryCode, Codable {
    case accessGranted = "access_granted"
    case accessDenied = "access_denied"
    case doorHeldOpen = "door_held_open"
    case doorForced = "door_forced"
    case temperature
    case heartbeat
    /// A visitor let in on a pass (by the gate device or the guard's phone page).
    case visitorEntry = "visitor_entry"

    /// Entries and refusals at a door.
    public var isAccess: Bool { [.accessGranted, .accessDenied, .visitorEntry].contains(self) }
}

/// How a person opened, or tried to open, a door.
public enum AccessMethod: String, RegistryCode, Codable {
    case face, app, card, password
    /// A visitor's pass code.
    case pass
}

/// A district's settings of smart property: the fever threshold and its confirmation window, when
/// a silent device is offline, what counts as repeated denials, and how long events are kept.
public struct SmartSettings: Sendable, Equatable, Codable {
    /// A reading at or above this (°C in tenths) is a fever. Default 37.3 °C.
    public var feverTenths: Int
    /// A reading of the same person below the threshold within this many minutes clears the fever.
    public var confirmMinutes: Int
    /// Minutes of silence after which a device is offline.
    public var offlineMinutes: Int
    /// This many denials at one door within `denialWindowMinutes` raise an alert.
    public var denialCount: Int
    public var denialWindowMinutes: Int
    /// Events older than this many days are purged.
    public var retentionDays: Int

    public static let standard = SmartSettings(feverTenths: 373, confirmMinutes: 10, offlineMinutes: 10, denialCount: 5, denialWindowMinutes: 5, retentionDays: 180)

    public init(feverTenths: Int, confirmMinutes: Int, offlineMinutes: Int, denialCount: Int, denialWindowMinutes: Int, retentionDays: Int) {
        self.feverTenths = feverTenths; self.confirmMinutes = confirmMinutes; self.offlineMinutes = offlineMinutes
        self.denialCount = denialCount; self.denialWindowMinutes = denialWindowMinutes; self.retentionDays = retentionDays
    }

    /// Every out-of-range setting, by its field.
    public func problems() -> [FieldError] {
        var errors = FieldErrors()
        if !(370...400).contains(feverTenths) { errors.add("feverTenths", "out_of_range", "37.0 to 40.0 °C, in tenths (373 is 37.3 °C)") }
        if !(0...120).contains(confirmMinutes) { errors.add("confirmMinutes", "out_of_range", "0 (no confirmation) to 120 minutes") }
        if !(2...1_440).contains(offlineMinutes) { errors.add("offlineMinutes", "out_of_range", "2 minutes to a day") }
        if !(2...100).contains(denialCount) { errors.add("denialCount", "out_of_range", "2 to 100 denials") }
        if !(1...120).contains(denialWindowMinutes) { errors.add("denialWindowMinutes", "out_of_range", "1 to 120 minutes") }
        if !(7...3_650).contains(retentionDays) { errors.add("retentionDays", "out_of_range", "7 days to 10 years") }
        return errors.all
    }
}

/// One event as a device sent it, before it is checked.
public struct DeviceEventInput: Sendable, Equatable {
    /// The device's own id of the event: a retried batch is recognised by it.
    public var eventId: String
    public var kind: String
    public var occurredAt: Date?
    public var method: String?
    /// The vendor's reference of the person (a face template id, a card number): stored only as a keyed hash.
    public var person: String?
    /// °C in tenths.
    public var temperatureTenths: Int?
    /// The visitor's pass code, for a visitor entry.
    public var passCode: String?

    public init(eventId: String, kind: String, occurredAt: Date?, method: String? = nil, person: String? = nil, temperatureTenths: Int? = nil, passCode: String? = nil) {
        self.eventId = eventId; self.kind = kind; self.occurredAt = occurredAt; self.method = method
        self.person = person; self.temperatureTenths = temperatureTenths; self.passCode = passCode
    }
}

/// An event that passed the checks.
public struct DeviceEventFact: Sendable, Equatable {
    public var eventId: String
    public var kind: DeviceEventKind
    public var at: Date
    public var method: AccessMethod?
    /// The person's keyed hash (never the reference itself).
    public var personHash: String?
    public var temperatureTenths: Int?

    public init(eventId: String, kind: DeviceEventKind, at: Date, method: AccessMethod? = nil, personHash: String? = nil, temperatureTenths: Int? = nil) {
        self.eventId = eventId; self.kind = kind; self.at = at; self.method = method; self.personHash = personHash; self.temperatureTenths = temperatureTenths
    }
}

/// An event checked: the fact to store, or every problem with it.
public enum EventCheck: Sendable, Equatable {
    case accepted(DeviceEventFact)
    case refused([FieldError])
}

/// Checks of device events. A batch is taken event by event: the good ones are kept and each bad
/// one is reported by its index, so one garbled reading does not make a gateway resend (and lose)
/// a thousand good ones.
public enum DeviceEventRules {
    /// At most this many events in one batch.
    public static let maxBatch = 1_000
    /// An event may be dated at most this far ahead of the server's clock (device clocks drift).
    public static let maxSkew: TimeInterval = 300
    /// Readings outside 30.0–45.0 °C are a fault of the thermometer, not a person.
    public static let temperatureRange = 300...450

    /// The kinds a device of `kind` may report.
    public static func reports(_ kind: DeviceKind) -> Set<DeviceEventKind> {
        switch kind {
        case .doorController: [.accessGranted, .accessDenied, .doorHeldOpen, .doorForced, .heartbeat, .visitorEntry]
        case .thermometer: [.temperature, .heartbeat]
        case .camera: [.doorHeldOpen, .doorForced, .heartbeat]
        case .gateway: [.heartbeat]
        }
    }

    /// The event checked, or the problems with it (fields prefixed `events[i].`).
    public static func check(_ e: DeviceEventInput, index: Int, device: DeviceKind, now: Date, retentionDays: Int,
                             hash: (String) -> String) -> EventCheck {
        var errors = FieldErrors()
        let p = "events[\(index)]."
        if e.eventId.isEmpty || e.eventId.count > 100 { errors.add(p + "id", "required", "the device's own id of the event, at most 100 characters") }
        let kind = DeviceEventKind(rawValue: e.kind)
        if kind == nil { errors.add(p + "type", "invalid_choice", DeviceEventKind.codes.joined(separator: ", ")) }
        if let kind, !reports(device).contains(kind) { errors.add(p + "type", "not_reported", "a \(device.rawValue) does not report \(kind.rawValue)") }
        if let at = e.occurredAt {
            if at.timeIntervalSince(now) > maxSkew { errors.add(p + "at", "in_future", "more than five minutes ahead of the server's clock") }
            if now.timeIntervalSince(at) > Double(retentionDays) * 86_400 { errors.add(p + "at", "too_old", "older than the district keeps events") }
        } else {
            errors.add(p + "at", "required", "when it happened, ISO 8601")
        }
        var method: AccessMethod?
        if let raw = e.method {
            method = AccessMethod(rawValue: raw)
            if method == nil { errors.add(p + "method", "invalid_choice", AccessMethod.codes.joined(separator: ", ")) }
        }
        if let kind, [.accessGranted, .accessDenied].contains(kind), method == nil, e.method == nil {
            errors.add(p + "method", "required", "face, app, card or password")
        }
        if kind == .visitorEntry && (e.passCode ?? "").isEmpty { errors.add(p + "passCode", "required", "the visitor's pass code") }
        if kind == .temperature {
            if let t = e.temperatureTenths {
                if !temperatureRange.contains(t) { errors.add(p + "temperature", "out_of_range", "30.0 to 45.0 °C, in tenths") }
            } else {
                errors.add(p + "temperature", "required", "°C in tenths (365 is 36.5 °C)")
            }
        }
        if let person = e.person, person.isEmpty || person.count > 200 { errors.add(p + "person", "invalid_format", "1 to 200 characters") }
        guard errors.isEmpty, let kind, let at = e.occurredAt else { return .refused(errors.all) }
        return .accepted(DeviceEventFact(eventId: e.eventId, kind: kind, at: at, method: kind == .visitorEntry ? .pass : method,
                                        personHash: e.person.map(hash), temperatureTenths: kind == .temperature ? e.temperatureTenths : nil))
    }

    /// A device's state from when it was last heard from.
    public static func state(lastSeen: Date?, now: Date, offlineMinutes: Int) -> DeviceState {
        guard let lastSeen else { return .never }
        return now.timeIntervalSince(lastSeen) >= Double(offlineMinutes) * 60 ? .offline : .online
    }

    /// "36.5" from 365.
    public static func celsius(_ tenths: Int) -> String {
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return "\(sign)\(a / 10).\(a % 10)"
    }

    /// 365 from "36.5" (one decimal at most), nil for anything else.
    public static func tenths(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole < 1000 else { return nil }
        if parts.count == 1 { return whole * 10 }
        guard parts[1].count == 1, let d = Int(parts[1]), d >= 0 else { return nil }
        return whole * 10 + d
    }
}
