@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Logs a demo account in and returns its token.
func token(_ client: any TestClientProtocol, _ username: String) async throws -> String {
    let (_, s) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string(username),
                                                                            "password": .string(DemoAccounts.password(for: username))]), token: nil)
    return s["token"]!.stringValue!
}

@Suite("Owners' joint decisions")
struct DecisionAPITests {
    @Test("while voting is open the pages show participation only: no running result, no room's choice", arguments: TestDatabase.all.prefix(1))
    func noRunningResult(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let committee = try await token(client, "yeweihui01"), owner = try await token(client, "yezhu01")
            let ownerId = try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!
            let id = try #require(try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", .object([
                "title": .string("更换消防报警主机"), "matter": .string("use_maintenance_fund"),
                "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")]), token: committee).1["id"]?.stringValue)
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee).0 == .ok)
            // the owner's start page lists the open vote, not yet voted, and the ballot page says what they vote for and asks first
            let web = try await app.auth.login(username: "yezhu01", password: DemoAccounts.password(for: "yezhu01"), address: nil, kind: .web, now: testNow)
            let (_, home, _) = try await client.page("/", cookies: "session=\(web.token)", signedIn: false)
            #expect(home.contains("id=\"open-votes\"") && home.contains("更换消防报警主机") && home.contains("尚未投票") && home.contains("还剩 30 天"))
            let (_, ballot, _) = try await client.page("/decisions/\(id)/ballot", cookies: "session=\(web.token)", signedIn: false)
            #expect(ballot.contains("您代表的房屋：") && ballot.contains("data-confirm=\"表决票提交后不能更改"))
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots", .object(["ownerId": .string(ownerId), "choice": .string("no"),
                                                                                            "channel": .string("online")]), token: owner).0 == .created)
            #expect(try await client.page("/", cookies: "session=\(web.token)", signedIn: false).1.contains("已投票"))
            let (_, open, _) = try await client.page("/decisions/\(id)")
            #expect(open.contains("id=\"participation\"") && open.contains("表决进行中"))
            #expect(!open.contains("id=\"verdict\"") && !open.contains("未通过") && !open.contains("id=\"result-table\""))
            let (_, publication, _) = try await client.page("/decisions/\(id)/publication")
            #expect(!publication.contains("参与表决的房屋") && !publication.contains("反对"))
            // closed: the result and each room's choice
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/close", .object(["reason": .string("提前结束测试")]), token: committee).0 == .ok)
            let (_, closed, _) = try await client.page("/decisions/\(id)")
            #expect(closed.contains("id=\"verdict\"") && closed.contains("id=\"result-table\""))
            #expect(try await client.page("/decisions/\(id)/publication").1.contains("参与表决的房屋"))
        }
    }

    @Test("draft, open, vote online and on paper, count, verify, close with a reason, publish", arguments: TestDatabase.all)
    func lifeCycle(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // given
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let committee = try await token(client, "yeweihui01")
            let owner = try await token(client, "yezhu01")
            let ownerId = try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!
            let body: JSONValue = .object(["title": .string("使用公维资金更换消防报警主机"), "matter": .string("use_maintenance_fund"),
                                           "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")])
            // only organisers draft
            #expect(try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", body, token: owner).0 == .forbidden)
            let (created, decision) = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", body, token: committee)
            #expect(created == .created)
            #expect(decision["status"] == .string("draft"))
            #expect(decision["rule"] == .string("majority"))
            let id = decision["id"]!.stringValue!
            // voting before opening is refused
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots", .object(["ownerId": .string(ownerId), "choice": .string("yes"), "channel": .string("online")]), token: owner).0 == .conflict)

            // when: open freezes the roll
            let (opened, openBody) = try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee)
            #expect(opened == .ok, "\(openBody)")
            let rooms = try await sql.raw("""
                SELECT COUNT(*) AS n, CAST(SUM(r.area) AS BIGINT) AS a FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND EXISTS (SELECT 1 FROM ownerships o WHERE o.room_id = r.id)
                """).first()!
            let ownedArea = try rooms.decode(column: "a", as: Int64.self)

            // online by the owner, once
            let (cast, receipt) = try await client.json(.post, "/api/v1/decisions/\(id)/ballots",
                                                        .object(["ownerId": .string(ownerId), "choice": .string("yes"), "channel": .string("online")]), token: owner)
            #expect(cast == .created)
            #expect(receipt["sequence"] == .int(1))
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots",
                                          .object(["ownerId": .string(ownerId), "choice": .string("no"), "channel": .string("online")]), token: owner).0 == .conflict)
            // an owner cannot vote for someone else online; the committee records paper ballots with their numbers
            let others = try await sql.raw("""
                SELECT DISTINCT o.owner_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) AND o.owner_id <> \(bind: UUID(uuidString: ownerId)!)
                ORDER BY o.owner_id
                """).all().map { try $0.decode(column: "owner_id", as: UUID.self).uuidString.lowercased() }
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots",
                                          .object(["ownerId": .string(others[0]), "choice": .string("yes"), "channel": .string("online")]), token: owner).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots",
                                          .object(["ownerId": .string(others[0]), "choice": .string("no"), "channel": .string("paper")]), token: committee).0 == .unprocessableContent)
            let street = try await token(client, "jiedao01")
            var cast2 = 0
            for (i, other) in others.prefix(3).enumerated() {
                let (recorded, confirmed) = try await paperBallot(app, client, decision: id, owner: other, ["choice": .string(i == 0 ? "no" : "abstain")],
                                                                  recorder: committee, confirmer: street)
                if recorded == .created { #expect(confirmed == .ok); cast2 += 1 } else { #expect(recorded == .conflict) }  // co-owners of one room share a ballot
            }
            #expect(cast2 >= 1)

            // then: the result, by persons and by area
            let (got, result) = try await client.json(.get, "/api/v1/decisions/\(id)/result", token: owner)
            #expect(got == .ok)
            #expect(result["matter"] == .string("use_maintenance_fund"))
            #expect(result["rule"] == .string("majority"))
            #expect(result["persons"]?["participating"] == .int(Int64(1 + cast2)))
            // while open: participation only, no running result
            #expect(result["persons"]?["yes"] == .null)
            #expect(result["area"]?["no"] == .null)
            #expect(result["area"]?["total"] == .string(FixedPoint2.format(ownedArea)))
            #expect(result["quorumMet"] == .bool(false))
            #expect(result["passed"] == .null)

            // the chain verifies, the receipt is found, and tampering is detected
            let code = receipt["receipt"]!.stringValue!
            let (_, verified) = try await client.json(.get, "/api/v1/decisions/\(id)/verify?receipt=\(code)", token: owner)
            #expect(verified["valid"] == .bool(true))
            #expect(verified["receiptFound"] == .bool(true))
            try await sql.raw("UPDATE ballots SET choice = 'no' WHERE sequence = 1 AND decision_id = \(bind: UUID(uuidString: id)!)").run()
            let (_, broken) = try await client.json(.get, "/api/v1/decisions/\(id)/verify", token: owner)
            #expect(broken["valid"] == .bool(false))
            #expect(broken["firstBroken"] == .int(1))
            try await sql.raw("UPDATE ballots SET choice = 'yes' WHERE sequence = 1 AND decision_id = \(bind: UUID(uuidString: id)!)").run()

            // closing early needs a reason; then no more ballots; then publication
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/close", token: committee).0 == .unprocessableContent)
            let (closed, closedBody) = try await client.json(.post, "/api/v1/decisions/\(id)/close", .object(["reason": .string("业主大会决定提前结束")]), token: committee)
            #expect(closed == .ok)
            #expect(closedBody["status"] == .string("closed"))
            // closing posted the result to the owners as a system notice nobody can change or withdraw
            let notices = try await client.json(.get, "/api/v1/notices", token: owner).1["items"]?.arrayValue ?? []
            let posted = try #require(notices.first { $0["systemKind"] == .string("decision_result") })
            let notice = try await client.json(.get, "/api/v1/notices/\(posted["id"]!.stringValue!)", token: owner).1
            #expect(notice["refId"] == .string(id) && notice["author"] == .string("system") && notice["body"]?.stringValue?.contains("表决结果") == true, "\(notice)")
            #expect(try await client.json(.patch, "/api/v1/notices/\(posted["id"]!.stringValue!)", .object(["title": .string("改")]), token: committee).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/notices/\(posted["id"]!.stringValue!)/withdraw", token: committee).0 == .conflict)
            #expect(try await paperBallot(app, client, decision: id, owner: others.last!, ["choice": .string("yes")], recorder: committee, confirmer: street).recorded == .conflict)
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/publish", token: committee).1["status"] == .string("published"))
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee).0 == .conflict)
            // another street's staff cannot even see it
            let (_, events) = try await client.json(.get, "/api/v1/audit-events?entity=decisions&entityId=\(id)")
            #expect(events["items"]!.arrayValue.map { $0["action"]!.stringValue! }.contains("vote"))
        }
    }

    @Test("an election counts each candidate and fills the seats", arguments: TestDatabase.all.prefix(1))
    func election(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let committee = try await token(client, "yeweihui01")
            let bad: JSONValue = .object(["title": .string("换届选举"), "matter": .string("elect_committee"), "opensAt": .string("2026-11-30T00:00:00Z"),
                                          "closesAt": .string("2026-12-30T00:00:00Z"), "candidates": .array([.string("甲"), .string("甲")]), "seats": .int(3)])
            let (invalid, errors) = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", bad, token: committee)
            #expect(invalid == .unprocessableContent)
            #expect(Set(errors["error"]!["fields"]!.arrayValue.map { $0["field"]!.stringValue! }) == ["candidates", "seats"])
            let good: JSONValue = .object(["title": .string("换届选举"), "matter": .string("elect_committee"), "opensAt": .string("2026-11-30T00:00:00Z"),
                                           "closesAt": .string("2026-12-30T00:00:00Z"), "candidates": .array([.string("张三"), .string("李四"), .string("王五")]), "seats": .int(2)])
            let id = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", good, token: committee).1["id"]!.stringValue!
            _ = try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee)
            let owners = try await sql.raw("""
                SELECT owner_ids FROM decision_voters WHERE decision_id = \(bind: UUID(uuidString: id)!) ORDER BY voter_key
                """).all().map { String(try $0.decode(column: "owner_ids", as: String.self).split(separator: ",")[0]) }
            // everyone votes: 张三 yes from all, 李四 yes from all but one, 王五 no from all
            for (i, owner) in owners.enumerated() {
                let (recorded, confirmed) = try await paperBallot(app, client, decision: id, owner: owner, [
                    "choices": .object(["张三": .string("yes"), "李四": .string(i == 0 ? "no" : "yes"), "王五": .string("no")]),
                ], recorder: committee, confirmer: try await token(client, "jiedao01"))
                #expect(recorded == .created && confirmed == .ok)
            }
            let (_, running) = try await client.json(.get, "/api/v1/decisions/\(id)/result", token: committee)
            #expect(running["candidates"] == nil)
            // the elected committee is installed only once the vote is over
            let community = try await token(client, "shequ01")
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/apply", token: community).0 == .conflict)
            _ = try await client.json(.post, "/api/v1/decisions/\(id)/close", .object(["reason": .string("全体已投票")]), token: committee)
            let (_, result) = try await client.json(.get, "/api/v1/decisions/\(id)/result", token: committee)
            #expect(result["quorumMet"] == .bool(true))
            let candidates = result["candidates"]!.arrayValue
            #expect(candidates.map { $0["name"]!.stringValue! } == ["张三", "李四", "王五"])
            #expect(candidates.map { $0["elected"]! } == [.bool(true), .bool(owners.count > 2), .bool(false)])
            #expect(candidates[0]["persons"]?["yes"] == .int(Int64(owners.count)))

            // … and then it is
            let (applied, installed) = try await client.json(.post, "/api/v1/decisions/\(id)/apply", token: community)
            #expect(applied == .ok, "\(installed)")
            let committeeId = try #require(installed["committeeId"]?.stringValue)
            let (_, members) = try await client.json(.get, "/api/v1/committee-members?committeeId=\(committeeId)", token: community)
            #expect(Set(members["items"]!.arrayValue.map { $0["name"]!.stringValue! }) == Set(installed["members"]!.arrayValue.map { $0.stringValue! }))
            #expect(members["items"]!.arrayValue.contains { $0["name"] == .string("张三") && $0["role"] == .string("chair") })
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/apply", token: community).0 == .conflict)
        }
    }

    @Test("files attach to a draft, are checked, listed and downloaded; not once voting opened", arguments: TestDatabase.all.prefix(1))
    func attachments(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let committee = try await token(client, "yeweihui01")
            let owner = try await token(client, "yezhu01")
            let id = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", .object([
                "title": .string("维修方案"), "matter": .string("use_maintenance_fund"),
                "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")]), token: committee).1["id"]!.stringValue!
            func upload(_ bytes: [UInt8], type: String, name: String, token: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: "/api/v1/decisions/\(id)/attachments?name=\(formEncode(name))", method: .post,
                                         headers: [.contentType: type, .authorization: "Bearer \(token)"], body: ByteBuffer(bytes: bytes)) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            let pdf = Array("%PDF-1.4\n维修方案\n%%EOF".utf8)
            #expect(try await upload(pdf, type: "application/pdf", name: "方案.pdf", token: owner).0 == .forbidden)
            #expect(try await upload(pdf, type: "text/html", name: "x.html", token: committee).0 == .unprocessableContent)
            #expect(try await upload(Array("<script>".utf8), type: "image/png", name: "x.png", token: committee).0 == .unprocessableContent)
            let (status, body) = try await upload(pdf, type: "application/pdf", name: "方案.pdf", token: committee)
            #expect(status == .created, "\(body)")
            let (_, list) = try await client.json(.get, "/api/v1/decisions/\(id)/attachments", token: owner)
            let url = try #require(list["items"]?[0]?["url"]?.stringValue)
            #expect(list["items"]?[0]?["sha256"] == .string(Checksum.sha256Hex(bytes: pdf)))
            let downloaded = try await client.execute(uri: url, method: .get, headers: [.authorization: "Bearer \(owner)"]) { Array($0.body.readableBytesView) }
            #expect(downloaded == pdf)
            _ = try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee)
            #expect(try await upload(pdf, type: "application/pdf", name: "补充.pdf", token: committee).0 == .conflict)
        }
    }

    @Test("a passed hiring decision lets staff create the contract it names", arguments: TestDatabase.all.prefix(1))
    func hire(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let company = try await sql.raw("SELECT id FROM companies WHERE name = '北京三园物业管理有限公司'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let committee = try await token(client, "yeweihui01")
            let id = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", .object([
                "title": .string("选聘三园物业"), "matter": .string("hire_or_dismiss_manager"), "companyId": .string(company),
                "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")]), token: committee).1["id"]!.stringValue!
            _ = try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee)
            let owners = try await sql.raw("SELECT owner_ids FROM decision_voters WHERE decision_id = \(bind: UUID(uuidString: id)!)").all()
                .map { String(try $0.decode(column: "owner_ids", as: String.self).split(separator: ",")[0]) }
            for (i, o) in owners.enumerated() {
                try await paperBallot(app, client, decision: id, owner: o, ["choice": .string(i % 4 == 3 ? "no" : "yes")], recorder: committee,
                                      confirmer: try await token(client, "jiedao01"))
            }
            _ = try await client.json(.post, "/api/v1/decisions/\(id)/close", .object(["reason": .string("表决完成")]), token: committee)
            let (_, result) = try await client.json(.get, "/api/v1/decisions/\(id)/result", token: committee)
            #expect(result["passed"] == .bool(true))
            // the committee cannot sign contracts itself; community staff can, with the fee
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/apply", .object(["monthlyFeePerSqm": .string("3.20")]), token: committee).0 == .forbidden)
            let community = try await token(client, "shequ01")
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/apply", token: community).0 == .unprocessableContent)
            let (applied, made) = try await client.json(.post, "/api/v1/decisions/\(id)/apply", .object(["monthlyFeePerSqm": .string("3.20")]), token: community)
            #expect(applied == .ok, "\(made)")
            let (_, contract) = try await client.json(.get, "/api/v1/contracts/\(made["contractId"]!.stringValue!)", token: community)
            #expect(contract["companyId"] == .string(company))
            #expect(contract["monthlyFeePerSqm"] == .string("3.20"))
            #expect(contract["startsOn"] == .string("2026-11-30"))
        }
    }
}
