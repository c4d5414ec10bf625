import App
import ArgumentParser
import Domain
import Foundation

/// `gongzhi user …`: manage accounts from the shell.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage user accounts.",
                                                    subcommands: [CreateUser.self, ListUsers.self, DisableUser.self, ResetPassword.self])
}

/// Reads a password from standard input (one line), so it never appears in the process list.
func readPasswordFromStdin() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password on standard input") }
    return line
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user with one role over one scope.")

    @Option(help: "Login name") var username: String
    @Flag(help: "Read the password from standard input") var passwordStdin = false
    @Option(help: "One of: \(Role.codes.joined(separator: ", "))") var role: String
    @Option(help: "The id of the district, street, community, compound, company, department, owner or resident the role covers")
    var scope: String
    @Option(help: "Name shown in the interface (default: the username)") var displayName: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard passwordStdin else { throw ValidationError("pass --password-stdin and give the password on standard input") }
        guard Role(rawValue: role) != nil else { throw ValidationError("--role must be one of \(Role.codes.joined(separator: ", "))") }
        guard UUID(uuidString: scope) != nil else { throw ValidationError("--scope must be an id (UUID)") }
    }

    func run() async throws {
        let password = try readPasswordFromStdin()
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        do {
            try await app.createUser(username: username, password: password, displayName: displayName ?? username,
                                     role: Role(rawValue: role)!, scopeId: UUID(uuidString: scope)!, now: Date())
            await app.database.shutdown()
            Terminal.say("Created \(username) (\(role)).")
        } catch {
            await app.database.shutdown()
            throw ValidationError(Terminal.describe(error))
        }
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and their roles.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        let users = try await app.listUsers()
        await app.database.shutdown()
        for u in users {
            Terminal.say("\(u.username)\t\(u.displayName)\t\(u.disabled ? "disabled" : "active")\t" + u.grants.map { "\($0.0)@\($0.1)" }.joined(separator: ","))
        }
    }
}

struct DisableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a user (ends their sessions); --enable undoes it.")
    @Option(help: "Login name") var username: String
    @Flag(help: "Enable instead of disable") var enable = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        do {
            try await app.setUserDisabled(username: username, disabled: !enable, now: Date())
            await app.database.shutdown()
            Terminal.say("\(username) is \(enable ? "enabled" : "disabled").")
        } catch {
            await app.database.shutdown()
            throw ValidationError(Terminal.describe(error))
        }
    }
}

struct ResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password (read from standard input).")
    @Option(help: "Login name") var username: String
    @Flag(help: "Read the password from standard input") var passwordStdin = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard passwordStdin else { throw ValidationError("pass --password-stdin and give the password on standard input") }
    }

    func run() async throws {
        let password = try readPasswordFromStdin()
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        do {
            try await app.resetPassword(username: username, password: password, now: Date())
            await app.database.shutdown()
            Terminal.say("Password of \(username) reset; their sessions are ended.")
        } catch {
            await app.database.shutdown()
            throw ValidationError(Terminal.describe(error))
        }
    }
}
