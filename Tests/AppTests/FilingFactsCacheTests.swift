@testable import App
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

/// A filer's facts of a compound remembered for a few seconds (`FilingFactsCache`).
@Suite("Filing facts remembered briefly")
struct FilingFactsCacheTests {
    static func file(_ client: any TestClientProtocol, _ compound: String, token: String) async throws -> (HTTPResponse.Status, JSONValue) {
        try await client.json(.post, "/api/v1/requests", .object([
            "category": .string("sanitation"), "compoundId": .string(compound), "description": .string("楼道堆物"),
        ]), token: token)
    }

    @Test("a change made in this process is seen by the next filing; one made by another process within the lifetime", arguments: TestDatabase.all)
    func invalidation(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            // given an owner who filed once, dispatched to the company under contract
            let compound = try await compoundId(app, "万兴苑"), compoundUUID = UUID(uuidString: compound)!
            let owner = try await token(client, "yezhu01")
            let (status, first) = try await Self.file(client, compound, token: owner)
            #expect(status == .created && first["handler"]?["kind"] == .string("company"), "\(first)")
            let company = try #require(first["handler"]?["id"]?.stringValue)
            let sql = app.database.db.sql()

            // when another process ends every contract of the compound (nothing of it audited here)
            try await sql.raw("UPDATE contracts SET ends_on = '2026-11-01' WHERE compound_id = \(bind: compoundUUID)").run()
            // then filings within the lifetime still go to the company, and after it to the community
            #expect(try await Self.file(client, compound, token: owner).1["handler"]?["id"] == .string(company))
            clock.advance(FilingFactsCache.lifetime + 1)
            let lapsed = try await Self.file(client, compound, token: owner).1
            #expect(lapsed["handler"]?["kind"] == .string("community"), "\(lapsed)")

            // when staff here sign a new contract with the company, the next filing goes to it at once
            _ = try await client.create("contracts", ["companyId": .string(company), "compoundId": .string(compound), "startsOn": .string("2026-11-02"), "monthlyFeePerSqm": .string("1.50")])
            #expect(try await Self.file(client, compound, token: owner).1["handler"]?["id"] == .string(company))

            // when staff here remove the owner's ownership in the compound, the owner cannot file there at once
            let ownerships = try await sql.raw("""
                SELECT o.id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                JOIN owners w ON w.id = o.owner_id JOIN users u ON u.username = 'yezhu01'
                JOIN role_grants g ON g.user_id = u.id AND g.scope_id = w.id WHERE b.compound_id = \(bind: compoundUUID)
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            #expect(!ownerships.isEmpty)
            for o in ownerships {
                #expect(try await client.json(.delete, "/api/v1/ownerships/\(o.uuidString.lowercased())").0 == .noContent)
            }
            let (refused, body) = try await Self.file(client, compound, token: owner)
            #expect(refused == .unprocessableContent && body["error"]?["fields"]?[0]?["field"] == .string("compoundId"), "\(body)")

        }
    }

    @Test("the change count moves on registry writes and not on traffic")
    func counting() {
        // (other tests count at the same time: only what one note adds is certain)
        #expect(RegistryChanges.traffic.isSuperset(of: ["requests", "payments", "devices"]))
        #expect(RegistryChanges.traffic.isDisjoint(with: ["contracts", "ownerships", "residents", "compounds", "communities", "role-grants", "request-settings", "districts"]))
        let before = RegistryChanges.current
        RegistryChanges.note("contracts")
        #expect(RegistryChanges.current > before)
    }
}
