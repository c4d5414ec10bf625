@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Whistle-and-report cases")
struct WhistleTests {
    @Test("the street records the report of a department with no account, marked as on its behalf; never for one that can sign in", arguments: TestDatabase.all)
    func onBehalf(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let owner = try await token(client, "yezhu01"), street = try await token(client, "jiedao01")
            let compound = try await compoundId(app, "万兴苑")
            let district = try await sql.raw("SELECT district_id FROM departments WHERE name = '区房管局'").first()!.decode(column: "district_id", as: UUID.self)
            let parks = try await client.create("departments", ["districtId": .string(district.uuidString.lowercased()), "name": .string("区园林绿化局"), "kind": .string("other")])
            let housingId = try await sql.raw("SELECT id FROM departments WHERE name = '区房管局'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let request = try await client.json(.post, "/api/v1/requests", .object(["category": .string("greening"), "urgency": .string("complex"),
                                                                                   "compoundId": .string(compound), "description": .string("古树倾斜")]), token: owner).1["id"]!.stringValue!
            // the whistle form opened from the request starts filled in from it
            let streetWeb = try await app.auth.login(username: "jiedao01", password: DemoAccounts.password(for: "jiedao01"), address: nil, kind: .web, now: testNow)
            let (_, form, _) = try await client.page("/whistle-cases?requestId=\(request)", cookies: "session=\(streetWeb.token)", signedIn: false)
            #expect(form.contains("value=\"万兴苑 · 绿化养护\"") && form.contains("：古树倾斜</textarea>") && form.contains("value=\"2026-12-02T10:00\""))
            let reportBy = Timestamp.iso(testNow.addingTimeInterval(48 * 3600))
            let (_, r) = try await client.json(.post, "/api/v1/requests/\(request)/transitions", .object([
                "event": .string("escalate"), "title": .string("万兴苑古树倾斜"), "description": .string("需园林部门鉴定"),
                "parties": .array([.object(["kind": .string("department"), "departmentId": .string(parks), "reportBy": .string(reportBy)]),
                                   .object(["kind": .string("department"), "departmentId": .string(housingId), "reportBy": .string(reportBy)])]),
            ]), token: street)
            let caseId = try #require(r["whistleCaseId"]?.stringValue)
            let parties = try await client.json(.get, "/api/v1/whistle-cases/\(caseId)", token: street).1["parties"]!.arrayValue
            let parksParty = parties.first { $0["departmentId"] == .string(parks) }!["id"]!.stringValue!
            let housingParty = parties.first { $0["departmentId"] == .string(housingId) }!["id"]!.stringValue!
            // the housing bureau has a liaison: it reports for itself
            #expect(try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(housingParty), "response": .string("x")]),
                                          token: street).0 == .forbidden)
            // the parks bureau has none: the street records what it answered, marked so
            let (ok, body) = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(parksParty),
                                                                                                               "response": .string("电话答复：明日派员鉴定")]), token: street)
            #expect(ok == .created, "\(body)")
            let after = try await client.json(.get, "/api/v1/whistle-cases/\(caseId)", token: street).1
            let parksAfter = after["parties"]!.arrayValue.first { $0["id"] == .string(parksParty) }!
            #expect(parksAfter["reportedBy"]?.stringValue?.contains("代区园林绿化局登记") == true)
            #expect(after["log"]!.arrayValue.contains { $0["note"]?.stringValue?.contains("街道代为登记") == true })
            // the housing bureau's start page lists the case with its report-by time, still waiting
            let web = try await app.auth.login(username: "bumen01", password: DemoAccounts.password(for: "bumen01"), address: nil, kind: .web, now: testNow)
            let (_, home, _) = try await client.page("/", cookies: "session=\(web.token)", signedIn: false)
            #expect(home.contains("id=\"summoned-cases\"") && home.contains(after["number"]!.stringValue!) && home.contains("待报到"))
        }
    }

    @Test("the street escalates a request, departments report in with commitments, the case closes only when all have; on-time rates rank beside the three rates",
          arguments: TestDatabase.all)
    func whistle(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            // given a request in 大屯街道 and two summoned departments with liaisons
            let sql = app.database.db.sql()
            let owner = try await token(client, "yezhu01"), street = try await token(client, "jiedao01"), community = try await token(client, "shequ01")
            let housing = try await token(client, "bumen01")
            let compound = try await compoundId(app, "万兴苑")
            let district = try await sql.raw("SELECT district_id FROM departments WHERE name = '区房管局'").first()!.decode(column: "district_id", as: UUID.self)
            let fire = try await client.create("departments", ["districtId": .string(district.uuidString.lowercased()), "name": .string("区消防救援支队"), "kind": .string("fire")])
            try await app.createUser(username: "xiaofang01", password: DemoAccounts.password(for: "xiaofang01"), displayName: "消防", role: .departmentLiaison,
                                     scopeId: UUID(uuidString: fire)!, now: testNow)
            let fireToken = try await token(client, "xiaofang01")
            let housingId = try await sql.raw("SELECT id FROM departments WHERE name = '区房管局'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let request = try await client.json(.post, "/api/v1/requests", .object(["category": .string("fire_safety"), "urgency": .string("complex"),
                                                                                   "compoundId": .string(compound), "description": .string("消防报警主机瘫痪")]), token: owner).1["id"]!.stringValue!
            let reportBy = Timestamp.iso(testNow.addingTimeInterval(48 * 3600))
            let escalation: JSONValue = .object([
                "event": .string("escalate"), "title": .string("万兴苑消防系统瘫痪"), "description": .string("报警主机和喷淋泵均不能工作"),
                "parties": .array([
                    .object(["kind": .string("department"), "departmentId": .string(housingId), "reportBy": .string(reportBy)]),
                    .object(["kind": .string("department"), "departmentId": .string(fire), "reportBy": .string(reportBy)]),
                    .object(["kind": .string("developer"), "name": .string("某某房地产开发公司"), "reportBy": .string(reportBy)]),
                ]),
            ])

            // when the community tries, it may not; the street blows the whistle from the request
            #expect(try await client.json(.post, "/api/v1/requests/\(request)/transitions", escalation, token: community).0 == .forbidden)
            let (escalated, r) = try await client.json(.post, "/api/v1/requests/\(request)/transitions", escalation, token: street)
            #expect(escalated == .ok, "\(r)")
            #expect(r["status"] == .string("escalated"))
            let caseId = r["whistleCaseId"]!.stringValue!

            // then the summoned departments see the case and the request; an unrelated owner does not
            let view = try await client.json(.get, "/api/v1/whistle-cases/\(caseId)", token: housing).1
            #expect(view["parties"]?.arrayValue.count == 3)
            #expect(try await client.json(.get, "/api/v1/requests/\(request)", token: housing).0 == .ok)
            #expect(try await client.json(.get, "/api/v1/whistle-cases/\(caseId)", token: owner).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/whistle-cases", token: fireToken).1["items"]?.arrayValue.count == 1)
            let parties = view["parties"]!.arrayValue
            let housingParty = parties.first { $0["departmentId"] == .string(housingId) }!["id"]!.stringValue!
            let fireParty = parties.first { $0["departmentId"] == .string(fire) }!["id"]!.stringValue!
            let developer = parties.first { $0["kind"] == .string("developer") }!["id"]!.stringValue!

            // the housing bureau reports in on time with a commitment; it cannot report for the fire brigade
            #expect(try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(fireParty), "response": .string("x")]), token: housing).0
                    == .forbidden)
            let (reported, afterReport) = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object([
                "partyId": .string(housingParty), "response": .string("同意动用维修资金应急更换"),
                "commitments": .array([.object(["task": .string("应急使用维修资金审批"), "amount": .string("120000.00"), "dueOn": .string("2026-12-10")])]),
            ]), token: housing)
            #expect(reported == .created, "\(afterReport)")
            let housingView = afterReport["parties"]!.arrayValue.first { $0["id"] == .string(housingParty) }!
            #expect(housingView["onTime"] == .bool(true))
            #expect(housingView["commitments"]?[0]?["amount"] == .string("120000.00"))
            #expect(try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(housingParty), "response": .string("again")]),
                                          token: housing).0 == .conflict)
            _ = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(developer), "response": .string("承担保修责任")]), token: street)

            // the case cannot close while the fire brigade has not reported
            let (early, why) = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/close", .object(["note": .string("结案")]), token: street)
            #expect(early == .conflict)
            #expect(why["error"]?["code"] == .string("parties_not_reported"))

            // three days later the fire brigade reports, late
            clock.advance(72 * 3600)
            let fireLater = try await token(client, "xiaofang01"), streetLater = try await token(client, "jiedao01"), admin = try await token(client, "quguan01")
            _ = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/log", .object(["note": .string("现场联合检查")]), token: streetLater)
            let late = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/reports", .object(["partyId": .string(fireParty), "response": .string("已现场检查")]),
                                             token: fireLater).1
            #expect(late["parties"]?.arrayValue.first { $0["id"] == .string(fireParty) }?["onTime"] == .bool(false))
            #expect(try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/close", .object(["note": .string("不行")]), token: fireLater).0 == .forbidden)
            let (closed, done) = try await client.json(.post, "/api/v1/whistle-cases/\(caseId)/close", .object(["note": .string("各方均已报到，整改计划落实")]), token: streetLater)
            #expect(closed == .ok)
            #expect(done["status"] == .string("closed"))
            #expect(done["log"]?.arrayValue.count == 6)   // opened, three reports, one note, closed

            // the department ranking shows the on-time report rate: 1/1 for housing, 0/1 for fire
            let ranking = try await client.json(.get, "/api/v1/rankings?month=2026-11&level=department", token: admin).1["items"]!.arrayValue
            let byName = Dictionary(uniqueKeysWithValues: ranking.map { ($0["name"]!.stringValue!, $0) })
            #expect(byName["区房管局"]?["reportsOnTimeRate"]?["numerator"] == .int(1))
            #expect(byName["区房管局"]?["reportsOnTimeRate"]?["denominator"] == .int(1))
            #expect(byName["区消防救援支队"]?["reportsOnTimeRate"]?["numerator"] == .int(0))
            #expect(byName["区消防救援支队"]?["reportsOnTimeRate"]?["denominator"] == .int(1))

            // a fresh case needs parties with future deadlines, and only the street's staff open one
            let (invalid, fields) = try await client.json(.post, "/api/v1/whistle-cases", .object(["compoundId": .string(compound), "title": .string("x"), "parties": .array([])]),
                                                          token: streetLater)
            #expect(invalid == .unprocessableContent)
            #expect(fields["error"]?["fields"]?[0]?["field"] == .string("parties"))
            #expect(try await client.json(.post, "/api/v1/whistle-cases", .object(["compoundId": .string(compound), "title": .string("x"), "parties": .array([
                .object(["kind": .string("department"), "departmentId": .string(fire), "reportBy": .string("2030-01-01T00:00:00Z")])])]), token: fireLater).0 == .forbidden)
        }
    }
}
