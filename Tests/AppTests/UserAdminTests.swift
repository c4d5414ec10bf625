@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Accounts managed by district admins")
struct UserAdminTests {
    func login(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> (HTTPResponse.Status, String?) {
        let (status, body) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string(username), "password": .string(password)]), token: nil)
        return (status, body["token"]?.stringValue)
    }

    @Test("an admin creates an account, the person signs in; disable ends it, enable restores it, a reset ends its sessions; every change audited",
          arguments: TestDatabase.all)
    func lifeCycle(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            // when
            let (created, user) = try await client.json(.post, "/api/v1/users", .object([
                "username": .string("shequ.li"), "displayName": .string("李社区"), "password": .string("Start-2026"),
                "role": .string("community-staff"), "scopeId": .string(h.community),
            ]))
            // then
            #expect(created == .created, "\(user)")
            let id = try #require(user["id"]?.stringValue)
            #expect(user["roles"]?[0]?["scopeName"] == .string("大屯街道 · 欧陆经典社区"))
            #expect(user["disabled"] == .bool(false))
            let (ok, token) = try await login(client, "shequ.li", "Start-2026")
            #expect(ok == .ok)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: token).1["roles"]?[0]?["role"] == .string("community-staff"))
            // the same username again, and a bad one, are refused with their fields
            let (taken, takenBody) = try await client.json(.post, "/api/v1/users", .object([
                "username": .string("shequ.li"), "displayName": .string("另一个"), "password": .string("Start-2026"),
                "role": .string("community-staff"), "scopeId": .string(h.community),
            ]))
            #expect(taken == .conflict, "\(takenBody)")
            let (bad, badBody) = try await client.json(.post, "/api/v1/users", .object([
                "username": .string("李"), "displayName": .string(""), "password": .string("short"), "role": .string("community-staff"), "scopeId": .string(h.community),
            ]))
            #expect(bad == .unprocessableContent)
            #expect(Set(badBody["error"]?["fields"]?.arrayValue.compactMap { $0["field"]?.stringValue } ?? []) == ["username", "displayName", "password"])

            // a second role, then not the same again, and never removing the last
            let (granted, withTwo) = try await client.json(.post, "/api/v1/users/\(id)/grants", .object(["role": .string("committee-member"), "scopeId": .string(h.compound)]))
            #expect(granted == .created)
            #expect(withTwo["roles"]?.arrayValue.count == 2)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/grants", .object(["role": .string("committee-member"), "scopeId": .string(h.compound)])).0 == .conflict)
            let second = try #require(withTwo["roles"]?[1]?["id"]?.stringValue), first = try #require(withTwo["roles"]?[0]?["id"]?.stringValue)
            #expect(try await client.json(.delete, "/api/v1/role-grants/\(second)").1["roles"]?.arrayValue.count == 1)
            let (last, lastBody) = try await client.json(.delete, "/api/v1/role-grants/\(first)")
            #expect(last == .conflict)
            #expect(lastBody["error"]?["code"] == .string("last_grant"))

            // disabling ends the session and refuses new ones; enabling lets the person back in
            #expect(try await client.json(.post, "/api/v1/users/\(id)/disable").1["disabled"] == .bool(true))
            #expect(try await client.json(.get, "/api/v1/auth/me", token: token).0 == .unauthorized)
            #expect(try await login(client, "shequ.li", "Start-2026").0 == .unauthorized)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/disable").0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/enable").1["disabled"] == .bool(false))
            let (_, again) = try await login(client, "shequ.li", "Start-2026")
            #expect(try await client.json(.get, "/api/v1/auth/me", token: again).0 == .ok)

            // a reset ends that session; the new password works, the old does not
            #expect(try await client.json(.post, "/api/v1/users/\(id)/password", .object(["password": .string("Handed-over-1")])).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: again).0 == .unauthorized)
            #expect(try await login(client, "shequ.li", "Start-2026").0 == .unauthorized)
            #expect(try await login(client, "shequ.li", "Handed-over-1").0 == .ok)

            // the admin's own account cannot be disabled by them
            let me = try #require(try await client.json(.get, "/api/v1/users?q=quguan01").1["items"]?[0]?["id"]?.stringValue)
            #expect(try await client.json(.post, "/api/v1/users/\(me)/disable").1["error"]?["code"] == .string("own_account"))

            let actions = try await app.database.db.sql().raw("SELECT action FROM audit_events WHERE entity = 'users' AND action <> 'login' AND entity_id = \(bind: UUID(uuidString: id)!) ORDER BY created_at, id")
                .all().map { try $0.decode(column: "action", as: String.self) }
            #expect(actions == ["create", "grant", "revoke", "disable", "enable", "reset-password"])
            let audited = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'users' AND district_id IS NULL").first()!.decode(column: "n", as: Int.self)
            #expect(audited == 0)
        }
    }

    @Test("another district's admin neither sees nor changes the account, nor grants on another district's scope; other roles get 403", arguments: TestDatabase.all)
    func scope(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let (_, user) = try await client.json(.post, "/api/v1/users", .object([
                "username": .string("wuye.a"), "displayName": .string("物业甲"), "password": .string("Start-2026"), "role": .string("street-staff"), "scopeId": .string(h.street),
            ]))
            let id = try #require(user["id"]?.stringValue)
            // a second district with its own admin
            let other = UUID()
            _ = try await app.store.create(.system("test", source: "test", now: testNow), app.catalog["districts"]!,
                                           values: ["name": .text("海淀区"), "code": .text("110108")], id: other, on: app.database.db)
            try await app.createUser(username: "haidian01", password: "Haidian-2026", displayName: "海淀区管理员", role: .districtAdmin, scopeId: other, now: testNow)
            let (_, foreign) = try await login(client, "haidian01", "Haidian-2026")
            #expect(try await client.json(.get, "/api/v1/users/\(id)", token: foreign).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/disable", token: foreign).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/password", .object(["password": .string("Taken-over-1")]), token: foreign).0 == .notFound)
            let listed = try await client.json(.get, "/api/v1/users", token: foreign).1["items"]?.arrayValue.compactMap { $0["username"]?.stringValue }
            #expect(listed == ["haidian01"])
            // … nor creates accounts on this district's scopes, and this admin grants nothing in the other
            #expect(try await client.json(.post, "/api/v1/users", .object([
                "username": .string("sneaky"), "displayName": .string("x"), "password": .string("Start-2026"), "role": .string("street-staff"), "scopeId": .string(h.street),
            ]), token: foreign).0 == .forbidden)
            let (refused, refusedBody) = try await client.json(.post, "/api/v1/users/\(id)/grants", .object(["role": .string("district-admin"), "scopeId": .string(other.text)]))
            #expect(refused == .unprocessableContent, "\(refusedBody)")
            // a person who is not an admin gets 403 everywhere here
            let (_, staff) = try await login(client, "wuye.a", "Start-2026")
            #expect(try await client.json(.get, "/api/v1/users", token: staff).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/disable", token: staff).0 == .forbidden)
            #expect(try await client.page("/admin/users", cookies: nil, signedIn: false).0 != .ok)
        }
    }

    @Test("on the web: a refused new account comes back with what was typed and Chinese messages; a good one is created and shown", arguments: [TestDatabase.sqlite])
    func pages(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            let (finder, html, _) = try await client.page("/admin/users/new?role=community-staff&find=%E6%AC%A7%E9%99%86")
            #expect(finder == .ok)
            #expect(html.contains("大屯街道 · 欧陆经典社区"))
            let token = try #require(html.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1).description
            let (refused, page, _) = try await client.form("/admin/users", ["_csrf": token, "role": "community-staff", "scopeId": h.community, "username": "x",
                                                                             "displayName": "王五", "password": "Start-2026"], cookies: nil)
            #expect(refused == .unprocessableContent)
            #expect(page.contains("\"username\":\"格式不正确\""))
            #expect(page.contains("\"displayName\":\"王五\""))
            let (made, _, headers) = try await client.form("/admin/users", ["_csrf": token, "role": "community-staff", "scopeId": h.community, "username": "wangwu",
                                                                            "displayName": "王五", "password": "Start-2026"], cookies: nil)
            #expect(made == .seeOther)
            let location = try #require(headers[.location])
            let (_, detail, _) = try await client.page(location)
            #expect(detail.contains("王五（wangwu）"))
            #expect(detail.contains("社区工作人员"))
        }
    }
}
