@testable import App
import Foundation
import SQLKit
import Testing

/// SQLite's log is copied back beside the writer (`WALCheckpointer`), not in the commits of the one writer.
@Suite("SQLite checkpoints beside the writer")
struct WALCheckpointTests {
    @Test("the writer checkpoints only as a backstop; on its own schedule the checkpointer copies back what was committed")
    func checkpointsBesideTheWriter() async throws {
        try await withApp(.sqlite, demo: .small) { app, client in
            let writer = try await app.database.db.sql().raw("PRAGMA wal_autocheckpoint").first()!
            #expect(try writer.decode(column: "wal_autocheckpoint", as: Int.self) == WALCheckpointer.writerBackstopPages)
            let checkpointer = try #require(app.database.checkpointer)
            let owner = try await token(client, "yezhu01")
            let compound = try await client.json(.get, "/api/v1/compounds?limit=1", token: owner).1["items"]?[0]?["id"]?.stringValue ?? ""
            let before = checkpointer.passes
            for i in 0..<20 {
                let (status, body) = try await client.json(.post, "/api/v1/requests", .object(["category": .string("sanitation"), "compoundId": .string(compound),
                                                                                               "description": .string("检查点 \(i)")]), token: owner)
                #expect(status == .created, "\(body)")
            }
            // Without being asked: within two seconds a pass has copied every frame the log held.
            var copiedAll = false
            for _ in 0..<40 where !copiedAll {
                try await Task.sleep(for: .milliseconds(50))
                if checkpointer.passes > before + 1, let last = checkpointer.lastPass, last.logFrames > 0, last.copied == last.logFrames { copiedAll = true }
            }
            #expect(copiedAll)
            let filed = try await app.database.reads.sql().raw("SELECT COUNT(*) AS n FROM requests WHERE description LIKE '检查点 %'").first()!
            #expect(try filed.decode(column: "n", as: Int.self) == 20)
        }
    }
}
