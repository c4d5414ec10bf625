import Foundation

/// What a backup folder holds and how to know it is whole: the database copy with its checksum,
/// the row count of every table as of the copy's snapshot, and every uploaded file with its
/// checksum. `gongzhi restore` refuses a folder whose files do not match it, and checks the
/// restored database's counts against it.
public struct BackupManifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// Relative to the backup folder (uploads: relative to `uploads/`).
        public var path: String
        public var bytes: Int64
        public var sha256: String

        public init(path: String, bytes: Int64, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// Bumped when the folder's layout changes.
    public var format = 1
    /// `sqlite` (a `VACUUM INTO` copy) or `postgres` (a `pg_dump --format=custom` archive).
    public var engine: String
    /// UTC, ISO 8601.
    public var createdAt: String
    /// How many migrations the database had applied.
    public var schemaVersion: Int
    public var database: File
    /// Rows per table in the copied snapshot.
    public var tables: [String: Int64]
    public var uploads: [File]

    public init(engine: String, createdAt: String, schemaVersion: Int, database: File, tables: [String: Int64], uploads: [File]) {
        self.engine = engine
        self.createdAt = createdAt
        self.schemaVersion = schemaVersion
        self.database = database
        self.tables = tables
        self.uploads = uploads
    }

    public static let fileName = "manifest.json"

    /// Every way `counts` (of a restored database) differ from the manifest, one line each;
    /// empty when they agree.
    public func countDifferences(_ counts: [String: Int64]) -> [String] {
        var out: [String] = []
        for table in Set(tables.keys).union(counts.keys).sorted() {
            let expected = tables[table], found = counts[table]
            if expected != found {
                out.append("\(table): \(expected.map(String.init) ?? "absent") in the backup, \(found.map(String.init) ?? "absent") restored")
            }
        }
        return out
    }

    /// A file's problem against its entry: missing, another size or another checksum.
    public static func fileProblem(_ entry: File, bytes: Int64?, sha256: String?) -> String? {
        guard let bytes, let sha256 else { return "\(entry.path) is missing" }
        if bytes != entry.bytes { return "\(entry.path) has \(bytes) bytes, the manifest says \(entry.bytes)" }
        if sha256 != entry.sha256 { return "\(entry.path) does not match its checksum" }
        return nil
    }
}
