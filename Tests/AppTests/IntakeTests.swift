@testable import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Hotline orders, receptions, Open311 and photos")
struct IntakeTests {
    @Test("12345 orders: matched by address, filed once, unmatched ones wait in the street's queue until assigned", arguments: TestDatabase.all)
    func hotline(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given a district with an integration key and a street's staff
            let h = try await makeHierarchy(client)
            let (made, key) = try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("12345对接"), "role": .string("district-admin"),
                                                                                        "scopeId": .string(h.district)]))
            #expect(made == .created)
            let apiKey = key["key"]!.stringValue!
            try await app.createUser(username: "jiedao01", password: DemoAccounts.password(for: "jiedao01"), displayName: "街道", role: .streetStaff,
                                     scopeId: UUID(uuidString: h.street)!, now: testNow)
            let street = try await token(client, "jiedao01")
            let csv = """
                工单编号,受理时间,诉求内容,地址,类别,电话
                BJ12345-0001,2026-11-30 08:15:00,楼道灯不亮,朝阳区大屯路1号万兴苑5号楼,共用设施,13900001111
                BJ12345-0002,2026-11-30 08:20:00,"小区门口占道经营,噪音扰民",朝阳区大屯街道某某路甲2号,公共秩序,
                """

            // when the key posts the file
            func post(_ body: String) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.execute(uri: "/api/v1/hotline-orders", method: .post, headers: [.contentType: "text/csv", .authorization: "Bearer \(apiKey)"],
                                         body: ByteBuffer(string: body)) { r in
                    (r.status, (try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: r.body).utf8))) ?? .null)
                }
            }
            let (status, summary) = try await post(csv)

            // then one becomes a hotline request at its order time, one waits for the street
            #expect(status == .created, "\(summary)")
            #expect(summary["imported"] == .int(1))
            #expect(summary["unmatched"] == .array([.string("BJ12345-0002")]))
            let requests = try await client.json(.get, "/api/v1/requests?channel=hotline").1["items"]!.arrayValue
            #expect(requests.count == 1)
            #expect(requests.first?["hotlineOrderNo"] == .string("BJ12345-0001"))
            #expect(requests.first?["category"] == .string("shared_facilities"))
            #expect(requests.first?["receivedAt"] == .string("2026-11-30T00:15:00Z"))
            #expect(requests.first?["number"] == .string("GZ20261130-000001"))

            // the same file again adds nothing
            let (again, repeated) = try await post(csv)
            #expect(again == .ok)
            #expect(repeated["duplicates"]?.arrayValue.count == 2)
            #expect(try await count(app, "requests") == 1)

            // a bad file is refused whole, listing every bad row
            let (bad, why) = try await post("order_no,received_at,content,address\nX1,yesterday,,somewhere\nX2,2026-11-30 09:00,漏水,万兴苑\n")
            #expect(bad == .unprocessableContent)
            #expect(why["error"]?["fields"]?.arrayValue.count == 2)
            #expect(try await count(app, "hotline_orders") == 2)

            // the street sees its queue and assigns the order; assigning twice is a conflict
            let queue = try await client.json(.get, "/api/v1/hotline-orders", token: street).1["items"]!.arrayValue
            #expect(queue.count == 1)
            let order = queue[0]["id"]!.stringValue!
            let (assigned, made2) = try await client.json(.post, "/api/v1/hotline-orders/\(order)/assign", .object(["compoundId": .string(h.compound)]), token: street)
            #expect(assigned == .created, "\(made2)")
            #expect(try await client.json(.post, "/api/v1/hotline-orders/\(order)/assign", .object(["compoundId": .string(h.compound)]), token: street).0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/hotline-orders", token: street).1["items"]?.arrayValue.count == 0)
            #expect(try await count(app, "requests") == 2)

            // the command line imports JSON the same way, once
            let json = Data(#"[{"order_no":"BJ12345-0003","received_at":"2026-11-30T02:00:00Z","content":"停水","address":"万兴苑2号楼","category":"供水"}]"#.utf8)
            #expect(try await app.importHotline(json, json: true, districtCode: nil, now: testNow).imported.count == 1)
            #expect(try await app.importHotline(json, json: true, districtCode: nil, now: testNow).duplicates == ["BJ12345-0003"])
            let utilities = try await app.database.db.sql().raw("SELECT urgency FROM requests WHERE hotline_order_no = 'BJ12345-0003'").first()!.decode(column: "urgency", as: String.self)
            #expect(utilities == "utilities")
        }
    }

    @Test("a reception day files all the requests raised there in one go, or none", arguments: TestDatabase.all)
    func reception(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            try await app.createUser(username: "shequ01", password: DemoAccounts.password(for: "shequ01"), displayName: "社区", role: .communityStaff,
                                     scopeId: UUID(uuidString: h.community)!, now: testNow)
            let community = try await token(client, "shequ01")
            func body(_ second: String) -> JSONValue {
                .object(["communityId": .string(h.community), "kind": .string("reception_day"), "heldOn": .string("2026-11-28"), "place": .string("社区党群服务中心"),
                         "attendees": .array([.string("社区书记"), .string("物业经理"), .string("业委会主任")]),
                         "requests": .array([
                            .object(["compoundId": .string(h.compound), "category": .string("greening"), "description": .string("树枝挡窗"), "reporterName": .string("李先生")]),
                            .object(["compoundId": .string(h.compound), "category": .string(second), "description": .string("停车难"), "reporterPhone": .string("13700000000")]),
                         ])])
            }
            // a bad second row: nothing is filed
            let (bad, why) = try await client.json(.post, "/api/v1/receptions", body("parking"), token: community)
            #expect(bad == .unprocessableContent)
            #expect(why["error"]?["fields"]?[0]?["field"] == .string("requests[1].category"))
            #expect(try await count(app, "requests") == 0)
            #expect(try await count(app, "receptions") == 0)
            // a good one files both on the reception channel
            let (ok, made) = try await client.json(.post, "/api/v1/receptions", body("public_order"), token: community)
            #expect(ok == .created, "\(made)")
            #expect(made["requestIds"]?.arrayValue.count == 2)
            let channels = try await app.database.db.sql().raw("SELECT channel, reception_id FROM requests").all().map { try $0.decode(column: "channel", as: String.self) }
            #expect(channels == ["reception", "reception"])
            #expect(try await client.json(.get, "/api/v1/receptions", token: community).1["items"]?[0]?["requests"] == .int(2))
            // the district admin may record one too
            #expect(try await client.json(.post, "/api/v1/receptions", body("public_order"), token: try await token(client, "quguan01")).0 == .created)
        }
    }

    @Test("Open311 GeoReport v2: discovery, services, POST with an api_key, GET in JSON and XML", arguments: TestDatabase.all)
    func open311(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given a compound with a location and an integration key
            let h = try await makeHierarchy(client)
            _ = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["latitude": .double(40.0021), "longitude": .double(116.4102)]))
            let apiKey = try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("app"), "role": .string("district-admin"),
                                                                                   "scopeId": .string(h.district)])).1["key"]!.stringValue!
            func get(_ uri: String) async throws -> (HTTPResponse.Status, String, HTTPFields) { try await client.page(uri, signedIn: false) }
            func post(_ uri: String, _ form: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            func parse(_ s: String) -> JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(s.utf8))) ?? .null }

            // discovery and services
            let (ds, discovery, _) = try await get("/open311/v2/discovery.json")
            #expect(ds == .ok)
            #expect(parse(discovery)["endpoints"]?[0]?["specification"] == .string("http://wiki.open311.org/GeoReport_v2"))
            let (_, services, sh) = try await get("/open311/v2/services.xml")
            #expect(sh[.contentType]?.hasPrefix("text/xml") == true)
            #expect(services.contains("<services><service>"))
            #expect(services.contains("<service_code>public_order</service_code>"))
            #expect(parse(try await get("/open311/v2/services.json").1).arrayValue.count == RequestCategory.allCases.count)
            #expect(parse(try await get("/open311/v2/services/greening.json").1)["service_code"] == .string("greening"))
            #expect(try await get("/open311/v2/services/parking.json").0 == .notFound)

            // POST: without a key, refused in the spec's error format
            let (denied, deniedBody) = try await post("/open311/v2/requests.json", "service_code=greening&description=x&address_string=万兴苑")
            #expect(denied == .forbidden)
            #expect(parse(deniedBody)[0]?["code"] == .int(403))
            // by address, then by location
            let enc = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let (made, madeBody) = try await post("/open311/v2/requests.json",
                "api_key=\(apiKey)&service_code=sanitation&description=\(enc("垃圾桶破损"))&address_string=\(enc("大屯路1号万兴苑"))&first_name=\(enc("敏"))&last_name=\(enc("张"))&phone=13600000000")
            #expect(made == .created, "\(madeBody)")
            let number = parse(madeBody)[0]?["service_request_id"]?.stringValue ?? ""
            #expect(number.hasPrefix("GZ20261130-"))
            let (byPoint, pointBody) = try await post("/open311/v2/requests.xml", "api_key=\(apiKey)&service_code=greening&description=tree&lat=40.0023&long=116.4100")
            #expect(byPoint == .created)
            #expect(pointBody.contains("<service_request_id>GZ20261130-000002</service_request_id>"))
            let (nowhere, nowhereBody) = try await post("/open311/v2/requests.json", "api_key=\(apiKey)&service_code=greening&description=tree&lat=39.5&long=116.0")
            #expect(nowhere == .badRequest)
            #expect(parse(nowhereBody)[0]?["code"] == .int(400))

            // GET one and the list, with filters
            let one = parse(try await get("/open311/v2/requests/\(number).json").1)[0]!
            #expect(one["status"] == .string("open"))
            #expect(one["service_code"] == .string("sanitation"))
            #expect(one["agency_responsible"] == .string("欧陆经典社区"))
            #expect(one["expected_datetime"]?.stringValue?.hasSuffix("+08:00") == true)
            #expect(one["lat"] == .double(40.0021))
            let (_, xml, _) = try await get("/open311/v2/requests.xml?status=open&service_code=greening")
            #expect(xml.contains("<service_requests><request>"))
            #expect(xml.contains("<service_request_id>GZ20261130-000002</service_request_id>"))
            #expect(!xml.contains(number))
            #expect(parse(try await get("/open311/v2/requests.json?status=closed").1).arrayValue.isEmpty)
            #expect(try await get("/open311/v2/requests/GZ00000000-000000.json").0 == .notFound)
            #expect(try await count(app, "requests") == 2)
        }
    }

    @Test("photos: JPEG or PNG checked by content, stored under the upload folder, shown only to those who see the request", arguments: TestDatabase.all)
    func photos(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let owner = try await token(client, "yezhu01"), resident = try await token(client, "jumin01")
            let id = try await client.json(.post, "/api/v1/requests", .object(["category": .string("sanitation"), "compoundId": .string(try await compoundId(app, "万兴苑")),
                                                                              "description": .string("楼道堆物")]), token: owner).1["id"]!.stringValue!
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
            func upload(_ bytes: [UInt8], _ type: String, _ token: String) async throws -> (HTTPResponse.Status, JSONValue) {
                try await client.execute(uri: "/api/v1/requests/\(id)/photos", method: .post, headers: [.contentType: type, .authorization: "Bearer \(token)"],
                                         body: ByteBuffer(bytes: bytes)) { r in (r.status, (try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: r.body).utf8))) ?? .null) }
            }
            #expect(try await upload(png, "image/jpeg", owner).0 == .unprocessableContent)   // says JPEG, is PNG
            #expect(try await upload(Array("<?php".utf8), "image/png", owner).0 == .unprocessableContent)
            #expect(try await upload(png, "image/png", resident).0 == .notFound)
            let (stored, photo) = try await upload(png, "image/png", owner)
            #expect(stored == .created)
            let url = photo["url"]!.stringValue!
            let (status, body, headers) = try await client.execute(uri: url, method: .get, headers: [.authorization: "Bearer \(owner)"]) { ($0.status, $0.body, $0.headers) }
            #expect(status == .ok)
            #expect(Array(body.readableBytesView) == png)
            #expect(headers[.contentType] == "image/png")
            #expect(headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(try await client.execute(uri: url, method: .get, headers: [.authorization: "Bearer \(resident)"]) { $0.status } == .notFound)
            let detail = try await client.json(.get, "/api/v1/requests/\(id)", token: owner).1
            #expect(detail["photos"]?.arrayValue == [.string(url)])
        }
    }
}
