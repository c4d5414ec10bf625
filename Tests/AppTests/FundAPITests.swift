@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Maintenance fund")
struct FundAPITests {
    @Test("deposits by area, a plan paid only after a passed decision, emergency after a notice; the ledger balances", arguments: TestDatabase.all)
    func fund(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let committee = try await token(client, "yeweihui01")
            let owner = try await token(client, "yezhu01")
            // owners may read, not manage
            #expect(try await client.json(.post, "/api/v1/compounds/\(compound)/fund/deposits", .object(["ratePerSqm": .string("200.00")]), token: owner).0 == .forbidden)
            let (deposited, d) = try await client.json(.post, "/api/v1/compounds/\(compound)/fund/deposits", .object(["ratePerSqm": .string("200.00")]), token: committee)
            #expect(deposited == .created)
            let area = try await sql.raw("""
                SELECT CAST(SUM(r.area) AS BIGINT) AS a FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!)
                """).first()!.decode(column: "a", as: Int64.self)
            #expect(d["deposited"] == .string(FixedPoint2.format(area * 200)))   // hundredths m² × 200 yuan = fen × 100 / 100

            // a plan against a decision that has not passed cannot be paid
            let decision = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", .object([
                "title": .string("更换消防主机"), "matter": .string("use_maintenance_fund"), "amount": .string("12345.67"),
                "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")]), token: committee).1["id"]!.stringValue!
            #expect(try await client.json(.get, "/api/v1/decisions/\(decision)", token: committee).1["amount"] == .string("12345.67"))
            _ = try await client.json(.post, "/api/v1/decisions/\(decision)/open", token: committee)
            let buildings: JSONValue = .array(try await sql.raw("SELECT id FROM buildings WHERE compound_id = \(bind: UUID(uuidString: compound)!)").all()
                .map { .string(try $0.decode(column: "id", as: UUID.self).uuidString.lowercased()) })
            // a fen more than the owners approved is refused
            let (over, overBody) = try await client.json(.post, "/api/v1/compounds/\(compound)/fund/plans", .object([
                "project": .string("更换消防报警主机"), "amount": .string("12345.68"), "decisionId": .string(decision), "buildingIds": buildings]), token: committee)
            #expect(over == .unprocessableContent)
            #expect(overBody["error"]?["fields"]?[0]?["code"] == .string("exceeds_decision"))
            let (planned, plan) = try await client.json(.post, "/api/v1/compounds/\(compound)/fund/plans", .object([
                "project": .string("更换消防报警主机"), "amount": .string("12345.67"), "decisionId": .string(decision),
                "buildingIds": .array(try await sql.raw("SELECT id FROM buildings WHERE compound_id = \(bind: UUID(uuidString: compound)!)").all()
                    .map { .string(try $0.decode(column: "id", as: UUID.self).uuidString.lowercased()) }),
            ]), token: committee)
            #expect(planned == .created, "\(plan)")
            let shares = plan["shares"]!
            if case .object(let o) = shares {
                #expect(o.values.compactMap { $0.stringValue.flatMap { try? FixedPoint2.parse($0) } }.reduce(0, +) == 1_234_567)
            }
            let planId = plan["id"]!.stringValue!
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(planId)/pay", token: committee).0 == .conflict)

            // everyone on the roll votes yes on paper, the decision closes and passes, then it can be paid
            let owners = try await sql.raw("SELECT owner_ids FROM decision_voters WHERE decision_id = \(bind: UUID(uuidString: decision)!)").all()
                .map { String(try $0.decode(column: "owner_ids", as: String.self).split(separator: ",")[0]) }
            for (i, o) in owners.enumerated() {
                try await paperBallot(app, client, decision: decision, owner: o, ["choice": .string("yes")], recorder: committee,
                                      confirmer: try await token(client, "jiedao01"))
            }
            _ = try await client.json(.post, "/api/v1/decisions/\(decision)/close", .object(["reason": .string("全体业主已投票")]), token: committee)
            let (paid, paidPlan) = try await client.json(.post, "/api/v1/fund-plans/\(planId)/pay", token: committee)
            #expect(paid == .ok, "\(paidPlan)")
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(planId)/pay", token: committee).0 == .conflict)

            // emergency: notice first, then pay, then report
            let room = try await sql.raw("""
                SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: UUID(uuidString: compound)!) ORDER BY r.id
                """).first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let emergency = try await client.json(.post, "/api/v1/compounds/\(compound)/fund/plans", .object([
                "project": .string("电梯抢修"), "amount": .string("100.00"), "roomIds": .array([.string(room)]), "emergency": .string("lift"),
            ]), token: committee).1["id"]!.stringValue!
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(emergency)/pay", token: committee).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(emergency)/notice", token: committee).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(emergency)/pay", token: committee).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/fund-plans/\(emergency)/report", .object(["report": .string("已更换曳引机钢丝绳")]), token: committee).1["status"] == .string("reported"))

            // more than a room holds is refused and nothing changes
            let huge = try await client.json(.post, "/api/v1/compounds/\(compound)/fund/plans", .object([
                "project": .string("外墙"), "amount": .string("99999999.00"), "roomIds": .array([.string(room)]), "emergency": .string("external_wall_hazard"),
            ]), token: committee).1["id"]!.stringValue!
            _ = try await client.json(.post, "/api/v1/fund-plans/\(huge)/notice", token: committee)
            let (refused, why) = try await client.json(.post, "/api/v1/fund-plans/\(huge)/pay", token: committee)
            #expect(refused == .conflict)
            #expect(why["error"]?["code"] == .string("insufficient_balance"))

            // the statement balances and owners can read it
            let (_, statement) = try await client.json(.get, "/api/v1/compounds/\(compound)/fund", token: owner)
            #expect(statement["balanced"] == .bool(true))
            let expected = area * 200 - 1_234_567 - 10_000
            #expect(statement["balance"] == .string(FixedPoint2.format(expected)))
            #expect(statement["bank"] == statement["balance"])
        }
    }
}
