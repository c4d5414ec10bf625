import Domain
import Foundation

/// Realistic traffic for a compound's devices, second by second, for `gongzhi simulate devices`
/// and the demo: residents entering by face, app or card through the day; entrance temperature
/// readings with a fever now and then (most of them rechecked normal two minutes later); a burst of
/// denials at one door from time to time; heartbeats; and, when asked, one device that goes silent
/// for a while (the board then shows it offline, and cleared once it is back). Seeded: the same
/// seed gives the same traffic.
public struct DeviceSimulator: Sendable {
    public struct Device: Sendable, Equatable {
        public let id: String
        public let kind: DeviceKind
        public init(id: String, kind: DeviceKind) { self.id = id; self.kind = kind }
    }

    /// One event as the device API takes it.
    public struct Event: Sendable, Equatable {
        public var deviceId: String
        public var id: String
        public var type: DeviceEventKind
        public var at: Date
        public var method: AccessMethod?
        public var person: String?
        public var temperature: Int?

        public var json: [String: JSONValue] {
            var o: [String: JSONValue] = ["deviceId": .string(deviceId), "id": .string(id), "type": .string(type.rawValue), "at": .string(Timestamp.iso(at))]
            if let method { o["method"] = .string(method.rawValue) }
            if let person { o["person"] = .string(person) }
            if let temperature { o["temperature"] = .int(Int64(temperature)) }
            return o
        }
    }

    public let devices: [Device]
    /// Events a second, on average.
    public let rate: Int
    /// One reading in this many is a fever.
    public let feverEvery: Int
    /// Every this many seconds one device goes silent for `dropFor` seconds (0: never).
    public let dropEvery: Int
    public let dropFor: Int
    private var rng: SeededRandom
    private var second = 0
    private var serial = 0
    private var readings = 0
    private var rechecks: [(due: Int, device: String, person: String)] = []
    /// The device silent now, and until which second.
    public private(set) var silent: (id: String, until: Int)?

    public init(devices: [Device], rate: Int, feverEvery: Int = 40, dropEvery: Int = 0, dropFor: Int = 0, seed: UInt64 = 1) {
        self.devices = devices; self.rate = max(1, rate); self.feverEvery = max(2, feverEvery)
        self.dropEvery = dropEvery; self.dropFor = dropFor; rng = SeededRandom(seed: seed)
    }

    mutating func nextId(_ prefix: String) -> String {
        serial += 1
        return "\(prefix)-\(second)-\(serial)"
    }

    /// The events of the next second, dated `now`.
    public mutating func tick(now: Date) -> [Event] {
        second += 1
        var out: [Event] = []
        if dropEvery > 0, second % dropEvery == 0, silent == nil, let d = devices.filter({ $0.kind != .gateway }).randomElement(using: &rng) {
            silent = (d.id, second + dropFor)
        }
        if let s = silent, second >= s.until { silent = nil }
        let live = devices.filter { $0.id != silent?.id && $0.kind != .gateway }
        let doors = live.filter { $0.kind == .doorController }, thermometers = live.filter { $0.kind == .thermometer }
        // Heartbeats: each device every thirty seconds (the gateway too, for itself).
        for d in devices where d.id != silent?.id && (second + d.id.unicodeScalars.reduce(0) { $0 + Int($1.value) }) % 30 == 0 {
            out.append(Event(deviceId: d.id, id: nextId("hb"), type: .heartbeat, at: now))
        }
        for r in rechecks where r.due <= second && live.contains(where: { $0.id == r.device }) {
            out.append(Event(deviceId: r.device, id: nextId("tr"), type: .temperature, at: now, person: r.person, temperature: Int.random(in: 362...369, using: &rng)))
        }
        rechecks.removeAll { $0.due <= second }
        // A burst of denials at one door every five minutes or so.
        if second % 300 == 150, let door = doors.randomElement(using: &rng) {
            for _ in 0..<6 { out.append(Event(deviceId: door.id, id: nextId("dn"), type: .accessDenied, at: now, method: .card, person: "card-lost-\(second)")) }
        }
        var budget = rate
        while budget > 0 {
            budget -= 1
            let person = String(format: "resident-%04d", Int.random(in: 1...800, using: &rng))
            if !thermometers.isEmpty && (doors.isEmpty || rng.chance(35)) {
                let t = thermometers.randomElement(using: &rng)!
                readings += 1
                if readings % feverEvery == 0 {
                    out.append(Event(deviceId: t.id, id: nextId("tf"), type: .temperature, at: now, person: person, temperature: Int.random(in: 375...386, using: &rng)))
                    if rng.chance(60) { rechecks.append((second + 120, t.id, person)) }
                } else {
                    out.append(Event(deviceId: t.id, id: nextId("tm"), type: .temperature, at: now, person: person, temperature: Int.random(in: 358...371, using: &rng)))
                }
            } else if let door = doors.randomElement(using: &rng) {
                let method: AccessMethod = [.face, .face, .face, .app, .card, .password][Int.random(in: 0..<6, using: &rng)]
                if rng.chance(2) {
                    out.append(Event(deviceId: door.id, id: nextId("ad"), type: .accessDenied, at: now, method: method, person: person))
                } else if rng.chance(1) {
                    out.append(Event(deviceId: door.id, id: nextId("ho"), type: .doorHeldOpen, at: now))
                } else {
                    out.append(Event(deviceId: door.id, id: nextId("ag"), type: .accessGranted, at: now, method: method, person: person))
                }
            }
        }
        return out
    }
}
