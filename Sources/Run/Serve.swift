import App
import ArgumentParser
import Domain
import Foundation
import Hummingbird

/// `gongzhi serve`: the web UI, the JSON API and everything else, from one process.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (web UI, JSON API).")

    @Option(help: "Address to listen on") var hostname: String?
    @Option(help: "Port to listen on") var port: Int?
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Load the demo district when the database is empty, and print where to log in")
    var demo = false

    func run() async throws {
        let config = try database.config(hostname: hostname, port: port ?? 8080)
        let logger = Terminal.logger(config)
        let app = try await GongzhiApp.open(config, logger: logger)
        // A failure while loading the demo shuts the database down cleanly so its error is what is printed.
        do {
            if demo {
                let loader = DemoLoader(database: app.database)
                if try await loader.isEmpty() {
                    Terminal.say("Loading the demo district (seed \(Demo.defaultSeed)) …")
                    let generator = DemoGenerator(scale: .district, seed: Demo.defaultSeed, today: Demo.today())
                    try await loader.load(generator, now: Date()) { done, total, rows in Terminal.progress(done, total, "streets, \(rows) rows") }
                    let accounts = try await DemoAccounts(app: app).create(now: Date())
                    try await DemoFees(app: app).load(now: Date())
                    try await DemoServices(app: app).history(now: Date())
                    Demo.printAccounts(accounts)
                    Terminal.say("Smart devices of 万兴苑: drive them with `swift run gongzhi simulate devices --key \(DemoServices.demoGatewayKey) --rate 5` (board: /alerts as jiedao01 or shequ01).")
                } else {
                    Terminal.say("The database already holds a district; the demo was not loaded again.")
                    Terminal.say("Demo accounts (if this is the demo database) use the password Gz-<username>-2020, e.g. jiedao01 / \(DemoAccounts.password(for: "jiedao01")).")
                }
                Terminal.say("Gongzhi is serving the demo district at http://\(config.hostname):\(config.port)/ — log in there with an account above.")
            }
        } catch {
            await app.database.shutdown()
            throw error
        }
        try await app.serve()
    }
}

/// `gongzhi migrate`: bring the schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply every pending database migration.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        let version = try await app.database.appliedMigrations()
        await app.database.shutdown()
        Terminal.say("Schema is up to date (version \(version)).")
    }
}

/// `gongzhi demo`: load a deterministic demo district.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a demo district like Beijing's Chaoyang into an empty database.")

    static let defaultSeed: UInt64 = 20200630

    @Option(help: "small (one street), district (43 streets, the default) or full (about 1.5 million rooms)")
    var scale: String = "district"
    @Option(help: "Seed: the same seed gives the same district") var seed: UInt64 = Demo.defaultSeed
    @OptionGroup var database: DatabaseOptions

    static func today() -> CivilDate {
        CivilTime(Date(), offsetSeconds: CivilTime.beijingOffset).date
    }

    func validate() throws {
        guard DemoScale(rawValue: scale) != nil else { throw ValidationError("--scale must be small, district or full") }
    }

    func run() async throws {
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        let loader = DemoLoader(database: app.database)
        guard try await loader.isEmpty() else {
            await app.database.shutdown()
            throw ValidationError("the database already holds a district; use an empty database for the demo")
        }
        let start = Date()
        let generator = DemoGenerator(scale: DemoScale(rawValue: scale)!, seed: seed, today: Demo.today())
        try await loader.load(generator, now: Date()) { done, total, rows in Terminal.progress(done, total, "streets, \(rows) rows") }
        let accounts = try await DemoAccounts(app: app).create(now: Date())
        await app.database.shutdown()
        Terminal.say(String(format: "Demo district loaded in %.1f s.", Date().timeIntervalSince(start)))
        Demo.printAccounts(accounts)
    }

    /// `ROLE  USERNAME / PASSWORD  (scope)`, one a line.
    static func printAccounts(_ accounts: [DemoAccount]) {
        Terminal.say("Demo accounts (role  username / password  scope):")
        let width = accounts.map(\.role.rawValue.count).max() ?? 0
        for a in accounts {
            Terminal.say("\(a.role.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(a.username) / \(a.password)  (\(a.scope))")
        }
    }
}
