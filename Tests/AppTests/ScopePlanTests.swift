@testable import App
import Domain
import Foundation
import SQLKit
import Testing

/// Scope filters of people who hold few records (owners and residents) must look their records up
/// by index rather than walk the district's rows newest first until a page is full.
@Suite("Scope filters use indexes")
struct ScopePlanTests {
    /// A demo account as it is once signed in: its id and grants.
    static func signedIn(_ app: GongzhiApp, _ username: String) async throws -> Actor {
        let id = try await app.database.db.sql().raw("SELECT id FROM users WHERE username = \(bind: username)").first()!.decode(column: "id", as: UUID.self)
        return Actor(kind: .user, id: id, label: username, grants: try await app.auth.userInfo(id, on: app.database.db).grants)
    }

    @Test("an owner's request list looks up the requests they filed or follow; it does not scan the district's")
    func ownerRequests() async throws {
        try await withApp(.sqlite, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let owner = try await Self.signedIn(app, "yezhu01")
            let query: SQLQueryString = "EXPLAIN QUERY PLAN SELECT r.id FROM requests r WHERE " + RequestService.visible(owner)
                + " ORDER BY r.received_at DESC, r.id DESC LIMIT 51"
            let plan = try await sql.raw(query).all().map { try $0.decode(column: "detail", as: String.self) }
            #expect(!plan.contains { $0.hasPrefix("SCAN r") }, "\(plan)")
            #expect(plan.contains { $0.contains("ix_requests_reporter_user_id") } && plan.contains { $0.contains("ix_request_followers_user_id") }, "\(plan)")
            // … and still finds exactly what they filed.
            let token = try await token(client, "yezhu01")
            let filed = try await client.json(.post, "/api/v1/requests", .object(["category": .string("sanitation"), "compoundId": .string(try await compoundId(app, "万兴苑")),
                                                                                 "description": .string("楼道堆物")]), token: token).1["id"]
            let listed = try await client.json(.get, "/api/v1/requests?limit=50", token: token).1["items"]?.arrayValue.map { $0["id"] }
            #expect(listed == [filed])
        }
    }

    @Test("an owner's and a resident's registry lists (ownerships, rooms, compounds) start from their own rooms, not a scan of the district's")
    func ownerRegistry() async throws {
        try await withApp(.sqlite, demo: .small) { app, _ in
            let sql = app.database.db.sql()
            for username in ["yezhu01", "jumin01"] {
                let actor = try await Self.signedIn(app, username)
                let ctx = AccessContext(actor: actor, source: "test", address: nil, now: testNow)
                for collection in ["ownerships", "rooms", "compounds", "buildings"] {
                    let chain = app.store.access.chain(app.store.catalog[collection]!)
                    let query: SQLQueryString = "EXPLAIN QUERY PLAN SELECT t0.id FROM \(unsafeRaw: chain.from) WHERE \(ctx.scope.visible(actor, chain)) ORDER BY t0.id LIMIT 51"
                    let plan = try await sql.raw(query).all().map { try $0.decode(column: "detail", as: String.self) }
                    #expect(!plan.contains { $0.hasPrefix("SCAN t0") || $0.hasPrefix("SCAN t1") }, "\(username) \(collection): \(plan)")
                }
            }
        }
    }

    @Test("a district administrator's registry lists walk the rows in id order and stop at the page; they do not gather and sort the whole district")
    func districtRegistry() async throws {
        try await withApp(.sqlite, demo: .small) { app, _ in
            let sql = app.database.db.sql()
            let actor = try await Self.signedIn(app, "quguan01")
            #expect(actor.grants.map(\.role) == [.districtAdmin])
            let ctx = AccessContext(actor: actor, source: "test", address: nil, now: testNow)
            for collection in ["rooms", "ownerships", "residents", "buildings"] {
                let chain = app.store.access.chain(app.store.catalog[collection]!)
                let query: SQLQueryString = "SELECT t0.id FROM \(unsafeRaw: chain.from) WHERE \(ctx.scope.visible(actor, chain)) ORDER BY t0.id LIMIT 51"
                let plan = try await sql.raw("EXPLAIN QUERY PLAN " + query).all().map { try $0.decode(column: "detail", as: String.self) }
                #expect(plan.first?.hasPrefix("SCAN t0") == true && !plan.contains { $0.contains("TEMP B-TREE") }, "\(collection): \(plan)")
                // … and the page is the district's first 51 by id, as a plain read of the table gives (one district).
                let page = try await sql.raw(query).all().map { try $0.decode(column: "id", as: UUID.self) }
                let table = try await sql.raw("SELECT id FROM \(unsafeRaw: chain.spec.table) ORDER BY id LIMIT 51").all().map { try $0.decode(column: "id", as: UUID.self) }
                #expect(page == table && !page.isEmpty, "\(collection)")
            }
        }
    }

    @Test("PostgreSQL may reorder a scope's joins (eight tables from an ownership to its district), so it starts from the owner's rooms",
          arguments: TestDatabase.all.filter { if case .postgres = $0 { return true }; return false })
    func postgresJoinOrder(db: TestDatabase) async throws {
        try await withApp(db) { app, _ in
            let limit = try await app.database.db.sql().raw("SHOW join_collapse_limit").first()?.decode(column: "join_collapse_limit", as: String.self)
            #expect(limit == "16")
        }
    }
}
