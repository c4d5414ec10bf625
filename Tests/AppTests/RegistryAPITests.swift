@testable import App
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Registry API")
struct RegistryAPITests {
    @Test("?q= finds owners by name or phone across the district, on the API and the manage page; % is itself", arguments: TestDatabase.all)
    func search(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let district = TestSession.current!.districtId
            _ = try await client.create("owners", ["districtId": .string(district), "kind": .string("person"), "name": .string("欧阳晓明"), "phone": .string("13712345678")])
            func names(_ q: String) async throws -> [String] {
                let (status, body) = try await client.json(.get, "/api/v1/owners?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&limit=500")
                #expect(status == .ok, "\(body)")
                return body["items"]?.arrayValue.compactMap { $0["name"]?.stringValue } ?? []
            }
            #expect(try await names("欧阳") == ["欧阳晓明"])
            #expect(try await names("12345678") == ["欧阳晓明"])
            #expect(try await names("%").isEmpty)
            #expect(try await client.page("/manage/owners?q=%E6%AC%A7%E9%98%B3").1.contains("欧阳晓明"))
        }
    }

    @Test("create, read, list, change and delete along the hierarchy", arguments: TestDatabase.all)
    func crud(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given
            let h = try await makeHierarchy(client)
            let building = try await client.create("buildings", ["compoundId": .string(h.compound), "number": .string("1号楼"),
                                                                 "floors": .int(6), "hasLift": .bool(false)])
            let entrance = try await client.create("entrances", ["buildingId": .string(building), "number": .string("1单元")])
            // when
            let (created, room) = try await client.json(.post, "/api/v1/rooms", .object([
                "entranceId": .string(entrance), "number": .string("101"), "floor": .int(1), "use": .string("residential"), "area": .string("89.5"),
            ]))
            // then
            #expect(created == .created)
            #expect(room["area"] == .string("89.50"))
            let roomId = try #require(room["id"]?.stringValue)
            let (got, fetched) = try await client.json(.get, "/api/v1/rooms/\(roomId)")
            #expect(got == .ok)
            #expect(fetched["number"] == .string("101"))
            #expect(fetched["entranceId"] == .string(entrance))

            // PATCH changes one field and keeps the rest
            let (patched, after) = try await client.json(.patch, "/api/v1/rooms/\(roomId)", .object(["area": .string("90.05")]))
            #expect(patched == .ok)
            #expect(after["area"] == .string("90.05"))
            #expect(after["number"] == .string("101"))

            // PUT needs every required field
            let (put, putBody) = try await client.json(.put, "/api/v1/rooms/\(roomId)", .object(["area": .string("91.00")]))
            #expect(put == .unprocessableContent)
            #expect(putBody["error"]?["fields"]?.arrayValue.count == 4)

            // list filtered by parent
            let (listed, page) = try await client.json(.get, "/api/v1/compounds?communityId=\(h.community)")
            #expect(listed == .ok)
            #expect(page["items"]?.arrayValue.count == 1)
            #expect(page["items"]?[0]?["name"] == .string("万兴苑"))

            // a parent with children cannot be deleted; nothing is lost
            let (conflict, error) = try await client.json(.delete, "/api/v1/entrances/\(entrance)")
            #expect(conflict == .conflict)
            #expect(error["error"]?["code"] == .string("has_children"))
            #expect(try await count(app, "entrances") == 1)

            // a leaf can, and then it is gone
            let (deleted, _) = try await client.json(.delete, "/api/v1/rooms/\(roomId)")
            #expect(deleted == .noContent)
            let (gone, _) = try await client.json(.get, "/api/v1/rooms/\(roomId)")
            #expect(gone == .notFound)
            #expect(try await count(app, "rooms") == 0)
        }
    }

    @Test("cursor paging returns every row once", arguments: TestDatabase.all)
    func paging(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            // given
            let district = TestSession.current!.districtId
            var ids: Set<String> = []
            for i in 0..<7 {
                ids.insert(try await client.create("departments", ["districtId": .string(district), "name": .string("部门\(i)"), "kind": .string("other")]))
            }
            // when
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let (status, page) = try await client.json(.get, "/api/v1/departments?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(status == .ok)
                seen += page["items"]!.arrayValue.compactMap { $0["id"]?.stringValue }
                cursor = page["nextCursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            // then
            #expect(pages == 3)
            #expect(seen.count == 7)
            #expect(Set(seen) == ids)
        }
    }

    @Test("money and coordinates round-trip exactly", arguments: TestDatabase.all)
    func exactValues(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            let company = try await client.create("companies", ["districtId": .string(h.district), "name": .string("北京三园物业管理有限公司"),
                                                                "creditCode": .string(validCreditCode()), "stateOwned": .bool(false),
                                                                "associationMember": .bool(true)])
            let (status, contract) = try await client.json(.post, "/api/v1/contracts", .object([
                "companyId": .string(company), "compoundId": .string(h.compound), "startsOn": .string("2024-01-01"),
                "endsOn": .string("2026-12-31"), "monthlyFeePerSqm": .string("3.05"),
            ]))
            #expect(status == .created)
            #expect(contract["monthlyFeePerSqm"] == .string("3.05"))
            #expect(contract["endsOn"] == .string("2026-12-31"))
            let (_, compound) = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["latitude": .double(40.0123), "longitude": .double(116.4071)]))
            #expect(compound["latitude"] == .double(40.0123))
        }
    }

    @Test("an owner and a resident see the building and entrance of their own rooms, and no other", arguments: TestDatabase.all)
    func ownPlace(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            for username in ["yezhu01", "jumin01"] {
                let who = try await token(client, username)
                let grant = try await app.database.db.sql().raw("""
                    SELECT g.scope_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = \(bind: username)
                    """).first()!.decode(column: "scope_id", as: UUID.self)
                let own: SQLQueryString = username == "yezhu01"
                    ? "SELECT e.id AS e, e.building_id AS b FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id WHERE o.owner_id = \(bind: grant)"
                    : "SELECT e.id AS e, e.building_id AS b FROM residents s JOIN rooms r ON r.id = s.room_id JOIN entrances e ON e.id = r.entrance_id WHERE s.id = \(bind: grant)"
                let row = try #require(try await app.database.db.sql().raw(own).first())
                let entrance = try row.decode(column: "e", as: UUID.self), building = try row.decode(column: "b", as: UUID.self)
                let (e, eBody) = try await client.json(.get, "/api/v1/entrances/\(entrance.text)", token: who)
                #expect(e == .ok, "\(username): \(eBody)")
                #expect(try await client.json(.get, "/api/v1/buildings/\(building.text)", token: who).0 == .ok)
                let other = try await app.database.db.sql().raw("SELECT id FROM entrances WHERE building_id <> \(bind: building) ORDER BY id LIMIT 1").first()!
                    .decode(column: "id", as: UUID.self)
                #expect(try await client.json(.get, "/api/v1/entrances/\(other.text)", token: who).0 == .notFound)
                let listed = try await client.json(.get, "/api/v1/buildings?limit=500", token: who).1["items"]?.arrayValue.compactMap { $0["id"]?.stringValue } ?? []
                #expect(listed.contains(building.text))
                #expect(listed.count <= 3)
            }
        }
    }
}
