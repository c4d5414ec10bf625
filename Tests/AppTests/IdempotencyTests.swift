@testable import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Retries create nothing twice")
struct IdempotencyTests {
    /// POSTs JSON with an Idempotency-Key; status, body text and whether it was a replay.
    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: JSONValue, key: String?, token: String) async throws
        -> (status: HTTPResponse.Status, body: String, replayed: Bool) {
        var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
        if let key { headers[IdempotencyMiddleware.header] = key }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body.encoded())) {
            ($0.status, String(buffer: $0.body), $0.headers[IdempotencyMiddleware.replayed] == "true")
        }
    }

    @Test("a filed request retried with its key answers the first result; another body under the key is 409; a failed try keeps nothing",
          arguments: TestDatabase.all)
    func requests(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, demo: .small, clock: clock) { app, client in
            // given an owner filing from a phone on a bad line
            let owner = try await token(client, "yezhu01")
            let compound = try await compoundId(app, "万兴苑")
            let body: JSONValue = .object(["category": .string("shared_facilities"), "urgency": .string("utilities"), "compoundId": .string(compound),
                                           "description": .string("3号楼电梯停在两层之间")])
            let before = try await count(app, "requests")
            // when the same post is sent three times, twice at once
            let first = try await Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0001", token: owner)
            async let second = Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0001", token: owner)
            async let third = Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0001", token: owner)
            let (b, c) = try await (second, third)
            // then one request exists and every answer is the first
            #expect(first.status == .created && !first.replayed, "\(first.body)")
            for retry in [b, c] {
                #expect(retry.status == .created && retry.replayed)
                #expect(retry.body == first.body)
            }
            #expect(try await count(app, "requests") == before + 1)
            // the same key with another body is refused, and files nothing
            var other = body
            if case .object(var o) = other { o["description"] = .string("另一件事"); other = .object(o) }
            let reused = try await Self.post(client, "/api/v1/requests", other, key: "phone-7f3a-0001", token: owner)
            #expect(reused.status == .conflict && reused.body.contains("idempotency_key_reused"))
            // another caller's identical key is theirs alone
            let resident = try await token(client, "jumin01")
            let theirs = try await Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0001", token: resident)
            #expect(!theirs.replayed)
            // a refused post keeps no record: fixed, it goes through under the same key
            let bad = try await Self.post(client, "/api/v1/requests", .object(["category": .string("shared_facilities")]), key: "phone-7f3a-0002", token: owner)
            #expect(bad.status == .unprocessableContent)
            let fixed = try await Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0002", token: owner)
            #expect(fixed.status == .created && !fixed.replayed)
            // a malformed key is a 400
            #expect(try await Self.post(client, "/api/v1/requests", body, key: "has space", token: owner).status == .badRequest)
            let theirsFiled = theirs.status == .created ? 1 : 0
            #expect(try await count(app, "requests") == before + 2 + theirsFiled)
            #expect(try await count(app, "idempotency_keys") == 2 + theirsFiled)
            // after a day the key is forgotten: the same post files anew
            clock.advance(IdempotencyMiddleware.lifetime + 1)
            let later = try await Self.post(client, "/api/v1/requests", body, key: "phone-7f3a-0001", token: try await token(client, "yezhu01"))
            #expect(later.status == .created && !later.replayed && later.body != first.body)
            #expect(try await count(app, "idempotency_keys") == 1)
        }
    }

    @Test("a ballot and an Open311 report retried with their keys are cast and filed once", arguments: TestDatabase.all)
    func ballotsAndOpen311(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let committee = try await token(client, "yeweihui01"), owner = try await token(client, "yezhu01")
            let ownerId = try await client.json(.get, "/api/v1/auth/me", token: owner).1["roles"]![0]!["scopeId"]!.stringValue!
            let (_, decision) = try await client.json(.post, "/api/v1/compounds/\(compound)/decisions",
                                                      .object(["title": .string("更换消防报警主机"), "matter": .string("use_maintenance_fund"),
                                                               "opensAt": .string("2026-11-30T00:00:00Z"), "closesAt": .string("2026-12-30T00:00:00Z")]),
                                                      token: committee)
            let id = try #require(decision["id"]?.stringValue)
            #expect(try await client.json(.post, "/api/v1/decisions/\(id)/open", token: committee).0 == .ok)
            let ballot: JSONValue = .object(["ownerId": .string(ownerId), "choice": .string("yes"), "channel": .string("online")])
            let cast = try await Self.post(client, "/api/v1/decisions/\(id)/ballots", ballot, key: "ballot-1", token: owner)
            let again = try await Self.post(client, "/api/v1/decisions/\(id)/ballots", ballot, key: "ballot-1", token: owner)
            #expect(cast.status == .created)
            #expect(again.status == .created && again.replayed && again.body == cast.body)
            // without the key a second ballot is the plain conflict it always was
            #expect(try await Self.post(client, "/api/v1/decisions/\(id)/ballots", ballot, key: nil, token: owner).status == .conflict)
            #expect(try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM ballots WHERE decision_id = \(bind: UUID(uuidString: id)!)").first()!
                .decode(column: "n", as: Int.self) == 1)

            // Open311: a form post with a key
            let district = try await app.database.db.sql().raw("SELECT id FROM districts").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let apiKey = try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("app"), "role": .string("district-admin"),
                                                                                   "scopeId": .string(district)])).1["key"]!.stringValue!
            let before = try await count(app, "requests")
            let form = "api_key=\(apiKey)&service_code=greening&description=tree&lat=40.0023&long=116.4100"
            func report() async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: "/open311/v2/requests.json", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", IdempotencyMiddleware.header: "o311-42"],
                                         body: ByteBuffer(string: form)) { ($0.status, String(buffer: $0.body)) }
            }
            let a = try await report(), b = try await report()
            #expect(a.0 == b.0)
            #expect(a.1 == b.1)
            #expect(try await count(app, "requests") == before + (a.0 == .created ? 1 : 0))
        }
    }
}
