@testable import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Metrics and logs")
struct OperationsTests {
    @Test("/metrics counts requests by route and status with latency buckets, requests filed, and reads overdue and open requests per district",
          arguments: TestDatabase.all)
    func metrics(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // given some traffic: a filed request, a 404 and a list
            let owner = try await token(client, "yezhu01")
            let compound = try await compoundId(app, "万兴苑")
            #expect(try await client.json(.post, "/api/v1/requests", .object(["category": .string("greening"), "urgency": .string("general"),
                                                                              "compoundId": .string(compound), "description": .string("树枝折断")]), token: owner).0 == .created)
            _ = try await client.json(.get, "/api/v1/requests?limit=5")
            _ = try await client.json(.get, "/api/v1/streets/00000000-0000-0000-0000-000000000000")
            // when Prometheus scrapes
            let (status, text, headers) = try await client.page("/metrics", signedIn: false)
            // then
            #expect(status == .ok)
            #expect(headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(text.contains(#"hb_requests{http_route="/api/v1/requests",http_request_method="POST",http_response_status_code="201"}"#))
            #expect(text.contains(#"http_response_status_code="404""#))
            #expect(text.contains("http_server_request_duration_bucket{"))
            #expect(text.contains(#"le="0.005""#))
            #expect(text.contains(#"gongzhi_requests_filed_total{channel="mobile"}"#))
            let overdue = try #require(text.split(separator: "\n").first { $0.hasPrefix(#"gongzhi_requests_overdue{district="110105"}"#) })
            let expected = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM requests r WHERE \(RequestService.overdue(now: testNow))").first()!
                .decode(column: "n", as: Int.self)
            #expect(overdue.split(separator: " ").last.flatMap { Double($0) } == Double(expected))
            #expect(text.contains(#"gongzhi_database_up{engine="\#(app.database.isPostgres ? "postgresql" : "sqlite")"} 1"#))
            if app.database.isPostgres { #expect(text.contains(#"gongzhi_database_connections{state="active"}"#)) }
        }
    }

    @Test("with a key configured, /metrics answers only to it")
    func metricsKey() async throws {
        try await withApp(.sqlite, configure: { $0.metricsKey = "scrape-secret" }) { _, client in
            #expect(try await client.page("/metrics", signedIn: false).0 == .unauthorized)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer nope"]) { $0.status }
            #expect(wrong == .unauthorized)
            let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"]) { ($0.status, String(buffer: $0.body)) }
            #expect(right.0 == .ok && right.1.contains("gongzhi_database_up"))
        }
    }

    @Test("LOG_FORMAT=json lines are one JSON object with escaped text and the metadata's keys")
    func jsonLogs() throws {
        #expect(JSONLogHandler.quote("a\"b\\c\nd\u{0}e\u{2028}") == #""a\"b\\c\nd\u0000e\u2028""#)
        let value = JSONLogHandler.value(.dictionary(["route": .string("/api/v1/requests"), "status": .stringConvertible(201), "tags": .array([.string("x")])]))
        #expect(value == #"{"route":"/api/v1/requests","status":"201","tags":["x"]}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any]
        #expect(parsed?["route"] as? String == "/api/v1/requests")
        #expect(try AppConfig.resolve(hostname: nil, port: nil, databaseURL: nil, sqlitePath: nil, environment: ["LOG_FORMAT": "json"]).jsonLogs)
        #expect(throws: AppConfig.Problems.self) { try AppConfig.resolve(hostname: nil, port: nil, databaseURL: nil, sqlitePath: nil, environment: ["LOG_FORMAT": "xml"]) }
    }
}
