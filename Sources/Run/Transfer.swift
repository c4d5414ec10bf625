import App
import ArgumentParser
import Domain
import Foundation

/// `gongzhi import …`
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data from files.", subcommands: [ImportRegistry.self, ImportHotline.self])
}

/// `gongzhi export …`
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data to files.", subcommands: [ExportRegistry.self])
}

/// `gongzhi import registry FILE.csv [--dry-run]`: all rows or none.
struct ImportRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry",
                                                    abstract: "Import a registry CSV (one room per row); any bad row rejects the whole file.")

    @Argument(help: "The CSV file") var file: String
    @Flag(help: "Check the file and report, without writing anything") var dryRun = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        do {
            let s = try await RegistryTransfer(database: app.database).importFromCommandLine(String(decoding: data, as: UTF8.self), dryRun: dryRun, now: Date())
            await app.database.shutdown()
            Terminal.say("\(dryRun ? "Would import" : "Imported") \(s.rows) rows: \(s.streets) new streets, \(s.communities) communities, "
                         + "\(s.compounds) compounds, \(s.buildings) buildings, \(s.entrances) entrances, \(s.rooms) rooms.")
        } catch let rejected as RegistryImportRejected {
            await app.database.shutdown()
            for r in rejected.rejections {
                Terminal.say("line \(r.line): " + r.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
            throw ValidationError("\(rejected.rejections.count) row(s) rejected; nothing was imported")
        } catch {
            await app.database.shutdown()
            throw error
        }
    }
}

/// `gongzhi export registry [--out FILE.csv]`
struct ExportRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry", abstract: "Export the registry as CSV (one room per row).")

    @Option(help: "Write to this file instead of standard output") var out: String?
    @Flag(help: "Chinese headings and labels with a byte-order mark, for Excel (import reads either form)") var excel = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        let transfer = RegistryTransfer(database: app.database)
        do {
            if let out {
                FileManager.default.createFile(atPath: out, contents: nil)
                guard let file = FileHandle(forWritingAtPath: out) else { throw ValidationError("cannot write \(out)") }
                let rooms = try await transfer.exportFromCommandLine(now: Date(), excel: excel) { chunk in try file.write(contentsOf: Data(chunk.utf8)) }
                try file.close()
                Terminal.say("Wrote \(rooms) rooms to \(out).")
            } else {
                _ = try await transfer.exportFromCommandLine(now: Date(), excel: excel) { chunk in FileHandle.standardOutput.write(Data(chunk.utf8)) }
            }
        } catch {
            await app.database.shutdown()
            throw error
        }
        await app.database.shutdown()
    }
}

/// `gongzhi import hotline FILE [--district CODE]`: 12345 work orders (CSV or JSON), each once.
struct ImportHotline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hotline",
                                                    abstract: "Import 12345 hotline work orders (CSV or JSON); orders already imported are skipped, unmatched ones queue for their street.")

    @Argument(help: "The CSV or JSON file (order_no, received_at, content, address, category, phone)") var file: String
    @Option(help: "The district's code, when the database holds more than one") var district: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let config = try database.config()
        let app = try await GongzhiApp.open(config, logger: Terminal.logger(config))
        do {
            let json = file.lowercased().hasSuffix(".json") || data.first == UInt8(ascii: "[") || data.first == UInt8(ascii: "{")
            let r = try await app.importHotline(data, json: json, districtCode: district, now: Date())
            await app.database.shutdown()
            Terminal.say("Imported \(r.imported.count) orders as requests, skipped \(r.duplicates.count) already imported, \(r.unmatched.count) wait for assignment.")
            for n in r.unmatched { Terminal.say("unmatched: \(n)") }
        } catch DomainError.invalid(let fields) {
            await app.database.shutdown()
            for f in fields { Terminal.say("\(f.field): \(f.message)") }
            throw ValidationError("\(fields.count) problem(s); nothing was imported")
        } catch {
            await app.database.shutdown()
            throw error
        }
    }
}
