import App
import Domain
import Foundation
import Logging

// The monthly-ranking benchmark: a demo district (43 streets, ~2,000 compounds) with 100,000 and
// then 1,000,000 requests in one month, ranking timed at each size on SQLite and, with
// `--postgres URL` (a server where the user may create databases), on PostgreSQL.
//
//   swift run -c release gongzhi-request-bench [--sizes 100000,1000000] [--postgres postgres://…]

var sizes = [100_000, 1_000_000]
var postgres: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--sizes": sizes = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--postgres": postgres = args.next()
    default: print("unknown argument \(a)"); exit(2)
    }
}

var logger = Logger(label: "bench")
logger.logLevel = .error
let now = Date(timeIntervalSince1970: 1_796_004_000)  // 2026-11-30 10:00 Beijing
let month = "2026-11"

func seconds(_ t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }

func bench(_ storage: AppConfig.Storage, label: String, sizes: [Int]) async throws {
    let app = try await GongzhiApp.open(AppConfig(storage: storage, logLevel: .error), logger: logger, clock: { now })
    var t0 = DispatchTime.now().uptimeNanoseconds
    try await DemoLoader(database: app.database).load(DemoGenerator(scale: .district, seed: 1, today: CivilDate(year: 2026, month: 11, day: 30)), now: now)
    print("[\(label)] demo district loaded in \(String(format: "%.1f", seconds(t0))) s")
    let bench = RankingBenchmark(app: app)
    var have = 0
    for size in sizes.sorted() {
        t0 = DispatchTime.now().uptimeNanoseconds
        try await bench.seed(size - have, month: month, seed: UInt64(size), now: now)
        print("[\(label)] added \(size - have) requests in \(String(format: "%.1f", seconds(t0))) s")
        have = size
        for (what, rows, time) in try await bench.run(month: month, now: now) {
            print("[\(label)] \(size) requests (+ the demo's) · \(what): \(rows) rows in \(String(format: "%.1f", time * 1000)) ms")
        }
    }
    await app.database.shutdown()
}

try await BenchmarkDatabases.each(postgres: postgres, logger: logger) { storage, label in try await bench(storage, label: label, sizes: sizes) }
