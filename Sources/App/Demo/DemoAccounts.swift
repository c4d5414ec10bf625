import Domain
import FluentKit
import Foundation
import SQLKit

/// One demo login, as `serve --demo` prints it.
public struct DemoAccount: Sendable {
    public let role: Role
    public let username: String
    public let password: String
    public let scope: String
}

/// Creates one account per role in the demo district, around 万兴苑 in 大屯街道 (the seed's compound).
public struct DemoAccounts: Sendable {
    let app: GongzhiApp

    public init(app: GongzhiApp) { self.app = app }

    /// The demo password of a username (the demo is public; real accounts are made with `gongzhi user create`).
    public static func password(for username: String) -> String { "Gz-\(username)-2020" }

    public func create(now: Date) async throws -> [DemoAccount] {
        let sql = app.database.db.sql()
        func one(_ query: SQLQueryString) async throws -> (UUID, String)? {
            guard let row = try await sql.raw(query).first() else { return nil }
            return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "label", as: String.self))
        }
        let today = Timestamp.today(now).description
        // The street's menu providers first: the repair team's login is scoped to one.
        try await DemoServices(app: app).setUp(now: now)
        let scopes: [(Role, String, (UUID, String)?)] = [
            (.districtAdmin, "quguan01", try await one("SELECT id, name AS label FROM districts ORDER BY name LIMIT 1")),
            (.streetStaff, "jiedao01", try await one("SELECT id, name AS label FROM streets WHERE name = '大屯街道'")),
            (.communityStaff, "shequ01", try await one("SELECT id, name AS label FROM communities WHERE name = '欧陆经典社区'")),
            (.committeeMember, "yeweihui01", try await one("""
                SELECT p.id, p.name AS label FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.name = '欧陆经典社区' AND p.name = '万兴苑'
                """)),
            (.companyStaff, "wuye01", try await one("""
                SELECT co.id, co.name AS label FROM contracts k JOIN companies co ON co.id = k.company_id JOIN compounds p ON p.id = k.compound_id
                JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id
                WHERE s.name = '大屯街道' AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today))
                ORDER BY CASE WHEN p.name = '万兴苑' THEN 0 ELSE 1 END, co.name LIMIT 1
                """)),
            (.departmentLiaison, "bumen01", try await one("SELECT id, name AS label FROM departments WHERE name = '区房管局'")),
            (.owner, "yezhu01", try await one("""
                SELECT o.id, o.name AS label FROM owners o JOIN ownerships w ON w.owner_id = o.id JOIN rooms r ON r.id = w.room_id
                JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id
                WHERE p.name = '万兴苑' AND o.kind = 'person' ORDER BY b.number, e.number, r.number LIMIT 1
                """)),
            (.resident, "jumin01", try await one("""
                SELECT s.id, s.name AS label FROM residents s JOIN rooms r ON r.id = s.room_id
                JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id
                WHERE p.name = '万兴苑' ORDER BY b.number DESC, e.number, r.number LIMIT 1
                """)),
            (.mediator, "tiaojie01", try await one("SELECT id, name AS label FROM streets WHERE name = '大屯街道'")),
            (.serviceProvider, "weixiu01", try await one("SELECT id, name AS label FROM service_providers WHERE name = '大屯街道专业维修队'")),
        ]
        let ctx = AccessContext.system("demo", source: "demo", now: now)
        var out: [DemoAccount] = []
        for (role, username, scope) in scopes {
            guard let (id, label) = scope else { continue }
            let password = Self.password(for: username)
            _ = try await app.auth.createUser(ctx, username: username, password: password, displayName: label, role: role, scopeId: id)
            out.append(DemoAccount(role: role, username: username, password: password, scope: label))
        }
        // The resident is a party member who collects neighbours' disputes for the branch (党员收集).
        try await sql.raw("UPDATE users SET party_member = \(bind: true) WHERE username = 'jumin01'").run()
        return out
    }
}

extension GongzhiApp {
    /// User management for `gongzhi user …` (acting as the system, audited as `cli`).
    public func createUser(username: String, password: String, displayName: String, role: Role, scopeId: UUID, now: Date) async throws {
        _ = try await auth.createUser(.system("cli", source: "cli", now: now), username: username, password: password,
                                      displayName: displayName, role: role, scopeId: scopeId)
    }

    public func listUsers() async throws -> [(username: String, displayName: String, disabled: Bool, grants: [(String, String)])] {
        try await auth.listUsers()
    }

    public func setUserDisabled(username: String, disabled: Bool, now: Date) async throws {
        try await auth.setDisabled(.system("cli", source: "cli", now: now), username: username, disabled: disabled)
    }

    public func resetPassword(username: String, password: String, now: Date) async throws {
        let id = try await auth.userId(username: username)
        try await auth.setPassword(.system("cli", source: "cli", now: now), userId: id, current: nil, new: password)
    }
}
