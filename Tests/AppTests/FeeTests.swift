@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Property fees")
struct FeeTests {
    /// The serving contract of 万兴苑 and its rooms' areas.
    static func place(_ app: GongzhiApp) async throws -> (compound: String, contract: UUID, rate: Int64, areas: [UUID: Int64]) {
        let compound = try await compoundId(app, "万兴苑")
        let sql = app.database.db.sql()
        let k = try await sql.raw("""
            SELECT id, monthly_fee_per_sqm FROM contracts WHERE compound_id = \(bind: UUID(uuidString: compound)!) AND starts_on <= '2026-11-30'
            AND (ends_on IS NULL OR ends_on >= '2026-11-30') ORDER BY starts_on DESC LIMIT 1
            """).first()!
        let areas = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT r.id, r.area FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE b.compound_id = \(bind: UUID(uuidString: compound)!)
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "area", as: Int64.self)) })
        return (compound, try k.decode(column: "id", as: UUID.self), try k.decode(column: "monthly_fee_per_sqm", as: Int64.self), areas)
    }

    @Test("bills are made once per room and period at area × rate; payments, refunds and disputes move them; the rate and arrears follow", arguments: TestDatabase.all)
    func lifeCycle(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let p = try await Self.place(app)
            let company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01"), street = try await token(client, "jiedao01")
            // when the company bills October twice
            let (made, run) = try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]), token: company)
            let (_, again) = try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]), token: company)
            // then every room has one bill of area × rate, and nothing is made twice
            #expect(made == .created, "\(run)")
            #expect(run["created"] == .int(Int64(p.areas.count)))
            let expected = p.areas.values.reduce(Int64(0)) { $0 + Billing.amount(area: $1, rate: p.rate, from: CivilDate("2026-10-01")!, through: CivilDate("2026-10-31")!) }
            #expect(run["amount"] == .string(FixedPoint2.format(expected)))
            #expect(again["created"] == .int(0))
            #expect(try await count(app, "bills") == p.areas.count)
            // an owner cannot bill; a street sees but does not bill
            #expect(try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]), token: owner).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]), token: street).0 == .forbidden)

            // the owner sees only their own rooms' bills
            let mine = try await client.json(.get, "/api/v1/bills", token: owner).1["items"]!.arrayValue
            #expect(!mine.isEmpty && mine.count < p.areas.count)
            let bill = mine[0], room = bill["roomId"]!.stringValue!, billId = bill["id"]!.stringValue!
            let others = try await client.json(.get, "/api/v1/bills?compoundId=\(p.compound)", token: company).1["items"]!.arrayValue
            let foreign = try #require(others.first { $0["roomId"]?.stringValue != room && !mine.map { $0["roomId"] }.contains($0["roomId"]) })
            #expect(try await client.json(.get, "/api/v1/bills/\(foreign["id"]!.stringValue!)", token: owner).0 == .notFound)
            #expect(try await client.json(.get, "/api/v1/bills", token: try await token(client, "bumen01")).1["items"]?.arrayValue.isEmpty == true)

            // a payment larger than owed is refused; part, then the rest, pays the bill; a refund opens it again
            let owed = try FixedPoint2.parse(bill["amount"]!.stringValue!)
            let (tooMuch, tooMuchBody) = try await client.json(.post, "/api/v1/rooms/\(room)/payments", .object([
                "method": .string("cash"), "amount": .string(FixedPoint2.format(owed + 1)), "billIds": .array([.string(billId)])]), token: company)
            #expect(tooMuch == .unprocessableContent && tooMuchBody["error"]?["fields"]?[0]?["code"] == .string("more_than_owed"))
            let (paidPart, part) = try await client.json(.post, "/api/v1/rooms/\(room)/payments", .object([
                "method": .string("wechat"), "reference": .string("WX1"), "amount": .string("10.00"), "billIds": .array([.string(billId)])]), token: company)
            #expect(paidPart == .created, "\(part)")
            #expect(try await client.json(.get, "/api/v1/bills/\(billId)", token: owner).1["status"] == .string("partial"))
            let (_, rest) = try await client.json(.post, "/api/v1/rooms/\(room)/payments", .object([
                "method": .string("alipay"), "amount": .string(FixedPoint2.format(owed - 1000)), "billIds": .array([.string(billId)])]), token: company)
            #expect(rest["allocations"]?[0]?["amount"] == .string(FixedPoint2.format(owed - 1000)))
            #expect(try await client.json(.get, "/api/v1/bills/\(billId)", token: owner).1["status"] == .string("paid"))
            let (refunded, refund) = try await client.json(.post, "/api/v1/payments/\(part["id"]!.stringValue!)/refund",
                                                         .object(["amount": .string("4.00"), "reason": .string("多收")]), token: company)
            #expect(refunded == .created && refund["amount"] == .string("-4.00"))
            #expect(try await client.json(.post, "/api/v1/payments/\(part["id"]!.stringValue!)/refund",
                                          .object(["amount": .string("6.01"), "reason": .string("再退")]), token: company).0 == .unprocessableContent)
            let now = try await client.json(.get, "/api/v1/bills/\(billId)", token: owner).1
            #expect(now["status"] == .string("partial") && now["outstanding"] == .string("4.00"))
            // the owner cannot record payments
            #expect(try await client.json(.post, "/api/v1/rooms/\(room)/payments", .object(["method": .string("cash"), "amount": .string("4.00")]), token: owner).0 == .forbidden)

            // the collection rate of October: what was paid over what was billed; one room part paid
            let rates = try await client.json(.get, "/api/v1/collection-rates?month=2026-10&level=compound", token: street).1["items"]!.arrayValue
            let row = try #require(rates.first { $0["id"] == .string(p.compound) })
            #expect(row["billed"] == .string(FixedPoint2.format(expected)))
            #expect(row["collected"] == .string(FixedPoint2.format(owed - 400)))
            #expect(row["rateByAmount"] == .string(Ratio(owed - 400, expected).percentText))
            #expect(row["roomsPaid"] == .int(0) && row["rooms"] == .int(Int64(p.areas.count)))

            // arrears: every room (October is due); a disputed bill leaves them until settled
            let arrears = try await client.json(.get, "/api/v1/compounds/\(p.compound)/arrears", token: street).1["items"]!.arrayValue
            #expect(arrears.count == p.areas.count)
            let (disputed, d) = try await client.json(.post, "/api/v1/bills/\(billId)/dispute", .object(["reason": .string("房屋空置未入住")]), token: owner)
            #expect(disputed == .ok && d["status"] == .string("disputed") && d["disputeReason"] == .string("房屋空置未入住"))
            #expect(try await client.json(.post, "/api/v1/bills/\(billId)/dispute", .object(["reason": .string("再次")]), token: owner).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/compounds/\(p.compound)/arrears", token: street).1["items"]!.arrayValue.count == p.areas.count - 1)
            #expect(try await client.json(.post, "/api/v1/bills/\(billId)/settle", .object(["note": .string("已核实")]), token: owner).0 == .forbidden)
            #expect(try await client.json(.post, "/api/v1/bills/\(billId)/settle", .object(["note": .string("已核实")]), token: company).1["status"] == .string("partial"))
            // the owner's start page reminds them
            let web = try await app.auth.login(username: "yezhu01", password: DemoAccounts.password(for: "yezhu01"), address: "127.0.0.1", kind: .web, now: testNow)
            let (_, home, _) = try await client.page("/", cookies: "session=\(web.token)", signedIn: false)
            #expect(home.contains("id=\"fee-reminder\""))
            // every payment is audited
            #expect(try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'payments'").first()!.decode(column: "n", as: Int.self) == 3)
        }
    }

    @Test("a change of company mid-month bills each company its own days, never backwards", arguments: TestDatabase.all)
    func changeOfCompany(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let p = try await Self.place(app)
            let sql = app.database.db.sql()
            let district = TestSession.current!.districtId
            let newcomer = try await client.create("companies", ["districtId": .string(district), "name": .string("朝阳家园物业"), "creditCode": .string(validCreditCode()),
                                                                "stateOwned": .bool(true), "associationMember": .bool(false)])
            // the old contract ends on 15 October, the new company serves from the 16th at another rate
            try await sql.raw("UPDATE contracts SET ends_on = '2026-10-15' WHERE id = \(bind: p.contract)").run()
            _ = try await client.create("contracts", ["companyId": .string(newcomer), "compoundId": .string(p.compound), "startsOn": .string("2026-10-16"),
                                                      "monthlyFeePerSqm": .string("2.00"), "billingCycle": .string("quarterly")])
            let (_, run) = try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]))
            #expect(run["created"] == .int(Int64(p.areas.count * 2)))
            let bills = try await client.json(.get, "/api/v1/bills?compoundId=\(p.compound)").1["items"]!.arrayValue
            let (room, area) = p.areas.first!
            let own = bills.filter { $0["roomId"] == .string(room.text) }
            let old = try #require(own.first { $0["contractId"] == .string(p.contract.text) })
            let new = try #require(own.first { $0["companyId"] == .string(newcomer) })
            #expect(old["periodStart"] == .string("2026-10-01") && old["periodEnd"] == .string("2026-10-15"))
            #expect(old["amount"] == .string(FixedPoint2.format(Billing.amount(area: area, rate: p.rate, from: CivilDate("2026-10-01")!, through: CivilDate("2026-10-15")!))))
            // the new contract bills by quarter: from its first day to the end of December
            #expect(new["periodStart"] == .string("2026-10-16") && new["periodEnd"] == .string("2026-12-31"))
            #expect(new["amount"] == .string(FixedPoint2.format(Billing.amount(area: area, rate: 200, from: CivilDate("2026-10-16")!, through: CivilDate("2026-12-31")!))))
        }
    }

    @Test("a vacant room is billed at the district's discount for its empty days; only admins set the discount", arguments: TestDatabase.all)
    func vacancy(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let p = try await Self.place(app)
            let company = try await token(client, "wuye01"), street = try await token(client, "jiedao01")
            let district = try await app.database.db.sql().raw("SELECT district_id FROM companies LIMIT 1").first()!.decode(column: "district_id", as: UUID.self)
            #expect(try await client.json(.get, "/api/v1/districts/\(district.text)/fee-settings").1["vacantDiscountPercent"] == .int(0))
            #expect(try await client.json(.put, "/api/v1/districts/\(district.text)/fee-settings", .object(["vacantDiscountPercent": .int(50)]), token: street).0 == .notFound)
            #expect(try await client.json(.put, "/api/v1/districts/\(district.text)/fee-settings", .object(["vacantDiscountPercent": .int(101)])).0 == .unprocessableContent)
            #expect(try await client.json(.put, "/api/v1/districts/\(district.text)/fee-settings", .object(["vacantDiscountPercent": .int(50)])).1["vacantDiscountPercent"] == .int(50))
            let (room, area) = p.areas.sorted { $0.key.uuidString < $1.key.uuidString }.first!
            #expect(try await client.json(.post, "/api/v1/rooms/\(room.text)/vacancies", .object(["startsOn": .string("2026-10-16")]), token: street).0 == .forbidden)
            let (added, v) = try await client.json(.post, "/api/v1/rooms/\(room.text)/vacancies", .object(["startsOn": .string("2026-10-16"), "note": .string("业主出国")]),
                                                   token: company)
            #expect(added == .created, "\(v)")
            _ = try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-10")]), token: company)
            let bill = try #require(try await client.json(.get, "/api/v1/bills?roomId=\(room.text)", token: company).1["items"]?[0])
            let expected = Billing.amount(area: area, rate: p.rate, from: CivilDate("2026-10-01")!, through: CivilDate("2026-10-31")!,
                                          vacant: [(CivilDate("2026-10-16")!, nil)], discountPercent: 50)
            #expect(bill["amount"] == .string(FixedPoint2.format(expected)))
            #expect(expected < Billing.amount(area: area, rate: p.rate, from: CivilDate("2026-10-01")!, through: CivilDate("2026-10-31")!))
            // ended: the next month bills in full from the day after
            let (ended, e) = try await client.json(.post, "/api/v1/vacancies/\(v["id"]!.stringValue!)/end", .object(["endsOn": .string("2026-10-31")]), token: company)
            #expect(ended == .ok && e["endsOn"] == .string("2026-10-31"))
            #expect(try await client.json(.post, "/api/v1/vacancies/\(v["id"]!.stringValue!)/end", .object(["endsOn": .string("2026-11-30")]), token: company).0 == .conflict)
            _ = try await client.json(.post, "/api/v1/compounds/\(p.compound)/bills", .object(["month": .string("2026-11")]), token: company)
            let november = try await client.json(.get, "/api/v1/bills?roomId=\(room.text)&month=2026-11", token: company).1["items"]!.arrayValue
            #expect(november.first?["amount"] == .string(FixedPoint2.format(Billing.amount(area: area, rate: p.rate, from: CivilDate("2026-11-01")!, through: CivilDate("2026-11-30")!))))
        }
    }

    @Test("shared meters: a month's usage × price is shared by area to the fen as bill items; backwards readings are refused unless a new meter; all or none", arguments: TestDatabase.all)
    func meters(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let p = try await Self.place(app)
            let company = try await token(client, "wuye01"), owner = try await token(client, "yezhu01")
            let (added, meter) = try await client.json(.post, "/api/v1/compounds/\(p.compound)/meters",
                                                       .object(["name": .string("公区电表"), "kind": .string("electricity"), "unitPrice": .string("0.49")]), token: company)
            #expect(added == .created, "\(meter)")
            #expect(try await client.json(.post, "/api/v1/compounds/\(p.compound)/meters",
                                          .object(["name": .string("公区电表"), "kind": .string("water"), "unitPrice": .string("5.00")]), token: company).0 == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/compounds/\(p.compound)/meters",
                                          .object(["name": .string("私表"), "kind": .string("water"), "unitPrice": .string("5.00")]), token: owner).0 == .forbidden)
            func record(_ readings: [(String, String, Bool)]) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/compounds/\(p.compound)/meter-readings", .object(["readings": .array(readings.map {
                    .object(["meter": .string("公区电表"), "month": .string($0.0), "reading": .string($0.1), "meterChanged": .bool($0.2)])
                })]), token: company)
            }
            // the first reading sets the start; the next month costs (13107.50 − 12005.00) kWh × 0.49 = 540.2250 → 540.23 yuan
            #expect(try await record([("2026-09", "12005.00", false)]).1["billed"] == .string("0.00"))
            let (ok, billed) = try await record([("2026-10", "13107.50", false)])
            #expect(ok == .created && billed["billed"] == .string("540.23"))
            let items = try await client.json(.get, "/api/v1/bills?compoundId=\(p.compound)&month=2026-10", token: company).1["items"]!.arrayValue
                .filter { $0["item"] == .string("meter:" + meter["id"]!.stringValue!) }
            #expect(items.count == p.areas.count)
            #expect(items.compactMap { $0["amount"]?.stringValue.flatMap { try? FixedPoint2.parse($0) } }.reduce(0, +) == 54023)
            let expected = SharedMeters.shares(54023, areas: p.areas.map { (id: $0.key, weight: $0.value) })
            for item in items { #expect(item["amount"] == .string(FixedPoint2.format(expected[UUID(uuidString: item["roomId"]!.stringValue!)!]!))) }
            // running backwards is refused (nothing of the batch is kept); a new meter starts from zero
            let (refused, why) = try await record([("2026-11", "14000.00", false), ("2026-12", "100.00", false)])
            #expect(refused == .unprocessableContent && why["error"]?["fields"]?[0]?["code"] == .string("reading_lower"))
            #expect(try await client.json(.get, "/api/v1/compounds/\(p.compound)/meters", token: company).1["items"]?[0]?["lastMonth"] == .string("2026-10"))
            let (changed, c) = try await record([("2026-11", "200.00", true)])
            #expect(changed == .created && c["billed"] == .string("98.00"))
            #expect(try await record([("2026-11", "300.00", false)]).1["error"]?["fields"]?[0]?["code"] == .string("not_after_last"))
            // parking is billed to a room for a month, once
            let room = p.areas.keys.sorted { $0.uuidString < $1.uuidString }[0]
            let (charged, parking) = try await client.json(.post, "/api/v1/rooms/\(room.text)/charges",
                                                           .object(["item": .string("parking"), "month": .string("2026-11"), "amount": .string("300.00")]), token: company)
            #expect(charged == .created && parking["item"] == .string("parking") && parking["amount"] == .string("300.00") && parking["periodEnd"] == .string("2026-11-30"))
            #expect(try await client.json(.post, "/api/v1/rooms/\(room.text)/charges",
                                          .object(["item": .string("parking"), "month": .string("2026-11"), "amount": .string("300.00")]), token: company).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/rooms/\(room.text)/charges",
                                          .object(["item": .string("parking"), "month": .string("2026-12"), "amount": .string("300.00")]), token: owner).0 == .forbidden)
        }
    }
}
