import Domain
import FluentKit
import Foundation
import SQLKit

/// The raw ceiling of device ingestion (see `Benchmarks/IngestBenchmark`): batches of the rows the
/// route writes, each batch one transaction with the same conflict clause, for `seconds`.
public struct IngestBenchmark: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    /// Events a second.
    public func run(device: UUID, batch: Int, seconds: Double) async throws -> Double {
        guard let row = try await database.db.sql().raw("SELECT district_id, compound_id FROM devices WHERE id = \(bind: device)").first() else {
            throw DomainError.notFound(entity: "devices", id: device.text)
        }
        let district = try row.decode(column: "district_id", as: UUID.self), compound = try row.decode(column: "compound_id", as: UUID.self)
        let start = Date()
        var done = 0, round = 0
        let hash = String(repeating: "ab", count: 32)
        while Date().timeIntervalSince(start) < seconds {
            round += 1
            let now = Date()
            let rows: [[any SQLExpression]] = (0..<batch).map { i in
                [Bind.uuid(UUID.random()), Bind.uuid(district), Bind.uuid(compound), Bind.uuid(device), Bind.text("raw-\(round)-\(i)"), Bind.text("access_granted"), Bind.date(now),
                 Bind.text("face"), Bind.text(hash), Bind.int(nil as Int64?), Bind.uuid(nil as UUID?), Bind.date(now), Bind.date(now)]
            }
            try await database.db.transaction { tx in
                _ = try await tx.sql().insert(into: "device_events")
                    .columns("id", "district_id", "compound_id", "device_id", "event_key", "kind", "occurred_at", "method", "person_hash", "temperature", "pass_id",
                             "created_at", "updated_at")
                    .rows(rows).ignoringConflicts(with: ["device_id", "event_key"]).returning("event_key").all()
            }
            done += batch
        }
        return Double(done) / Date().timeIntervalSince(start)
    }
}
