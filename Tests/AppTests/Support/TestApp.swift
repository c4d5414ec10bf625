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

/// A clock that starts at `testNow` and moves one millisecond each time it is read, so events
/// recorded one after another keep their order.
final class TestClock: @unchecked Sendable {
    private var ticks = 0
    private var offset: TimeInterval = 0
    private let lock = NSLock()

    func now() -> Date {
        lock.lock(); defer { lock.unlock() }
        ticks += 1
        return testNow.addingTimeInterval(offset + Double(ticks) / 1000)
    }

    /// Moves the clock forward (deadlines, report-by times).
    func advance(_ seconds: TimeInterval) {
        lock.lock(); defer { lock.unlock() }
        offset += seconds
    }
}

/// The signed-in district admin of the test that is running (its token goes on every request
/// the helpers send, unless a test asks for none).
struct TestSession: Sendable {
    /// The admin's API token (bearer).
    let token: String
    /// The admin's web session (cookie): the two are separate kinds.
    let webToken: String
    let districtId: String
    @TaskLocal static var current: TestSession?
}

/// Builds the production composition root on a fresh, empty database, runs `body` against it
/// through Hummingbird's router test client, and throws the database away.
func withApp<T: Sendable>(_ kind: TestDatabase, demo: DemoScale? = nil, clock: TestClock = TestClock(),
                          configure: @Sendable (inout AppConfig) -> Void = { _ in },
                          _ body: @Sendable (GongzhiApp, any TestClientProtocol) async throws -> T) async throws -> T {
    if case .postgres = kind, !PostgresSlots.held {
        return try await PostgresSlots.withSlot { try await withApp(kind, demo: demo, clock: clock, configure: configure, body) }
    }
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
    var config = AppConfig(storage: storage, publicDirectory: publicDirectory())
    config.bcryptCost = 4
    config.uploadDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-uploads-\(UUID().uuidString)").path
    configure(&config)
    let app = try await GongzhiApp.open(config, logger: logger, clock: { clock.now() })
    do {
        if let demo {
            try await DemoLoader(database: app.database).load(DemoGenerator(scale: demo, seed: 7, today: CivilDate(year: 2026, month: 11, day: 30)),
                                                             now: testNow)
            _ = try await DemoAccounts(app: app).create(now: testNow)
        } else {
            let spec = app.catalog["districts"]!
            _ = try await app.store.create(.system("test", source: "test", now: testNow), spec,
                                           values: ["name": .text("朝阳区"), "code": .text("110105")], on: app.database.db)
            let district = try await app.database.db.sql().raw("SELECT id FROM districts").first()!.decode(column: "id", as: UUID.self)
            try await app.createUser(username: "quguan01", password: DemoAccounts.password(for: "quguan01"), displayName: "区管理员",
                                     role: .districtAdmin, scopeId: district, now: testNow)
        }
        let session = try await app.auth.login(username: "quguan01", password: DemoAccounts.password(for: "quguan01"), address: "127.0.0.1",
                                               kind: .api, now: testNow)
        let web = try await app.auth.login(username: "quguan01", password: DemoAccounts.password(for: "quguan01"), address: "127.0.0.1",
                                           kind: .web, now: testNow)
        let districtId = session.user.grants[0].scopeId.uuidString.lowercased()
        let result = try await TestSession.$current.withValue(TestSession(token: session.token, webToken: web.token, districtId: districtId)) {
            try await app.application().test(.router) { client in try await body(app, client) }
        }
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
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue? = nil, raw: String? = nil,
              token: String? = TestSession.current?.token) async throws -> (HTTPResponse.Status, JSONValue) {
        let buffer: ByteBuffer? = raw.map { ByteBuffer(string: $0) } ?? body.map { ByteBuffer(bytes: $0.encoded()) }
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
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
    func page(_ uri: String, cookies: String? = nil, signedIn: Bool = true) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        headers[.cookie] = withSession(cookies, signedIn)
        return try await execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    /// POSTs a form as a browser.
    func form(_ uri: String, _ fields: [String: String], cookies: String?, signedIn: Bool = true) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        let body = fields.map { "\(formEncode($0.key))=\(formEncode($0.value))" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers[.cookie] = withSession(cookies, signedIn)
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body), $0.headers)
        }
    }
}

/// The cookies to send: the given ones plus the test admin's session.
func withSession(_ cookies: String?, _ signedIn: Bool) -> String? {
    let session = signedIn ? TestSession.current.map { "session=\($0.webToken)" } : nil
    let all = [cookies, session].compactMap { $0 }
    return all.isEmpty ? nil : all.joined(separator: "; ")
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
    let district = TestSession.current!.districtId
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
