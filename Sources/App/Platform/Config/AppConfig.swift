import Domain
import Foundation
import Logging

/// Typed configuration, read once at start from flags and the environment; tests build it in memory.
public struct AppConfig: Sendable {
    /// Where the data lives.
    public enum Storage: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var hostname: String
    public var port: Int
    public var storage: Storage
    /// The folder with `site.css` and `site.js`.
    public var publicDirectory: String
    public var logLevel: Logger.Level
    /// bcrypt work factor for passwords (12 in production; tests lower it).
    public var bcryptCost: UInt8 = 12
    /// Where uploaded files are kept (never served as executable paths; names are random).
    public var uploadDirectory = "uploads"
    /// Mark session cookies Secure (set `GONGZHI_SECURE_COOKIES=1` when served over https).
    public var secureCookies = false
    /// Adds the bare `/bench/…` routes the request benchmark compares against (`GONGZHI_BENCH_ROUTES=1`).
    public var benchRoutes = false
    /// How long a request waits for a database connection before it answers 503
    /// (`GONGZHI_DB_TIMEOUT`, seconds): while the database is away, requests fail fast instead
    /// of piling up, and service resumes as soon as it is back.
    public var databaseTimeoutSeconds: Int64 = 5
    /// SQLite only: read-only connections beside the one writer (`GONGZHI_SQLITE_READERS`, 0 to 8),
    /// so the lists do not wait behind writes; 0 reads on the writer's connection.
    public var sqliteReaders = 2
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed (`GONGZHI_TRUSTED_PROXIES`,
    /// comma-separated); from anyone else the header is ignored, so a client cannot choose the
    /// address its login attempts are counted against.
    public var trustedProxies: Set<String> = []
    /// The origin pages are served at when a proxy rewrites `Host` (`GONGZHI_PUBLIC_ORIGIN`,
    /// e.g. `https://gongzhi.example.cn`); forms posted from any other origin are refused.
    public var publicOrigin: String?
    /// When set (`GONGZHI_METRICS_KEY`), `/metrics` answers only `Authorization: Bearer <key>`.
    public var metricsKey: String?
    /// Where codes for phones are posted as JSON `{"phone","text"}` (`GONGZHI_SMS_WEBHOOK`); without it they wait in the outbox.
    public var smsWebhook: URL?
    /// `LOG_FORMAT=json`: one JSON object per log line.
    public var jsonLogs = false

    public init(hostname: String = "127.0.0.1", port: Int = 8080, storage: Storage = .sqlite(path: "gongzhi.sqlite"),
                publicDirectory: String = "Public", logLevel: Logger.Level = .info) {
        self.hostname = hostname
        self.port = port
        self.storage = storage
        self.publicDirectory = publicDirectory
        self.logLevel = logLevel
    }

    /// Why a configuration was refused: every problem, one per line.
    public struct Problems: Error, CustomStringConvertible {
        public var messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// `Public` in the working directory, else the one beside the build folder the binary runs from
    /// (`swift run` from another directory, `.build/debug/gongzhi`).
    static func defaultPublicDirectory() -> String {
        if FileManager.default.fileExists(atPath: "Public/site.css") { return "Public" }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Public")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("site.css").path) { return candidate.path }
        }
        return "Public"
    }

    /// Resolves flags over the environment (`DATABASE_URL`, `GONGZHI_SQLITE`, `GONGZHI_PUBLIC_DIR`,
    /// `LOG_LEVEL`); a flag wins over its variable. Fails listing every problem at once.
    public static func resolve(hostname: String?, port: Int?, databaseURL: String?, sqlitePath: String?,
                               environment: [String: String]) throws -> AppConfig {
        var problems: [String] = []
        var config = AppConfig()
        config.hostname = hostname ?? environment["GONGZHI_HOSTNAME"] ?? "127.0.0.1"
        if let p = port ?? environment["GONGZHI_PORT"].flatMap({ Int($0) }) {
            if (0...65535).contains(p) { config.port = p } else { problems.append("port \(p) is not between 0 and 65535") }
        } else if environment["GONGZHI_PORT"] != nil {
            problems.append("GONGZHI_PORT is not a number")
        }
        let url = databaseURL ?? environment["DATABASE_URL"]
        let sqlite = sqlitePath ?? environment["GONGZHI_SQLITE"]
        if let url, !url.isEmpty {
            if sqlitePath != nil { problems.append("give either --database-url or --sqlite, not both") }
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                config.storage = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") {
                config.storage = .sqlite(path: String(url.dropFirst("sqlite://".count)))
            } else {
                problems.append("database URL must start with postgres://, postgresql:// or sqlite://")
            }
        } else if let sqlite, !sqlite.isEmpty {
            config.storage = .sqlite(path: sqlite)
        }
        config.publicDirectory = environment["GONGZHI_PUBLIC_DIR"] ?? defaultPublicDirectory()
        config.secureCookies = environment["GONGZHI_SECURE_COOKIES"] == "1"
        config.benchRoutes = environment["GONGZHI_BENCH_ROUTES"] == "1"
        if let t = environment["GONGZHI_DB_TIMEOUT"] {
            if let v = Int64(t), (1...300).contains(v) { config.databaseTimeoutSeconds = v } else { problems.append("GONGZHI_DB_TIMEOUT must be 1 to 300 seconds") }
        }
        if let r = environment["GONGZHI_SQLITE_READERS"] {
            if let v = Int(r), (0...8).contains(v) { config.sqliteReaders = v } else { problems.append("GONGZHI_SQLITE_READERS must be 0 to 8") }
        }
        config.uploadDirectory = environment["GONGZHI_UPLOAD_DIR"] ?? "uploads"
        config.metricsKey = environment["GONGZHI_METRICS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        config.smsWebhook = environment["GONGZHI_SMS_WEBHOOK"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
        switch environment["LOG_FORMAT"] ?? "text" {
        case "json": config.jsonLogs = true
        case "text", "": break
        default: problems.append("LOG_FORMAT must be text or json")
        }
        config.trustedProxies = Set((environment["GONGZHI_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if let origin = environment["GONGZHI_PUBLIC_ORIGIN"], !origin.isEmpty {
            if let u = URLComponents(string: origin), ["http", "https"].contains(u.scheme ?? ""), u.host?.isEmpty == false, u.path.isEmpty || u.path == "/" {
                config.publicOrigin = origin
            } else {
                problems.append("GONGZHI_PUBLIC_ORIGIN must be a scheme and host such as https://gongzhi.example.cn")
            }
        }
        if let cost = environment["GONGZHI_BCRYPT_COST"] {
            if let c = UInt8(cost), (4...31).contains(c) { config.bcryptCost = c } else { problems.append("GONGZHI_BCRYPT_COST must be 4 to 31") }
        }
        if let level = environment["LOG_LEVEL"] {
            if let l = Logger.Level(rawValue: level) { config.logLevel = l } else { problems.append("LOG_LEVEL \(level) is not a log level") }
        }
        if !problems.isEmpty { throw Problems(messages: problems) }
        return config
    }
}
