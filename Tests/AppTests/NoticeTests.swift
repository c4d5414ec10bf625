@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Notices and read receipts")
struct NoticeTests {
    @Test("the community posts to a building, its owner reads it once and is counted there; a tenant of another building never sees it; the company cannot post as the committee; a new contract posts a system notice nobody edits",
          arguments: TestDatabase.all)
    func readReceipts(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01")
            let resident = try await token(client, "jumin01"), committee = try await token(client, "yeweihui01"), street = try await token(client, "jiedao01")
            let sql = app.database.db.sql()
            // the owner's building (the resident lives in another one: the demo's last building)
            let ownerId = try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!
            let building = try await sql.raw("""
                SELECT e.building_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id WHERE o.owner_id = \(bind: UUID(uuidString: ownerId)!) LIMIT 1
                """).first()!.decode(column: "building_id", as: UUID.self)
            let today = Timestamp.today(testNow)
            let fields: [String: JSONValue] = ["compoundId": .string(compound), "buildingId": .string(building.text), "title": .string("停水通知"),
                                           "body": .string("12月3日9:00–15:00二次供水设备检修，停水。"), "validFrom": .string(today.description),
                                           "validUntil": .string(today.adding(days: 2).description)]
            let body = JSONValue.object(fields)
            // when the community posts to the owner's building
            let (made, n) = try await client.json(.post, "/api/v1/notices", body, token: community)
            #expect(made == .created && n["author"] == .string("community") && n["editable"] == .bool(true) && n["number"]?.stringValue?.hasPrefix("GS") == true, "\(n)")
            let id = n["id"]!.stringValue!
            // then the owner sees it unread, reads it twice and is counted once, in the building
            let mine = try await client.json(.get, "/api/v1/notices?current=true", token: owner).1["items"]?.arrayValue ?? []
            #expect(mine.contains { $0["id"] == .string(id) && $0["read"] == .bool(false) })
            let first = try await client.json(.post, "/api/v1/notices/\(id)/read", token: owner).1["readAt"]
            #expect(first?.stringValue != nil)
            #expect(try await client.json(.post, "/api/v1/notices/\(id)/read", token: owner).1["readAt"] == first)
            #expect(try await client.json(.get, "/api/v1/notices/\(id)", token: community).1["readers"] == .int(1))
            let reads = try await client.json(.get, "/api/v1/notices/\(id)/reads", token: community).1["items"]?.arrayValue ?? []
            #expect(reads.count == 1 && reads[0]["buildingId"] == .string(building.text) && reads[0]["readers"] == .int(1))
            #expect(try await client.json(.get, "/api/v1/notices/\(id)/reads", token: owner).0 == .forbidden)
            // a resident of another building does not see it; staff reading it are not receipts
            #expect(try await client.json(.get, "/api/v1/notices/\(id)", token: resident).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/notices/\(id)/read", token: street).1["readAt"] == .null)
            #expect(try await client.json(.get, "/api/v1/notices/\(id)", token: street).1["readers"] == .int(1))

            // the company posts as itself, not as the committee; the committee cannot change the community's notice
            var asCommittee = fields; asCommittee["author"] = .string("committee")
            let (refused, r) = try await client.json(.post, "/api/v1/notices", .object(asCommittee), token: company)
            #expect(refused == .unprocessableContent && r["error"]?["fields"]?[0]?["field"] == .string("author"), "\(r)")
            var asCompany = fields; asCompany.removeValue(forKey: "buildingId")
            #expect(try await client.json(.post, "/api/v1/notices", .object(asCompany), token: company).1["author"] == .string("company"))
            #expect(try await client.json(.patch, "/api/v1/notices/\(id)", .object(["title": .string("改")]), token: committee).0 == .forbidden)
            // a period ending before it starts is refused with the field
            var backwards = fields; backwards["validUntil"] = .string(today.adding(days: -1).description)
            #expect(try await client.json(.post, "/api/v1/notices", .object(backwards), token: community).1["error"]?["fields"]?[0]?["field"] == .string("validUntil"))
            // withdrawn: gone from the owner, kept for the community
            #expect(try await client.json(.post, "/api/v1/notices/\(id)/withdraw", token: community).1["withdrawn"] == .bool(true))
            #expect(try await client.json(.get, "/api/v1/notices/\(id)", token: owner).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/notices/\(id)/withdraw", token: community).0 == .conflict)

            // a new contract posts a change-of-company notice that nobody can change
            let companyId = try await client.json(.get, "/api/v1/auth/me", token: company).1["roles"]![0]!["scopeId"]!.stringValue!
            let (contracted, k) = try await client.json(.post, "/api/v1/contracts", .object(["companyId": .string(companyId), "compoundId": .string(compound),
                                                                                            "startsOn": .string(today.adding(days: 1).description), "monthlyFeePerSqm": .string("1.20")]),
                                                        token: community)
            #expect(contracted == .created, "\(k)")
            let system = try await client.json(.get, "/api/v1/notices?compoundId=\(compound)", token: owner).1["items"]?.arrayValue ?? []
            let change = try #require(system.first { $0["systemKind"] == .string("company_change") })
            #expect(change["author"] == .string("system") && change["validUntil"] == .string(today.adding(days: 29).description))
            #expect(try await client.json(.patch, "/api/v1/notices/\(change["id"]!.stringValue!)", .object(["title": .string("改")]), token: community).0 == .conflict)
            // every write is audited
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'notices'").first()!.decode(column: "n", as: Int64.self)
            #expect(audited >= 4)
        }
    }
}
