@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Menu services")
struct MenuTests {
    static func item(_ client: any TestClientProtocol, _ compound: String, _ name: String, token: String) async throws -> String {
        let items = try await client.json(.get, "/api/v1/compounds/\(compound)/menu", token: token).1["items"]?.arrayValue ?? []
        return try #require(items.first { $0["name"] == .string(name) }?["id"]?.stringValue)
    }

    static func room(_ app: GongzhiApp, _ username: String) async throws -> String {
        try await app.database.db.sql().raw("""
            SELECT COALESCE((SELECT o.room_id FROM ownerships o WHERE o.owner_id = g.scope_id ORDER BY o.room_id LIMIT 1),
                            (SELECT r.room_id FROM residents r WHERE r.id = g.scope_id)) AS room_id
            FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = \(bind: username)
            """).first()!.decode(column: "room_id", as: UUID.self).text
    }

    static func window(_ hours: Double) -> (String, String) {
        (Timestamp.iso(testNow.addingTimeInterval(hours * 3600)), Timestamp.iso(testNow.addingTimeInterval((hours + 2) * 3600)))
    }

    @Test("orders go where the compound's rule says; the provider completes, the resident confirms and rates, the provider's figures follow; each sees only its own",
          arguments: TestDatabase.all)
    func orders(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), resident = try await token(client, "jumin01"), team = try await token(client, "weixiu01")
            let company = try await token(client, "wuye01"), community = try await token(client, "shequ01")
            let drain = try await Self.item(client, compound, "管道疏通", token: owner), repair = try await Self.item(client, compound, "上门水电维修", token: owner)
            let (from, to) = Self.window(24)
            func order(_ item: String, _ room: String, _ who: String, from: String = from, to: String = to) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/service-orders", .object(["itemId": .string(item), "roomId": .string(room), "windowFrom": .string(from),
                                                                                 "windowTo": .string(to), "description": .string("厨房下水堵了")]), token: who)
            }
            let ownerRoom = try await Self.room(app, "yezhu01"), residentRoom = try await Self.room(app, "jumin01")
            // given the rule: the owner's building has a small property, every other building the big one
            let sql = app.database.db.sql()
            func building(_ room: String) async throws -> String {
                try await sql.raw("SELECT e.building_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id WHERE r.id = \(bind: UUID(uuidString: room)!)").first()!
                    .decode(column: "building_id", as: UUID.self).text
            }
            #expect(try await building(ownerRoom) != building(residentRoom))
            let providers = try await client.json(.get, "/api/v1/service-providers?compoundId=\(compound)", token: community).1["items"]?.arrayValue ?? []
            let big = try #require(providers.first { $0["kind"] == .string("big_property") }), small = try #require(providers.first { $0["kind"] == .string("small_property") })
            let (ruled, _) = try await client.json(.put, "/api/v1/compounds/\(compound)/service-routing", .object([
                "bigPropertyId": big["id"]!, "buildings": .array([.object(["buildingId": .string(try await building(ownerRoom)), "providerId": small["id"]!])])]), token: community)
            #expect(ruled == .ok)
            // when the owner (first building: a small property) and the resident (a later building) order the same home item, and the owner a street item
            let (a, ownerDrain) = try await order(drain, ownerRoom, owner)
            let (_, residentDrain) = try await order(drain, residentRoom, resident)
            let (_, ownerRepair) = try await order(repair, ownerRoom, owner)
            // then each went to its provider
            #expect(a == .created, "\(ownerDrain)")
            #expect(ownerDrain["providerId"] == small["id"] && ownerDrain["provider"] == .string("原产权单位物业服务中心") && ownerDrain["status"] == .string("ordered"))
            #expect(residentDrain["providerId"] == big["id"])
            #expect(ownerRepair["provider"] == .string("大屯街道专业维修队"))
            // a room that is not yours, and a window in the past, are refused with what was wrong
            let notYours = try await order(drain, residentRoom, owner)
            #expect(notYours.1["error"]?["fields"]?[0]?["code"] == .string("not_yours"))
            let past = try await order(drain, ownerRoom, owner, from: Timestamp.iso(testNow.addingTimeInterval(-7200)), to: Timestamp.iso(testNow.addingTimeInterval(-3600)))
            #expect(past.0 == .unprocessableContent && past.1["error"]?["fields"]?[0]?["code"] == .string("invalid_window"))

            // each provider sees only its own queue
            let teamQueue = try await client.json(.get, "/api/v1/service-orders", token: team).1["items"]?.arrayValue ?? []
            #expect(teamQueue.map { $0["id"] } == [ownerRepair["id"]])
            let companyQueue = try await client.json(.get, "/api/v1/service-orders", token: company).1["items"]?.arrayValue ?? []
            #expect(companyQueue.map { $0["id"] } == [residentDrain["id"]])
            #expect(try await client.json(.get, "/api/v1/service-orders/\(ownerDrain["id"]!.stringValue!)", token: team).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/service-orders/\(ownerRepair["id"]!.stringValue!)", token: resident).0 == .notFound)
            #expect((try await client.json(.get, "/api/v1/service-orders", token: community).1["items"]?.arrayValue.count ?? 0) == 3)

            // the team accepts, schedules, completes; the owner may not complete it, the team may not confirm it
            let id = ownerRepair["id"]!.stringValue!
            func event(_ body: [String: JSONValue], _ who: String) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/service-orders/\(id)/events", .object(body), token: who)
            }
            #expect(try await event(["event": .string("complete"), "price": .string("1.00"), "paymentMethod": .string("cash")], team).0 == .conflict)
            #expect(try await event(["event": .string("accept")], team).1["status"] == .string("accepted"))
            #expect(try await event(["event": .string("schedule"), "scheduledAt": .string(from)], team).1["status"] == .string("scheduled"))
            #expect(try await event(["event": .string("complete"), "price": .string("120.00"), "paymentMethod": .string("wechat")], owner).0 == .forbidden)
            let (done, d) = try await event(["event": .string("complete"), "price": .string("120.00"), "paymentMethod": .string("wechat")], team)
            #expect(done == .ok && d["status"] == .string("completed") && d["price"] == .string("120.00") && d["paymentMethod"] == .string("wechat"))
            #expect(try await event(["event": .string("confirm"), "rating": .int(4)], team).0 == .forbidden)
            #expect(try await event(["event": .string("confirm"), "rating": .int(6)], owner).0 == .unprocessableContent)
            let (rated, r) = try await event(["event": .string("confirm"), "rating": .int(4), "comment": .string("准时")], owner)
            #expect(rated == .ok && r["status"] == .string("confirmed") && r["rating"] == .int(4))
            #expect(r["log"]?.arrayValue.map { $0["event"]?.stringValue } == ["order", "accept", "schedule", "complete", "confirm"])
            // the owner cancels the other order; a cancelled order takes nothing more
            let other = ownerDrain["id"]!.stringValue!
            #expect(try await client.json(.post, "/api/v1/service-orders/\(other)/events", .object(["event": .string("cancel")]), token: owner).1["status"] == .string("cancelled"))
            #expect(try await client.json(.post, "/api/v1/service-orders/\(other)/events", .object(["event": .string("cancel")]), token: owner).0 == .conflict)

            // the team's figures: one order, completed, rated 4.0, 120 yuan this month
            let teamId = ownerRepair["providerId"]!.stringValue!
            let (ok, stats) = try await client.json(.get, "/api/v1/service-providers/\(teamId)/stats?month=2026-11", token: team)
            #expect(ok == .ok, "\(stats)")
            #expect(stats["orders"] == .int(1) && stats["completed"] == .int(1) && stats["rating"] == .string("4.0") && stats["revenue"] == .string("120.00"))
            #expect(stats["months"]?.arrayValue.last?["revenue"] == .string("120.00") && stats["medianMinutesToComplete"] == .int(0))
            #expect(try await client.json(.get, "/api/v1/service-providers/\(teamId)/stats", token: owner).0 == .notFound)
            let audited = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'service-orders'").first()!.decode(column: "n", as: Int.self)
            #expect(audited == 8)
        }
    }

    @Test("staff keep the catalogue and the rule; a compound with no one to serve a part refuses orders for it", arguments: TestDatabase.all)
    func keeping(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), community = try await token(client, "shequ01"), company = try await token(client, "wuye01")
            let fields: [String: JSONValue] = ["compoundId": .string(compound), "part": .string("compound"), "name": .string("电动车充电桩维护"), "priceMin": .string("30.00"),
                                               "priceMax": .string("60.00"), "minutes": .int(45)]
            let item = JSONValue.object(fields)
            let (added, i) = try await client.json(.post, "/api/v1/menu-items", item, token: community)
            #expect(added == .created && i["priceMax"] == .string("60.00"), "\(i)")
            #expect(try await client.json(.post, "/api/v1/menu-items", item, token: company).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/menu-items", item, token: owner).0 == .forbidden)
            var upside = fields
            upside["priceMax"] = .string("20.00")
            #expect(try await client.json(.post, "/api/v1/menu-items", .object(upside), token: community).1["error"]?["fields"]?[0]?["code"] == .string("invalid_range"))
            // taken off the menu, it is no longer offered
            var off = fields
            off["active"] = .bool(false)
            #expect(try await client.json(.put, "/api/v1/menu-items/\(i["id"]!.stringValue!)", .object(off), token: community).1["active"] == .bool(false))
            let menu = try await client.json(.get, "/api/v1/compounds/\(compound)/menu", token: owner).1["items"]?.arrayValue ?? []
            #expect(!menu.contains { $0["id"] == i["id"] } && !menu.isEmpty)

            // the rule: an owner may not change it; emptied by the community, compound-wide items have no one to go to
            #expect(try await client.json(.put, "/api/v1/compounds/\(compound)/service-routing", .object([:]), token: owner).0 == .forbidden)
            let (set, rule) = try await client.json(.put, "/api/v1/compounds/\(compound)/service-routing", .object(["buildings": .array([])]), token: community)
            #expect(set == .ok && rule["bigPropertyId"] == .null, "\(rule)")
            let cleaning = try await MenuTests.item(client, compound, "公共区域深度保洁", token: owner)
            let (from, to) = Self.window(30)
            let refused = try await client.json(.post, "/api/v1/service-orders", .object(["itemId": .string(cleaning), "roomId": .string(try await Self.room(app, "yezhu01")),
                                                                                         "windowFrom": .string(from), "windowTo": .string(to)]), token: owner)
            #expect(refused.0 == .conflict && refused.1["error"]?["code"] == .string("no_provider"))
            // a street's item names a provider of that street
            let street = try await app.database.db.sql().raw("SELECT id FROM streets WHERE name = '大屯街道'").first()!.decode(column: "id", as: UUID.self).text
            let streetItem = try await client.json(.post, "/api/v1/menu-items", .object(["streetId": .string(street), "part": .string("home"), "name": .string("空调清洗"),
                                                                                         "priceMin": .string("80.00")]), token: try await token(client, "jiedao01"))
            #expect(streetItem.1["error"]?["fields"]?[0]?["field"] == .string("providerId"))
        }
    }
}
