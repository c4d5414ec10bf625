import App
import Domain
import Foundation
import Logging

// The city-year benchmark (issue: speed, item 7): the demo district on PostgreSQL, then a year of
// 1,000,000 and of 22,000,000 requests seeded with COPY; at each size the monthly ranking (a
// finished month and the current one), a street's list, its board and a request's page are timed.
//
//   swift build -c release --product gongzhi-city-bench
//   .build/release/gongzhi-city-bench --postgres postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable [--sizes 1000000,22000000] [--keep]
//
// `--postgres` names a server where the user may create databases (and, for the COPY session's
// `session_replication_role`, a superuser); the benchmark's database is dropped afterwards
// unless `--keep`. `--reuse NAME` times the pages again on a database a `--keep` run left, without seeding.

/// Printed at once (a redirected `print` waits for the buffer; seeding takes minutes).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

var sizes = [1_000_000, 22_000_000]
var postgres: String?
var keep = false
var reuse: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--sizes": sizes = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--postgres": postgres = args.next()
    case "--keep": keep = true
    case "--reuse": reuse = args.next()
    default: say("unknown argument \(a)"); exit(2)
    }
}
guard let postgres, var components = URLComponents(string: postgres) else {
    say("usage: gongzhi-city-bench --postgres postgres://user@host:port/db [--sizes 1000000,22000000] [--keep]")
    exit(2)
}

var logger = Logger(label: "bench")
logger.logLevel = .error
let now = Date(timeIntervalSince1970: 1_796_004_000)  // 2026-11-30 10:00 Beijing

func seconds(_ t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }

let name = reuse ?? "gongzhi_city_\(UInt32.random(in: 0...UInt32.max))"
let admin = try await AppDatabase(storage: .postgres(url: postgres), logger: logger)
if reuse == nil { try await admin.createDatabase(name) }
components.path = "/" + name
let url = components.string!
say("database \(name)")
let app = try await GongzhiApp.open(AppConfig(storage: .postgres(url: url), logLevel: .error), logger: logger, clock: { now })
var t0 = DispatchTime.now().uptimeNanoseconds
if reuse == nil {
    // As `serve --demo` loads it: the district, its accounts, fees, and the services' history.
    try await DemoLoader(database: app.database).load(DemoGenerator(scale: .district, seed: 1, today: CivilDate(year: 2026, month: 11, day: 30)), now: now)
    _ = try await DemoAccounts(app: app).create(now: now)
    try await DemoFees(app: app).load(now: now)
    try await DemoServices(app: app).history(now: now)
    say("demo district loaded in \(String(format: "%.1f", seconds(t0))) s")
}
let bench = CityBenchmark(app: app, postgresURL: url)
say("outcomes of seeded requests: \(CityBenchmark.outcomes)")
func report() async throws {
    let (count, bytes) = try await bench.size()
    say("== \(count) requests (table and indexes \(bytes / 1_048_576) MiB)")
    for (what, rows, time) in try await bench.run(now: now) {
        say("   \(what): \(rows) rows, \(ms(time))")
    }
}
try await report()
var have = 0
for size in sizes.sorted() where reuse == nil {
    t0 = DispatchTime.now().uptimeNanoseconds
    try await bench.seedYear(size - have, seed: UInt64(size), now: now)
    say("seeded \(size - have) requests (COPY, totals rebuilt, analysed) in \(String(format: "%.1f", seconds(t0))) s")
    have = size
    try await report()
}
await app.database.shutdown()
if !keep && reuse == nil { try await admin.dropDatabase(name) }
await admin.shutdown()
