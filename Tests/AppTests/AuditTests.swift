@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Audit log")
struct AuditTests {
    @Test("every write records who, from where, what, before and after", arguments: TestDatabase.all)
    func writes(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given
            let h = try await makeHierarchy(client)
            // when
            _ = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["yearBuilt": .int(2003)]))
            let building = try await client.create("buildings", ["compoundId": .string(h.compound), "number": .string("9号楼"), "floors": .int(6), "hasLift": .bool(false)])
            _ = try await client.json(.delete, "/api/v1/buildings/\(building)")
            // then
            let (status, page) = try await client.json(.get, "/api/v1/audit-events?entityId=\(h.compound)")
            #expect(status == .ok)
            let events = page["items"]!.arrayValue
            #expect(events.map { $0["action"]?.stringValue } == ["update", "create"])
            let update = events[0]
            #expect(update["actor"] == .string("quguan01"))
            #expect(update["source"] == .string("api"))
            #expect(update["address"] != nil)
            #expect(update["before"]?["yearBuilt"] == .int(2001))
            #expect(update["after"]?["yearBuilt"] == .int(2003))
            let (_, deletes) = try await client.json(.get, "/api/v1/audit-events?entity=buildings&action=delete")
            #expect(deletes["items"]?[0]?["before"]?["number"] == .string("9号楼"))
            #expect(deletes["items"]?[0]?["after"] == .null)
            _ = app
        }
    }

    @Test("a refused write leaves neither the change nor an audit event", arguments: TestDatabase.all)
    func refused(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let before = try await count(app, "audit_events")
            let (status, _) = try await client.json(.delete, "/api/v1/communities/\(h.community)")
            #expect(status == .conflict)
            let (invalid, _) = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["yearBuilt": .int(1800)]))
            #expect(invalid == .unprocessableContent)
            #expect(try await count(app, "audit_events") == before)
        }
    }

    @Test("the audit page lists changes for admins", arguments: TestDatabase.all.prefix(1))
    func page(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            _ = try await client.json(.patch, "/api/v1/compounds/\(h.compound)", .object(["name": .string("万兴苑（东区）")]))
            let (status, html, _) = try await client.page("/audit?entity=compounds")
            #expect(status == .ok)
            #expect(html.contains("name: 万兴苑 → 万兴苑（东区）"))
        }
    }
}
