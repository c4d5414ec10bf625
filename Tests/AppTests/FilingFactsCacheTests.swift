@testable import App
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Synchronization
import Testing

/// A filer's facts of a compound remembered for a few seconds (`FilingFactsCache`).
@Suite("Filing facts remembered briefly")
struct FilingFactsCacheTests {
    static func file(_ client: any TestClientProtocol, _ compound: String, token: String) async throws -> (HTTPResponse.Status, JSONValue) {
        try await client.json(.post, "/api/v1/requests", .object([
            "category": .string("sanitation"), "compoundId": .string(compound), "description": .string("楼道堆物"),
        ]), token: token)
    }

    @Test("a change made in this process is seen by the next filing; one made by another process once the lifetime has passed", arguments: TestDatabase.all)
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

            // when another process ends every contract of the compound (nothing of it audited here),
            // then once the lifetime has passed filings go to the community (within it they may not:
            // `remembersWithinLifetime`; here other tests' audited writes may make the memory start afresh sooner)
            try await sql.raw("UPDATE contracts SET ends_on = '2026-11-01' WHERE compound_id = \(bind: compoundUUID)").run()
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

    @Test("facts are remembered within the lifetime while the change count stands, and forgotten when either moves")
    func remembersWithinLifetime() throws {
        let count = Mutex<UInt64>(0)
        let cache = FilingFactsCache(changes: { count.withLock { $0 } })
        let ctx = AccessContext(actor: Actor(kind: .user, id: UUID(), label: "yezhu01", grants: [Grant(role: .owner, scopeId: UUID())]),
                                source: "api", address: nil, now: testNow)
        let compound = UUID(), place = RequestService.CompoundPlace(compoundId: compound, communityId: UUID(), streetId: UUID(), districtId: UUID())
        let facts = RequestService.FilingFacts(reach: [], place: place, compoundName: "万兴苑", communityName: "社区", settings: RequestSettings(),
                                               contracts: [])
        let key = FilingFactsCache.Key(ctx, compound: compound)
        // read at count 0, remembered, found within the lifetime by the same filer only
        cache.remember(key, facts, changes: 0, now: testNow)
        #expect(cache.facts(key, now: testNow.addingTimeInterval(FilingFactsCache.lifetime - 0.001))?.compoundName == "万兴苑")
        let other = AccessContext(actor: Actor(kind: .user, id: UUID(), label: "jumin01", grants: [Grant(role: .resident, scopeId: UUID())]),
                                  source: "api", address: nil, now: testNow)
        #expect(cache.facts(FilingFactsCache.Key(other, compound: compound), now: testNow) == nil)
        #expect(cache.facts(FilingFactsCache.Key(ctx, compound: UUID()), now: testNow) == nil)
        // not after the lifetime
        #expect(cache.facts(key, now: testNow.addingTimeInterval(FilingFactsCache.lifetime)) == nil)
        // a change counted after the read: forgotten, and facts read before it are not remembered
        cache.remember(key, facts, changes: 0, now: testNow)
        count.withLock { $0 = 1 }
        #expect(cache.facts(key, now: testNow) == nil)
        cache.remember(key, facts, changes: 0, now: testNow)
        #expect(cache.facts(key, now: testNow) == nil)
        cache.remember(key, facts, changes: 1, now: testNow)
        #expect(cache.facts(key, now: testNow) != nil)
        // the next day is another key (which contracts serve is a matter of the day)
        let tomorrow = AccessContext(actor: ctx.actor, source: "api", address: nil, now: testNow.addingTimeInterval(86_400))
        #expect(cache.facts(FilingFactsCache.Key(tomorrow, compound: compound), now: testNow) == nil)
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
