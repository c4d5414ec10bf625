import Crypto
import Domain
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit

/// `gongzhi backup` and `gongzhi restore`: a folder with a consistent copy of the database taken
/// while the server keeps writing, the uploaded files, and a manifest (`BackupManifest`) of row
/// counts and checksums that a restore verifies before and after.
///
/// - SQLite: `VACUUM INTO` copies one read snapshot; writers go on meanwhile (WAL). A plain `cp`
///   of the file misses what is still in the WAL, and `.backup` restarts under constant writes.
/// - PostgreSQL: a repeatable-read transaction exports its snapshot, counts the tables in it, and
///   `pg_dump --snapshot` archives exactly that snapshot.
///
/// Uploads are copied after the snapshot; files are written before the rows that name them and
/// never deleted, so every file the copied rows name is in the folder.
public struct BackupService: Sendable {
    let storage: AppConfig.Storage
    let uploadDirectory: String
    let logger: Logger

    public init(config: AppConfig, logger: Logger) {
        storage = config.storage
        uploadDirectory = config.uploadDirectory
        self.logger = logger
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let sqliteFile = "gongzhi.sqlite"
    static let postgresFile = "gongzhi.pgdump"
    static let uploadsFolder = "uploads"

    // MARK: - Backup

    /// Writes a backup into `folder` (which must not exist or be empty) and returns its manifest.
    public func backup(to folder: String, now: Date) async throws -> BackupManifest {
        let out = URL(fileURLWithPath: folder).standardizedFileURL
        try Self.prepareEmptyFolder(out)
        let database: BackupManifest.File
        let tables: [String: Int64]
        let schema: Int
        let engine: String
        switch storage {
        case .sqlite(let path):
            engine = "sqlite"
            let copy = out.appendingPathComponent(Self.sqliteFile)
            let source = try await AppDatabase(storage: .sqlite(path: path), logger: logger)
            do {
                try await source.db.sql().raw("VACUUM INTO \(bind: copy.path)").run()
                await source.shutdown()
            } catch {
                await source.shutdown()
                throw error
            }
            (tables, schema) = try await Self.counts(.sqlite(path: copy.path), logger: logger)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) }
            database = try Self.describe(copy, as: Self.sqliteFile)
        case .postgres(let url):
            engine = "postgres"
            let archive = out.appendingPathComponent(Self.postgresFile)
            let pgDump = try Self.tool("pg_dump")
            let source = try await AppDatabase(storage: .postgres(url: url), logger: logger, timeoutSeconds: 30)
            do {
                (tables, schema) = try await source.db.transaction { tx in
                    let sql = tx.sql()
                    try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                    let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS s").first()!.decode(column: "s", as: String.self)
                    let counted = try await Self.counts(sql, postgres: true)
                    try await Self.run(pgDump, ["--format=custom", "--no-owner", "--snapshot=\(snapshot)", "--file=\(archive.path)", "--dbname=\(url)"])
                    return counted
                }
                await source.shutdown()
            } catch {
                await source.shutdown()
                throw error
            }
            database = try Self.describe(archive, as: Self.postgresFile)
        }
        let uploads = try copyUploads(from: URL(fileURLWithPath: uploadDirectory), to: out.appendingPathComponent(Self.uploadsFolder))
        let manifest = BackupManifest(engine: engine, createdAt: Timestamp.iso(now), schemaVersion: schema, database: database, tables: tables, uploads: uploads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: out.appendingPathComponent(BackupManifest.fileName), options: .atomic)
        return manifest
    }

    // MARK: - Restore

    /// Restores `folder` into the configured database, which must be empty (a SQLite file that
    /// does not exist yet, or a PostgreSQL database without tables), and the uploads folder,
    /// which must be empty. Every file is checked against the manifest before anything is
    /// written, and the restored row counts after.
    public func restore(from folder: String) async throws -> BackupManifest {
        let dir = URL(fileURLWithPath: folder).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(BackupManifest.fileName).path) else {
            throw Failure("\(folder) has no \(BackupManifest.fileName): not a Gongzhi backup")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch { throw Failure("\(BackupManifest.fileName) cannot be read: \(error)") }
        guard manifest.format == 1 else { throw Failure("backup format \(manifest.format) is newer than this version of Gongzhi") }
        // Check every file first: nothing is written from a damaged backup.
        var problems: [String] = []
        if let p = Self.check(manifest.database, in: dir) { problems.append(p) }
        for file in manifest.uploads {
            if let p = Self.check(file, in: dir.appendingPathComponent(Self.uploadsFolder)) { problems.append("uploads/" + p) }
        }
        guard problems.isEmpty else { throw Failure("the backup is damaged:\n" + problems.joined(separator: "\n")) }
        let uploads = URL(fileURLWithPath: uploadDirectory).standardizedFileURL
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: uploads.path), !existing.isEmpty {
            throw Failure("the uploads folder \(uploads.path) is not empty; restore into an empty one")
        }
        switch (storage, manifest.engine) {
        case (.sqlite(let path), "sqlite"):
            let target = URL(fileURLWithPath: path).standardizedFileURL
            guard !FileManager.default.fileExists(atPath: target.path) else {
                throw Failure("\(target.path) exists; restore into a database that does not exist yet")
            }
            let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).restoring")
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.copyItem(at: dir.appendingPathComponent(manifest.database.path), to: staging)
            let (counts, _) = try await Self.counts(.sqlite(path: staging.path), logger: logger)
            let differences = manifest.countDifferences(counts)
            guard differences.isEmpty else {
                try? FileManager.default.removeItem(at: staging)
                throw Failure("the restored rows differ from the manifest:\n" + differences.joined(separator: "\n"))
            }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging.path + suffix) }
            try FileManager.default.moveItem(at: staging, to: target)
        case (.postgres(let url), "postgres"):
            let target = try await AppDatabase(storage: .postgres(url: url), logger: logger, timeoutSeconds: 30)
            do {
                let n = try await target.db.sql().raw("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public'").first()!.decode(column: "n", as: Int.self)
                guard n == 0 else { throw Failure("the database already has \(n) tables; restore into an empty database") }
                try await Self.run(try Self.tool("pg_restore"), ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname=\(url)",
                                                                 dir.appendingPathComponent(manifest.database.path).path])
                let (counts, _) = try await Self.counts(target.db.sql(), postgres: true)
                let differences = manifest.countDifferences(counts)
                guard differences.isEmpty else { throw Failure("the restored rows differ from the manifest:\n" + differences.joined(separator: "\n")) }
                await target.shutdown()
            } catch {
                await target.shutdown()
                throw error
            }
        default:
            throw Failure("this is a \(manifest.engine) backup; set DATABASE_URL (or --database-url / --sqlite) to a database of that kind")
        }
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        for file in manifest.uploads {
            let destination = uploads.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: dir.appendingPathComponent(Self.uploadsFolder).appendingPathComponent(file.path), to: destination)
        }
        return manifest
    }

    // MARK: - Pieces

    /// Rows per table and the number of applied migrations, in a database opened for the purpose.
    static func counts(_ storage: AppConfig.Storage, logger: Logger) async throws -> ([String: Int64], Int) {
        let db = try await AppDatabase(storage: storage, logger: logger)
        do {
            let result = try await counts(db.db.sql(), postgres: false)
            await db.shutdown()
            return result
        } catch {
            await db.shutdown()
            throw error
        }
    }

    static func counts(_ sql: any SQLDatabase, postgres: Bool) async throws -> ([String: Int64], Int) {
        let names = try await sql.raw(postgres
            ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
        var counts: [String: Int64] = [:]
        for name in names {
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            counts[name] = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: quoted)").first()!.decode(column: "n", as: Int64.self)
        }
        return (counts, Int(counts["_fluent_migrations"] ?? 0))
    }

    static func prepareEmptyFolder(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try FileManager.default.contentsOfDirectory(atPath: url.path)).isEmpty else {
                throw Failure("\(url.path) exists and is not an empty folder")
            }
        } else {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
    }

    /// Copies every file under `source` (if it exists) into `destination` and lists them.
    func copyUploads(from source: URL, to destination: URL) throws -> [BackupManifest.File] {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        guard let walker = FileManager.default.enumerator(at: source.standardizedFileURL, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = source.standardizedFileURL.resolvingSymlinksInPath().path
        var files: [BackupManifest.File] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard full.hasPrefix(base + "/") else { continue }
            let relative = String(full.dropFirst(base.count + 1))
            let target = destination.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: url, to: target)
            files.append(try Self.describe(target, as: relative))
        }
        return files.sorted { $0.path < $1.path }
    }

    static func describe(_ url: URL, as path: String) throws -> BackupManifest.File {
        let (bytes, sha) = try digest(url)
        return BackupManifest.File(path: path, bytes: bytes, sha256: sha)
    }

    static func check(_ entry: BackupManifest.File, in dir: URL) -> String? {
        let url = dir.appendingPathComponent(entry.path)
        guard !entry.path.contains(".."), !entry.path.hasPrefix("/") else { return "\(entry.path) is not a path inside the backup" }
        let found = try? digest(url)
        return BackupManifest.fileProblem(entry, bytes: found?.0, sha256: found?.1)
    }

    /// Size and SHA-256 of a file, read in 1 MiB pieces.
    static func digest(_ url: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// A PostgreSQL client program: on the PATH, else the newest in Debian's versioned folders.
    static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/\(name)") {
            return "/usr/lib/postgresql/\(v)/bin/\(name)"
        }
        throw Failure("\(name) was not found; install PostgreSQL's client programs (Debian: postgresql-client)")
    }

    /// Runs a program to its end off the event loops; fails with its standard error when it fails.
    static func run(_ program: String, _ arguments: [String]) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure("\(URL(fileURLWithPath: program).lastPathComponent) failed (\(process.terminationStatus)): "
                              + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }
}
