import Foundation
import Logging

/// Where the in-process benchmarks run: a fresh SQLite file in a temporary folder, and — given a
/// PostgreSQL server's URL where the user may create databases — a fresh database there, dropped
/// afterwards.
public enum BenchmarkDatabases {
    public static func each(postgres: String?, logger: Logger, _ body: (AppConfig.Storage, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-bench-\(UUID.random().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await body(.sqlite(path: dir.appendingPathComponent("bench.sqlite").path), "sqlite")
        guard let postgres, var components = URLComponents(string: postgres) else { return }
        let name = "gongzhi_bench_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await AppDatabase(storage: .postgres(url: postgres), logger: logger)
        try await admin.createDatabase(name)
        components.path = "/" + name
        do {
            try await body(.postgres(url: components.string ?? postgres), "postgresql")
        } catch {
            try? await admin.dropDatabase(name)
            await admin.shutdown()
            throw error
        }
        try await admin.dropDatabase(name)
        await admin.shutdown()
    }
}
