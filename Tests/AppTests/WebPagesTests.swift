@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Web pages")
struct WebPagesTests {
    @Test("the tree and the street, community, compound and building pages show the database's numbers", arguments: TestDatabase.all)
    func registryPages(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // given: the small demo (one street)
            let rooms = try await count(app, "rooms")
            let compounds = try await count(app, "compounds")
            // when
            let (status, home, _) = try await client.page("/")
            // then
            #expect(status == .ok)
            #expect(home.contains("<html lang=\"zh-CN\">"))
            #expect(home.contains("大屯街道"))
            #expect(home.contains(">\(rooms)<"), "the district tree shows the room count")
            #expect(home.contains(">\(compounds)<"))

            let sql = app.database.db.sql()
            let street = try await sql.raw("SELECT id FROM streets").first()!.decode(column: "id", as: UUID.self)
            let (streetStatus, streetPage, _) = try await client.page("/streets/\(street.uuidString.lowercased())")
            #expect(streetStatus == .ok)
            #expect(streetPage.contains("欧陆经典社区"))

            let compound = try await sql.raw("SELECT id, community_id FROM compounds WHERE name = '万兴苑'").first()!
            let compoundId = try compound.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let (compoundStatus, compoundPage, _) = try await client.page("/compounds/\(compoundId)")
            #expect(compoundStatus == .ok)
            #expect(compoundPage.contains("万兴苑"))
            #expect(compoundPage.contains("欧陆经典社区党委"))
            let buildings = try await sql.raw("SELECT COUNT(*) AS n FROM buildings b JOIN compounds c ON c.id = b.compound_id WHERE c.name = '万兴苑'").first()!
                .decode(column: "n", as: Int.self)
            #expect(compoundPage.components(separatedBy: "href=\"/buildings/").count - 1 == buildings)

            let building = try await sql.raw("SELECT b.id FROM buildings b JOIN compounds c ON c.id = b.compound_id WHERE c.name = '万兴苑' ORDER BY b.number").first()!
                .decode(column: "id", as: UUID.self)
            let (buildingStatus, buildingPage, _) = try await client.page("/buildings/\(building.uuidString.lowercased())")
            #expect(buildingStatus == .ok)
            #expect(buildingPage.contains("1号楼"))
        }
    }

    @Test("English is one switch away and remembered", arguments: TestDatabase.all.prefix(1))
    func language(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let (status, _, headers) = try await client.page("/language/en?back=/registry/import")
            #expect(status == .seeOther)
            #expect(headers[.location] == "/registry/import")
            let (_, page, _) = try await client.page("/registry/import", cookies: sessionCookies(headers))
            #expect(page.contains("Import registry (CSV)"))
            let (_, offsite, _) = try await client.page("/language/en?back=//evil.example")
            _ = offsite
            let (_, _, h2) = try await client.page("/language/en?back=//evil.example")
            #expect(h2[.location] == "/")
        }
    }

    @Test("forms: a forged post is refused, errors are shown, a good post saves", arguments: TestDatabase.all)
    func forms(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let (_, page, headers) = try await client.page("/manage/buildings/new?compoundId=\(h.compound)")
            let cookie = try #require(sessionCookies(headers))
            let token = try #require(csrfToken(page))
            #expect(page.contains("value=\"\(h.compound)\""))

            // no token: refused, nothing saved
            let (forged, forgedPage, _) = try await client.form("/manage/buildings/new", ["compoundId": h.compound, "number": "1号楼", "floors": "6"], cookies: cookie)
            #expect(forged == .forbidden)
            #expect(forgedPage.contains("403"))
            #expect(try await count(app, "buildings") == 0)

            // invalid: the form comes back with the errors
            let (invalid, invalidPage, _) = try await client.form("/manage/buildings/new",
                                                                  ["_csrf": token, "compoundId": h.compound, "number": "", "floors": "0"], cookies: cookie)
            #expect(invalid == .unprocessableContent)
            #expect(invalidPage.contains("有 2 处需要修改"))
            #expect(invalidPage.contains("aria-invalid=\"true\""))

            // valid: saved, and we land on the new building's page
            let (saved, _, savedHeaders) = try await client.form("/manage/buildings/new",
                                                                 ["_csrf": token, "compoundId": h.compound, "number": "1号楼", "floors": "6", "hasLift": "true"],
                                                                 cookies: cookie)
            #expect(saved == .seeOther)
            #expect(savedHeaders[.location]?.hasPrefix("/buildings/") == true)
            #expect(try await count(app, "buildings") == 1)

            // the record list shows it with its compound's name and the flash message
            let flashCookie = [cookie, sessionCookies(savedHeaders)].compactMap { $0 }.joined(separator: "; ")
            let (listed, list, _) = try await client.page("/manage/buildings?compoundId=\(h.compound)", cookies: flashCookie)
            #expect(listed == .ok)
            #expect(list.contains("1号楼") && list.contains("万兴苑"))
            #expect(list.contains("已保存"))
        }
    }

    @Test("names are shown as text, never as markup", arguments: TestDatabase.all.prefix(1))
    func escaping(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            let (status, _) = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["name": .string("<script>alert(1)</script>")]))
            #expect(status == .ok)
            let (_, page, _) = try await client.page("/compounds/\(h.compound)")
            #expect(!page.contains("<script>alert(1)</script>"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let (_, community, _) = try await client.page("/communities/\(h.community)")
            #expect(community.contains("&lt;script&gt;"))
        }
    }

    @Test("unknown pages answer a Chinese 404 page", arguments: TestDatabase.all.prefix(1))
    func notFound(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let (status, page, _) = try await client.page("/compounds/\(UUID().uuidString)")
            #expect(status == .notFound)
            #expect(page.contains("没有找到这个页面或记录"))
            let (healthStatus, health, _) = try await client.page("/healthz")
            #expect(healthStatus == .ok)
            #expect(health.contains("\"schemaVersion\":\(AppMigrations.schemaVersion)"))
        }
    }
}
