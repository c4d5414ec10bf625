@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Assessment: inspections, scorecards, red and black lists")
struct AssessmentTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)

    static func lines(_ l: [(String, Int64, String)]) -> JSONValue {
        .object(["lines": .array(l.map { .object(["code": .string($0.0), "findings": .int($0.1), "hazard": .string($0.2)]) })])
    }

    @Test("an inspection: scored by its inspector, photos and a request for a deduction, submitted, seen and answered by the company only then",
          arguments: TestDatabase.all)
    func inspection(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let community = try await token(client, "shequ01"), street = try await token(client, "jiedao01"), company = try await token(client, "wuye01")
            let owner = try await token(client, "yezhu01"), committee = try await token(client, "yeweihui01")
            // Starting: the community's staff over the compound; an owner may not.
            #expect(try await client.json(.post, "/api/v1/inspections", .object(["compoundId": .string(compound)]), token: owner).0 == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/inspections", .object(["compoundId": .string(compound), "inspectedOn": .string("2026-12-25")]),
                                          token: community).0 == .unprocessableContent)
            let (started, i) = try await client.json(.post, "/api/v1/inspections", .object(["compoundId": .string(compound)]), token: community)
            #expect(started == .created && i["status"] == .string("draft") && i["score"] == .string("100.00") && i["lines"]?.arrayValue.count == 21, "\(i)")
            #expect(i["company"]?.stringValue?.isEmpty == false && i["inspectedOn"] == .string("2026-11-30"))
            let id = i["id"]!.stringValue!
            // A draft is the inspector's: the company does not see it, the street may not score it.
            #expect(try await client.json(.get, "/api/v1/inspections/\(id)", token: company).0 == .notFound)
            #expect(try await client.json(.put, "/api/v1/inspections/\(id)/lines", Self.lines([("C1", 1, "none")]), token: street).0 == .forbidden)
            // Bad findings are refused item by item, and nothing is kept.
            let (bad, b) = try await client.json(.put, "/api/v1/inspections/\(id)/lines", Self.lines([("C1", 100, "none"), ("C2", 1, "unreported"), ("Z9", 1, "none")]),
                                                 token: community)
            #expect(bad == .unprocessableContent)
            let fields = Set((b["error"]?["fields"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
            #expect(fields == ["lines[0].findings", "lines[1].hazard", "lines[2].code"], "\(b)")
            // Fire lane blocked once, hidden from the street (−3); bins twice (−4); party members not identified (−2).
            let (scored, s) = try await client.json(.put, "/api/v1/inspections/\(id)/lines", Self.lines([("F1", 1, "unreported"), ("C2", 2, "none"), ("P1", 1, "none")]),
                                                    token: community)
            #expect(scored == .ok && s["score"] == .string("91.00") && s["serviceScore"] == .string("92.22") && s["partyScore"] == .string("80.00"), "\(s)")
            // Photos go with deductions only.
            func photo(_ code: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/inspections/\(id)/lines/\(code)/photos", method: .post,
                                         headers: [.contentType: "image/png", .authorization: "Bearer \(community)"], body: ByteBuffer(bytes: Self.png)) { $0.status }
            }
            #expect(try await photo("C2") == .created)
            #expect(try await photo("G1") == .conflict)
            // A request to the company in one step, once; party building is not a request.
            let (opened, o) = try await client.json(.post, "/api/v1/inspections/\(id)/lines/C2/request", token: community)
            let c2 = o["lines"]?.arrayValue.first { $0["code"] == .string("C2") }
            #expect(opened == .created && c2?["requestId"]?.stringValue != nil && c2?["photos"]?.arrayValue.count == 1, "\(o)")
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/lines/C2/request", token: community).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/lines/P1/request", token: community).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/lines/G1/request", token: community).0 == .conflict)
            let (_, r) = try await client.json(.get, "/api/v1/requests/\(c2!["requestId"]!.stringValue!)", token: company)
            #expect(r["channel"] == .string("inspection") && r["category"] == .string("sanitation") && r["handler"]?["kind"] == .string("company"), "\(r)")
            // Submitted: the score counts and is fixed; the company and the committee see it, an owner does not.
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/answer", .object(["answer": .string("已整改")]), token: company).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/submit", token: community).1["status"] == .string("submitted"))
            #expect(try await client.json(.put, "/api/v1/inspections/\(id)/lines", Self.lines([("C1", 1, "none")]), token: community).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/inspections/\(id)", token: committee).0 == .ok)
            #expect(try await client.json(.get, "/api/v1/inspections/\(id)", token: owner).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/inspections/\(id)/answer", .object(["answer": .string("已整改")]), token: street).0 == .forbidden)
            let (answered, a) = try await client.json(.post, "/api/v1/inspections/\(id)/answer", .object(["answer": .string("垃圾桶站已清理，消防通道已疏通")]), token: company)
            #expect(answered == .ok && a["status"] == .string("answered") && a["answer"] == .string("垃圾桶站已清理，消防通道已疏通"))
            #expect(try await client.json(.get, "/api/v1/inspections?compoundId=\(compound)", token: company).1["items"]?.arrayValue.count == 1)
            let sql = app.database.db.sql()
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'inspections' AND entity_id = \(bind: UUID(uuidString: id)!)").first()!
                .decode(column: "n", as: Int64.self)
            #expect(audited == 6)  // create, score, photo, open-request, submit, answer
        }
    }

    @Test("scorecards from inspections and requests; the street's list published once its period is over, with consequences", arguments: TestDatabase.all)
    func scorecardsAndLists(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let sql = app.database.db.sql()
            let streetId = try await sql.raw("SELECT id FROM streets WHERE name = '大屯街道'").first()!.decode(column: "id", as: UUID.self).text
            var community = try await token(client, "shequ01"), street = try await token(client, "jiedao01")
            let company = try await token(client, "wuye01")
            var owner = try await token(client, "yezhu01")
            let id = try await client.json(.post, "/api/v1/inspections", .object(["compoundId": .string(compound)]), token: community).1["id"]!.stringValue!
            _ = try await client.json(.put, "/api/v1/inspections/\(id)/lines", Self.lines([("F1", 1, "unreported"), ("C2", 2, "none"), ("P1", 1, "none")]), token: community)
            _ = try await client.json(.post, "/api/v1/inspections/\(id)/submit", token: community)
            // The compound's November: service 83/90 = 92.22, party 8/10 = 80.00.
            let (got, cards) = try await client.json(.get, "/api/v1/scorecards?period=2026-11&level=compound&streetId=\(streetId)", token: street)
            let row = cards["rows"]?.arrayValue.first { $0["id"] == .string(compound) }
            #expect(got == .ok && row?["inspection"] == .string("92.22") && row?["party"] == .string("80.00") && row?["inspections"] == .int(1), "\(cards)")
            #expect(row?["score"]?.stringValue != nil)
            // The company sees its own row only; an owner none.
            let (_, mine) = try await client.json(.get, "/api/v1/scorecards?period=2026-11&streetId=\(streetId)", token: company)
            #expect(mine["rows"]?.arrayValue.count == 1 && mine["rows"]?[0]?["inspection"] == .string("92.22"), "\(mine)")
            #expect(try await client.json(.get, "/api/v1/scorecards?period=2026-11", token: owner).0 == .forbidden)
            #expect(try await client.json(.get, "/api/v1/scorecards?period=2026-13", token: street).0 == .unprocessableContent)
            let (_, drill) = try await client.json(.get, "/api/v1/scorecards/compounds/\(compound)?period=2026-11", token: street)
            #expect(drill["inspections"]?.arrayValue.count == 1 && drill["row"]?["inspection"] == .string("92.22"), "\(drill)")
            // The list: not before the month is over; then once, the hidden hazard puts the company on the black list.
            let publish: JSONValue = .object(["period": .string("2026-11")])
            #expect(try await client.json(.post, "/api/v1/streets/\(streetId)/lists", publish, token: street).0 == .conflict)
            let (preview, p) = try await client.json(.get, "/api/v1/streets/\(streetId)/lists/2026-11", token: street)
            #expect(preview == .ok && p["published"] == .bool(false))
            // The CSV (here of the preview) opens in Excel: BOM, the list's name in Chinese.
            let (csvStatus, csv, headers) = try await client.page("/assessment/lists.csv?streetId=\(streetId)&period=2026-11")
            #expect(csvStatus == .ok && csv.unicodeScalars.first == "\u{FEFF}" && csv.contains("黑榜") && headers[.contentType]?.hasPrefix("text/csv") == true, "\(csvStatus) \(csv.prefix(300))")
            clock.advance(2 * 86_400)
            // Two days on, tokens of an idle session have lapsed: sign in again.
            (community, street, owner) = (try await token(client, "shequ01"), try await token(client, "jiedao01"), try await token(client, "yezhu01"))
            #expect(try await client.json(.post, "/api/v1/streets/\(streetId)/lists", publish, token: community).0 == .forbidden)
            let (published, l) = try await client.json(.post, "/api/v1/streets/\(streetId)/lists", publish, token: street)
            #expect(published == .created && l["published"] == .bool(true), "\(published) \(l)")
            let black = l["lines"]?.arrayValue.first { $0["list"] == .string("black") && ($0["triggers"]?.arrayValue ?? []).contains { $0["code"] == .string("unreported_hazard") } }
            #expect(black != nil, "\(l)")
            #expect(try await client.json(.post, "/api/v1/streets/\(streetId)/lists", publish, token: street).0 == .conflict)
            let placing = black!["placingId"]!.stringValue!
            let companyId = black!["companyId"]!.stringValue!
            // Published lists are for everyone in the district.
            #expect(try await client.json(.get, "/api/v1/placings?companyId=\(companyId)", token: owner).1["items"]?.arrayValue.count == 1)
            // Consequences: the street's; a commendation does not follow a black placing; a rectification needs its day.
            #expect(try await client.json(.post, "/api/v1/placings/\(placing)/consequences", .object(["kind": .string("warning"), "note": .string("警示")]), token: community).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/placings/\(placing)/consequences", .object(["kind": .string("commendation"), "note": .string("表扬")]), token: street).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/placings/\(placing)/consequences", .object(["kind": .string("rectification"), "note": .string("整改")]), token: street).0
                == .unprocessableContent)
            let (rectified, rr) = try await client.json(.post, "/api/v1/placings/\(placing)/consequences",
                                                        .object(["kind": .string("rectification"), "note": .string("消防通道限期整改"), "dueOn": .string("2026-12-31")]), token: street)
            #expect(rectified == .created && rr["consequences"]?.arrayValue.count == 1)
            let decisionsBefore = try await sql.raw("SELECT COUNT(*) AS n FROM decisions").first()!.decode(column: "n", as: Int64.self)
            let (replaced, rp) = try await client.json(.post, "/api/v1/placings/\(placing)/consequences",
                                                       .object(["kind": .string("replacement"), "note": .string("连续黑榜，启动更换"), "compoundId": .string(compound)]), token: street)
            let decision = rp["consequences"]?.arrayValue.last?["decisionId"]?.stringValue
            #expect(replaced == .created && decision != nil, "\(rp)")
            let d = try await sql.raw("SELECT matter, status, company_id FROM decisions WHERE id = \(bind: UUID(uuidString: decision ?? "") ?? UUID())").first()
            #expect(try d?.decode(column: "matter", as: String.self) == "hire_or_dismiss_manager" && d?.decode(column: "status", as: String.self) == "draft")
            #expect(try d?.decode(column: "company_id", as: UUID.self).text == companyId)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM decisions").first()!.decode(column: "n", as: Int64.self) == decisionsBefore + 1)
            // A replacement in a compound the company does not serve is refused and opens nothing.
            let other = try await sql.raw("""
                SELECT p.id FROM compounds p WHERE NOT EXISTS (SELECT 1 FROM contracts k WHERE k.compound_id = p.id AND k.company_id = \(bind: UUID(uuidString: companyId)!))
                ORDER BY p.name LIMIT 1
                """).first()!.decode(column: "id", as: UUID.self)
            #expect(try await client.json(.post, "/api/v1/placings/\(placing)/consequences",
                                          .object(["kind": .string("replacement"), "note": .string("更换"), "compoundId": .string(other.text)]), token: street).0 == .unprocessableContent)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM decisions").first()!.decode(column: "n", as: Int64.self) == decisionsBefore + 1)
        }
    }

    @Test("a street sets its checklist, weights and rules; a checklist off 100 points or missing a section is refused field by field", arguments: TestDatabase.all)
    func settings(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let streetId = try await sql.raw("SELECT id FROM streets WHERE name = '大屯街道'").first()!.decode(column: "id", as: UUID.self).text
            let street = try await token(client, "jiedao01"), community = try await token(client, "shequ01"), owner = try await token(client, "yezhu01")
            let (_, standard) = try await client.json(.get, "/api/v1/streets/\(streetId)/assessment-settings", token: street)
            #expect(standard["checklist"]?.arrayValue.count == 21 && standard["weightInspection"] == .int(50) && standard["redMinimum"] == .string("90.00"))
            #expect(try await client.json(.get, "/api/v1/streets/\(streetId)/assessment-settings", token: owner).0 == .notFound)
            func body(_ items: [ChecklistItem], inspection: Int64 = 60, party: Int64 = 0) -> JSONValue {
                .object(["checklist": .array(items.map { i in
                    .object(["code": .string(i.code), "section": .string(i.section.rawValue), "text": .string(i.text), "weight": .string(FixedPoint2.format(i.weight)),
                             "deduction": .string(FixedPoint2.format(i.deduction))])
                }), "weightInspection": .int(inspection), "weightRequests": .int(25), "weightResidents": .int(15), "weightParty": .int(party),
                         "redTop": .int(5), "redMinimum": .string("85.00"), "blackBelow": .string("65.00"), "monthFloor": .string("55.00")])
            }
            let noRenovation = InspectionRules.standard.filter { $0.section != .renovation }
            let (refused, r) = try await client.json(.put, "/api/v1/streets/\(streetId)/assessment-settings", body(noRenovation, inspection: 50, party: 5), token: street)
            let codes = Set((r["error"]?["fields"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue })
            #expect(refused == .unprocessableContent && codes == ["missing_section", "total_not_100"], "\(r)")
            #expect(try await client.json(.put, "/api/v1/streets/\(streetId)/assessment-settings", body(InspectionRules.standard), token: community).0 == .forbidden)
            // The street's own party-building item, a point taken from P3.
            var items = InspectionRules.standard
            items[items.count - 1].weight = 200; items[items.count - 1].deduction = 100
            items.append(ChecklistItem(code: "P4", section: .partyBuilding, text: "红色物业宣传栏及时更新", weight: 100, deduction: 100))
            let (saved, s) = try await client.json(.put, "/api/v1/streets/\(streetId)/assessment-settings", body(items), token: street)
            #expect(saved == .ok && s["checklist"]?.arrayValue.count == 22 && s["weightInspection"] == .int(60) && s["redTop"] == .int(5), "\(s)")
            // The next inspection uses the street's checklist.
            let compound = try await compoundId(app, "万兴苑")
            let (_, i) = try await client.json(.post, "/api/v1/inspections", .object(["compoundId": .string(compound)]), token: community)
            #expect(i["lines"]?.arrayValue.contains { $0["code"] == .string("P4") } == true)
        }
    }
}
