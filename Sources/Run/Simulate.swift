import App
import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import NIOCore
import NIOHTTP1

/// `gongzhi simulate devices`: drives a compound's devices through the public device API.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simulate traffic for testing and demonstration.", subcommands: [SimulateDevices.self])
}

struct SimulateDevices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "Post realistic door, temperature and heartbeat events with a gateway's (or one device's) key, second by second.",
        discussion: """
            With a gateway's key it speaks for every device of the gateway's compound (GET /api/v1/device-events/devices); \
            with one device's key, for that device. Fevers come every --fever-every readings (most rechecked normal two \
            minutes later); with --drop-every one device goes silent for --drop-for seconds, so the board shows it offline. \
            The demo's gateway key is printed by `gongzhi serve --demo`.
            """)

    @Option(help: "The server") var url = "http://127.0.0.1:8080"
    @Option(help: "A gateway's or a device's key (gzd_…)") var key: String
    @Option(help: "Events a second") var rate = 5
    @Option(help: "Seconds to run (0: until stopped)") var seconds = 0
    @Option(help: "One temperature reading in this many is a fever") var feverEvery = 40
    @Option(help: "Every this many seconds a device goes silent (0: never)") var dropEvery = 0
    @Option(help: "How long a dropped device stays silent, seconds") var dropFor = 900
    @Option(help: "Seed of the traffic") var seed: UInt64 = 1

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await simulate(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func call(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 4 << 20)
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: data))
        guard response.status == .ok else { throw ValidationError("\(path): \(response.status.code) \(String(buffer: data))") }
        return value
    }

    func simulate(_ client: HTTPClient) async throws {
        guard case .object(let listed) = try await call(client, .GET, "/api/v1/device-events/devices"), case .array(let items)? = listed["items"] else {
            throw ValidationError("the server did not list the key's devices")
        }
        let devices: [DeviceSimulator.Device] = items.compactMap { item in
            guard case .object(let o) = item, case .string(let id)? = o["id"], case .string(let k)? = o["kind"], let kind = DeviceKind(rawValue: k) else { return nil }
            return .init(id: id, kind: kind)
        }
        print("Simulating \(devices.count) devices at \(rate) events/s against \(url) (Ctrl-C stops).")
        var sim = DeviceSimulator(devices: devices, rate: rate, feverEvery: feverEvery, dropEvery: dropEvery, dropFor: dropFor, seed: seed)
        var sent = 0, accepted = 0, alerts = 0, cleared = 0, rejected = 0
        var wasSilent: String?
        let start = Date()
        var second = 0
        while seconds == 0 || second < seconds {
            second += 1
            let events = sim.tick(now: Date())
            if sim.silent?.id != wasSilent {
                print(sim.silent.map { "device \($0.id) goes silent until second \($0.until)" } ?? "device \(wasSilent ?? "") is back")
                wasSilent = sim.silent?.id
            }
            for chunk in stride(from: 0, to: events.count, by: 1000).map({ Array(events[$0..<min($0 + 1000, events.count)]) }) {
                let answer = try await call(client, .POST, "/api/v1/device-events", body: .object(["events": .array(chunk.map { .object($0.json) })]))
                sent += chunk.count
                if case .object(let o) = answer {
                    if case .int(let n)? = o["accepted"] { accepted += Int(n) }
                    if case .int(let n)? = o["alerts"] { alerts += Int(n) }
                    if case .int(let n)? = o["cleared"] { cleared += Int(n) }
                    if case .array(let r)? = o["rejected"] { rejected += r.count }
                }
            }
            if second % 10 == 0 { print("\(second) s: sent \(sent), accepted \(accepted), rejected \(rejected), alerts raised \(alerts), cleared \(cleared)") }
            let next = start.addingTimeInterval(Double(second))
            let wait = next.timeIntervalSinceNow
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
        }
        print("done: sent \(sent), accepted \(accepted), rejected \(rejected), alerts raised \(alerts), cleared \(cleared)")
    }
}
