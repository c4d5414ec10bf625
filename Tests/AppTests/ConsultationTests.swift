@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Five-party consultations")
struct ConsultationTests {
    @Test("convened monthly, a dispute put on the agenda in one step, attendance marks a missing party, resolutions carried to the next meeting until done, the summary published without names",
          arguments: TestDatabase.all)
    func meeting(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01")
            let communityId = try await app.database.db.sql().raw("SELECT community_id FROM compounds WHERE id = \(bind: UUID(uuidString: compound)!)").first()!
                .decode(column: "community_id", as: UUID.self).text
            let companyId = try await client.json(.get, "/api/v1/auth/me", token: company).1["roles"]![0]!["scopeId"]!.stringValue!
            let seats: [JSONValue] = [
                .object(["party": .string("party_committee"), "name": .string("李书记")]), .object(["party": .string("residents_committee"), "name": .string("王主任")]),
                .object(["party": .string("company"), "name": .string("物业经理"), "companyId": .string(companyId)]),
                .object(["party": .string("owners_committee"), "name": .string("赵主任")]), .object(["party": .string("residents"), "name": .string("居民代表张")]),
            ]
            // when the community convenes this month's meeting and next month's
            let (made, m) = try await client.json(.post, "/api/v1/consultations", .object([
                "communityId": .string(communityId), "compoundIds": .array([.string(compound)]), "title": .string("电梯维修与停车秩序"),
                "heldAt": .string(Timestamp.iso(testNow)), "place": .string("社区议事厅"), "seats": .array(seats), "repeatMonthly": .int(1),
                "agenda": .array([.object(["kind": .string("text"), "title": .string("3号楼电梯频繁停运")])])]), token: community)
            #expect(made == .created, "\(m)")
            #expect(m["status"] == .string("scheduled") && m["seats"]?.arrayValue.count == 5 && m["agenda"]?.arrayValue.count == 1)
            let id = m["id"]!.stringValue!
            let all = try await client.json(.get, "/api/v1/consultations?communityId=\(communityId)", token: community).1["items"]?.arrayValue ?? []
            #expect(all.count == 2)
            let next = try #require(all.first { $0["id"] != .string(id) }?["id"]?.stringValue)
            // a company not seated sees nothing; the owner nothing before publication
            #expect(try await client.json(.get, "/api/v1/consultations/\(id)", token: owner).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/consultations/\(id)", token: company).1["seats"]?[2]?["name"] == .string("物业经理"))
            #expect(try await client.json(.post, "/api/v1/consultations", .object(["communityId": .string(communityId), "compoundIds": .array([.string(compound)]),
                                                                                  "title": .string("x"), "heldAt": .string(Timestamp.iso(testNow)), "seats": .array(seats)]),
                                          token: company).0 == .forbidden)

            // a dispute onto the agenda in one step, once
            let dispute = try await client.json(.post, "/api/v1/disputes", .object(["compoundId": .string(compound), "kind": .string("parking"), "title": .string("车位被占")]),
                                                token: community).1["id"]!.stringValue!
            let (listed, l) = try await client.json(.post, "/api/v1/disputes/\(dispute)/agenda", .object(["consultationId": .string(id)]), token: community)
            #expect(listed == .created && l["agenda"]?.arrayValue.last?["kind"] == .string("dispute"), "\(l)")
            #expect(try await client.json(.post, "/api/v1/disputes/\(dispute)/agenda", .object(["consultationId": .string(id)]), token: community).0 == .conflict)

            // four of the five sign in: the meeting is marked as missing the residents
            let seatIds = (m["seats"]?.arrayValue ?? []).prefix(4).compactMap { $0["id"] }
            let (_, a) = try await client.json(.post, "/api/v1/consultations/\(id)/attendance", .object(["seatIds": .array(Array(seatIds))]), token: community)
            #expect(a["fiveParty"] == .bool(false) && a["missingParties"] == .array([.string("residents")]))
            // minutes with a resolution for the company; the next meeting carries it
            let (held, h) = try await client.json(.post, "/api/v1/consultations/\(id)/minutes", .object([
                "minutes": .string("物业承诺两周内更换电梯主板。"),
                "resolutions": .array([.object(["title": .string("更换3号楼电梯主板"), "party": .string("company"), "dueOn": .string("2026-12-15")])])]), token: community)
            #expect(held == .ok && h["status"] == .string("held") && h["resolutions"]?.arrayValue.count == 1, "\(h)")
            #expect(try await client.json(.post, "/api/v1/consultations/\(id)/attendance", .object(["seatIds": .array([])]), token: community).0 == .conflict)
            let following = try await client.json(.get, "/api/v1/consultations/\(next)", token: community).1
            #expect(following["agenda"]?.arrayValue.contains { $0["kind"] == .string("action") && $0["title"] == .string("更换3号楼电梯主板") } == true)
            let item = try #require(following["carried"]?[0]?["id"]?.stringValue)
            // progress: the company may not mark it; the community notes it, then closes it
            #expect(try await client.json(.post, "/api/v1/action-items/\(item)/progress", .object(["note": .string("已订货")]), token: company).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/action-items/\(item)/progress", .object(["note": .string("主板已订货")]), token: community).1["status"] == .string("open"))
            #expect(try await client.json(.get, "/api/v1/action-items?communityId=\(communityId)", token: community).1["items"]?.arrayValue.count == 1)
            #expect(try await client.json(.post, "/api/v1/action-items/\(item)/progress", .object(["note": .string("已更换"), "done": .bool(true)]), token: community).1["status"]
                    == .string("done"))
            #expect(try await client.json(.post, "/api/v1/action-items/\(item)/progress", .object(["note": .string("再")]), token: community).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/action-items?communityId=\(communityId)", token: community).1["items"]?.arrayValue.isEmpty == true)

            // published: the owner reads the summary, with parties but no names and no minutes
            #expect(try await client.json(.post, "/api/v1/consultations/\(next)/publish", .object(["summary": .string("x")]), token: community).1["error"]?["code"]
                    == .string("not_held"))
            let (published, p) = try await client.json(.post, "/api/v1/consultations/\(id)/publish", .object(["summary": .string("电梯主板两周内更换。")]), token: community)
            #expect(published == .ok && p["status"] == .string("published"))
            let (seen, s) = try await client.json(.get, "/api/v1/consultations/\(id)", token: owner)
            #expect(seen == .ok && s["summary"] == .string("电梯主板两周内更换。") && s["minutes"] == .null)
            #expect(s["seats"]?.arrayValue.allSatisfy { $0["name"] == .null && $0["id"] == .null } == true)
            #expect(!String(decoding: s.encoded(), as: UTF8.self).contains("李书记"))
            #expect(try await client.json(.get, "/api/v1/consultations", token: owner).1["items"]?.arrayValue.map { $0["id"] } == [.string(id)])

            // the community's November: one held, not five-party
            let months = try await client.json(.get, "/api/v1/consultation-figures?communityId=\(communityId)&month=2026-11", token: community).1["items"]?.arrayValue ?? []
            #expect(months.last?["held"] == .int(1) && months.last?["fiveParty"] == .int(0) && months.count == 12)
            let audited = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity IN ('consultations', 'action-items')").first()!
                .decode(column: "n", as: Int.self)
            #expect(audited == 7)
        }
    }
}
