import App
import Foundation
import Logging

// The ceiling device events are measured against: the same rows the ingestion route writes
// (device_events, idempotent by device and event id), inserted in-process in batches, one
// transaction a batch, with nothing else — no HTTP, no JSON, no checks, no alerts.
//
//   gongzhi-ingest-bench (--sqlite PATH | --database-url URL) --device ID --batch N [--seconds S]
//
// `Benchmarks/ingest/run.sh` runs it beside the HTTP route on the same database, in one run.

var sqlite: String?, url: String?, device: UUID?, batch = 100, seconds = 10.0
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--sqlite": sqlite = args.next()
    case "--database-url": url = args.next()
    case "--device": device = args.next().flatMap(UUID.init(uuidString:))
    case "--batch": batch = Int(args.next() ?? "") ?? 100
    case "--seconds": seconds = Double(args.next() ?? "") ?? 10
    default: print("unknown argument \(a)"); exit(2)
    }
}
guard let device, sqlite != nil || url != nil else { print("usage: gongzhi-ingest-bench (--sqlite PATH | --database-url URL) --device ID --batch N [--seconds S]"); exit(2) }
var logger = Logger(label: "bench")
logger.logLevel = .error
let storage: AppConfig.Storage = url.map { .postgres(url: $0) } ?? .sqlite(path: sqlite!)
let app = try await GongzhiApp.open(AppConfig(storage: storage, logLevel: .error), logger: logger)
let rate = try await IngestBenchmark(database: app.database).run(device: device, batch: batch, seconds: seconds)
print(String(format: "EVENTS_PER_S %.0f", rate))
await app.database.shutdown()
