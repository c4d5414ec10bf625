@testable import App
import Domain
import Foundation
import Logging
import SQLKit
import Testing

/// Who a credential stands for is remembered for a few seconds; this process forgets at once when
/// a session, password, account or grant changes, another process sharing the database within
/// `SessionCache.lifetime`.
@Suite("Signed-in calls without a round of queries")
struct SessionCacheTests {
    @Test("logout, a disabled account, a password reset and a new grant take effect on the very next call", arguments: TestDatabase.all)
    func sameProcess(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let admin = try await token(client, "quguan01")
            var owner = try await token(client, "yezhu01")
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .ok)
            // Logout.
            #expect(try await client.json(.post, "/api/v1/auth/logout", token: owner).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .unauthorized)
            // Disabled by the district's admin.
            owner = try await token(client, "yezhu01")
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .ok)
            let id = try await app.database.db.sql().raw("SELECT id FROM users WHERE username = 'yezhu01'").first()!.decode(column: "id", as: UUID.self).text
            #expect(try await client.json(.post, "/api/v1/users/\(id)/disable", token: admin).0 == .ok)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .unauthorized)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/enable", token: admin).0 == .ok)
            // A password set by the admin ends the sessions at once.
            owner = try await token(client, "yezhu01")
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/users/\(id)/password", .object(["password": .string("Another-Pass-2026")]), token: admin).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .unauthorized)
            // A new grant shows on the next call.
            let street = try await token(client, "jiedao01")
            let before = try await client.json(.get, "/api/v1/auth/me", token: street).1["roles"]?.arrayValue.count ?? 0
            let streetUser = try await app.database.db.sql().raw("SELECT id FROM users WHERE username = 'jiedao01'").first()!.decode(column: "id", as: UUID.self).text
            let community = try await Self.compoundCommunity(app)
            let (granted, g) = try await client.json(.post, "/api/v1/users/\(streetUser)/grants", .object(["role": .string("community-staff"), "scopeId": .string(community)]),
                                                     token: admin)
            #expect(granted == .created || granted == .ok, "\(g)")
            #expect(try await client.json(.get, "/api/v1/auth/me", token: street).1["roles"]?.arrayValue.count == before + 1)
        }
    }

    @Test("another process sharing the database drops a revoked session once its own memory of it lapses", arguments: TestDatabase.all)
    func otherProcess(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // A second server's view: its own connection pool and cache on the same database.
            let other = try await AppDatabase(storage: app.database.storage, logger: Logger(label: "other"))
            let there = AuthService(database: other, bcryptCost: 4)
            let owner = try await token(client, "yezhu01")
            #expect(try await there.actor(forSecret: owner, as: .api, now: testNow) != nil)
            // Signed out through this server …
            #expect(try await client.json(.post, "/api/v1/auth/logout", token: owner).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: owner).0 == .unauthorized)
            // … the other still remembers it for a moment, then asks the database and refuses it.
            #expect(try await there.actor(forSecret: owner, as: .api, now: testNow.addingTimeInterval(1)) != nil)
            #expect(try await there.actor(forSecret: owner, as: .api, now: testNow.addingTimeInterval(SessionCache.lifetime + 1)) == nil)
            await other.shutdown()
        }
    }

    static func compoundCommunity(_ app: GongzhiApp) async throws -> String {
        try await app.database.db.sql().raw("SELECT id FROM communities WHERE name = '欧陆经典社区'").first()!.decode(column: "id", as: UUID.self).text
    }
}
