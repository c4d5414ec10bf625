@testable import App
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit
import HummingbirdTesting
import Testing

@Suite("Bad input gets a clear answer and changes nothing")
struct ValidationTests {
    @Test("a body over its route's limit is 413 with the error shape: JSON, Open311, a photo, an attachment; text to a JSON route is 415",
          arguments: TestDatabase.all.prefix(1))
    func bodyLimits(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let token = TestSession.current!.token
            func send(_ uri: String, _ type: String, _ bytes: Int) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.execute(uri: uri, method: .post, headers: [.contentType: type, .authorization: "Bearer \(token)"],
                                         body: ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes)) {
                    ($0.status, (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: $0.body))) ?? .null)
                }
            }
            let requestId = try await app.database.db.sql().raw("SELECT id FROM requests").first()!.decode(column: "id", as: UUID.self).uuidString.lowercased()
            let decisionId = try await app.database.db.sql().raw("SELECT id FROM decisions").first()?.decode(column: "id", as: UUID.self).uuidString.lowercased()
            var cases = [("/api/v1/requests", "application/json", BodyLimits.json), ("/open311/v2/requests.json", "application/x-www-form-urlencoded", BodyLimits.json),
                         ("/api/v1/requests/\(requestId)/photos", "image/jpeg", BodyLimits.photo)]
            if let decisionId { cases.append(("/api/v1/decisions/\(decisionId)/attachments?name=plan.pdf", "application/pdf", BodyLimits.attachment)) }
            for (uri, type, limit) in cases {
                let (status, body) = try await send(uri, type, limit + 1)
                #expect(status == .contentTooLarge, "\(uri)")
                // Open311 answers in its own error shape
                #expect(uri.hasPrefix("/open311") ? body[0]?["code"] == .int(413) : body["error"]?["code"] == .string("http_413"), "\(uri)")
            }
            #expect(try await send("/api/v1/requests", "text/plain", 10).0 == .unsupportedMediaType)
        }
    }

    @Test("a field's text is trimmed exactly as Foundation's trimmingCharacters(in: .whitespacesAndNewlines) trims it")
    func trimming() {
        // Every scalar Foundation counts as white space or a newline, and some it does not (zero-width space, BOM, NBSP-like letters).
        let spaces: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        let others: [UInt32] = [0x200B, 0xFEFF, 0x41, 0x697C, 0x1F600, 0x301, 0x08, 0x1F]
        var samples = ["", " ", "楼道堆物", "  楼道 堆物  ", "\t\n 楼道\r\n", "a", " a", "a ", "\u{3000}全角空格\u{3000}"]
        for a in spaces + others {
            for b in spaces + others {
                let s = String(Character(Unicode.Scalar(a)!)), t = String(Character(Unicode.Scalar(b)!))
                samples += [s + "楼" + t, s + t, s + "x y" + s + t, "\u{301}" + s]
            }
        }
        for text in samples {
            #expect(FieldReader.trimmed(text).unicodeScalars.map(\.value) == text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.map(\.value),
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("malformed JSON is 400", arguments: TestDatabase.all)
    func malformed(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let (status, body) = try await client.json(.post, "/api/v1/districts", raw: "{\"name\": ")
            #expect(status == .badRequest)
            #expect(body["error"]?["code"] == .string("bad_request"))
            let (notObject, _) = try await client.json(.post, "/api/v1/districts", raw: "[1,2]")
            #expect(notObject == .badRequest)
            #expect(try await count(app, "districts") == 1)
        }
    }

    @Test("every invalid field is reported at once", arguments: TestDatabase.all)
    func allFieldsAtOnce(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let (status, body) = try await client.json(.post, "/api/v1/buildings", .object([
                "compoundId": .string(h.compound), "number": .int(1), "floors": .string("six"), "hasLift": .string("yes"), "colour": .string("red"),
            ]))
            #expect(status == .unprocessableContent)
            let fields = Set(body["error"]!["fields"]!.arrayValue.compactMap { $0["field"]?.stringValue })
            #expect(fields == ["number", "floors", "hasLift", "colour"])
            #expect(try await count(app, "buildings") == 0)
        }
    }

    @Test("areas must be positive with at most two decimals", arguments: TestDatabase.all)
    func areas(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let building = try await client.create("buildings", ["compoundId": .string(h.compound), "number": .string("1"), "floors": .int(6), "hasLift": .bool(false)])
            let entrance = try await client.create("entrances", ["buildingId": .string(building), "number": .string("1")])
            for (area, code) in [("-1", "out_of_range"), ("12.345", "too_many_decimals"), ("0", "out_of_range"), ("1e3", "invalid_format"), ("", "invalid_format")] {
                let (status, body) = try await client.json(.post, "/api/v1/rooms", .object([
                    "entranceId": .string(entrance), "number": .string("101"), "floor": .int(1), "use": .string("residential"), "area": .string(area),
                ]))
                #expect(status == .unprocessableContent, "area \(area)")
                #expect(body["error"]?["fields"]?[0]?["code"] == .string(code), "area \(area)")
            }
            let (numeric, _) = try await client.json(.post, "/api/v1/rooms", .object([
                "entranceId": .string(entrance), "number": .string("101"), "floor": .int(1), "use": .string("residential"), "area": .double(89.5),
            ]))
            #expect(numeric == .unprocessableContent)
            #expect(try await count(app, "rooms") == 0)
        }
    }

    @Test("a credit code with a wrong check character is refused", arguments: TestDatabase.all)
    func creditCode(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let good = validCreditCode()
            let wrongCheck = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
            let (status, body) = try await client.json(.post, "/api/v1/companies", .object([
                "districtId": .string(h.district), "name": .string("某物业公司"), "creditCode": .string(wrongCheck),
                "stateOwned": .bool(false), "associationMember": .bool(false),
            ]))
            #expect(status == .unprocessableContent)
            #expect(body["error"]?["fields"]?[0]?["field"] == .string("creditCode"))
            #expect(body["error"]?["fields"]?[0]?["code"] == .string("check_character"))
            #expect(try await count(app, "companies") == 0)
        }
    }

    @Test("unknown ids: 404 for the item, 422 for a reference, 400 for a bad filter", arguments: TestDatabase.all)
    func unknownIds(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let missing = UUID().uuidString.lowercased()
            let (notFound, body) = try await client.json(.get, "/api/v1/compounds/\(missing)")
            #expect(notFound == .notFound)
            #expect(body["error"]?["code"] == .string("not_found"))
            let (notUUID, _) = try await client.json(.get, "/api/v1/compounds/not-a-uuid")
            #expect(notUUID == .notFound)
            let (badRef, refBody) = try await client.json(.post, "/api/v1/streets", .object([
                "districtId": .string(missing), "name": .string("大屯街道"), "kind": .string("subdistrict"),
            ]))
            #expect(badRef == .unprocessableContent)
            #expect(refBody["error"]?["fields"]?[0]?["code"] == .string("unknown_reference"))
            let (badFilter, _) = try await client.json(.get, "/api/v1/streets?districtID=\(missing)")
            #expect(badFilter == .badRequest)
            let (badLimit, _) = try await client.json(.get, "/api/v1/streets?limit=501")
            #expect(badLimit == .badRequest)
            let (noRoute, routeBody) = try await client.json(.get, "/api/v1/nothing-here")
            #expect(noRoute == .notFound)
            #expect(routeBody["error"]?["code"] == .string("not_found"))
            #expect(try await count(app, "streets") == 0)
        }
    }

    @Test("a duplicate name in the same parent is a conflict", arguments: TestDatabase.all)
    func duplicate(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let (status, body) = try await client.json(.post, "/api/v1/communities", .object(["streetId": .string(h.street), "name": .string("欧陆经典社区")]))
            #expect(status == .conflict)
            #expect(body["error"]?["code"] == .string("constraint_violation"))
            #expect(try await count(app, "communities") == 1)
        }
    }

    @Test("date order and either-or fields are checked together", arguments: TestDatabase.all)
    func crossField(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            let (status, body) = try await client.json(.post, "/api/v1/committees", .object([
                "compoundId": .string(h.compound), "kind": .string("owners_committee"), "termStart": .string("2026-01-01"), "termEnd": .string("2025-12-31"),
            ]))
            #expect(status == .unprocessableContent)
            #expect(body["error"]?["fields"]?[0]?["code"] == .string("before_start"))
            let (bad, _) = try await client.json(.post, "/api/v1/committees", .object([
                "compoundId": .string(h.compound), "kind": .string("owners_committee"), "termStart": .string("2026-02-30"),
            ]))
            #expect(bad == .unprocessableContent)
        }
    }
}
