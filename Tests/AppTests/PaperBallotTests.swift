@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Paper ballots no one can forge")
struct PaperBallotTests {
    @Test("only the number issued to that voter, once; a second organiser confirms; the owner sees and disputes; keys never act for a person",
          arguments: TestDatabase.all)
    func forgeries(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // given an open decision in the owner's compound
            let sql = app.database.db.sql()
            let compound = try await sql.raw("SELECT id FROM compounds WHERE name = '万兴苑'").first()!.decode(column: "id", as: UUID.self).text
            let committee = try await token(client, "yeweihui01"), street = try await token(client, "jiedao01"), owner = try await token(client, "yezhu01")
            let admin = try await token(client, "quguan01")
            let ownerId = try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!
            func open(_ title: String) async throws -> String {
                let body: JSONValue = .object(["title": .string(title), "matter": .string("use_maintenance_fund"),
                                               "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")])
                let id = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions", body, token: committee).1["id"]!.stringValue!
                #expect(try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee).0 == .ok)
                return id
            }
            let id = try await open("更换消防主机")
            let register = try await client.json(.get, "/api/v1/decisions/\(id)/paper-ballots", token: committee).1["items"]!.arrayValue
            let voters = try await sql.raw("SELECT COUNT(*) AS n FROM decision_voters WHERE decision_id = \(bind: UUID(uuidString: id)!)").first()!.decode(column: "n", as: Int.self)
            #expect(register.count == voters)
            #expect(Set(register.compactMap { $0["number"]?.stringValue }).count == voters)
            let mine = try #require(try await issuedNumber(app, decision: id, owner: ownerId))
            let someoneElses = try #require(register.compactMap { $0["number"]?.stringValue }.first { $0 != mine })
            func record(_ number: String, as token: String) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.json(.post, "/api/v1/decisions/\(id)/paper-ballots",
                                      .object(["number": .string(number), "ownerId": .string(ownerId), "choice": .string("no")]), token: token)
            }

            // when the committee tries invented, borrowed and the owner's own numbers
            let invented = try await record("12345678", as: committee)
            let borrowed = try await record(someoneElses, as: committee)
            let (recorded, entry) = try await record(mine, as: committee)
            let again = try await record(mine, as: committee)

            // then only the issued number is taken, once, and nothing counts yet
            #expect(invented.0 == .conflict && invented.1["error"]?["code"] == .string("unknown_number"))
            #expect(borrowed.0 == .conflict && borrowed.1["error"]?["code"] == .string("not_this_voters_number"))
            #expect(recorded == .created && entry["status"] == .string("recorded"))
            #expect(again.0 == .conflict && again.1["error"]?["code"] == .string("number_used"))
            #expect(try await client.json(.get, "/api/v1/decisions/\(id)/result", token: committee).1["persons"]?["participating"] == .int(0))
            // the recorder cannot confirm their own entry; owners cannot record or confirm
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/paper-ballots/\(mine)/confirm", token: committee).0 == .forbidden)
            #expect(try await record(mine, as: owner).0 == .forbidden)
            // the owner sees it, with who recorded it and when, and only their own
            let seen = try await client.json(.get, "/api/v1/decisions/\(id)/paper-ballots", token: owner).1["items"]!.arrayValue
            #expect(seen.count == 1 && seen[0]["number"] == .string(mine) && seen[0]["status"] == .string("recorded"))
            #expect(seen[0]["recordedBy"] == .string("yeweihui01"))
            // and disputes it; it can no longer be confirmed, and the owner still votes themself
            let (disputed, d) = try await client.json(.post, "/api/v1/decisions/\(id)/paper-ballots/\(mine)/dispute",
                                                      .object(["reason": .string("我没有填过这张票")]), token: owner)
            #expect(disputed == .ok && d["status"] == .string("disputed"))
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/paper-ballots/\(mine)/confirm", token: street).0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/ballots",
                                          .object(["ownerId": .string(ownerId), "choice": .string("yes"), "channel": .string("online")]), token: owner).0 == .created)

            // a confirmed paper ballot counts, and once disputed it is set aside and listed
            let second = try await open("更换电梯")
            let (r2, c2) = try await paperBallot(app, client, decision: second, owner: ownerId, ["choice": .string("no")], recorder: committee, confirmer: street)
            #expect(r2 == .created && c2 == .ok)
            let counted = try await client.json(.get, "/api/v1/decisions/\(second)/result", token: owner).1
            #expect(counted["persons"]?["participating"] == .int(1) && counted["persons"]?["no"] == .null)
            let number2 = try #require(try await issuedNumber(app, decision: second, owner: ownerId))
            #expect(try await client.json(.post, "/api/v1/decisions/\(second)/paper-ballots/\(number2)/dispute", token: owner).0 == .ok)
            let after = try await client.json(.get, "/api/v1/decisions/\(second)/result", token: owner).1
            #expect(after["persons"]?["participating"] == .int(0))
            #expect(after["setAside"]?[0]?["number"] == .string(number2))
            // the chain still verifies: nothing was rewritten
            #expect(try await client.json(.get, "/api/v1/decisions/\(second)/verify", token: owner).1["valid"] == .bool(true))

            // an admin cannot make a key that acts as an owner
            let (refused, why) = try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("vote-bot"), "role": .string("owner"),
                                                                                          "scopeId": .string(ownerId)]), token: admin)
            #expect(refused == .unprocessableContent && why["error"]?["fields"]?[0]?["code"] == .string("person_role"))
        }
    }
}
