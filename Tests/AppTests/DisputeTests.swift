@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Disputes settled at the source")
struct DisputeTests {
    static func userId(_ app: GongzhiApp, _ username: String) async throws -> String {
        try await app.database.db.sql().raw("SELECT id FROM users WHERE username = \(bind: username)").first()!.decode(column: "id", as: UUID.self).text
    }

    @Test("a party member reports, the street assigns the seated judge, who mediates and settles; only the assigned mediator sees it; the figures count it",
          arguments: TestDatabase.all)
    func mediation(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let member = try await token(client, "jumin01"), owner = try await token(client, "yezhu01"), street = try await token(client, "jiedao01")
            let judge = try await token(client, "tiaojie01"), community = try await token(client, "shequ01")
            let body: JSONValue = .object(["compoundId": .string(compound), "kind": .string("noise"), "title": .string("楼上夜间装修噪音"), "receivedOn": .string("2026-11-20"),
                                           "parties": .array([.object(["kind": .string("owner"), "name": .string("1号楼 1单元 301")])])])
            // when a party member reports it, and an owner who is not one tries
            let (made, d) = try await client.json(.post, "/api/v1/disputes", body, token: member)
            let refused = try await client.json(.post, "/api/v1/disputes", body, token: owner)
            // then it is on the list, received, as the party member's; the owner is refused
            #expect(made == .created, "\(d)")
            #expect(d["status"] == .string("received") && d["source"] == .string("party_member") && d["ageDays"] == .int(10))
            #expect(refused.0 == .forbidden)
            let id = d["id"]!.stringValue!
            // the street's mediator sees nothing until assigned; the reporter may not mediate
            #expect(try await client.json(.get, "/api/v1/disputes/\(id)", token: judge).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/disputes", token: judge).1["items"]?.arrayValue.isEmpty == true)
            let session: JSONValue = .object(["kind": .string("session"), "on": .string("2026-11-22"), "mediatorKind": .string("judge"), "note": .string("双方到场")])
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/events", session, token: member).0 == .forbidden)

            // when the street assigns the judge, who holds a session, writes the plan and closes it mediated
            let judgeId = try await Self.userId(app, "tiaojie01")
            let (assigned, a) = try await client.json(.post, "/api/v1/disputes/\(id)/mediators", .object(["userId": .string(judgeId), "kind": .string("judge")]), token: street)
            #expect(assigned == .ok, "\(a)")
            #expect(a["mediators"]?[0]?["kind"] == .string("judge"))
            // an owner's account is no mediator
            let ownerId = try await Self.userId(app, "yezhu01")
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/mediators", .object(["userId": .string(ownerId), "kind": .string("judge")]), token: street).0
                    == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/events", session, token: judge).1["status"] == .string("mediating"))
            let early = try await client.json(.post, "/api/v1/disputes/\(id)/events", .object(["kind": .string("note"), "on": .string("2026-11-19"), "note": .string("早")]), token: judge)
            #expect(early.0 == .unprocessableContent && early.1["error"]?["fields"]?[0]?["code"] == .string("before_received"))
            _ = try await client.json(.post, "/api/v1/disputes/\(id)/events", .object(["kind": .string("plan"), "on": .string("2026-11-24"), "note": .string("夜间22点后停工")]), token: judge)
            // an outcome cannot be dated before the last session or plan
            let backdated = try await client.json(.post, "/api/v1/disputes/\(id)/events", .object([
                "kind": .string("outcome"), "outcome": .string("mediated"), "on": .string("2026-11-23")]), token: judge)
            #expect(backdated.1["error"]?["fields"]?[0]?["code"] == .string("before_last_step"))
            let (closed, c) = try await client.json(.post, "/api/v1/disputes/\(id)/events", .object([
                "kind": .string("outcome"), "outcome": .string("mediated"), "on": .string("2026-11-27"), "note": .string("签订调解协议")]), token: judge)
            // then it is mediated on that day with its plan, and takes nothing more but notes
            #expect(closed == .created, "\(c)")
            #expect(c["status"] == .string("mediated") && c["outcomeOn"] == .string("2026-11-27") && c["plan"] == .string("夜间22点后停工") && c["ageDays"] == .int(7))
            #expect(c["events"]?.arrayValue.map { $0["kind"]?.stringValue } == ["session", "plan", "outcome"])
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/events", session, token: judge).1["error"]?["code"] == .string("closed"))
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/events", .object(["kind": .string("note"), "note": .string("回访满意")]), token: judge).0 == .created)
            // the reporter follows it; the owner does not see it
            #expect(try await client.json(.get, "/api/v1/disputes/\(id)", token: member).0 == .ok)
            #expect(try await client.json(.get, "/api/v1/disputes/\(id)", token: owner).0 == .notFound)

            // the community's November: one received, one settled in 7 days
            let communityId = d["communityId"]!.stringValue!
            let (ok, figures) = try await client.json(.get, "/api/v1/dispute-figures?communityId=\(communityId)&month=2026-11", token: community)
            #expect(ok == .ok, "\(figures)")
            let november = figures["items"]?.arrayValue.last
            #expect(november?["month"] == .string("2026-11") && november?["received"] == .int(1) && november?["settled"] == .int(1))
            #expect(november?["medianDaysToSettle"] == .string("7.00") && november?["byKind"]?["noise"] == .int(1))
            #expect(figures["items"]?.arrayValue.count == 12)
            #expect(try await client.json(.get, "/api/v1/dispute-figures?communityId=\(communityId)", token: member).0 == .notFound)
            let audited = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'disputes'").first()!.decode(column: "n", as: Int.self)
            #expect(audited == 6)
        }
    }

    @Test("a request becomes a dispute in one step, once, with its compound, text and room; its timeline says so", arguments: TestDatabase.all)
    func fromRequest(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), community = try await token(client, "shequ01")
            let room = try await app.database.db.sql().raw("""
                SELECT o.room_id FROM ownerships o JOIN role_grants g ON g.scope_id = o.owner_id JOIN users u ON u.id = g.user_id WHERE u.username = 'yezhu01'
                """).first()!.decode(column: "room_id", as: UUID.self).text
            let (filed, r) = try await client.json(.post, "/api/v1/requests", .object(["category": .string("other"), "compoundId": .string(compound),
                                                                                       "roomId": .string(room), "description": .string("楼上漏水到我家卫生间")]), token: owner)
            #expect(filed == .created, "\(r)")
            let request = r["id"]!.stringValue!
            // the owner cannot; the community can, once
            #expect(try await client.json(.post, "/api/v1/requests/\(request)/dispute", .object(["kind": .string("leak"), "title": .string("漏水")]), token: owner).0 == .forbidden)
            let (made, d) = try await client.json(.post, "/api/v1/requests/\(request)/dispute", .object(["kind": .string("leak"), "title": .string("楼上漏水")]), token: community)
            #expect(made == .created, "\(d)")
            #expect(d["requestId"] == .string(request) && d["source"] == .string("request") && d["compoundId"] == .string(compound))
            #expect(d["description"] == .string("楼上漏水到我家卫生间") && d["rooms"]?.arrayValue.count == 1)
            let again = try await client.json(.post, "/api/v1/requests/\(request)/dispute", .object(["kind": .string("leak"), "title": .string("再来")]), token: community)
            #expect(again.0 == .conflict && again.1["error"]?["code"] == .string("already_disputed"))
            let timeline = try await client.json(.get, "/api/v1/requests/\(request)", token: community).1["timeline"]?.arrayValue ?? []
            #expect(timeline.contains { $0["event"] == .string("dispute") && $0["note"] == d["number"] })
            // the dispute's page shows it
            let (_, html, _) = try await client.page("/disputes/\(d["id"]!.stringValue!)", cookies: nil)
            #expect(html.contains(d["number"]!.stringValue!))
            // once the district flags the owner a party member, the owner may report disputes too
            let ownerId = try await Self.userId(app, "yezhu01")
            let (flagged, f) = try await client.json(.put, "/api/v1/users/\(ownerId)/party-member", .object(["partyMember": .bool(true)]))
            #expect(flagged == .ok && f["partyMember"] == .bool(true), "\(f)")
            #expect(try await client.json(.put, "/api/v1/users/\(ownerId)/party-member", .object(["partyMember": .bool(true)]), token: community).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/disputes", .object(["compoundId": .string(compound), "kind": .string("pets"), "title": .string("犬只不拴绳")]),
                                          token: owner).0 == .created)
        }
    }

    @Test("legal-awareness activities and company improvements are counted in their month; bad ones are refused", arguments: TestDatabase.all.prefix(1))
    func activities(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), company = try await token(client, "wuye01")
            let communityId = try await app.database.db.sql().raw("SELECT community_id FROM compounds WHERE id = \(bind: UUID(uuidString: compound)!)").first()!
                .decode(column: "community_id", as: UUID.self).text
            let (added, a) = try await client.json(.post, "/api/v1/communities/\(communityId)/legal-activities", .object([
                "heldOn": .string("2026-11-12"), "topic": .string("《民法典》物业服务合同篇"), "audience": .string("居民"), "attendance": .int(36)]), token: community)
            #expect(added == .created, "\(a)")
            let future = try await client.json(.post, "/api/v1/communities/\(communityId)/legal-activities", .object([
                "heldOn": .string("2026-12-12"), "topic": .string("预告")]), token: community)
            #expect(future.0 == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/communities/\(communityId)/legal-activities", .object([
                "heldOn": .string("2026-11-12"), "topic": .string("x")]), token: company).0 == .notFound)
            let companyId = try await client.json(.get, "/api/v1/auth/me", token: company).1["roles"]![0]!["scopeId"]!.stringValue!
            let d = try await client.json(.post, "/api/v1/disputes", .object(["compoundId": .string(compound), "kind": .string("contract"), "title": .string("保洁不到位"),
                                                                               "parties": .array([.object(["kind": .string("company"), "companyId": .string(companyId)])])]),
                                          token: community).1
            let id = d["id"]!.stringValue!
            // the company party follows the dispute but does not record improvements itself
            #expect(try await client.json(.get, "/api/v1/disputes/\(id)", token: company).0 == .ok)
            let improvement: JSONValue = .object(["kind": .string("improvement"), "companyId": .string(companyId), "on": .string("2026-11-30"), "note": .string("增加保洁频次")])
            #expect(try await client.json(.post, "/api/v1/disputes/\(id)/events", improvement, token: company).0 == .forbidden)
            let (improved, i) = try await client.json(.post, "/api/v1/disputes/\(id)/events", improvement, token: community)
            #expect(improved == .created, "\(i)")
            let november = try await client.json(.get, "/api/v1/dispute-figures?communityId=\(communityId)&month=2026-11", token: community).1["items"]?.arrayValue.last
            #expect(november?["activities"] == .int(1) && november?["attendance"] == .int(36) && november?["improvements"] == .int(1) && november?["received"] == .int(1))
            let (status, csv, headers) = try await client.page("/dispute-figures.csv?communityId=\(communityId)&month=2026-11", cookies: nil)
            #expect(status == .ok && headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.split(separator: "\r\n").last?.hasPrefix("2026-11,1,0,0,0,,1,36,1") == true)
        }
    }
}
