import Foundation

/// What an alert is about.
public enum AlertKind: String, RegistryCode, Codable {
    /// A reading at or above the district's threshold (发热).
    case fever
    /// A device silent for longer than the district allows.
    case deviceOffline = "device_offline"
    /// Repeated denials at one door within a window (someone trying faces, cards or codes).
    case repeatedDenials = "repeated_denials"
    case doorHeldOpen = "door_held_open"
    case doorForced = "door_forced"

    /// At most one alert of this kind is open per device at a time (a second one adds nothing).
    public var onePerDevice: Bool { self != .fever }
}

/// Where an alert stands on the command centre's board.
public enum AlertStatus: String, RegistryCode, Codable {
    case open, acknowledged, handling, closed
    /// Closed by the system: a confirmation reading below the threshold, or the device heard again.
    case cleared

    public var isOpen: Bool { [.open, .acknowledged, .handling].contains(self) }
}

/// What an officer does with an alert.
public enum AlertAction: String, RegistryCode, Codable {
    /// Seen: someone is on it.
    case acknowledge
    /// Being handled (someone went to the gate, the company was called).
    case handle
    /// Done, with what was found.
    case close
    /// A note only.
    case note
    /// Turned into a request to the compound's company.
    case toRequest = "to_request"
    /// Turned into a whistle case (吹哨) summoning the company.
    case toWhistle = "to_whistle"
}

/// Something an alert should be raised for, found in a device's events.
public struct AlertCandidate: Sendable, Equatable {
    public var kind: AlertKind
    public var at: Date
    /// The event that raised it (nil for a device gone silent).
    public var eventId: String?
    public var temperatureTenths: Int?
    public var personHash: String?
    /// Denials counted in the window.
    public var count: Int?

    public init(kind: AlertKind, at: Date, eventId: String? = nil, temperatureTenths: Int? = nil, personHash: String? = nil, count: Int? = nil) {
        self.kind = kind; self.at = at; self.eventId = eventId; self.temperatureTenths = temperatureTenths; self.personHash = personHash; self.count = count
    }
}

/// The rules of alerts, over the events of one device in the order they happened.
public enum AlertRules {
    /// The alerts a device's new events raise. `earlierDenials` are the times of the device's
    /// denials already stored within the window before the first new event (so a burst split
    /// across two batches is still one burst). At most one repeated-denials alert per call.
    public static func raised(by events: [DeviceEventFact], earlierDenials: [Date] = [], settings: SmartSettings) -> [AlertCandidate] {
        var out: [AlertCandidate] = []
        let sorted = events.sorted { ($0.at, $0.eventId) < ($1.at, $1.eventId) }
        var denials = earlierDenials.sorted()
        var burstRaised = false
        let window = Double(settings.denialWindowMinutes) * 60
        for e in sorted {
            switch e.kind {
            case .temperature:
                if let t = e.temperatureTenths, isFever(t, settings) {
                    out.append(AlertCandidate(kind: .fever, at: e.at, eventId: e.eventId, temperatureTenths: t, personHash: e.personHash))
                }
            case .doorHeldOpen:
                out.append(AlertCandidate(kind: .doorHeldOpen, at: e.at, eventId: e.eventId))
            case .doorForced:
                out.append(AlertCandidate(kind: .doorForced, at: e.at, eventId: e.eventId))
            case .accessDenied:
                denials.append(e.at)
                let inWindow = denials.filter { e.at.timeIntervalSince($0) < window && $0 <= e.at }.count
                if !burstRaised && inWindow >= settings.denialCount {
                    out.append(AlertCandidate(kind: .repeatedDenials, at: e.at, eventId: e.eventId, count: inWindow))
                    burstRaised = true
                }
            default:
                break
            }
        }
        return out
    }

    public static func isFever(_ tenths: Int, _ settings: SmartSettings) -> Bool { tenths >= settings.feverTenths }

    /// Whether `reading` confirms that the person of a fever at `feverAt` is well: the same person
    /// (by hash), measured again after it, within the confirmation window, below the threshold.
    public static func clears(feverAt: Date, personHash: String?, reading: DeviceEventFact, settings: SmartSettings) -> Bool {
        guard settings.confirmMinutes > 0, let personHash, reading.kind == .temperature, reading.personHash == personHash,
              let t = reading.temperatureTenths, !isFever(t, settings) else { return false }
        let after = reading.at.timeIntervalSince(feverAt)
        return after > 0 && after <= Double(settings.confirmMinutes) * 60
    }

    /// The status after `action`, or nil when the action is not possible now.
    public static func next(_ status: AlertStatus, _ action: AlertAction) -> AlertStatus? {
        guard status.isOpen else { return nil }
        switch action {
        case .acknowledge: return status == .open ? .acknowledged : nil
        case .handle: return status == .handling ? nil : .handling
        case .close: return .closed
        case .note: return status
        case .toRequest, .toWhistle: return .handling
        }
    }

    /// Whether closing needs a note (what was found): always, so the record says how it ended.
    public static func needsNote(_ action: AlertAction) -> Bool { [.close, .note].contains(action) }
}
