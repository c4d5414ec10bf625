import App
import Domain
import Foundation
import Logging

// The assessment benchmark: a demo district (`--scale full` by default: a Chaoyang-sized registry)
// with a quarter of inspections seeded in bulk, then the coverage dashboard and the quarter's
// scorecards timed on SQLite and, with `--postgres URL` (a server where the user may create
// databases), on PostgreSQL.
//
//   swift run -c release gongzhi-assessment-bench [--scale full|district] [--postgres postgres://…]

var scale = DemoScale.full
var postgres: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--scale": scale = DemoScale(rawValue: args.next() ?? "") ?? .full
    case "--postgres": postgres = args.next()
    default: print("unknown argument \(a)"); exit(2)
    }
}

var logger = Logger(label: "bench")
logger.logLevel = .error
let now = Date(timeIntervalSince1970: 1_796_004_000)  // 2026-11-30 10:00 Beijing
let quarter = "2026-Q3"

func seconds(_ t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }

func bench(_ storage: AppConfig.Storage, label: String, scale: DemoScale) async throws {
    let app = try await GongzhiApp.open(AppConfig(storage: storage, logLevel: .error), logger: logger, clock: { now })
    var t0 = DispatchTime.now().uptimeNanoseconds
    try await DemoLoader(database: app.database).load(DemoGenerator(scale: scale, seed: 1, today: CivilDate(year: 2026, month: 11, day: 30)), now: now)
    print("[\(label)] demo \(scale.rawValue) loaded in \(String(format: "%.1f", seconds(t0))) s")
    let bench = AssessmentBenchmark(app: app)
    t0 = DispatchTime.now().uptimeNanoseconds
    let seeded = try await bench.seed(quarter: quarter, now: now)
    print("[\(label)] seeded \(seeded) inspections (21 items each) of \(quarter) in \(String(format: "%.1f", seconds(t0))) s")
    for (what, rows, time) in try await bench.run(quarter: quarter, now: now) {
        print("[\(label)] \(what): \(rows) rows in \(String(format: "%.1f", time * 1000)) ms")
    }
    await app.database.shutdown()
}

try await BenchmarkDatabases.each(postgres: postgres, logger: logger) { storage, label in try await bench(storage, label: label, scale: scale) }
