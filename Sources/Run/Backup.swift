import App
import ArgumentParser
import Domain
import Foundation

/// `gongzhi backup --out DIR`: a consistent copy while the server keeps running.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up the database and the uploads into a new folder, with a manifest of counts and checksums.",
        discussion: "Safe while servers are writing: SQLite is copied with VACUUM INTO, PostgreSQL with pg_dump of one exported snapshot.")

    @Option(help: "The folder to write (must not exist, or be empty)") var out: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        do {
            let manifest = try await BackupService(config: config, logger: Terminal.logger(config)).backup(to: out, now: Date())
            let rows = manifest.tables.filter { $0.key != "_fluent_migrations" }.values.reduce(0, +)
            Terminal.say("Backed up \(manifest.engine) (\(manifest.database.bytes) bytes, \(manifest.tables.count) tables, \(rows) rows) "
                         + "and \(manifest.uploads.count) uploaded files to \(out).")
        } catch let failure as BackupService.Failure {
            throw ValidationError(failure.description)
        }
    }
}

/// `gongzhi restore DIR`: into an empty database, verifying the manifest.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup folder into an empty database and an empty uploads folder.",
        discussion: "Every file is checked against the manifest before anything is written, and the restored row counts after.")

    @Argument(help: "The backup folder") var folder: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        do {
            let manifest = try await BackupService(config: config, logger: Terminal.logger(config)).restore(from: folder)
            Terminal.say("Restored the backup of \(manifest.createdAt): \(manifest.tables.count) tables and \(manifest.uploads.count) uploaded files, "
                         + "every count and checksum as in its manifest.")
        } catch let failure as BackupService.Failure {
            throw ValidationError(failure.description)
        }
    }
}
