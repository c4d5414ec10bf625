@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Duplicate requests")
struct DuplicateTests {
    @Test("a neighbour is offered the open request, joins it, files anyway; the street merges; the ranking counts the problem once", arguments: TestDatabase.all)
    func joinAndMerge(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), street = try await token(client, "jiedao01"), company = try await token(client, "wuye01")
            // another owner of the compound with an account
            let me = try await sql.raw("SELECT g.scope_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'yezhu01'").first()!
                .decode(column: "scope_id", as: UUID.self)
            let neighbourOwner = try await sql.raw("""
                SELECT o.owner_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND o.owner_id <> \(bind: me) ORDER BY o.owner_id LIMIT 1
                """).first()!.decode(column: "owner_id", as: UUID.self)
            try await app.createUser(username: "linju01", password: "Linju-2026", displayName: "邻居", role: .owner, scopeId: neighbourOwner, now: testNow)
            let neighbour = try #require(try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("linju01"), "password": .string("Linju-2026")]),
                                                               token: nil).1["token"]?.stringValue)

            // when the owner reports fallen branches
            let first = try #require(try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("greening"), "compoundId": .string(compound), "description": .string("2号楼前树枝折断挡路")]), token: owner).1["id"]?.stringValue)
            // then the neighbour filing the same is offered it (not their own, never who filed it)
            let (offered, list) = try await client.json(.get, "/api/v1/requests/similar?compoundId=\(compound)&category=greening", token: neighbour)
            #expect(offered == .ok)
            #expect(list["items"]?.arrayValue.map { $0["id"] } == [.string(first)])
            #expect(list["items"]?[0]?["reporter"] == nil)
            #expect(try await client.json(.get, "/api/v1/requests/similar?compoundId=\(compound)&category=greening", token: owner).1["items"]?.arrayValue.isEmpty == true)
            #expect(try await client.json(.get, "/api/v1/requests/\(first)", token: neighbour).0 == .notFound)
            // joining lets them follow it, once
            let (joined, j) = try await client.json(.post, "/api/v1/requests/\(first)/join", token: neighbour)
            #expect(joined == .ok, "\(j)")
            #expect(try await client.json(.post, "/api/v1/requests/\(first)/join", token: neighbour).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/requests?limit=500", token: neighbour).1["items"]!.arrayValue.contains { $0["id"] == .string(first) })
            #expect(j["timeline"]?.arrayValue.last?["event"] == .string("join"))
            // a department of another kind cannot join; a request of another compound is not offered to join
            #expect(try await client.json(.post, "/api/v1/requests/\(first)/join", token: street).0 == .forbidden)

            // someone else files the same problem anyway; the street merges it into the first
            let second = try #require(try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("greening"), "compoundId": .string(compound), "description": .string("树枝断了")]), token: neighbour).1["id"]?.stringValue)
            let month = try await sql.raw("SELECT month FROM requests WHERE id = \(bind: UUID(uuidString: first)!)").first()!.decode(column: "month", as: String.self)
            let district = try await sql.raw("SELECT district_id FROM requests WHERE id = \(bind: UUID(uuidString: first)!)").first()!.decode(column: "district_id", as: UUID.self)
            func counted() async throws -> Int64 {
                try await RankingService(database: app.database, whistle: WhistleService(database: app.database, requests: RequestService(database: app.database, store: app.store)))
                    .ranking(district: district, month: month, level: .compound, streetId: nil, now: testNow).rows
                    .first { $0.id == UUID(uuidString: compound)! }?.requests ?? 0
            }
            let before = try await counted()
            #expect(try await transition(client, second, ["event": .string("merge"), "into": .string(first)], token: owner).0 == .notFound)
            #expect(try await transition(client, second, ["event": .string("merge"), "into": .string(first)], token: neighbour).0 == .forbidden)
            #expect(try await transition(client, second, ["event": .string("merge"), "into": .string(second)], token: street).1["error"]?["code"] == .string("same_request"))
            let (merged, m) = try await transition(client, second, ["event": .string("merge"), "into": .string(first), "note": .string("同一处树枝")], token: street)
            #expect(merged == .ok, "\(m)")
            #expect(m["status"] == .string("closed"))
            #expect(m["timeline"]?.arrayValue.last?["event"] == .string("merge"))
            #expect(try await counted() == before - 1)
            #expect(try await transition(client, second, ["event": .string("merge"), "into": .string(first)], token: street).0 == .conflict)
            // long past both deadlines the merged duplicate is not overdue on the street's board: the first carries the problem
            let later = AccessContext(actor: try await ScopePlanTests.signedIn(app, "jiedao01"), source: "test", address: nil, now: testNow.addingTimeInterval(90 * 86_400))
            let requests = RequestService(database: app.database, store: app.store)
            let overdue = try await requests.list(later, RequestFilter(overdue: true, limit: 500)).items.map(\.id)
            #expect(overdue.contains(UUID(uuidString: first)!))
            #expect(!overdue.contains(UUID(uuidString: second)!))
            #expect(try await requests.overdueCount(later) == overdue.count)
            #expect(try await requests.load(UUID(uuidString: second)!, on: app.database.db).isOverdue(now: later.now) == false)

            // the first is worked; its followers may rate it as its reporter does
            for event in ["respond", "start"] { _ = try await transition(client, first, ["event": .string(event)], token: company) }
            _ = try await transition(client, first, ["event": .string("resolve"), "reply": .string("已清理")], token: company)
            let seen = try await client.json(.get, "/api/v1/requests/\(first)", token: neighbour).1
            #expect(seen["allowed"]?.arrayValue.contains(.string("rate")) == true)
            #expect(try await transition(client, first, ["event": .string("rate"), "resolved": .bool(true), "satisfaction": .string("satisfied")], token: neighbour).1["status"]
                    == .string("rated"))
        }
    }

    @Test("on the web, a resident filing the same problem is shown the open one first and can still file", arguments: TestDatabase.all.prefix(1))
    func offeredOnTheWeb(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01")
            let first = try #require(try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("public_order"), "compoundId": .string(compound), "description": .string("夜间广场舞噪音")]), token: owner).1["number"]?.stringValue)
            let sql = app.database.db.sql()
            let me = try await sql.raw("SELECT g.scope_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'yezhu01'").first()!
                .decode(column: "scope_id", as: UUID.self)
            let other = try await sql.raw("""
                SELECT o.owner_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND o.owner_id <> \(bind: me) ORDER BY o.owner_id LIMIT 1
                """).first()!.decode(column: "owner_id", as: UUID.self)
            try await app.createUser(username: "linju02", password: "Linju-2026", displayName: "邻居", role: .owner, scopeId: other, now: testNow)
            let web = try await app.auth.login(username: "linju02", password: "Linju-2026", address: "127.0.0.1", kind: .web, now: testNow)
            let cookie = "session=\(web.token)"
            let (_, page, _) = try await client.page("/requests/new", cookies: cookie, signedIn: false)
            let token = try #require(page.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1).description
            let room = try #require(page.firstMatch(of: /name="roomId"[^>]*>\s*<option value="([0-9a-f-]{36})"/)?.1 ?? page.firstMatch(of: /<option value="([0-9a-f-]{36})"[^>]*selected/)?.1).description
            func file(_ extra: [String: String]) async throws -> (HTTPResponse.Status, String) {
                var fields = ["_csrf": token, "roomId": room, "category": "public_order", "urgency": "general", "description": "楼下广场舞太吵"]
                fields.merge(extra) { $1 }
                let (status, body, _) = try await client.form("/requests/new", fields, cookies: cookie, signedIn: false)
                return (status, body)
            }
            let (shown, html) = try await file([:])
            #expect(shown == .ok)
            #expect(html.contains("id=\"similar\"") && html.contains(first))
            #expect(try await count(app, "requests") == 1 + (try await sql.raw("SELECT COUNT(*) AS n FROM requests WHERE number <> \(bind: first)").first()!.decode(column: "n", as: Int.self)))
            let before = try await count(app, "requests")
            let (filed, _) = try await file(["confirmNew": "1"])
            #expect(filed == .seeOther)
            #expect(try await count(app, "requests") == before + 1)
        }
    }
}
