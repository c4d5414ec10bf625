@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("The three coverage rates")
struct CoverageTests {
    @Test("rates roll up from the registry's terms and contracts; staff see their own unit only; a 物管会 formed moves the rate; snapshots keep the trend",
          arguments: TestDatabase.all)
    func rates(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let street = try await token(client, "jiedao01"), community = try await token(client, "shequ01"), owner = try await token(client, "yezhu01")
            let sql = app.database.db.sql(), today = Timestamp.today(testNow).description
            // given the registry's own counts, computed independently of the rules
            let compounds = try await sql.raw("SELECT COUNT(*) AS n FROM compounds").first()!.decode(column: "n", as: Int64.self)
            let withCommittee = try await sql.raw("""
                SELECT COUNT(*) AS n FROM compounds p WHERE EXISTS (SELECT 1 FROM committees k WHERE k.compound_id = p.id AND k.kind IN ('owners_committee', 'management_committee')
                AND k.term_start <= \(bind: today) AND (k.term_end IS NULL OR k.term_end >= \(bind: today)))
                """).first()!.decode(column: "n", as: Int64.self)
            // when the street asks for its own unit
            let (ok, s) = try await client.json(.get, "/api/v1/coverage", token: street)
            #expect(ok == .ok && s["level"] == .string("streets") && s["name"] == .string("大屯街道"), "\(s)")
            #expect(s["total"]?["compounds"] == .int(compounds) && s["total"]?["committee"] == .int(withCommittee), "\(s)")
            let children = s["children"]?.arrayValue ?? []
            #expect(children.count == 4 && children.reduce(0) { $0 + ($1["tally"]?["compounds"]?.intValue ?? 0) } == compounds)
            #expect(s["history"]?.arrayValue.last?["month"] == .string(String(today.prefix(7))))
            // the community sees itself, not its street or district; an owner sees none
            let (own, c) = try await client.json(.get, "/api/v1/coverage", token: community)
            #expect(own == .ok && c["level"] == .string("communities") && c["name"] == .string("欧陆经典社区"), "\(c)")
            let streetId = s["id"]!.stringValue!
            #expect(try await client.json(.get, "/api/v1/coverage?level=streets&id=\(streetId)", token: community).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/coverage", token: owner).0 == .forbidden)
            #expect(try await client.json(.get, "/api/v1/coverage?level=streets", token: street).0 == .unprocessableContent)
            #expect(try await client.json(.get, "/api/v1/coverage/compounds?missing=nothing", token: street).0 == .unprocessableContent)

            // the compounds missing a committee are exactly the others; forming a 物管会 in one moves it across
            let (_, missing) = try await client.json(.get, "/api/v1/coverage/compounds?level=streets&id=\(streetId)&missing=committee", token: street)
            let without = missing["items"]?.arrayValue ?? []
            #expect(Int64(without.count) == compounds - withCommittee && without.allSatisfy { $0["committee"] == .bool(false) })
            let target = without[0]["id"]!.stringValue!
            let seats: [(String, String)] = [("居委会王", "chair"), ("业主赵", "vice_chair"), ("业主钱", "owner_representative"), ("业主孙", "owner_representative"), ("民警李", "other")]
            let (formed, k) = try await client.json(.post, "/api/v1/management-committees", .object([
                "compoundId": .string(target), "formedOn": .string(today), "termEnd": .string(Timestamp.today(testNow).adding(days: 700).description),
                "members": .array(seats.map { .object(["name": .string($0.0), "seat": .string($0.1)]) })]), token: street)
            #expect(formed == .created, "\(k)")
            let after = try await client.json(.get, "/api/v1/coverage", token: street).1
            #expect(after["total"]?["committee"] == .int(withCommittee + 1))
            #expect(after["total"]?["committeeRate"] == .string(FixedPoint2.format(Ratio(withCommittee + 1, compounds).basisPoints!)))

            // snapshots: a month back from the dated facts, then the trend has two points
            let service = CoverageService(database: app.database)
            let lastMonth = CoverageRules.monthEnds(through: Timestamp.today(testNow), count: 2)[0]
            let rows = try await service.record(day: lastMonth, now: testNow)
            #expect(rows == 1 + 1 + 4)
            #expect(try await service.record(day: lastMonth, now: testNow) == rows)
            let stored = try await sql.raw("SELECT COUNT(*) AS n FROM coverage_snapshots").first()!.decode(column: "n", as: Int64.self)
            #expect(stored == Int64(rows))
            let trend = try await client.json(.get, "/api/v1/coverage", token: street).1["history"]?.arrayValue ?? []
            #expect(trend.map { $0["month"]?.stringValue ?? "" } == [String(lastMonth.description.prefix(7)), String(today.prefix(7))])
            #expect(trend.first?["tally"]?["compounds"] == .int(compounds))
        }
    }
}

