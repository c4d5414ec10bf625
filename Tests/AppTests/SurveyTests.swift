@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Surveys (征求意见)")
struct SurveyTests {
    static let questions: JSONValue = .array([
        .object(["kind": .string("single"), "text": .string("是否同意加装电梯"), "options": .array([.string("同意"), .string("不同意")])]),
        .object(["kind": .string("multiple"), "text": .string("最关心的问题"), "options": .array([.string("停车"), .string("绿化"), .string("保洁")])]),
        .object(["kind": .string("text"), "text": .string("其他意见")]),
    ])

    @Test("owners answer once, each room's area counted once for the first co-owner; results by persons and area to the community at once and to owners after closing; a resident is not asked; the result is quoted in a consultation's minutes",
          arguments: TestDatabase.all)
    func ownersWeighted(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), owner = try await token(client, "yezhu01"), resident = try await token(client, "jumin01")
            let company = try await token(client, "wuye01")
            let sql = app.database.db.sql()
            let ownerId = UUID(uuidString: try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!)!
            // the owner's rooms in the compound and their area
            let rooms = try await sql.raw("""
                SELECT r.id, r.area FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE o.owner_id = \(bind: ownerId) AND b.compound_id = \(bind: UUID(uuidString: compound)!) ORDER BY r.id
                """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "area", as: Int64.self)) }
            try #require(!rooms.isEmpty)
            let ownedArea = rooms.reduce(0) { $0 + $1.1 }
            // a co-owner of the owner's first room, with an account of their own
            let district = try await sql.raw("SELECT district_id FROM owners WHERE id = \(bind: ownerId)").first()!.decode(column: "district_id", as: UUID.self)
            let coOwner = UUID()
            try await sql.raw("INSERT INTO owners (id, district_id, kind, name, phone, created_at, updated_at) VALUES (\(bind: coOwner), \(bind: district), 'person', '共有人乙', NULL, \(bind: testNow), \(bind: testNow))").run()
            try await sql.raw("INSERT INTO ownerships (id, room_id, owner_id, created_at, updated_at) VALUES (\(bind: UUID()), \(bind: rooms[0].0), \(bind: coOwner), \(bind: testNow), \(bind: testNow))").run()
            _ = try await app.auth.createUser(AccessContext.system("test", source: "test", now: testNow), username: "gongyou01", password: DemoAccounts.password(for: "gongyou01"),
                                              displayName: "共有人乙", role: .owner, scopeId: coOwner)
            let co = try await token(client, "gongyou01")

            // when the community asks the compound's owners, weighted by area
            let (made, s) = try await client.json(.post, "/api/v1/surveys", .object([
                "compoundId": .string(compound), "title": .string("加装电梯意见征询"), "audience": .string("owners"), "weighted": .bool(true),
                "closesAt": .string(Timestamp.iso(testNow.addingTimeInterval(7 * 86_400))), "questions": Self.questions]), token: community)
            #expect(made == .created && s["number"]?.stringValue?.hasPrefix("ZX") == true && s["author"] == .string("community") && s["runs"] == .bool(true), "\(s)")
            let id = s["id"]!.stringValue!
            // the owner may answer; the resident is not asked and does not see it; the company sees it
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)", token: owner).1["mayAnswer"] == .bool(true))
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)", token: resident).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)", token: company).0 == .ok)
            // a single choice with two options, an unknown question: refused by field
            let (bad, b) = try await client.json(.post, "/api/v1/surveys/\(id)/responses", .object(["answers": .array([
                .object(["question": .int(0), "choices": .array([.int(0), .int(1)])]), .object(["question": .int(7), "choices": .array([.int(0)])])])]), token: owner)
            #expect(bad == .unprocessableContent, "\(b)")
            let badFields = Set((b["error"]?["fields"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
            #expect(badFields == ["answers[0]", "answers[1]", "answers[7]"], "\(b)")
            // the owner answers: yes, parking and cleaning, a remark; their whole area counts
            let answer: JSONValue = .object(["answers": .array([
                .object(["question": .int(0), "choices": .array([.int(0)])]), .object(["question": .int(1), "choices": .array([.int(0), .int(2)])]),
                .object(["question": .int(2), "text": .string("希望尽快施工")])])])
            let (answered, a) = try await client.json(.post, "/api/v1/surveys/\(id)/responses", answer, token: owner)
            #expect(answered == .created && a["area"] == .int(ownedArea), "\(a)")
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/responses", answer, token: owner).0 == .conflict)
            // the co-owner answers no: the shared room is counted already, so they carry no area
            let (coAnswered, c) = try await client.json(.post, "/api/v1/surveys/\(id)/responses", .object(["answers": .array([
                .object(["question": .int(0), "choices": .array([.int(1)])]), .object(["question": .int(1), "choices": .array([.int(1)])])])]), token: co)
            #expect(coAnswered == .created && c["area"] == .int(0), "\(c)")
            // a third owner's paper form entered by the community, with their area; the first owner's paper form is refused as a second answer
            let paperOwner = try await sql.raw("""
                SELECT o.owner_id, CAST(SUM(r.area) AS BIGINT) AS area FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND o.owner_id <> \(bind: ownerId) AND o.owner_id <> \(bind: coOwner)
                AND o.room_id NOT IN (SELECT room_id FROM ownerships WHERE owner_id = \(bind: ownerId)) GROUP BY o.owner_id ORDER BY o.owner_id LIMIT 1
                """).first()!
            let paperId = try paperOwner.decode(column: "owner_id", as: UUID.self), paperArea = try paperOwner.decode(column: "area", as: Int64.self)
            let paperAnswer: JSONValue = .array([.object(["question": .int(0), "choices": .array([.int(1)])]), .object(["question": .int(1), "choices": .array([.int(1)])])])
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/paper-responses", .object(["ownerId": .string(paperId.text), "answers": paperAnswer]), token: owner).0 == .forbidden)
            let (entered, p) = try await client.json(.post, "/api/v1/surveys/\(id)/paper-responses", .object(["ownerId": .string(paperId.text), "answers": paperAnswer]), token: community)
            #expect(entered == .created && p["area"] == .int(paperArea), "\(p)")
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/paper-responses", .object(["ownerId": .string(ownerId.text), "answers": paperAnswer]), token: community).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/paper-responses", .object(["ownerId": .string(UUID().uuidString), "answers": paperAnswer]), token: community).0 == .unprocessableContent)
            // results: the community now, the owner only after closing
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)/results", token: owner).0 == .forbidden)
            let (_, r) = try await client.json(.get, "/api/v1/surveys/\(id)/results", token: community)
            #expect(r["respondents"] == .int(3) && r["area"] == .int(ownedArea + paperArea) && r["open"] == .bool(true), "\(r)")
            let q0 = r["questions"]![0]!
            #expect(q0["persons"] == .int(3) && q0["options"]![0]!["persons"] == .int(1) && q0["options"]![0]!["area"] == .int(ownedArea)
                    && q0["options"]![1]!["persons"] == .int(2) && q0["options"]![1]!["area"] == .int(paperArea) && q0["leading"] == .array([.string("不同意")]))
            #expect(r["questions"]![1]!["options"]![2]!["persons"] == .int(1) && r["questions"]![2]!["texts"] == .array([.string("希望尽快施工")]))
            let eligible = try await sql.raw("""
                SELECT COUNT(DISTINCT o.owner_id) AS n, (SELECT CAST(SUM(r2.area) AS BIGINT) FROM rooms r2 JOIN entrances e2 ON e2.id = r2.entrance_id JOIN buildings b2 ON b2.id = e2.building_id
                WHERE b2.compound_id = \(bind: UUID(uuidString: compound)!)) AS area FROM ownerships o JOIN rooms r ON r.id = o.room_id
                JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: UUID(uuidString: compound)!)
                """).first()!
            let eligibleOwners = try eligible.decode(column: "n", as: Int64.self), eligibleArea = try eligible.decode(column: "area", as: Int64.self)
            #expect(r["eligiblePersons"] == .int(eligibleOwners) && r["eligibleArea"] == .int(eligibleArea))

            // on a consultation's agenda, its result is quoted in the minutes as it stood
            let communityId = try await sql.raw("SELECT community_id FROM compounds WHERE id = \(bind: UUID(uuidString: compound)!)").first()!.decode(column: "community_id", as: UUID.self)
            let (_, m) = try await client.json(.post, "/api/v1/consultations", .object([
                "communityId": .string(communityId.text), "compoundIds": .array([.string(compound)]), "title": .string("加装电梯议事"),
                "heldAt": .string(Timestamp.iso(testNow)), "seats": .array([.object(["party": .string("residents"), "name": .string("代表")])]),
                "agenda": .array([.object(["kind": .string("survey"), "refId": .string(id)])])]), token: community)
            let meeting = try #require(m["id"]?.stringValue, "\(m)")
            #expect(m["agenda"]?[0]?["title"]?.stringValue?.contains("加装电梯意见征询") == true)
            let seat = m["seats"]![0]!["id"]!
            _ = try await client.json(.post, "/api/v1/consultations/\(meeting)/attendance", .object(["seatIds": .array([seat])]), token: community)
            let (_, held) = try await client.json(.post, "/api/v1/consultations/\(meeting)/minutes", .object(["minutes": .string("讨论加装电梯。")]), token: community)
            let quote = held["agenda"]?[0]?["surveyResult"]
            #expect(quote?["respondents"] == .int(3) && quote?["questions"]?[0]?["options"]?[0]?["area"] == .int(ownedArea) && quote?["open"] == .bool(true), "\(held)")

            // closed early by the community: no more answers, the owner sees the results
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/close", token: owner).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/close", token: community).1["open"] == .bool(false))
            #expect(try await client.json(.post, "/api/v1/surveys/\(id)/close", token: community).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)/results", token: owner).1["respondents"] == .int(3))
            // the minutes keep the quote as it was
            #expect(try await client.json(.get, "/api/v1/consultations/\(meeting)", token: community).1["agenda"]?[0]?["surveyResult"]?["open"] == .bool(true))
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'surveys'").first()!.decode(column: "n", as: Int64.self)
            #expect(audited == 5)
        }
    }

    @Test("a residents' survey of one building: the resident living there answers with no area, an owner elsewhere is not asked; bad surveys are refused by field",
          arguments: TestDatabase.all)
    func residentsOfABuilding(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let committee = try await token(client, "yeweihui01"), owner = try await token(client, "yezhu01"), resident = try await token(client, "jumin01")
            let company = try await token(client, "wuye01")
            let sql = app.database.db.sql()
            let residentId = UUID(uuidString: try await client.json(.get, "/api/v1/auth/me", token: resident).1["roles"]![0]!["scopeId"]!.stringValue!)!
            let building = try await sql.raw("SELECT e.building_id FROM residents rs JOIN rooms r ON r.id = rs.room_id JOIN entrances e ON e.id = r.entrance_id WHERE rs.id = \(bind: residentId)")
                .first()!.decode(column: "building_id", as: UUID.self)
            let ownerId = UUID(uuidString: try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!)!
            let ownerBuildings = try await sql.raw("SELECT e.building_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id WHERE o.owner_id = \(bind: ownerId)")
                .all().map { try $0.decode(column: "building_id", as: UUID.self) }
            try #require(!ownerBuildings.contains(building))
            let body: [String: JSONValue] = ["compoundId": .string(compound), "buildingIds": .array([.string(building.text)]), "title": .string("楼道堆物清理时间"),
                                             "audience": .string("residents"), "closesAt": .string(Timestamp.iso(testNow.addingTimeInterval(3 * 86_400))),
                                             "questions": .array([.object(["kind": .string("single"), "text": .string("哪天清理"),
                                                                           "options": .array([.string("周六"), .string("周日")])])])]
            // the company may not ask as the committee; too short a period and a one-option question are refused by field
            var asCommittee = body; asCommittee["author"] = .string("committee")
            #expect(try await client.json(.post, "/api/v1/surveys", .object(asCommittee), token: company).1["error"]?["fields"]?[0]?["field"] == .string("author"))
            var bad = body
            bad["closesAt"] = .string(Timestamp.iso(testNow.addingTimeInterval(600)))
            bad["questions"] = .array([.object(["kind": .string("single"), "text": .string("哪天"), "options": .array([.string("周六")])])])
            let (refused, e) = try await client.json(.post, "/api/v1/surveys", .object(bad), token: committee)
            #expect(refused == .unprocessableContent)
            #expect(Set((e["error"]?["fields"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }) == ["closesAt", "questions[0].options"], "\(e)")

            let (made, s) = try await client.json(.post, "/api/v1/surveys", .object(body), token: committee)
            #expect(made == .created && s["author"] == .string("committee") && s["buildingIds"] == .array([.string(building.text)]), "\(s)")
            let id = s["id"]!.stringValue!
            #expect(try await client.json(.get, "/api/v1/surveys/\(id)", token: owner).0 == .notFound)
            let open = try await client.json(.get, "/api/v1/surveys?open=true", token: resident).1["items"]?.arrayValue ?? []
            #expect(open.contains { $0["id"] == .string(id) && $0["answered"] == .bool(false) })
            let (answered, a) = try await client.json(.post, "/api/v1/surveys/\(id)/responses", .object(["answers": .array([
                .object(["question": .int(0), "choices": .array([.int(1)])])])]), token: resident)
            #expect(answered == .created && a["area"] == .int(0), "\(a)")
            let after = try await client.json(.get, "/api/v1/surveys/\(id)", token: resident).1
            #expect(after["mayAnswer"] == .bool(false) && after["answeredAt"]?.stringValue != nil && after["myAnswers"]?[0]?["choices"] == .array([.int(1)]))
            let (_, r) = try await client.json(.get, "/api/v1/surveys/\(id)/results", token: committee)
            #expect(r["respondents"] == .int(1) && r["questions"]?[0]?["options"]?[1]?["persons"] == .int(1) && r["questions"]?[0]?["leading"] == .array([.string("周日")]))
        }
    }
}
