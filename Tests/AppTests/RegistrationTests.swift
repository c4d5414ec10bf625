@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Owners who register themselves, and their tenants")
struct RegistrationTests {
    /// The latest code the outbox holds for a phone, as community staff would read it out.
    static func code(_ app: GongzhiApp, _ phone: String) async throws -> String {
        let body = try await app.database.db.sql().raw("SELECT body FROM outbox WHERE recipient = \(bind: phone) ORDER BY created_at DESC LIMIT 1").first()!
            .decode(column: "body", as: String.self)
        return String(try #require(body.firstMatch(of: /[0-9]{6}/)).output)
    }

    @Test("a certificate number that matches registers an owner at once; one that does not waits for the community; tenants come by invitation", arguments: TestDatabase.all)
    func register(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            let sql = app.database.db.sql()
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01")
            // two owners of the compound without accounts
            let owners = try await sql.raw("""
                SELECT s.id AS ownership, o.id, o.name, s.room_id FROM ownerships s JOIN owners o ON o.id = s.owner_id JOIN rooms r ON r.id = s.room_id
                JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.scope_id = o.id)
                ORDER BY o.id LIMIT 2
                """).all().map { (ownership: try $0.decode(column: "ownership", as: UUID.self), id: try $0.decode(column: "id", as: UUID.self),
                                  name: try $0.decode(column: "name", as: String.self), room: try $0.decode(column: "room_id", as: UUID.self)) }
            try #require(owners.count == 2)
            let (a, b) = (owners[0], owners[1])
            // the community records A's certificate number; only its hash is kept
            #expect(try await client.json(.put, "/api/v1/ownerships/\(a.ownership.text)/certificate", .object(["number": .string("京(2019)朝阳区不动产权第0012345号")]),
                                          token: community).0 == .noContent)
            let stored = try await sql.raw("SELECT certificate_hash FROM ownerships WHERE id = \(bind: a.ownership)").first()!.decode(column: "certificate_hash", as: String?.self)
            #expect(stored?.count == 64 && stored?.contains("0012345") == false)
            #expect(try await client.json(.put, "/api/v1/ownerships/\(a.ownership.text)/certificate", .object(["number": .string("x1234567")]),
                                          token: try await token(client, "yezhu01")).0 != .noContent)

            // A asks for a code; a second one within the minute is refused; the code waits in the outbox
            #expect(try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13911112222"), "compoundId": .string(compound)]), token: nil).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13911112222"), "compoundId": .string(compound)]), token: nil).0 == .conflict)
            let code = try await Self.code(app, "13911112222")
            func register(_ fields: [String: JSONValue]) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/registrations", .object(fields), token: nil)
            }
            var form: [String: JSONValue] = ["name": .string(a.name), "phone": .string("13911112222"), "code": .string(code == "000000" ? "111111" : "000000"),
                                             "username": .string("owner.a"), "password": .string("Owner-a-2026"), "compoundId": .string(compound),
                                             "certificate": .string("京（2019）朝阳区不动产权第 0012345 号")]
            let (wrong, why) = try await register(form)
            #expect(wrong == .unprocessableContent && why["error"]?["fields"]?[0]?["code"] == .string("wrong_code"))
            form["code"] = .string(code)
            let (ok, made) = try await register(form)
            #expect(ok == .ok && made["status"] == .string("approved"), "\(made)")
            let (_, session) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("owner.a"), "password": .string("Owner-a-2026")]), token: nil)
            let ownerToken = try #require(session["token"]?.stringValue)
            #expect(session["user"]?["roles"]?[0]?["role"] == .string("owner") && session["user"]?["roles"]?[0]?["scopeId"] == .string(a.id.text))
            // the code is used up
            #expect(try await register(form.merging(["username": .string("owner.a2")]) { $1 }).1["error"]?["fields"]?[0]?["code"] == .string("code_expired"))

            // B's number matches no one: without a photo refused, with one waiting; the community approves B as the owner of record
            clock.advance(120)
            _ = try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13933334444"), "compoundId": .string(compound)]), token: nil)
            var formB: [String: JSONValue] = ["name": .string(b.name), "phone": .string("13933334444"), "code": .string(try await Self.code(app, "13933334444")),
                                              "username": .string("owner.b"), "password": .string("Owner-b-2026"), "compoundId": .string(compound),
                                              "certificate": .string("京(2020)朝阳区不动产权第0099999号"), "roomLabel": .string("1号楼 1单元 101")]
            #expect(try await register(formB).1["error"]?["fields"]?[0]?["field"] == .string("photo"))
            clock.advance(120)
            _ = try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13933334444"), "compoundId": .string(compound)]), token: nil)
            formB["code"] = .string(try await Self.code(app, "13933334444"))
            formB["certificatePhoto"] = .string(Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).base64EncodedString())
            let (pending, p) = try await register(formB)
            #expect(pending == .ok && p["status"] == .string("pending"), "\(p)")
            #expect(try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("owner.b"), "password": .string("Owner-b-2026")]), token: nil).0 == .unauthorized)
            let queue = try await client.json(.get, "/api/v1/registrations", token: community).1["items"]!.arrayValue
            let id = try #require(queue.first { $0["username"] == .string("owner.b") }?["id"]?.stringValue)
            #expect(try await client.json(.get, "/api/v1/registrations", token: ownerToken).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/registrations/\(id)/review", .object(["ownerId": .string(a.id.text)]), token: community).0 == .unprocessableContent
                    || a.name == b.name)
            let (approved, r) = try await client.json(.post, "/api/v1/registrations/\(id)/review", .object(["ownerId": .string(b.id.text)]), token: community)
            #expect(approved == .ok && r["status"] == .string("approved"), "\(r)")
            #expect(try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("owner.b"), "password": .string("Owner-b-2026")]), token: nil).0 == .ok)

            // A invites a tenant to their room; the tenant registers with the code; A ends it
            let (invited, invitation) = try await client.json(.post, "/api/v1/rooms/\(a.room.text)/invitations", token: ownerToken)
            #expect(invited == .created)
            let inviteCode = try #require(invitation["code"]?.stringValue)
            #expect(try await client.json(.post, "/api/v1/rooms/\(b.room.text)/invitations", token: ownerToken).0 == .notFound || a.room == b.room)
            clock.advance(120)
            #expect(try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13955556666"), "invitation": .string(inviteCode)]), token: nil).0 == .ok)
            let (tenantOk, t) = try await register(["name": .string("租客"), "phone": .string("13955556666"), "code": .string(try await Self.code(app, "13955556666")),
                                                    "username": .string("tenant.a"), "password": .string("Tenant-2026"), "invitation": .string(inviteCode)])
            #expect(tenantOk == .ok && t["status"] == .string("approved"), "\(t)")
            let tenant = try #require(try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("tenant.a"), "password": .string("Tenant-2026")]),
                                                            token: nil).1["token"]?.stringValue)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: tenant).1["roles"]?[0]?["role"] == .string("resident"))
            let tenants = try await client.json(.get, "/api/v1/rooms/\(a.room.text)/tenants", token: ownerToken).1["items"]!.arrayValue
            #expect(tenants.count == 1)
            #expect(try await client.json(.post, "/api/v1/residents/\(tenants[0]["residentId"]!.stringValue!)/end-tenancy", token: ownerToken).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: tenant).0 == .unauthorized)
            // the code worked once only
            clock.advance(120)
            _ = try await client.json(.post, "/api/v1/registrations/code", .object(["phone": .string("13977778888"), "invitation": .string(inviteCode)]), token: nil)
            #expect(try await register(["name": .string("又一个"), "phone": .string("13977778888"), "code": .string(try await Self.code(app, "13977778888")),
                                        "username": .string("tenant.b"), "password": .string("Tenant-2026"), "invitation": .string(inviteCode)]).1["error"]?["fields"]?[0]?["code"]
                    == .string("invalid_invitation"))
        }
    }
}
