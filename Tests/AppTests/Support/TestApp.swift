@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

/// The databases every integration test runs on: SQLite always, PostgreSQL when
/// `GONGZHI_TEST_POSTGRES_URL` names a server where the user may create databases.
enum TestDatabase: CustomStringConvertible, Sendable {
    case sqlite
    case postgres(adminURL: String)

    static var all: [TestDatabase] {
        var out: [TestDatabase] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["GONGZHI_TEST_POSTGRES_URL"], !url.isEmpty { out.append(.postgres(adminURL: url)) }
        return out
    }

    var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}

/// A fixed clock for tests: 2026-11-30 10:00 in Beijing.
let testNow = Date(timeIntervalSince1970: 1_796_004_000)

/// Builds the production composition root on a fresh, empty database, runs `body` against it
/// through Hummingbird's router test client, and throws the database away.
func withApp<T: Sendable>(_ kind: TestDatabase, demo: DemoScale? = nil,
                          _ body: @Sendable (GongzhiApp, any TestClientProtocol) async throws -> T) async throws -> T {
    let logger = { var l = Logger(label: "test"); l.logLevel = .warning; return l }()
    let storage: AppConfig.Storage
    var cleanup: @Sendable () async throws -> Void = {}
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        storage = .sqlite(path: dir.appendingPathComponent("test.sqlite").path)
        cleanup = { try? FileManager.default.removeItem(at: dir) }
    case .postgres(let adminURL):
        let name = "gz_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try await AppDatabase(storage: .postgres(url: adminURL), logger: logger)
        try await admin.db.sql().raw("CREATE DATABASE \(unsafeRaw: name)").run()
        await admin.shutdown()
        storage = .postgres(url: replacingDatabase(in: adminURL, with: name))
        cleanup = {
            let admin = try await AppDatabase(storage: .postgres(url: adminURL), logger: logger)
            try? await admin.db.sql().raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
            await admin.shutdown()
        }
    }
    let config = AppConfig(storage: storage, publicDirectory: publicDirectory())
    let app = try await GongzhiApp.open(config, logger: logger, clock: { testNow })
    do {
        if let demo {
            try await DemoLoader(database: app.database).load(DemoGenerator(scale: demo, seed: 7, today: CivilDate(year: 2026, month: 11, day: 30)),
                                                             now: testNow)
        }
        let result = try await app.application().test(.router) { client in try await body(app, client) }
        await app.database.shutdown()
        try await cleanup()
        return result
    } catch {
        await app.database.shutdown()
        try await cleanup()
        throw error
    }
}

/// The same URL with another database name.
func replacingDatabase(in url: String, with name: String) -> String {
    guard var components = URLComponents(string: url) else { return url }
    components.path = "/" + name
    return components.string ?? url
}

/// The repository's `Public/` folder, found from this source file.
func publicDirectory() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Public").path
}

// MARK: - Request helpers

extension TestClientProtocol {
    /// Sends JSON and returns the status and the parsed JSON answer.
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue? = nil, raw: String? = nil) async throws -> (HTTPResponse.Status, JSONValue) {
        let buffer: ByteBuffer? = raw.map { ByteBuffer(string: $0) } ?? body.map { ByteBuffer(bytes: $0.encoded()) }
        return try await execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: buffer) { response in
            let text = String(buffer: response.body)
            let value = text.isEmpty ? JSONValue.null : (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
            return (response.status, value)
        }
    }

    /// Creates a row through the API and returns its id, failing the test when it is refused.
    func create(_ resource: String, _ fields: [String: JSONValue]) async throws -> String {
        let (status, body) = try await json(.post, "/api/v1/\(resource)", .object(fields))
        #expect(status == .created, "creating \(resource): \(body)")
        return body["id"]?.stringValue ?? ""
    }

    /// GET as a browser: returns status, body text and headers.
    func page(_ uri: String, cookies: String? = nil) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let cookies { headers[.cookie] = cookies }
        return try await execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    /// POSTs a form as a browser.
    func form(_ uri: String, _ fields: [String: String], cookies: String?) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        let body = fields.map { "\(formEncode($0.key))=\(formEncode($0.value))" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookies { headers[.cookie] = cookies }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body), $0.headers)
        }
    }
}

func formEncode(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    subscript(_ index: Int) -> JSONValue? {
        if case .array(let a) = self, index < a.count { return a[index] }
        return nil
    }

    var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    var intValue: Int64? { if case .int(let i) = self { return i }; return nil }
    var arrayValue: [JSONValue] { if case .array(let a) = self { return a }; return [] }
}

/// Counts rows of a table straight from the database.
func count(_ app: GongzhiApp, _ table: String) async throws -> Int {
    let row = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
    return try row?.decode(column: "n", as: Int.self) ?? -1
}

/// A small valid hierarchy: district → street → community → compound, returning their ids.
func makeHierarchy(_ client: any TestClientProtocol) async throws -> (district: String, street: String, community: String, compound: String) {
    let district = try await client.create("districts", ["name": .string("朝阳区"), "code": .string("110105")])
    let street = try await client.create("streets", ["districtId": .string(district), "name": .string("大屯街道"), "kind": .string("subdistrict")])
    let community = try await client.create("communities", ["streetId": .string(street), "name": .string("欧陆经典社区")])
    let compound = try await client.create("compounds", [
        "communityId": .string(community), "name": .string("万兴苑"), "address": .string("北京市朝阳区大屯路1号"),
        "housingKind": .string("commodity"), "yearBuilt": .int(2001), "managementMode": .string("professional"),
    ])
    return (district, street, community, compound)
}

/// A valid unified social credit code for tests.
func validCreditCode(_ body: String = "91110105MA01ABCD1") -> String {
    body + String(CreditCode.checkCharacter(for: body)!)
}
