@testable import App
import Domain
import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import SQLKit
import Testing

/// For every API route of the route table and every demo role: one request inside the caller's
/// scope and one outside it (another district), each expected to answer as the policy decides
/// on the record's place — worked out here from the hierarchy, independently of the scope SQL.
@Suite("Role × route matrix")
struct AccessMatrixTests {
    @Test("every route has an access rule", arguments: TestDatabase.all.prefix(1))
    func everyRouteHasARule(db: TestDatabase) async throws {
        try await withApp(db) { app, _ in
            let table = app.routeTable()
            let routed = Set(table.router.routes.map { "\($0.method.rawValue) \(OpenAPIDocument.openAPIPath($0.path.description))" })
            let ruled = Set(table.entries.map { "\($0.method.rawValue) \(OpenAPIDocument.openAPIPath($0.pattern))" })
            #expect(routed == ruled, "routes without a rule: \(routed.subtracting(ruled).sorted())")
            #expect(table.entries.filter { $0.access == .open }.map(\.pattern).sorted()
                == (["/api/v1/auth/login", "/api/v1/openapi.json", "/healthz", "/language/:code", "/login", "/login",
                    // Prometheus scrapes without a session; GONGZHI_METRICS_KEY puts it behind a key of its own.
                    "/metrics", "/favicon.ico",
                    // People without an account register themselves: a code to their phone, then the form (API and page).
                    "/api/v1/registrations", "/api/v1/registrations/code", "/register", "/register", "/register/code",
                    // A compound's public page (no personal data), unless the district turned pages off.
                    "/api/v1/public/compounds/:id", "/public/compounds/:id"]
                    // Open311 reads are public by the spec; its POST authenticates with the api_key in the form.
                    + ["discovery.json", "discovery.xml", "requests.json", "requests.json", "requests.xml", "requests.xml", "requests/:id", "services.json",
                       "services.xml", "services/:code"].map { "/open311/v2/" + $0 }).sorted())
        }
    }

    @Test("inside the scope as the policy says, outside never", arguments: TestDatabase.all)
    func matrix(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let world = try await MatrixWorld.build(app)
            var checked = 0
            var failures: [String] = []
            let entries = app.routeTable().entries.filter { $0.pattern.hasPrefix("/api/v1/") }
            for entry in entries {
                // Registry collections here; decisions have their own tests.
                guard case .resource(let collection, let action) = entry.access, app.catalog[collection] != nil else { continue }
                for role in world.roles {
                    for inside in [true, false] {
                        let outcome = try await world.check(client, entry: entry, collection: collection, action: action, role: role, inside: inside)
                        checked += 1
                        if let problem = outcome { failures.append(problem) }
                    }
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(checked) checks disagree:\n" + failures.prefix(40).joined(separator: "\n")))
            #expect(checked == 20 * 6 * Role.allCases.count * 2)
        }
    }
}

/// The demo district (inside) and a second district with one record of every collection (outside).
struct MatrixWorld {
    let app: GongzhiApp
    let roles: [Role]
    let tokens: [Role: String]
    let grants: [Role: Grant]
    let inside: [Role: [String: UUID]]
    let outside: [String: UUID]
    let ownCompounds: [Role: Set<UUID>]

    static let system = AccessContext.system("test", source: "test", now: testNow)

