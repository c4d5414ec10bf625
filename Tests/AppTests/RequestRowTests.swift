@testable import App
import Domain
import Foundation
import SQLKit
import Testing

@Suite("The requests row type")
struct RequestRowTests {
    @Test("a stored row reads back whole; a status no code names fails the read instead of becoming a default", arguments: TestDatabase.all)
    func readsExactly(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            // given a demo request
            let sql = app.database.db.sql()
            let first = try #require(try await sql.raw("SELECT * FROM requests ORDER BY number LIMIT 1").first())
            let row = try RequestRow.read(first)
            #expect(row.number.hasPrefix("GZ"))
            #expect(row.handlerId != nil)
            // when its status is something no code names
            try await sql.raw("UPDATE requests SET status = 'lost' WHERE id = \(bind: row.id)").run()
            let broken = try #require(try await sql.raw("SELECT * FROM requests WHERE id = \(bind: row.id)").first())
            // then reading it fails
            #expect(throws: (any Error).self) { try RequestRow.read(broken) }
        }
    }
}
