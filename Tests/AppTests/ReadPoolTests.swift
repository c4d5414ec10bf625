@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// What happened, in order, across tasks.
actor Sequence {
    private(set) var items: [String] = []
    func add(_ item: String) { items.append(item) }
    func has(_ item: String) -> Bool { items.contains(item) }
}

@Suite("SQLite: reads beside the one writer")
struct ReadPoolTests {
    @Test("a list is answered while a write transaction is open, and sees it only once committed; a reader connection refuses writes")
    func readsBesideWrites() async throws {
        try await withApp(.sqlite, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            // The caller is known (the session cache holds it), so the list needs no word from the writer.
            let (warm, before) = try await client.json(.get, "/api/v1/requests?limit=500")
            #expect(warm == .ok)
            let count = before["items"]!.arrayValue.count
            let order = Sequence()
            let writer = Task {
                try await app.database.db.transaction { tx in
                    try await RequestService(database: app.database, store: app.store).create(
                        MatrixWorld.system, .init(channel: .phone, category: .other, urgency: .general, compoundId: UUID(uuidString: compound)!, buildingId: nil,
                                                  roomId: nil, reporterName: "来电", reporterPhone: nil, description: "写入中", latitude: nil, longitude: nil,
                                                  receivedAt: nil, hotlineOrderNo: nil, receptionId: nil), on: tx)
                    await order.add("written, not committed")
                    try await Task.sleep(for: .milliseconds(1500))
                    await order.add("committing")
                }
            }
            while !(await order.has("written, not committed")) { try await Task.sleep(for: .milliseconds(10)) }
            let (status, during) = try await client.json(.get, "/api/v1/requests?limit=500")
            await order.add("list answered")
            try await writer.value
            #expect(status == .ok && during["items"]!.arrayValue.count == count)
            #expect(await order.items == ["written, not committed", "list answered", "committing"])
            let (_, after) = try await client.json(.get, "/api/v1/requests?limit=500")
            #expect(after["items"]!.arrayValue.count == count + 1)
            await #expect(throws: (any Error).self) {
                try await app.database.reads.sql().raw("UPDATE districts SET updated_at = updated_at").run()
            }
        }
    }
}