    static func build(_ app: GongzhiApp) async throws -> MatrixWorld {
        let sql = app.database.db.sql()
        var tokens: [Role: String] = [:], grants: [Role: Grant] = [:]
        let usernames: [Role: String] = [.districtAdmin: "quguan01", .streetStaff: "jiedao01", .communityStaff: "shequ01", .committeeMember: "yeweihui01",
                                         .companyStaff: "wuye01", .departmentLiaison: "bumen01", .owner: "yezhu01", .resident: "jumin01",
                                         .mediator: "tiaojie01", .serviceProvider: "weixiu01"]
        for (role, name) in usernames {
            let s = try await app.auth.login(username: name, password: DemoAccounts.password(for: name), address: "10.0.0.\(role.hashValue & 0x7f)",
                                             kind: .api, now: testNow)
            tokens[role] = s.token
            grants[role] = s.user.grants[0]
        }
        func id(_ q: SQLQueryString) async throws -> UUID? { try await sql.raw(q).first()?.decode(column: "id", as: UUID.self) }
        let wanxing = try await id("SELECT id FROM compounds WHERE name = '万兴苑'")!
        var inside: [Role: [String: UUID]] = [:]
        var own: [Role: Set<UUID>] = [:]
        for role in Role.allCases {
            let g = grants[role]!
            var anchor = wanxing
            var room: UUID?
            switch role {
            case .companyStaff:
                anchor = try await id("""
                    SELECT compound_id AS id FROM contracts WHERE company_id = \(bind: g.scopeId) AND starts_on <= '2026-11-30' AND (ends_on IS NULL OR ends_on >= '2026-11-30') ORDER BY compound_id
                    """)!
            case .owner:
                room = try await id("SELECT room_id AS id FROM ownerships WHERE owner_id = \(bind: g.scopeId) ORDER BY room_id")
            case .resident:
                room = try await id("SELECT room_id AS id FROM residents WHERE id = \(bind: g.scopeId)")
            default: break
            }
            if let room {
                anchor = try await id("SELECT b.compound_id AS id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE r.id = \(bind: room)")!
                own[role] = [anchor]
            }
            inside[role] = try await samples(app, anchor: anchor, room: room, grant: g)
        }
        return MatrixWorld(app: app, roles: Role.allCases, tokens: tokens, grants: grants, inside: inside, outside: try await outsideWorld(app), ownCompounds: own)
    }

    /// One record of every collection around the anchor compound, made when the demo has none.
    static func samples(_ app: GongzhiApp, anchor: UUID, room: UUID?, grant g: Grant) async throws -> [String: UUID] {
        let sql = app.database.db.sql()
        func id(_ q: SQLQueryString) async throws -> UUID? { try await sql.raw(q).first()?.decode(column: "id", as: UUID.self) }
        func make(_ c: String, _ v: [String: FieldValue]) async throws -> UUID {
            try await app.store.create(system, app.catalog[c]!, values: v, on: app.database.db).id
        }
        var s: [String: UUID] = [:]
        s["compounds"] = anchor
        s["communities"] = try await id("SELECT community_id AS id FROM compounds WHERE id = \(bind: anchor)")
        s["streets"] = try await id("SELECT street_id AS id FROM communities WHERE id = \(bind: s["communities"]!)")
        s["districts"] = try await id("SELECT district_id AS id FROM streets WHERE id = \(bind: s["streets"]!)")
        let theRoom: UUID
        if let room { theRoom = room } else {
            theRoom = try await id("""
                SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: anchor) ORDER BY b.number, e.number, r.number
                """)!
        }
        s["rooms"] = theRoom
        s["entrances"] = try await id("SELECT entrance_id AS id FROM rooms WHERE id = \(bind: theRoom)")
        s["buildings"] = try await id("SELECT building_id AS id FROM entrances WHERE id = \(bind: s["entrances"]!)")
        s["ownerships"] = try await id("SELECT id FROM ownerships WHERE room_id = \(bind: theRoom) ORDER BY id")
        if g.role == .owner { s["ownerships"] = try await id("SELECT id FROM ownerships WHERE room_id = \(bind: theRoom) AND owner_id = \(bind: g.scopeId)") }
        s["owners"] = g.role == .owner ? g.scopeId : try await id("SELECT owner_id AS id FROM ownerships WHERE id = \(bind: s["ownerships"]!)")
        if g.role == .resident {
            s["residents"] = g.scopeId
        } else {
            s["residents"] = try await id("SELECT id FROM residents WHERE room_id = \(bind: theRoom) ORDER BY id")
            if s["residents"] == nil { s["residents"] = try await make("residents", ["roomId": .uuid(theRoom), "name": .text("测试居民"), "phone": .null]) }
        }
        s["contracts"] = g.role == .companyStaff
            ? try await id("SELECT id FROM contracts WHERE company_id = \(bind: g.scopeId) AND compound_id = \(bind: anchor)")
            : try await id("SELECT id FROM contracts WHERE compound_id = \(bind: anchor) ORDER BY starts_on DESC")
        let anyCompany = try await id("SELECT id FROM companies ORDER BY name")!
        if s["contracts"] == nil {
            s["contracts"] = try await make("contracts", ["companyId": .uuid(anyCompany), "compoundId": .uuid(anchor), "startsOn": .text("2015-01-01"),
                                                          "endsOn": .text("2016-12-31"), "monthlyFeePerSqm": .integer(100)])
        }
        s["companies"] = g.role == .companyStaff ? g.scopeId : try await id("SELECT company_id AS id FROM contracts WHERE id = \(bind: s["contracts"]!)")
        s["committees"] = try await id("SELECT id FROM committees WHERE compound_id = \(bind: anchor) ORDER BY term_start DESC")
        if s["committees"] == nil {
            s["committees"] = try await make("committees", ["compoundId": .uuid(anchor), "kind": .text("preparatory_group"), "termStart": .text("2026-01-01"), "termEnd": .null])
        }
        s["committee-members"] = try await id("SELECT id FROM committee_members WHERE committee_id = \(bind: s["committees"]!) ORDER BY id")
        if s["committee-members"] == nil {
            s["committee-members"] = try await make("committee-members", ["committeeId": .uuid(s["committees"]!), "name": .text("测试委员"), "role": .text("member")])
        }
        s["party-organizations"] = try await id("SELECT id FROM party_organizations WHERE community_id = \(bind: s["communities"]!) AND kind = 'community_committee'")
        s["alliances"] = try await id("SELECT id FROM alliances WHERE street_id = \(bind: s["streets"]!)")
        s["alliance-members"] = try await id("""
            SELECT id FROM alliance_members WHERE alliance_id = \(bind: s["alliances"]!) ORDER BY CASE WHEN company_id = \(bind: g.scopeId) THEN 0 ELSE 1 END, id
            """)
        s["party-coverages"] = try await id("""
            SELECT v.id FROM party_coverages v JOIN party_organizations p ON p.id = v.party_organization_id WHERE p.street_id = \(bind: s["streets"]!) ORDER BY v.id
            """)
        s["departments"] = g.role == .departmentLiaison ? g.scopeId : try await id("SELECT id FROM departments ORDER BY name")
        s["cross-appointments"] = try await id("SELECT id FROM cross_appointments WHERE community_id = \(bind: s["communities"]!)")
        if s["cross-appointments"] == nil {
            s["cross-appointments"] = try await make("cross-appointments", ["communityId": .uuid(s["communities"]!), "companyId": .uuid(anyCompany),
                                                                            "personName": .text("测试"), "direction": .text("company_to_community"),
                                                                            "post": .text("社区兼职副主任"), "startsOn": .text("2025-01-01")])
        }
        return s
    }

