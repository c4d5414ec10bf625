@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Problems found before complaints")
struct HotspotTests {
    @Test("a week well above its baseline is flagged once; the community sees it, the street turns it into a whistle case or the month's problem",
          arguments: TestDatabase.all)
    func flags(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = UUID(uuidString: try await compoundId(app, "万兴苑"))!
            let requests = RequestService(database: app.database, store: app.store)
            let service = HotspotService(database: app.database, whistle: WhistleService(database: app.database, requests: requests))
            let week = HotspotRules.week(of: Timestamp.today(testNow))
            // given one fire-safety request a week for twelve weeks, then nine in the last complete week
            func file(_ category: RequestCategory, weekOffset: Int, day: Int) async throws {
                let at = CivilTime.beijingMidnight(HotspotRules.monday(ofWeek: week + weekOffset).adding(days: day)).addingTimeInterval(10 * 3_600)
                _ = try await requests.create(.system("test", source: "test", now: at), .init(channel: .phone, category: category, urgency: .general, compoundId: compound,
                                                                                              buildingId: nil, roomId: nil, reporterName: "居民", reporterPhone: nil,
                                                                                              description: "楼道堆物", latitude: nil, longitude: nil))
            }
            for w in -13 ..< -1 { try await file(.fireSafety, weekOffset: w, day: 2) }
            for d in 0..<9 { try await file(.fireSafety, weekOffset: -1, day: d % 7) }
            // when the detector runs (twice: the second raises nothing new)
            #expect(try await service.detect(now: testNow) >= 1)
            _ = try await service.detect(now: testNow)
            let sql = app.database.db.sql()
            let rows = try await sql.raw("SELECT id, count, threshold FROM hotspots WHERE compound_id = \(bind: compound) AND category = 'fire_safety'").all()
            #expect(rows.count == 1)
            let id = try rows[0].decode(column: "id", as: UUID.self).text
            #expect(try rows[0].decode(column: "count", as: Int64.self) >= 9 && rows[0].decode(column: "threshold", as: Int64.self) <= 9)
            // then the community sees it with the requests behind it, but the street decides
            let community = try await token(client, "shequ01"), street = try await token(client, "jiedao01"), owner = try await token(client, "yezhu01")
            let (seen, h) = try await client.json(.get, "/api/v1/hotspots/\(id)", token: community)
            #expect(seen == .ok && h["status"] == .string("open") && (h["requests"]?.arrayValue.count ?? 0) >= 9, "\(h)")
            #expect(try await client.json(.get, "/api/v1/hotspots/\(id)", token: owner).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/hotspots", token: owner).0 == .forbidden)
            let soon = Timestamp.iso(testNow.addingTimeInterval(2 * 86_400))
            let parties: JSONValue = .object(["parties": .array([.object(["kind": .string("company"), "reportBy": .string(soon)])])])
            #expect(try await client.json(.post, "/api/v1/hotspots/\(id)/whistle", parties, token: community).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/hotspots/\(id)/dismiss", .object(["reason": .string(" ")]), token: street).0 == .unprocessableContent)
            let (made, w) = try await client.json(.post, "/api/v1/hotspots/\(id)/whistle", parties, token: street)
            #expect(made == .ok && w["status"] == .string("whistled") && w["caseNumber"]?.stringValue?.hasPrefix("CS") == true, "\(w)")
            let caseId = w["caseId"]!.stringValue!
            let (_, c) = try await client.json(.get, "/api/v1/whistle-cases/\(caseId)", token: street)
            #expect(c["compoundId"] == .string(compound.text) && c["title"]?.stringValue?.contains("未诉先办") == true)
            #expect((c["parties"]?.arrayValue ?? []).first?["kind"] == .string("company"))
            #expect(try await client.json(.post, "/api/v1/hotspots/\(id)/whistle", parties, token: street).0 == .conflict)
            // a second flag becomes the month's problem with progress
            try await sql.raw("UPDATE hotspots SET status = 'open', case_id = NULL WHERE id = \(bind: UUID(uuidString: id)!)").run()
            let (planned, m) = try await client.json(.post, "/api/v1/hotspots/\(id)/monthly-problem", .object(["plan": .string("街道牵头清理楼道堆物，物业两周内完成")]), token: street)
            #expect(planned == .ok && m["status"] == .string("monthly") && m["month"]?.stringValue?.count == 7)
            let (noted, n) = try await client.json(.post, "/api/v1/hotspots/\(id)/progress", .object(["note": .string("已清理3个楼门")]), token: community)
            #expect(noted == .created && n["notes"]?.arrayValue.count == 1)
            #expect(try await client.json(.post, "/api/v1/hotspots/\(id)/dismiss", .object(["reason": .string("误报")]), token: street).0 == .conflict)
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'hotspots' AND entity_id = \(bind: UUID(uuidString: id)!)").first()!
                .decode(column: "n", as: Int64.self)
            #expect(audited == 4)
        }
    }
}
