@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// The id of a demo compound by name.
func compoundId(_ app: GongzhiApp, _ name: String) async throws -> String {
    try await app.database.db.sql().raw("SELECT id FROM compounds WHERE name = \(bind: name)").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
}

/// Posts a transition and returns status and body.
@discardableResult
func transition(_ client: any TestClientProtocol, _ id: String, _ body: [String: JSONValue], token: String) async throws -> (HTTPResponse.Status, JSONValue) {
    try await client.json(.post, "/api/v1/requests/\(id)/transitions", .object(body), token: token)
}

@Suite("Residents' requests")
struct RequestAPITests {
    @Test("the queue finds a request by its number, by words of its description, and for staff by the reporter's phone", arguments: TestDatabase.all)
    func search(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            func file(_ description: String, _ phone: String) async throws -> String {
                try await client.json(.post, "/api/v1/requests", .object([
                    "channel": .string("phone"), "category": .string("greening"), "compoundId": .string(h.compound), "description": .string(description),
                    "reporterName": .string("王女士"), "reporterPhone": .string(phone)])).1["number"]!.stringValue!
            }
            let tree = try await file("8号楼前大树倾斜", "13911112222")
            _ = try await file("地下车库漏水 100%", "13633334444")
            func found(_ q: String) async throws -> [String] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return try await client.json(.get, "/api/v1/requests?q=\(encoded)").1["items"]!.arrayValue.compactMap { $0["number"]?.stringValue }
            }
            #expect(try await found(tree.lowercased()) == [tree])
            #expect(try await found("大树") == [tree])
            #expect(try await found("1111 2222") == [tree])
            #expect(try await found("11112222") == [tree])
            #expect(try await found("100%").count == 1)
            #expect(try await found("%").count == 1)
            #expect(try await found("绿化带").isEmpty)
            #expect(try await client.json(.get, "/api/v1/requests?q=\(String(repeating: "x", count: 101))").0 == .unprocessableContent)
            #expect(try await client.page("/requests?q=%E5%A4%A7%E6%A0%91").1.contains(tree))
        }
    }

    @Test("a resident's request goes straight to the company under contract and runs the life cycle; bad ratings reopen it", arguments: TestDatabase.all)
    func lifeCycle(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // given
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), company = try await token(client, "wuye01"), resident = try await token(client, "jumin01")
            let serving = try await app.database.db.sql().raw("""
                SELECT k.company_id FROM contracts k WHERE k.compound_id = \(bind: UUID(uuidString: compound)!) AND k.starts_on <= '2026-11-30'
                AND (k.ends_on IS NULL OR k.ends_on >= '2026-11-30') ORDER BY k.starts_on DESC LIMIT 1
                """).first()!.decode(column: "company_id", as: UUID.self).uuidString.lowercased()

            // when the owner files
            let (filed, r) = try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("shared_facilities"), "urgency": .string("utilities"), "compoundId": .string(compound),
                "description": .string("3号楼2单元电梯停运两天"),
            ]), token: owner)

            // then it is dispatched to the company, numbered, with the utilities deadlines
            #expect(filed == .created, "\(r)")
            let id = r["id"]!.stringValue!
            let day = try await app.database.db.sql().raw("SELECT last FROM request_sequences WHERE day = '2026-11-30'").first()!.decode(column: "last", as: Int.self)
            #expect(r["number"] == .string(RequestNumber.make(day: CivilDate(year: 2026, month: 11, day: 30), sequence: day)))  // after the demo's own
            #expect(r["status"] == .string("dispatched"))
            #expect(r["channel"] == .string("mobile"))
            #expect(r["handler"]?["kind"] == .string("company"))
            #expect(r["handler"]?["id"] == .string(serving))
            let received = try DecisionService.parseISO(r["receivedAt"]!.stringValue!)
            #expect(try DecisionService.parseISO(r["respondBy"]!.stringValue!).timeIntervalSince(received).rounded() == 2 * 3600)
            #expect(try DecisionService.parseISO(r["resolveBy"]!.stringValue!).timeIntervalSince(received).rounded() == 24 * 3600)

            // others in the compound do not see it; the owner cannot act for the company; the table refuses skips
            #expect(try await client.json(.get, "/api/v1/requests/\(id)", token: resident).0 == .notFound)
            #expect(try await transition(client, id, ["event": .string("respond")], token: owner).0 == .forbidden)
            let (skipped, why) = try await transition(client, id, ["event": .string("resolve"), "reply": .string("已修好")], token: company)
            #expect(skipped == .conflict)
            #expect(why["error"]?["code"] == .string("illegal_transition"))
            let queue = try await client.json(.get, "/api/v1/requests?mine=1&limit=500", token: company).1["items"]!.arrayValue
            #expect(queue.contains { $0["id"] == .string(id) })
            #expect(queue.allSatisfy { $0["handler"]?["id"] == .string(serving) })

            // the company works it, the owner finds it unresolved, it comes back and is done properly
            #expect(try await transition(client, id, ["event": .string("respond"), "note": .string("已电话联系业主")], token: company).1["status"] == .string("responded"))
            #expect(try await transition(client, id, ["event": .string("start")], token: company).1["status"] == .string("in_progress"))
            #expect(try await transition(client, id, ["event": .string("resolve"), "reply": .string("已更换门机板")], token: company).1["status"] == .string("resolved"))
            let reopened = try await transition(client, id, ["event": .string("rate"), "resolved": .bool(false), "satisfaction": .string("dissatisfied")], token: owner).1
            #expect(reopened["status"] == .string("dispatched"))
            #expect(reopened["reopenCount"] == .int(1))
            #expect(try await transition(client, id, ["event": .string("respond")], token: company).1["status"] == .string("responded"))
            #expect(try await transition(client, id, ["event": .string("resolve"), "reply": .string("电梯已恢复运行")], token: company).1["status"] == .string("resolved"))
            let rated = try await transition(client, id, ["event": .string("rate"), "resolved": .bool(true), "satisfaction": .string("satisfied")], token: owner).1
            #expect(rated["status"] == .string("rated"))
            let closed = try await transition(client, id, ["event": .string("close")], token: owner).1
            #expect(closed["status"] == .string("closed"))
            #expect(closed["timeline"]?.arrayValue.compactMap { $0["event"]?.stringValue } ==
                    ["receive", "dispatch", "respond", "start", "resolve", "rate", "respond", "resolve", "rate", "close"])
            #expect(closed["timeline"]?[5]?["actor"] == .string("yezhu01"))

            // every step is in the audit log; rating a closed request is a conflict
            let audited = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'requests' AND entity_id = \(bind: UUID(uuidString: id)!)").first()!
                .decode(column: "n", as: Int.self)
            #expect(audited == 9)  // filing (with its dispatch) and the eight steps after it
            #expect(try await transition(client, id, ["event": .string("rate"), "resolved": .bool(true), "satisfaction": .string("satisfied")], token: owner).0 == .conflict)
        }
    }

    @Test("with no company the community handles it; re-routing needs a reason; overdue is flagged; phones are masked", arguments: TestDatabase.all)
    func communityAndOverdue(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, clock: clock) { app, client in
            // given a compound without a contract
            let h = try await makeHierarchy(client)
            let admin = TestSession.current!.token
            let department = try await client.create("departments", ["districtId": .string(h.district), "name": .string("区住建委"), "kind": .string("housing")])

            // when staff take a phone call without the caller's name or phone
            let (missing, errors) = try await client.json(.post, "/api/v1/requests", .object([
                "channel": .string("phone"), "category": .string("sanitation"), "compoundId": .string(h.compound), "description": .string("垃圾站满溢"),
            ]), token: admin)
            #expect(missing == .unprocessableContent)
            #expect(errors["error"]?["fields"]?[0]?["field"] == .string("reporterName"))
            let (filed, r) = try await client.json(.post, "/api/v1/requests", .object([
                "channel": .string("phone"), "category": .string("sanitation"), "compoundId": .string(h.compound), "description": .string("垃圾站满溢"),
                "reporterName": .string("王女士"), "reporterPhone": .string("13812345678"),
            ]), token: admin)
            #expect(filed == .created)
            let id = r["id"]!.stringValue!

            // then the community handles it
            #expect(r["handler"]?["kind"] == .string("community"))
            #expect(r["handler"]?["id"] == .string(h.community))
            #expect(r["reporter"]?["phone"] == .string("13812345678"))
            #expect(try await client.json(.get, "/api/v1/requests", token: admin).1["items"]?[0]?["reporter"]?["phone"] == .string("138****5678"))

            // re-routing needs a reason and a handler of the district
            #expect(try await transition(client, id, ["event": .string("transfer"), "handlerKind": .string("department"), "handlerId": .string(department)], token: admin).0
                    == .unprocessableContent)
            #expect(try await transition(client, id, ["event": .string("transfer"), "handlerKind": .string("department"), "handlerId": .string(UUID().uuidString),
                                                      "reason": .string("x")], token: admin).0 == .unprocessableContent)
            let moved = try await transition(client, id, ["event": .string("transfer"), "handlerKind": .string("department"), "handlerId": .string(department),
                                                          "reason": .string("涉及垃圾清运，转住建委")], token: admin).1
            #expect(moved["handler"]?["kind"] == .string("department"))
            #expect(moved["status"] == .string("dispatched"))

            // nothing overdue yet; 25 hours later the general request has missed its respond-by
            #expect(try await client.json(.get, "/api/v1/requests?overdue=1", token: admin).1["items"]?.arrayValue.count == 0)
            clock.advance(25 * 3600)
            let later = try await token(client, "quguan01")  // the first session has expired by now
            let overdue = try await client.json(.get, "/api/v1/requests?overdue=1", token: later).1["items"]!.arrayValue
            #expect(overdue.count == 1)
            #expect(overdue.first?["overdue"] == .bool(true))

            // bad filters are a 422, not an empty list
            #expect(try await client.json(.get, "/api/v1/requests?status=lost", token: later).0 == .unprocessableContent)
            #expect(try await client.json(.get, "/api/v1/requests/\(UUID().uuidString)", token: later).0 == .notFound)
        }
    }

    @Test("district settings change deadlines and weights; the monthly ranking is computed from the requests", arguments: TestDatabase.all)
    func ranking(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, clock: clock) { app, client in
            // given two compounds served by two companies
            let h = try await makeHierarchy(client)
            let admin = TestSession.current!.token
            let other = try await client.create("compounds", [
                "communityId": .string(h.community), "name": .string("望京花园"), "address": .string("北京市朝阳区望京路9号"),
                "housingKind": .string("commodity"), "yearBuilt": .int(1998), "managementMode": .string("professional"),
            ])
            let good = try await client.create("companies", ["districtId": .string(h.district), "name": .string("首开物业"), "creditCode": .string(validCreditCode()),
                                                             "stateOwned": .bool(true), "associationMember": .bool(true)])
            let poor = try await client.create("companies", ["districtId": .string(h.district), "name": .string("某某物业"),
                                                             "creditCode": .string(validCreditCode("91110105MA01QWER1")), "stateOwned": .bool(false), "associationMember": .bool(false)])
            for (company, compound) in [(good, h.compound), (poor, other)] {
                _ = try await client.create("contracts", ["companyId": .string(company), "compoundId": .string(compound), "startsOn": .string("2026-01-01"),
                                                          "monthlyFeePerSqm": .string("2.50")])
            }
            func file(_ compound: String, _ urgency: String) async throws -> String {
                let (status, body) = try await client.json(.post, "/api/v1/requests", .object([
                    "channel": .string("inspection"), "category": .string("greening"), "urgency": .string(urgency), "compoundId": .string(compound),
                    "description": .string("巡查发现"),
                ]), token: admin)
                #expect(status == .created, "\(body)")
                return try #require(body["id"]?.stringValue)
            }

            // when the poor company answers an emergency late and fails, and the good one does well
            let late = try await file(other, "emergency")
            clock.advance(31 * 60)
            try await transition(client, late, ["event": .string("respond")], token: admin)
            try await transition(client, late, ["event": .string("resolve"), "reply": .string("已处理")], token: admin)
            try await transition(client, late, ["event": .string("rate"), "resolved": .bool(false), "satisfaction": .string("dissatisfied")], token: admin)
            for satisfaction in ["satisfied", "basically_satisfied"] {
                let id = try await file(h.compound, "general")
                try await transition(client, id, ["event": .string("respond")], token: admin)
                try await transition(client, id, ["event": .string("resolve"), "reply": .string("已修剪")], token: admin)
                try await transition(client, id, ["event": .string("rate"), "resolved": .bool(true), "satisfaction": .string(satisfaction)], token: admin)
            }

            // then: 30×1 + 35×1 + 35×(180/200) = 96.50 for the good one, 0.00 for the poor one
            let (status, ranking) = try await client.json(.get, "/api/v1/rankings?month=2026-11&level=company", token: admin)
            #expect(status == .ok, "\(ranking)")
            let items = ranking["items"]!.arrayValue
            #expect(items.compactMap { $0["name"]?.stringValue } == ["首开物业", "某某物业"])
            #expect(items[0]["composite"] == .string("96.50"))
            #expect(items[0]["satisfactionRate"]?["numerator"] == .int(180))
            #expect(items[0]["satisfactionRate"]?["denominator"] == .int(200))
            #expect(items[1]["responseRate"]?["numerator"] == .int(0))
            #expect(items[1]["responseRate"]?["denominator"] == .int(1))
            #expect(items[1]["resolutionRate"]?["percent"] == .string("0.00"))
            #expect(items[1]["composite"] == .string("0.00"))
            // with fewer than ten rated requests each, neither is ranked: both are listed apart, in order
            #expect(ranking["minimumRated"] == .int(10))
            #expect(items.allSatisfy { $0["rank"] == .null && $0["sampleSufficient"] == .bool(false) })
            let streets = try await client.json(.get, "/api/v1/rankings?month=2026-11&level=street", token: admin).1["items"]!.arrayValue
            #expect(streets.first?["requests"] == .int(3))
            #expect(try await client.json(.get, "/api/v1/rankings?month=2026-11&level=company", token: admin).1["items"]?[0]?["requests"] == .int(2))
            #expect(try await client.json(.get, "/api/v1/rankings?month=2026-13", token: admin).0 == .unprocessableContent)
            #expect(try await client.json(.get, "/api/v1/rankings?month=2026-10", token: admin).1["items"]?.arrayValue.isEmpty == true)

            // when the district weighs response at 40 and shortens the general respond-by to an hour
            let (bad, _) = try await client.json(.put, "/api/v1/districts/\(h.district)/request-settings", .object(["weights": .object(["response": .int(50)])]), token: admin)
            #expect(bad == .unprocessableContent)
            let (saved, settings) = try await client.json(.put, "/api/v1/districts/\(h.district)/request-settings", .object([
                "weights": .object(["response": .int(40), "resolution": .int(30), "satisfaction": .int(30)]),
                "respondWithinSeconds": .object(["general": .int(3600)]), "minimumRated": .int(1),
            ]), token: admin)
            #expect(saved == .ok, "\(settings)")
            #expect(settings["minimumRated"] == .int(1))
            let ranked = try await client.json(.get, "/api/v1/rankings?month=2026-11&level=company", token: admin).1["items"]!.arrayValue
            #expect(ranked.map { $0["rank"] } == [.int(1), .int(2)])

            // then the composite follows (40 + 30 + 27) and new requests get the new deadline
            #expect(try await client.json(.get, "/api/v1/rankings?month=2026-11&level=company", token: admin).1["items"]?[0]?["composite"] == .string("97.00"))
            let fresh = try await client.json(.get, "/api/v1/requests/\(try await file(h.compound, "general"))", token: admin).1
            let received = try DecisionService.parseISO(fresh["receivedAt"]!.stringValue!)
            #expect(try DecisionService.parseISO(fresh["respondBy"]!.stringValue!).timeIntervalSince(received).rounded() == 3600)

            // and the CSV carries the same table
            let (csvStatus, csv, headers) = try await client.page("/rankings.csv?month=2026-11&level=company")
            #expect(csvStatus == .ok)
            #expect(headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.contains("首开物业"))
            #expect(csv.contains("97.00"))
        }
    }
}