    /// A second district with one record of every collection.
    static func outsideWorld(_ app: GongzhiApp) async throws -> [String: UUID] {
        var o: [String: UUID] = [:]
        func make(_ c: String, _ v: [String: FieldValue]) async throws {
            o[c] = try await app.store.create(system, app.catalog[c]!, values: v, on: app.database.db).id
        }
        try await make("districts", ["name": .text("海淀区"), "code": .text("110108")])
        try await make("streets", ["districtId": .uuid(o["districts"]!), "name": .text("中关村街道"), "kind": .text("subdistrict")])
        try await make("communities", ["streetId": .uuid(o["streets"]!), "name": .text("科育社区")])
        try await make("compounds", ["communityId": .uuid(o["communities"]!), "name": .text("科育小区"), "aliases": .null, "address": .text("海淀区"),
                                     "latitude": .null, "longitude": .null, "housingKind": .text("reform"), "yearBuilt": .integer(1990), "managementMode": .text("professional")])
        try await make("buildings", ["compoundId": .uuid(o["compounds"]!), "number": .text("1号楼"), "floors": .integer(6), "hasLift": .boolean(false)])
        try await make("entrances", ["buildingId": .uuid(o["buildings"]!), "number": .text("1单元")])
        try await make("rooms", ["entranceId": .uuid(o["entrances"]!), "number": .text("101"), "floor": .integer(1), "use": .text("residential"), "area": .integer(6000)])
        try await make("owners", ["districtId": .uuid(o["districts"]!), "kind": .text("person"), "name": .text("张三"), "phone": .null])
        try await make("ownerships", ["roomId": .uuid(o["rooms"]!), "ownerId": .uuid(o["owners"]!)])
        try await make("residents", ["roomId": .uuid(o["rooms"]!), "name": .text("李四"), "phone": .null])
        try await make("companies", ["districtId": .uuid(o["districts"]!), "name": .text("海淀物业"), "creditCode": .text(validCreditCode("91110108MA01XYKW1")),
                                     "stateOwned": .boolean(false), "associationMember": .boolean(false), "phone": .null])
        try await make("contracts", ["companyId": .uuid(o["companies"]!), "compoundId": .uuid(o["compounds"]!), "startsOn": .text("2024-01-01"),
                                     "endsOn": .null, "monthlyFeePerSqm": .integer(200)])
        try await make("committees", ["compoundId": .uuid(o["compounds"]!), "kind": .text("owners_committee"), "termStart": .text("2024-01-01"), "termEnd": .null])
        try await make("committee-members", ["committeeId": .uuid(o["committees"]!), "name": .text("王五"), "role": .text("chair")])
        try await make("party-organizations", ["streetId": .uuid(o["streets"]!), "communityId": .uuid(o["communities"]!), "kind": .text("community_committee"), "name": .text("科育社区党委")])
        try await make("party-coverages", ["partyOrganizationId": .uuid(o["party-organizations"]!), "compoundId": .uuid(o["compounds"]!), "companyId": .null])
        try await make("alliances", ["streetId": .uuid(o["streets"]!), "name": .text("中关村物业服务联盟"), "foundedOn": .text("2020-01-01")])
        try await make("alliance-members", ["allianceId": .uuid(o["alliances"]!), "companyId": .uuid(o["companies"]!), "joinedOn": .text("2020-01-01")])
        try await make("departments", ["districtId": .uuid(o["districts"]!), "name": .text("海淀区房管局"), "kind": .text("housing")])
        try await make("cross-appointments", ["communityId": .uuid(o["communities"]!), "companyId": .uuid(o["companies"]!), "personName": .text("赵六"),
                                              "direction": .text("company_to_community"), "post": .text("兼职副书记"), "startsOn": .text("2024-01-01")])
        return o
    }
}

