@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Smart property: devices, event batches, alerts, access records, visitors")
struct SmartPropertyTests {
    /// Registers a device at the compound and returns its id and key.
    static func device(_ client: any TestClientProtocol, _ compound: String, _ kind: DeviceKind, _ name: String, token: String) async throws -> (id: String, key: String) {
        let (status, body) = try await client.json(.post, "/api/v1/compounds/\(compound)/devices",
                                                   .object(["kind": .string(kind.rawValue), "name": .string(name), "place": .string("东门"), "vendor": .string("海康")]), token: token)
        #expect(status == .created, "\(body)")
        return (try #require(body["id"]?.stringValue), try #require(body["key"]?.stringValue))
    }

    static func event(_ id: String, _ type: String, at: Date, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        .object(["id": .string(id), "type": .string(type), "at": .string(Timestamp.iso(at))].merging(extra) { a, _ in a })
    }

    static func post(_ client: any TestClientProtocol, key: String, _ events: [JSONValue]) async throws -> (HTTPResponse.Status, JSONValue) {
        try await client.json(.post, "/api/v1/device-events", .object(["events": .array(events)]), token: key)
    }

    @Test("batches: good events kept and bad ones reported by index; a retried batch stores nothing twice; fevers raise alerts, rechecks clear them; repeated denials raise one",
          arguments: TestDatabase.all)
    func ingestion(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01")
            let thermo = try await Self.device(client, compound, .thermometer, "东门测温", token: community)
            let door = try await Self.device(client, compound, .doorController, "1号楼门禁", token: community)
            let t = testNow
            let batch: [JSONValue] = [
                Self.event("t1", "temperature", at: t, ["temperature": .int(365), "person": .string("face-001")]),
                Self.event("t2", "temperature", at: t.addingTimeInterval(5), ["temperature": .int(381), "person": .string("face-002")]),
                Self.event("t3", "temperature", at: t.addingTimeInterval(6)),
                Self.event("t4", "access_granted", at: t.addingTimeInterval(7), ["method": .string("face")]),
                Self.event("t5", "temperature", at: t.addingTimeInterval(8), ["temperature": .string("36.5")]),
                Self.event("t1", "temperature", at: t, ["temperature": .int(365), "person": .string("face-001")]),
            ]
            // when the thermometer posts it
            let (s1, a1) = try await Self.post(client, key: thermo.key, batch)
            // then two are stored, three refused by index with the reason, one counted as a repeat; the fever is an alert
            #expect(s1 == .ok, "\(a1)")
            #expect(a1["accepted"] == .int(2) && a1["duplicates"] == .int(1) && a1["alerts"] == .int(1))
            let rejected = a1["rejected"]!.arrayValue
            #expect(rejected.map { $0["index"]!.intValue! } == [2, 3, 4])
            #expect(rejected[0]["fields"]![0]!["field"] == .string("events[2].temperature") && rejected[0]["fields"]![0]!["code"] == .string("required"))
            #expect(rejected[1]["fields"]![0]!["code"] == .string("not_reported"))
            #expect(rejected[2]["fields"]![0]!["field"] == .string("events[4].temperature"))
            // and the same batch again stores nothing
            let (_, a2) = try await Self.post(client, key: thermo.key, batch)
            #expect(a2["accepted"] == .int(0) && a2["duplicates"] == .int(3) && a2["alerts"] == .int(0))
            #expect(try await count(app, "device_events") == 2)
            // Persons are stored only as keyed hashes.
            let hashes = try await app.database.db.sql().raw("SELECT person_hash FROM device_events").all().map { try $0.decode(column: "person_hash", as: String?.self) }
            #expect(hashes.allSatisfy { $0 != nil && $0!.count == 64 && !$0!.contains("face") })
            let alerts = try await client.json(.get, "/api/v1/alerts?open=true", token: community).1["items"]!.arrayValue
            #expect(alerts.count == 1 && alerts[0]["kind"] == .string("fever") && alerts[0]["temperature"] == .string("38.1") && alerts[0]["place"] == .string("东门"))
            // A recheck of the same person below the threshold within ten minutes clears it; another person's does not.
            let (_, a3) = try await Self.post(client, key: thermo.key, [
                Self.event("t6", "temperature", at: t.addingTimeInterval(60), ["temperature": .int(366), "person": .string("face-001")]),
                Self.event("t7", "temperature", at: t.addingTimeInterval(120), ["temperature": .int(366), "person": .string("face-002")]),
            ])
            #expect(a3["cleared"] == .int(1))
            let fever = try await client.json(.get, "/api/v1/alerts/\(alerts[0]["id"]!.stringValue!)", token: community).1
            #expect(fever["status"] == .string("cleared") && fever["log"]!.arrayValue.map { $0["action"]! } == [.string("raised"), .string("cleared")])
            // Five denials within five minutes, split over two batches, raise one alert; five more while it is open raise none.
            let denied = (0..<10).map { Self.event("d\($0)", "access_denied", at: t.addingTimeInterval(Double($0) * 20), ["method": .string("card")]) }
            let (_, d1) = try await Self.post(client, key: door.key, Array(denied[0..<3]))
            let (_, d2) = try await Self.post(client, key: door.key, Array(denied[3..<6]))
            let (_, d3) = try await Self.post(client, key: door.key, Array(denied[6..<10]) + [Self.event("f1", "door_forced", at: t.addingTimeInterval(300))])
            #expect(d1["alerts"] == .int(0) && d2["alerts"] == .int(1) && d3["alerts"] == .int(1))
            let kinds = try await client.json(.get, "/api/v1/alerts?open=true", token: community).1["items"]!.arrayValue.map { $0["kind"]!.stringValue! }.sorted()
            #expect(kinds == ["door_forced", "repeated_denials"])
            // More than a thousand events is refused whole.
            let many = (0..<1001).map { Self.event("m\($0)", "heartbeat", at: t) }
            #expect(try await Self.post(client, key: door.key, many).0 == .unprocessableContent)
        }
    }

