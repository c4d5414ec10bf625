@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Compounds' public pages")
struct PublicPageTests {
    @Test("anyone opens a compound's page without signing in; it names no owner, resident or committee member; the district can turn pages off",
          arguments: TestDatabase.all)
    func publicPage(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑"), sql = app.database.db.sql()
            let id = UUID(uuidString: compound)!
            // given a closed vote and a notice up today
            let community = try await token(client, "shequ01"), admin = try await token(client, "quguan01")
            let today = Timestamp.today(testNow)
            #expect(try await client.json(.post, "/api/v1/notices", .object(["compoundId": .string(compound), "title": .string("停水通知"), "body": .string("明日停水"),
                                                                              "validFrom": .string(today.description), "validUntil": .string(today.adding(days: 3).description)]),
                                          token: community).0 == .created)
            // and the serving company on the street's black list for October (published as the street would)
            let company = try await ServingCompany.of(id, today: today.description, on: app.database.db)!
            let place = try await sql.raw("SELECT c.street_id, s.district_id FROM compounds p JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id WHERE p.id = \(bind: id)").first()!
            try await sql.raw("""
                INSERT INTO placings (id, district_id, street_id, period, company_id, list, score, rank, triggers, published_by, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: try place.decode(column: "district_id", as: UUID.self)), \(bind: try place.decode(column: "street_id", as: UUID.self)), '2026-10',
                \(bind: company), 'black', 6540, NULL, 'score_below:', 'jiedao01', \(bind: testNow), \(bind: testNow))
                """).run()
            // when no one is signed in
            let (status, page) = try await client.json(.get, "/api/v1/public/compounds/\(compound)", token: nil)
            #expect(page["placings"]?.arrayValue.map { [$0["period"], $0["list"], $0["score"]] } == [[.string("2026-10"), .string("black"), .string("65.40")]], "\(page)")
            #expect(!"\(page["placings"] ?? .null)".contains("jiedao01"))
            #expect(status == .ok && page["name"] == .string("万兴苑"), "\(page)")
            #expect(page["notices"]?.arrayValue.map { $0["title"] } == [.string("停水通知")])
            #expect(page["rates"]?.arrayValue.count == 2)
            let owners = try await sql.raw("""
                SELECT DISTINCT o.name, o.phone FROM owners o JOIN ownerships w ON w.owner_id = o.id JOIN rooms r ON r.id = w.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: id)
                """).all().flatMap { [try $0.decode(column: "name", as: String.self), try $0.decode(column: "phone", as: String?.self) ?? ""] }.filter { !$0.isEmpty }
            let members = try await sql.raw("SELECT m.name FROM committee_members m JOIN committees k ON k.id = m.committee_id WHERE k.compound_id = \(bind: id)").all()
                .map { try $0.decode(column: "name", as: String.self) }
            let text = "\(page)"
            #expect(!owners.isEmpty && !members.isEmpty)
            #expect(owners.allSatisfy { !text.contains($0) } && members.allSatisfy { !text.contains($0) })
            let (html, body, _) = try await client.page("/public/compounds/\(compound)", signedIn: false)
            #expect(html == .ok && body.contains("万兴苑") && body.contains("停水通知") && !body.contains("明日停水") && body.contains("黑榜"))
            #expect(owners.allSatisfy { !body.contains($0) } && members.allSatisfy { !body.contains($0) })
            #expect(try await client.json(.get, "/api/v1/public/compounds/\(UUID().uuidString)", token: nil).0 == .notFound)
            // the district turns its pages off: the page is gone for everyone; community staff may not switch
            let district = try await sql.raw("SELECT id FROM districts").first()!.decode(column: "id", as: UUID.self).text
            #expect(try await client.json(.put, "/api/v1/districts/\(district)/public-pages", .object(["open": .bool(false)]), token: community).0 == .forbidden)
            let (off, o) = try await client.json(.put, "/api/v1/districts/\(district)/public-pages", .object(["open": .bool(false)]), token: admin)
            #expect(off == .ok && o["open"] == .bool(false))
            #expect(try await client.json(.get, "/api/v1/public/compounds/\(compound)", token: nil).0 == .notFound)
            #expect(try await client.page("/public/compounds/\(compound)", signedIn: false).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/districts/\(district)/public-pages", token: admin).1["open"] == .bool(false))
            #expect(try await client.json(.put, "/api/v1/districts/\(district)/public-pages", .object(["open": .bool(true)]), token: admin).0 == .ok)
            #expect(try await client.json(.get, "/api/v1/public/compounds/\(compound)", token: nil).0 == .ok)
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'public-pages'").first()!.decode(column: "n", as: Int64.self)
            #expect(audited == 2)
        }
    }
}