/// The routes that are not per-record: administration is for district admins only, and nothing
/// but the open routes answers without signing in.
@Suite("Role × route matrix: administration and sign-in")
struct AccessMatrixAdminTests {
    @Test("administer routes refuse every other role; signed-in routes refuse the anonymous", arguments: TestDatabase.all.prefix(1))
    func adminAndSignIn(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let world = try await MatrixWorld.build(app)
            var failures: [String] = []
            for entry in app.routeTable().entries {
                let path = entry.pattern.replacingOccurrences(of: ":id", with: UUID().uuidString.lowercased())
                    .replacingOccurrences(of: ":resource", with: "companies").replacingOccurrences(of: ":code", with: "en")
                let api = path.hasPrefix("/api/")
                // anonymous
                let anonymous = try await client.execute(uri: path, method: entry.method, headers: api ? [.contentType: "application/json"] : [:],
                                                         body: ByteBuffer(string: api ? "{}" : "")) { $0.status }
                switch entry.access {
                case .open:
                    if anonymous == .unauthorized { failures.append("\(entry.method) \(entry.pattern) is open but answered 401") }
                default:
                    let expected: HTTPResponse.Status = api ? .unauthorized : (entry.method == .get ? .seeOther : .unauthorized)
                    if anonymous != expected { failures.append("\(entry.method) \(entry.pattern) anonymous answered \(anonymous.code), expected \(expected.code)") }
                }
                // Web forms also need their CSRF token (403 without it for everyone), so only GETs and the API here.
                guard entry.access == .administer, api || entry.method == .get else { continue }
                for role in world.roles {
                    let status = try await client.execute(uri: path, method: entry.method,
                                                          headers: [.authorization: "Bearer \(world.tokens[role]!)", .contentType: "application/json"],
                                                          body: ByteBuffer(string: "{}")) { $0.status }
                    let refused = status == .forbidden
                    if refused != (role != .districtAdmin) {
                        failures.append("\(entry.method) \(entry.pattern) as \(role.rawValue) answered \(status.code)")
                    }
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
        }
    }
}
