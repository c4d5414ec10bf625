import App
import ArgumentParser
import Domain
import Foundation
import Logging

/// The `gongzhi` command: the server and the tools around it.
@main
struct Gongzhi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gongzhi",
        abstract: "共治 Gongzhi — property service and community co-governance for a city district.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Import.self, Export.self, User.self, Backup.self, Restore.self, Simulate.self]
    )
}

/// Where the data is: shared by every subcommand that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres://user:pass@host/db (default: $DATABASE_URL, else SQLite)")
    var databaseURL: String?

    @Option(name: .customLong("sqlite"), help: "SQLite file to use (default: gongzhi.sqlite in the working directory)")
    var sqlitePath: String?

    func config(hostname: String? = nil, port: Int? = nil) throws -> AppConfig {
        do {
            return try AppConfig.resolve(hostname: hostname, port: port, databaseURL: databaseURL, sqlitePath: sqlitePath,
                                         environment: ProcessInfo.processInfo.environment)
        } catch let problems as AppConfig.Problems {
            throw ValidationError(problems.description)
        }
    }
}

enum Terminal {
    /// Sets up logging to standard error once.
    static func logger(_ config: AppConfig) -> Logger {
        LoggingSystem.bootstrap { label in
            if config.jsonLogs { return JSONLogHandler(label: label, level: config.logLevel) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = config.logLevel
            return handler
        }
        return Logger(label: "gongzhi")
    }

    /// A one-line progress bar on standard error; when that is not a terminal (a log file, a
    /// process manager), a plain line at each tenth instead of carriage returns.
    static func progress(_ done: Int, _ total: Int, _ detail: String) {
        guard isatty(STDERR_FILENO) == 1 else {
            let step = max(1, total / 10)
            if done == total || done % step == 0 { FileHandle.standardError.write(Data("\(done)/\(total) \(detail)\n".utf8)) }
            return
        }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) \(detail)   ".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// One line to standard output, written at once (not held in a buffer until exit when the
    /// output is a file or a pipe: the demo logins must reach a process manager's log while serving).
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// A domain error as one readable line.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DomainError.invalid(let fields): fields.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case DomainError.conflict(_, let message): message
        case DomainError.notFound(let entity, let id): "\(entity) \(id) not found"
        case DomainError.forbidden(let reason): reason
        default: String(describing: error)
        }
    }
}
