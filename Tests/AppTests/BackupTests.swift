@testable import App
import Domain
import Foundation
import Logging
import SQLKit
import Testing

@Suite("Backup and restore")
struct BackupTests {
    static let logger = { var l = Logger(label: "test"); l.logLevel = .warning; return l }()

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-\(name)-\(UUID().uuidString)").path
    }

    /// Whether PostgreSQL's client programs are here (CI installs them with the server).
    static var hasPostgresTools: Bool { (try? BackupService.tool("pg_dump")) != nil && (try? BackupService.tool("pg_restore")) != nil }

    @Test("a backup restores into an empty database with every row and upload; a damaged or misdirected one writes nothing", arguments: TestDatabase.all)
    func roundTrip(db: TestDatabase) async throws {
        if case .postgres = db, !Self.hasPostgresTools { return }
        try await withApp(db, demo: .small) { app, client in
            // given a district with a request, its photo and an audit trail
            let owner = try await token(client, "yezhu01")
            let compound = try await compoundId(app, "万兴苑")
            let (_, filed) = try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("sanitation"), "urgency": .string("general"), "compoundId": .string(compound), "description": .string("垃圾桶破损")]), token: owner)
            let requestId = try #require(filed["id"]?.stringValue)
            try FileManager.default.createDirectory(atPath: app.config.uploadDirectory + "/ab", withIntermediateDirectories: true)
            try Data("照片".utf8).write(to: URL(fileURLWithPath: app.config.uploadDirectory + "/ab/photo.jpg"))
            // when it is backed up
            let folder = Self.temporary("backup")
            let manifest = try await BackupService(config: app.config, logger: Self.logger).backup(to: folder, now: testNow)
            let live = try await BackupService.counts(app.database.db.sql(), postgres: app.database.isPostgres).0
            #expect(manifest.tables == live)
            #expect(manifest.tables["requests"] ?? 0 > 0)
            #expect(manifest.uploads.map(\.path) == ["ab/photo.jpg"])
            #expect(manifest.schemaVersion == AppMigrations.schemaVersion)
            // and restored into a new, empty database and uploads folder
            var target = app.config
            let uploads = Self.temporary("restored-uploads")
            target.uploadDirectory = uploads
            var dropTarget: (@Sendable () async throws -> Void)?
            switch db {
            case .sqlite:
                target.storage = .sqlite(path: Self.temporary("restored") + ".sqlite")
            case .postgres(let adminURL):
                let name = "gz_restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                let admin = try await AppDatabase(storage: .postgres(url: adminURL), logger: Self.logger)
                try await admin.db.sql().raw("CREATE DATABASE \(unsafeRaw: name)").run()
                await admin.shutdown()
                target.storage = .postgres(url: replacingDatabase(in: adminURL, with: name))
                dropTarget = {
                    let admin = try await AppDatabase(storage: .postgres(url: adminURL), logger: Self.logger)
                    try? await admin.db.sql().raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
                    await admin.shutdown()
                }
            }
            let restorer = BackupService(config: target, logger: Self.logger)
            _ = try await restorer.restore(from: folder)
            // then the restored server has every row, the request and the photo
            let restored = try await GongzhiApp.open(target, logger: Self.logger)
            let counts = try await BackupService.counts(restored.database.db.sql(), postgres: restored.database.isPostgres).0
            let description = try await restored.database.db.sql().raw("SELECT description FROM requests WHERE id = \(bind: UUID(uuidString: requestId)!)").first()?
                .decode(column: "description", as: String.self)
            await restored.database.shutdown()
            #expect(counts.filter { $0.key != "site_secrets" } == manifest.tables.filter { $0.key != "site_secrets" })
            #expect(description == "垃圾桶破损")
            #expect(FileManager.default.contents(atPath: uploads + "/ab/photo.jpg") == Data("照片".utf8))
            // a second restore onto it is refused: the database is not empty
            await #expect(throws: BackupService.Failure.self) { try await BackupService(config: target, logger: Self.logger).restore(from: folder) }
            // a damaged backup is refused before anything is written
            var elsewhere = target
            elsewhere.storage = .sqlite(path: Self.temporary("never") + ".sqlite")
            elsewhere.uploadDirectory = Self.temporary("never-uploads")
            let photo = URL(fileURLWithPath: folder + "/uploads/ab/photo.jpg")
            try Data("改过的".utf8).write(to: photo)
            let damaged = await #expect(throws: BackupService.Failure.self) { try await BackupService(config: elsewhere, logger: Self.logger).restore(from: folder) }
            #expect(damaged?.description.contains("ab/photo.jpg") == true)
            #expect(!FileManager.default.fileExists(atPath: elsewhere.uploadDirectory))
            if case .sqlite(let path) = elsewhere.storage { #expect(!FileManager.default.fileExists(atPath: path)) }
            // and a backup never writes into a folder that holds something
            await #expect(throws: BackupService.Failure.self) { try await BackupService(config: app.config, logger: Self.logger).backup(to: folder, now: testNow) }
            try await dropTarget?()
        }
    }
}