    @Test("keys: a gateway posts for its compound's devices only; a revoked key is refused at once, a reissued one works and the old one not; a person's token is no device's",
          arguments: TestDatabase.all)
    func keys(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let other = try await app.database.db.sql().raw("SELECT id FROM compounds WHERE name <> '万兴苑' ORDER BY name LIMIT 1").first()!.decode(column: "id", as: UUID.self).text
            let community = try await token(client, "shequ01"), company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01")
            let door = try await Self.device(client, compound, .doorController, "1号楼门禁", token: community)
            // The serving company registers the gateway (companies run the doors with the staff); an owner cannot.
            let gateway = try await Self.device(client, compound, .gateway, "厂商网关", token: company)
            #expect(try await client.json(.post, "/api/v1/compounds/\(compound)/devices", .object(["kind": .string("camera"), "name": .string("x"), "place": .string("y")]),
                                          token: owner).0 == .forbidden)
            let foreign = try await Self.device(client, other, .doorController, "外小区门禁", token: TestSession.current!.token)
            let (_, listed) = try await client.json(.get, "/api/v1/device-events/devices", token: gateway.key)
            #expect(Set(listed["items"]!.arrayValue.map { $0["id"]!.stringValue! }) == [door.id, gateway.id])
            let (s, a) = try await Self.post(client, key: gateway.key, [
                Self.event("g1", "access_granted", at: testNow, ["deviceId": .string(door.id), "method": .string("app")]),
                Self.event("g2", "access_granted", at: testNow, ["deviceId": .string(foreign.id), "method": .string("app")]),
                Self.event("g3", "heartbeat", at: testNow),
            ])
            #expect(s == .ok && a["accepted"] == .int(2) && a["rejected"]![0]!["fields"]![0]!["field"] == .string("events[1].deviceId"))
            // A device posts its own events only.
            let (_, own) = try await Self.post(client, key: door.key, [Self.event("x1", "heartbeat", at: testNow, ["deviceId": .string(gateway.id)])])
            #expect(own["rejected"]!.arrayValue.count == 1)
            // Revoked: refused; reissued: the new key works, the old one is refused.
            #expect(try await client.json(.delete, "/api/v1/devices/\(door.id)/key", token: community).0 == .ok)
            #expect(try await Self.post(client, key: door.key, [Self.event("r1", "heartbeat", at: testNow)]).0 == .unauthorized)
            #expect(try await client.json(.delete, "/api/v1/devices/\(door.id)/key", token: community).0 == .conflict)
            let (_, reissued) = try await client.json(.post, "/api/v1/devices/\(door.id)/key", token: community)
            let newKey = try #require(reissued["key"]?.stringValue)
            #expect(newKey != door.key && reissued["revokedAt"] == .null)
            #expect(try await Self.post(client, key: newKey, [Self.event("r2", "heartbeat", at: testNow)]).0 == .ok)
            #expect(try await Self.post(client, key: door.key, [Self.event("r3", "heartbeat", at: testNow)]).0 == .unauthorized)
            #expect(try await Self.post(client, key: "gzd_" + String(repeating: "0", count: 48), [Self.event("r4", "heartbeat", at: testNow)]).0 == .unauthorized)
            #expect(try await Self.post(client, key: community, [Self.event("r5", "heartbeat", at: testNow)]).0 == .unauthorized)
            // The device list never shows a key; its state follows its heartbeats.
            let (_, devices) = try await client.json(.get, "/api/v1/compounds/\(compound)/devices", token: company)
            #expect(devices["items"]!.arrayValue.allSatisfy { $0["key"] == .null })
            #expect(devices["items"]!.arrayValue.first { $0["id"] == .string(door.id) }?["state"] == .string("online"))
            #expect(try await client.json(.get, "/api/v1/compounds/\(compound)/devices", token: owner).0 == .notFound)
            // Every change to a device is audited.
            let audited = try await app.database.db.sql().raw("SELECT action FROM audit_events WHERE entity = 'devices' ORDER BY created_at").all().map { try $0.decode(column: "action", as: String.self) }
            #expect(audited.filter { $0 == "create" }.count == 3 && audited.contains("revoke-key") && audited.contains("reissue-key"))
        }
    }

    @Test("offline after the district's silence, once; back online clears it; events past the retention are purged by the sweep", arguments: TestDatabase.all)
    func sweep(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01")
            let door = try await Self.device(client, compound, .doorController, "1号楼门禁", token: community)
            #expect(try await Self.post(client, key: door.key, [Self.event("h1", "heartbeat", at: testNow), Self.event("a1", "access_granted", at: testNow, ["method": .string("card")])]).0 == .ok)
            let smart = SmartService(database: app.database, store: app.store, requests: RequestService(database: app.database, store: app.store),
                                     whistle: WhistleService(database: app.database, requests: RequestService(database: app.database, store: app.store)), key: [1, 2, 3])
            #expect(try await smart.sweep(now: clock.now().addingTimeInterval(9 * 60)).offline == 0)
            #expect(try await smart.sweep(now: clock.now().addingTimeInterval(10 * 60 + 1)).offline == 1)
            #expect(try await smart.sweep(now: clock.now().addingTimeInterval(20 * 60)).offline == 0)
            clock.advance(15 * 60)
            let (_, back) = try await Self.post(client, key: door.key, [Self.event("h2", "heartbeat", at: clock.now())])
            #expect(back["cleared"] == .int(1))
            // The district keeps events seven days; eight days on, the first two are gone and the last stays.
            let admin = TestSession.current!
            let (set, _) = try await client.json(.put, "/api/v1/districts/\(admin.districtId)/smart-settings", .object([
                "feverTenths": .int(375), "confirmMinutes": .int(10), "offlineMinutes": .int(10), "denialCount": .int(5), "denialWindowMinutes": .int(5), "retentionDays": .int(7)]))
            #expect(set == .ok)
            let (_, refused) = try await client.json(.put, "/api/v1/districts/\(admin.districtId)/smart-settings", .object([
                "feverTenths": .int(360), "confirmMinutes": .int(10), "offlineMinutes": .int(10), "denialCount": .int(5), "denialWindowMinutes": .int(5), "retentionDays": .int(7)]), token: community)
            #expect(refused["error"]?["code"] == .string("validation_failed"))
            #expect(try await client.json(.put, "/api/v1/districts/\(admin.districtId)/smart-settings", .object([
                "feverTenths": .int(373), "confirmMinutes": .int(10), "offlineMinutes": .int(10), "denialCount": .int(5), "denialWindowMinutes": .int(5), "retentionDays": .int(7)]),
                token: community).0 == .forbidden)
            let purged = try await smart.sweep(now: testNow.addingTimeInterval(7 * 86_400 + 600)).purged
            #expect(purged == 2)
            #expect(try await count(app, "device_events") == 1)
        }
    }

    @Test("the board: staff over the compound see and act; an alert becomes a request to the company or (by the street) a whistle case; closing needs a note; the stream sends its row",
          arguments: TestDatabase.all)
    func board(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), street = try await token(client, "jiedao01"), company = try await token(client, "wuye01")
            let owner = try await token(client, "yezhu01")
            let thermo = try await Self.device(client, compound, .thermometer, "东门测温", token: community)
            _ = try await Self.post(client, key: thermo.key, [Self.event("t1", "temperature", at: testNow, ["temperature": .int(390)]),
                                                             Self.event("t2", "temperature", at: testNow.addingTimeInterval(1), ["temperature": .int(385)])])
            let ids = try await client.json(.get, "/api/v1/alerts", token: street).1["items"]!.arrayValue.map { $0["id"]!.stringValue! }
            #expect(ids.count == 2)
            // Who sees it: the street's and community's staff; not the company, not an owner.
            #expect(try await client.json(.get, "/api/v1/alerts", token: company).1["items"]!.arrayValue.isEmpty)
            #expect(try await client.json(.get, "/api/v1/alerts/\(ids[0])", token: owner).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/alerts/\(ids[0])", token: company).0 == .notFound)
            // Acknowledge once; then a request to the company, which sees it.
            #expect(try await client.json(.post, "/api/v1/alerts/\(ids[0])/actions", .object(["action": .string("acknowledge")]), token: community).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/alerts/\(ids[0])/actions", .object(["action": .string("acknowledge")]), token: community).0 == .conflict)
            let (rs, linked) = try await client.json(.post, "/api/v1/alerts/\(ids[0])/request", .object(["note": .string("请到东门复测")]), token: community)
            #expect(rs == .created, "\(linked)")
            let request = try #require(linked["requestId"]?.stringValue)
            let (_, seen) = try await client.json(.get, "/api/v1/requests/\(request)", token: company)
            #expect(seen["channel"] == .string("device") && seen["urgency"] == .string("emergency") && (seen["description"]?.stringValue ?? "").contains("38.5"))
            #expect(linked["alert"]!["status"] == .string("handling"))
            #expect(try await client.json(.post, "/api/v1/alerts/\(ids[0])/request", token: community).0 == .conflict)
            // The whistle is the street's; the community is refused.
            #expect(try await client.json(.post, "/api/v1/alerts/\(ids[1])/whistle", token: community).0 == .forbidden)
            let (ws, whistled) = try await client.json(.post, "/api/v1/alerts/\(ids[1])/whistle", token: street)
            #expect(ws == .created && whistled["caseId"]?.stringValue != nil, "\(whistled)")
            // Closing needs a note.
            let (cs, closing) = try await client.json(.post, "/api/v1/alerts/\(ids[1])/actions", .object(["action": .string("close")]), token: street)
            #expect(cs == .unprocessableContent && closing["error"]?["fields"]?[0]?["field"] == .string("note"))
            let (_, closed) = try await client.json(.post, "/api/v1/alerts/\(ids[1])/actions", .object(["action": .string("close"), "note": .string("复测正常，已劝返就医")]), token: street)
            #expect(closed["status"] == .string("closed") && closed["log"]!.arrayValue.last?["note"] == .string("复测正常，已劝返就医"))
            // Counts by month, per compound and kind.
            let counts = try await client.json(.get, "/api/v1/alert-counts?month=2026-11", token: street).1["items"]!.arrayValue
            #expect(counts.count == 1 && counts[0]["kind"] == .string("fever") && counts[0]["count"] == .int(2))
            // Every action is audited.
            #expect(try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'alerts'").first()!.decode(column: "n", as: Int.self) == 4)
            // The stream (once) sends each changed alert's row, in the page's language.
            let (ss, text, headers) = try await client.page("/alerts/stream?once=1&since=" + Timestamp.iso(testNow.addingTimeInterval(-60)))
            #expect(ss == .ok && headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(text.components(separatedBy: "event: alert").count == 3 && text.contains("体温异常") && text.contains(ids[0]))
            let (board, page, _) = try await client.page("/alerts?all=1")
            #expect(board == .ok && page.contains("data-alert-id=\"\(ids[0])\"") && page.contains("alert-board"))
        }
    }

    @Test("visitors: an owner's pass is admitted once inside its window, by the guard or the gate device; other compounds' guards see an unknown code; the street counts, never names",
          arguments: TestDatabase.all)
    func visitors(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), company = try await token(client, "wuye01"), street = try await token(client, "jiedao01")
            let community = try await token(client, "shequ01")
            let room = try await MenuTests.room(app, "yezhu01")
            func register(_ from: Double, _ to: Double, name: String = "王阿姨") async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/visitor-passes", .object([
                    "roomId": .string(room), "visitorName": .string(name), "people": .int(2), "plate": .string("京A12345"),
                    "validFrom": .string(Timestamp.iso(testNow.addingTimeInterval(from))), "validTo": .string(Timestamp.iso(testNow.addingTimeInterval(to)))]), token: owner)
            }
            let (s, pass) = try await register(-60, 7200)
            #expect(s == .created, "\(pass)")
            let code = try #require(pass["code"]?.stringValue)
            #expect(pass["qr"] == .string("GZPASS:" + code) && pass["status"] == .string("active"))
            // Refused with each field named; a room not the caller's is refused too.
            let (bad, refused) = try await client.json(.post, "/api/v1/visitor-passes", .object([
                "roomId": .string(UUID().uuidString), "visitorName": .string("李"), "people": .int(30),
                "validFrom": .string(Timestamp.iso(testNow)), "validTo": .string(Timestamp.iso(testNow.addingTimeInterval(-10)))]), token: owner)
            #expect(bad == .unprocessableContent && (refused["error"]?["fields"]?.arrayValue.count ?? 0) >= 1)
            // A guard of another compound's company, a typo, and then the right guard: once.
            func check(_ code: String, _ who: String) async throws -> JSONValue { try await client.json(.post, "/api/v1/visitor-passes/check", .object(["code": .string(code)]), token: who).1 }
            #expect(try await check("ZZZZZZZZ", company)["verdict"] == .string("unknown"))
            let first = try await check(code.lowercased(), company)
            #expect(first["verdict"] == .string("admitted") && first["pass"]?["visitorName"] == .string("王阿姨") && first["pass"]?["people"] == .int(2))
            // The guard reads the host's home: building, entrance and room, as the registry numbers them.
            let label = try await app.database.db.sql().raw("""
                SELECT bd.number || ' ' || e.number || ' ' || r.number AS label FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
                WHERE r.id = \(bind: UUID(uuidString: room)!)
                """).first()!.decode(column: "label", as: String.self)
            #expect(first["pass"]?["room"] == .string(label))
            #expect(try await check(code, company)["verdict"] == .string("used"))
            // Not yet, expired: by the window.
            let (_, later) = try await register(3600, 7200, name: "张师傅")
            let laterCode = later["code"]!.stringValue!
            #expect(try await check(laterCode, community)["verdict"] == .string("not_yet"))
            clock.advance(7300)
            let community2 = try await token(client, "shequ01")
            #expect(try await check(laterCode, community2)["verdict"] == .string("expired"))
            // The gate device of the compound checks by the QR text.
            let door = try await Self.device(client, compound, .doorController, "东门门禁", token: community2)
            let owner2 = try await token(client, "yezhu01")
            let (_, third) = try await client.json(.post, "/api/v1/visitor-passes", .object([
                "roomId": .string(room), "visitorName": .string("快递"), "validFrom": .string(Timestamp.iso(clock.now())),
                "validTo": .string(Timestamp.iso(clock.now().addingTimeInterval(3600)))]), token: owner2)
            let (_, byDevice) = try await client.json(.post, "/api/v1/device-passes", .object(["code": .string(third["qr"]!.stringValue!)]), token: door.key)
            #expect(byDevice["verdict"] == .string("admitted"))
            // The street sees counts per day, never names; the owner's own list has all three.
            let street2 = try await token(client, "jiedao01")
            _ = street
            let (_, counts) = try await client.json(.get, "/api/v1/visitor-counts?month=2026-11", token: street2)
            #expect(counts["items"]!.arrayValue.map { $0["passes"]! } == [.int(2)] && counts["items"]![0]!["people"] == .int(3))
            #expect(!"\(counts)".contains("王阿姨"))
            #expect(try await client.json(.get, "/api/v1/visitor-passes", token: owner2).1["items"]!.arrayValue.count == 3)
            #expect(try await client.json(.get, "/api/v1/visitor-passes/\(pass["id"]!.stringValue!)", token: street2).0 == .notFound)
            // Entries are recorded as access events.
            let visits = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM device_events WHERE kind = 'visitor_entry'").first()!.decode(column: "n", as: Int.self)
            #expect(visits == 2)
            // Revoking a used pass is refused; an unused one is revoked and then refused at the gate.
            #expect(try await client.json(.delete, "/api/v1/visitor-passes/\(pass["id"]!.stringValue!)", token: owner2).0 == .conflict)
        }
    }

    @Test("access records: by compound and window for staff and the company, none for an owner, never a person; one person's entries only for district admins, with the reason audited",
          arguments: TestDatabase.all)
    func access(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01")
            let street = try await token(client, "jiedao01")
            let door = try await Self.device(client, compound, .doorController, "1号楼门禁", token: community)
            _ = try await Self.post(client, key: door.key, (0..<6).map { i in
                Self.event("e\(i)", i == 5 ? "access_denied" : "access_granted", at: testNow.addingTimeInterval(Double(i) * 600 - 3600), ["method": .string("face"), "person": .string(i < 3 ? "face-A" : "face-B")])
            })
            let window = "&from=\(Timestamp.iso(testNow.addingTimeInterval(-7200)))&to=\(Timestamp.iso(testNow.addingTimeInterval(7200)))"
            let (s, listed) = try await client.json(.get, "/api/v1/access-events?compoundId=\(compound)" + window, token: company)
            #expect(s == .ok && listed["items"]!.arrayValue.count == 6)
            #expect(!"\(listed)".contains("person") && !"\(listed)".contains("face-A"))
            #expect(try await client.json(.get, "/api/v1/access-events?compoundId=\(compound)" + window, token: owner).0 == .notFound)
            let (_, hours) = try await client.json(.get, "/api/v1/compounds/\(compound)/access-hours?day=2026-11-30", token: community)
            // 09:00 Beijing: e0 at 09:00, e1 09:10, …, e5 09:50 (denied).
            #expect(hours["items"]![9]!["granted"] == .int(5) && hours["items"]![9]!["denied"] == .int(1) && hours["items"]!.arrayValue.count == 24)
            let body: JSONValue = .object(["districtId": .string(TestSession.current!.districtId), "person": .string("face-A"), "reason": .string("派出所协查走失老人"),
                                           "from": .string(Timestamp.iso(testNow.addingTimeInterval(-86_400))), "to": .string(Timestamp.iso(testNow.addingTimeInterval(86_400)))])
            #expect(try await client.json(.post, "/api/v1/access-events/person-search", body, token: street).0 == .forbidden)
            let (ps, found) = try await client.json(.post, "/api/v1/access-events/person-search", body)
            #expect(ps == .ok && found["items"]!.arrayValue.count == 3)
            let audit = try await app.database.db.sql().raw("SELECT after FROM audit_events WHERE action = 'person-search'").all().map { try $0.decode(column: "after", as: String.self) }
            #expect(audit.count == 1 && audit[0].contains("派出所协查走失老人") && !audit[0].contains("face-A"))
        }
    }
}
