@testable import App
import Domain
import Foundation
import SQLKit
import Testing

@Suite("Rules restated in SQL agree with Domain")
struct OverdueTwinTests {
    @Test("the overdue filter selects exactly the requests DeadlinePolicy.isOverdue calls overdue", arguments: TestDatabase.all)
    func overdue(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            // given the demo's three months of requests in every state
            let rows = try await app.database.db.sql().raw("SELECT id, respond_by, resolve_by, responded_at, resolved_at FROM requests").all()
            #expect(rows.count > 100)
            for now in [testNow, testNow.addingTimeInterval(-20 * 86_400), testNow.addingTimeInterval(-60 * 86_400), testNow.addingTimeInterval(30 * 86_400)] {
                // when both judge the same rows at the same instant
                let bySQL = Set(try await app.database.db.sql().raw("SELECT r.id FROM requests r WHERE " + RequestService.overdue(now: now)).all()
                    .map { try $0.decode(column: "id", as: UUID.self) })
                let byDomain = Set(try rows.filter {
                    DeadlinePolicy.isOverdue(respondBy: try $0.decode(column: "respond_by", as: Date.self), resolveBy: try $0.decode(column: "resolve_by", as: Date.self),
                                             respondedAt: try $0.decode(column: "responded_at", as: Date?.self),
                                             resolvedAt: try $0.decode(column: "resolved_at", as: Date?.self), now: now)
                }.map { try $0.decode(column: "id", as: UUID.self) })
                // then they agree, and the set is not trivially empty or full
                #expect(bySQL == byDomain, "at \(now)")
                if now == testNow { #expect(!byDomain.isEmpty && byDomain.count < rows.count) }
            }
        }
    }

    @Test("the 12345 queue's SQL shows exactly the orders IntakeAccess says the caller handles", arguments: TestDatabase.all.prefix(1))
    func queue(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            // given an unmatched order in each street and one with no street
            let district = try await app.database.db.sql().raw("SELECT id FROM districts").first()!.decode(column: "id", as: UUID.self)
            let streets = try await app.database.db.sql().raw("SELECT id FROM streets").all().map { try $0.decode(column: "id", as: UUID.self) }
            for (i, street) in (streets.map(Optional.some) + [nil]).enumerated() {
                try await app.database.db.sql().insert(into: "hotline_orders")
                    .columns("id", "district_id", "street_id", "order_no", "received_at", "content", "address", "category", "phone", "status", "request_id",
                             "imported_by", "created_at", "updated_at")
                    .values([Bind.uuid(UUID()), Bind.uuid(district), Bind.uuid(street), Bind.text("T\(i)"), Bind.date(testNow), Bind.text("漏水"), Bind.text("某处"),
                             Bind.text("其他"), SQLLiteral.null, Bind.text("unmatched"), SQLLiteral.null, Bind.text("test"), Bind.date(testNow), Bind.date(testNow)]).run()
            }
            let importer = HotlineImport(database: app.database, requests: RequestService(database: app.database, store: app.store))
            for actor in [Actor(kind: .user, id: UUID(), label: "s", grants: [Grant(role: .streetStaff, scopeId: streets[0])]),
                          Actor(kind: .user, id: UUID(), label: "d", grants: [Grant(role: .districtAdmin, scopeId: district)]),
                          Actor(kind: .user, id: UUID(), label: "c", grants: [Grant(role: .communityStaff, scopeId: UUID())])] {
                // when the queue is read
                let shown = try await importer.queue(AccessContext(actor: actor, source: "api", address: nil, now: testNow))
                // then it holds exactly the orders the rule gives the caller
                let all = try await app.database.db.sql().raw("SELECT street_id FROM hotline_orders WHERE status = 'unmatched'").all()
                    .map { try $0.decode(column: "street_id", as: UUID?.self) }
                #expect(shown.count == all.filter { IntakeAccess.handlesOrder(actor, district: district, street: $0) }.count, "\(actor.label)")
            }
        }
    }
}
