import Domain
import Foundation
import Hummingbird
import SQLKit

/// Two bare routes for benchmarks only (`GONGZHI_BENCH_ROUTES=1`): a one-row insert and a 50-row
/// select on the same server and database, behind the same middleware and sign-in, so that the
/// request routes can be measured against the ceiling of the stack itself.
struct BenchRoutes: Sendable {
    let database: AppDatabase

    func register(on routes: RouteTable) {
        routes.add(.post, "/bench/insert", .signedIn) { _, _ in
            let now = Date()
            try await database.db.sql().raw("""
                INSERT INTO bench_rows (id, note, created_at) VALUES (\(bind: UUID.random()), \(bind: "bench"), \(bind: now))
                """).run()
            return .json(.object(["ok": .bool(true)]), status: .created)
        }
        routes.add(.get, "/bench/select", .signedIn) { _, _ in
            let rows = try await database.db.sql().raw("SELECT id, number, status, received_at FROM requests ORDER BY received_at DESC LIMIT 50").all()
            return .json(.object(["items": .array(try rows.map { r in
                .object(["id": .string(try r.decode(column: "id", as: UUID.self).uuidString.lowercased()), "number": .string(try r.decode(column: "number", as: String.self)),
                         "status": .string(try r.decode(column: "status", as: String.self)), "receivedAt": .string(Timestamp.iso(try r.decode(column: "received_at", as: Date.self)))])
            })]))
        }
    }

    /// The bench table, outside the migrations: it exists only where benchmarks run.
    static func prepare(_ database: AppDatabase) async throws {
        let idType = database.isPostgres ? "uuid" : "BLOB"
        let timeType = database.isPostgres ? "timestamptz" : "REAL"
        try await database.db.sql().raw("CREATE TABLE IF NOT EXISTS bench_rows (id \(unsafeRaw: idType) PRIMARY KEY, note TEXT NOT NULL, created_at \(unsafeRaw: timeType) NOT NULL)").run()
    }
}