@Suite("The three rates: what a district counts as served")
struct CoverageSettingsTests {
    @Test("a district that stops counting the state-owned fallback sees its service rate drop by exactly those compounds; only its admins choose",
          arguments: TestDatabase.all)
    func fallback(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql(), today = Timestamp.today(testNow).description
            let admin = try await token(client, "quguan01"), street = try await token(client, "jiedao01")
            let district = try await sql.raw("SELECT id FROM districts ORDER BY name LIMIT 1").first()!.decode(column: "id", as: UUID.self).text
            // Compounds whose only current contract is with a state-owned company, counted from the registry directly.
            let fallbackOnly = try await sql.raw("""
                SELECT COUNT(*) AS n FROM compounds p WHERE EXISTS (SELECT 1 FROM contracts k JOIN companies co ON co.id = k.company_id WHERE k.compound_id = p.id
                AND co.state_owned = \(bind: true) AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today)))
                AND NOT EXISTS (SELECT 1 FROM contracts k JOIN companies co ON co.id = k.company_id WHERE k.compound_id = p.id
                AND co.state_owned = \(bind: false) AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today)))
                """).first()!.decode(column: "n", as: Int64.self)
            let (_, standard) = try await client.json(.get, "/api/v1/districts/\(district)/coverage-settings", token: admin)
            #expect(standard["countStateFallback"] == .bool(true) && standard["countSelfManaged"] == .bool(false))
            let before = try await client.json(.get, "/api/v1/coverage", token: street).1["total"]?["service"]?.intValue ?? -1
            let body: JSONValue = .object(["countStateFallback": .bool(false), "countSelfManaged": .bool(false)])
            #expect(try await client.json(.put, "/api/v1/districts/\(district)/coverage-settings", body, token: street).0 == .forbidden)
            #expect(try await client.json(.put, "/api/v1/districts/\(district)/coverage-settings", .object(["countStateFallback": .bool(false)]), token: admin).0
                == .unprocessableContent)
            let (saved, s) = try await client.json(.put, "/api/v1/districts/\(district)/coverage-settings", body, token: admin)
            #expect(saved == .ok && s["countStateFallback"] == .bool(false))
            let after = try await client.json(.get, "/api/v1/coverage", token: street).1["total"]?["service"]?.intValue ?? -1
            #expect(fallbackOnly > 0 && after == before - fallbackOnly, "before \(before), after \(after), fallback-only \(fallbackOnly)")
            // This month's snapshot follows at once.
            let snapshot = try await sql.raw("SELECT service FROM coverage_snapshots WHERE scope_id = \(bind: UUID(uuidString: district)!) AND month = \(bind: String(today.prefix(7)))")
                .first()?.decode(column: "service", as: Int64.self)
            let districtNow = try await client.json(.get, "/api/v1/coverage", token: admin).1["total"]?["service"]?.intValue
            #expect(snapshot == districtNow)
        }
    }
}
