import Domain
import Foundation
import SQLKit

/// Smart property in 万兴苑 (like 团结湖's entrances): a thermometer and a face-recognition door at
/// the east gate, a door at the west gate, a door at each of the first buildings' entrances, and a
/// vendor's gateway whose key is fixed and printed, so `gongzhi simulate devices` can drive them.
/// A week of traffic from the simulator, fevers among it (most rechecked normal, one turned into a
/// request, one closed by the community), and a month of visitors registered by the demo owner.
extension DemoServices {
    /// The demo gateway's key — the demo only; a real device's key is made at random and shown once.
    public static let demoGatewayKey = "gzd_" + Array("demo-gateway-wanxingyuan".utf8).map { String(format: "%02x", $0) }.joined()

    func smartProperty(now: Date) async throws {
        guard let compound = try await ids("SELECT id FROM compounds WHERE name = '万兴苑'").first else { return }
        let requests = RequestService(database: app.database, store: app.store)
        let service = SmartService(database: app.database, store: app.store, requests: requests, whistle: WhistleService(database: app.database, requests: requests),
                                   key: try await SiteSecrets.csrfKey(app.database, now: now))
        let system = AccessContext.system("demo", source: "demo", now: now.addingTimeInterval(-8 * 86_400))
        func add(_ kind: DeviceKind, _ name: String, _ place: String, building: UUID? = nil) async throws -> DeviceRecord {
            try await service.register(system, compound: compound, .init(kind: kind, name: name, place: place, buildingId: building, vendor: "海康威视", model: kind == .thermometer ? "DS-K5604" : "DS-K1T671")).0
        }
        let gateway = try await add(.gateway, "海康门禁网关", "物业监控室")
        try await sql.raw("UPDATE devices SET key_hash = \(bind: Credentials.hash(Self.demoGatewayKey)) WHERE id = \(bind: gateway.id)").run()
        var devices = [try await add(.thermometer, "东门测温门", "东门"), try await add(.doorController, "东门人脸门禁", "东门"), try await add(.doorController, "西门人脸门禁", "西门")]
        let buildings = try await sql.raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number LIMIT 4").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: String.self)) }
        for (b, number) in buildings { devices.append(try await add(.doorController, "\(number) 单元门禁", "\(number) 1单元", building: b)) }
        // A week of traffic, an hour at a time through the day (fewer at night), posted as the gateway would.
        var sim = DeviceSimulator(devices: devices.map { .init(id: $0.id.text, kind: $0.kind) }, rate: 3, feverEvery: 180, seed: 0x5A_4E)
        let byId = Dictionary(uniqueKeysWithValues: devices.map { ($0.id.text, $0) })
        let today = Timestamp.today(now)
        for daysAgo in stride(from: 7, through: 0, by: -1) {
            let midnight = CivilTime.beijingMidnight(today.adding(days: -daysAgo))
            for hour in 6..<23 {
                let at = midnight.addingTimeInterval(Double(hour) * 3600)
                guard at < now.addingTimeInterval(-600) else { continue }
                var items: [SmartService.BatchItem] = []
                // A minute of traffic stands for the hour (the demo stays small), spread over it.
                for s in 0..<(hour >= 7 && hour <= 9 || hour >= 17 && hour <= 20 ? 40 : 15) {
                    for e in sim.tick(now: at.addingTimeInterval(Double(s) * 60)) where e.type != .heartbeat {
                        items.append(.init(deviceId: byId[e.deviceId]?.id,
                                           event: DeviceEventInput(eventId: e.id, kind: e.type.rawValue, occurredAt: e.at, method: e.method?.rawValue, person: e.person,
                                                                   temperatureTenths: e.temperature)))
                    }
                }
                for chunk in stride(from: 0, to: items.count, by: 1000).map({ Array(items[$0..<min($0 + 1000, items.count)]) }) {
                    _ = try await service.ingest(from: gateway, chunk, now: at.addingTimeInterval(3600))
                }
            }
        }
        // Everything is heard from just now, but the west gate's door, silent for the last hour: the sweep finds it offline.
        let west = devices[2]
        try await sql.raw("UPDATE devices SET last_seen_at = \(bind: now.addingTimeInterval(-60)) WHERE compound_id = \(bind: compound)").run()
        try await sql.raw("UPDATE devices SET last_seen_at = \(bind: now.addingTimeInterval(-3600)) WHERE id = \(bind: west.id)").run()
        _ = try await service.sweep(now: now)
        // The community handles the week's alerts: older ones closed, one fever made a request; today's stay open.
        let community = try await staff("shequ01", now: now)
        let open = try await service.alerts(community.at(0), openOnly: true)
        var requested = false
        for a in open where a.raisedAt < CivilTime.beijingMidnight(today) {
            let ctx = AccessContext(actor: community.actor, source: "demo", address: nil, now: a.raisedAt.addingTimeInterval(300))
            if a.kind == .fever && !requested {
                _ = try await service.toRequest(ctx, id: a.id, note: "请物业到东门复测并登记")
                requested = true
            } else {
                _ = try await service.act(ctx, id: a.id, .acknowledge, note: "")
                let close = AccessContext(actor: ctx.actor, source: "demo", address: nil, now: a.raisedAt.addingTimeInterval(1200))
                _ = try await service.act(close, id: a.id, .close, note: a.kind == .fever ? "物业到场复测 36.6 °C，已放行" : "物业已到场核查处理")
            }
        }
        // A month of visitors registered by the demo owner, most let in by the guard.
        guard let owner = try? await staff("yezhu01", now: now), let room = try await service.visitorRooms(owner.actor, on: app.database.db).first(where: { $0.compoundId == compound }) else { return }
        let guardUser = try await staff("wuye01", now: now)
        var rng = SeededRandom(seed: 0x56_49_53)
        let names = ["王阿姨", "李师傅", "张先生", "刘女士", "陈老师", "快递员", "家政保洁", "赵大爷"]
        for daysAgo in stride(from: 28, through: 1, by: -3) {
            let day = CivilTime.beijingMidnight(today.adding(days: -daysAgo))
            let from = day.addingTimeInterval(Double(rng.int(9...15)) * 3600)
            let ctx = AccessContext(actor: owner.actor, source: "demo", address: nil, now: from.addingTimeInterval(-7200))
            let pass = try await service.registerVisitor(ctx, room: room.id, VisitorInput(visitorName: names[rng.int(0...(names.count - 1))], people: rng.int(1...3),
                                                                                      plate: rng.chance(30) ? "京N\(rng.int(10000...99999))" : nil, validFrom: from,
                                                                                      validTo: from.addingTimeInterval(4 * 3600)))
            if !rng.chance(15) { _ = try await service.checkPass(AccessContext(actor: guardUser.actor, source: "demo", address: nil, now: from.addingTimeInterval(1800)),
                                                                 device: nil, code: pass.code, now: from.addingTimeInterval(1800)) }
        }
    }
}
