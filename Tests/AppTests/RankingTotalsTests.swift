@testable import App
import Domain
import Foundation
import SQLKit
import Testing

/// The month's totals the database keeps (`RankingTotals`) give the ranking the one GROUP BY over
/// every request of the month gave, after every kind of write, and at any moment of the clock.
@Suite("Ranking totals kept by the database")
struct RankingTotalsTests {
    struct Counts: Equatable, CustomStringConvertible {
        var total = Int64(0), due = Int64(0), inTime = Int64(0), rated = Int64(0), resolved = Int64(0), score = Int64(0), overdue = Int64(0)
        var description: String { "total \(total) due \(due) in time \(inTime) rated \(rated) resolved \(resolved) score \(score) overdue \(overdue)" }
    }

    /// The ranking's counts straight from the requests: the query the ranking ran before the totals.
    static func reference(_ app: GongzhiApp, district: UUID, month: String, level: RankingService.Level, street: UUID?, now: Date) async throws -> [UUID: Counts] {
        var filter: SQLQueryString = "r.district_id = \(bind: district) AND r.month = \(bind: month) AND r.merged_into IS NULL"
        if let s = street { filter += " AND r.street_id = \(bind: s)" }
        if level == .company { filter += " AND r.handler_kind = 'company'" }
        if level == .department { filter += " AND r.handler_kind = 'department'" }
        let rows = try await app.database.db.sql().raw("""
            SELECT r.\(unsafeRaw: level.column) AS k, COUNT(*) AS total,
              CAST(SUM(CASE WHEN r.responded_at IS NOT NULL OR r.respond_by < \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS due,
              CAST(SUM(r.responded_in_time) AS BIGINT) AS in_time, CAST(SUM(CASE WHEN r.rating_score IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS rated,
              CAST(SUM(COALESCE(r.rating_resolved, 0)) AS BIGINT) AS resolved, CAST(SUM(COALESCE(r.rating_score, 0)) AS BIGINT) AS score,
              CAST(SUM(CASE WHEN (r.responded_at IS NULL AND r.respond_by < \(bind: now)) OR (r.resolved_at IS NULL AND r.resolve_by < \(bind: now)) THEN 1 ELSE 0 END) AS BIGINT) AS overdue
            FROM requests r WHERE \(filter) GROUP BY r.\(unsafeRaw: level.column)
            """).all()
        var out: [UUID: Counts] = [:]
        for row in rows {
            guard let k = try row.decode(column: "k", as: UUID?.self) else { continue }
            out[k] = Counts(total: try RankingService.int(row, "total"), due: try RankingService.int(row, "due"), inTime: try RankingService.int(row, "in_time"),
                            rated: try RankingService.int(row, "rated"), resolved: try RankingService.int(row, "resolved"), score: try RankingService.int(row, "score"),
                            overdue: try RankingService.int(row, "overdue"))
        }
        return out
    }

    static func ranked(_ app: GongzhiApp, district: UUID, month: String, level: RankingService.Level, street: UUID?, now: Date) async throws -> [UUID: Counts] {
        let service = RankingService(database: app.database, whistle: WhistleService(database: app.database, requests: RequestService(database: app.database, store: app.store)))
        var out: [UUID: Counts] = [:]
        for r in try await service.ranking(district: district, month: month, level: level, streetId: street, now: now).rows where r.requests > 0 {
            out[r.id] = Counts(total: r.requests, due: r.counts.dispatched, inTime: r.counts.respondedInTime, rated: r.counts.rated, resolved: r.counts.resolved,
                               score: r.counts.scoreSum, overdue: r.overdue)
        }
        return out
    }

    static func cells(_ app: GongzhiApp) async throws -> [String] {
        try await app.database.db.sql().raw("""
            SELECT * FROM \(unsafeRaw: RankingTotals.table) WHERE filed <> 0 OR responded <> 0 OR rated <> 0
            ORDER BY district_id, month, street_id, community_id, compound_id, handler_kind, handler_id
            """).all().map { row in
            try ["compound_id", "handler_kind", "handler_id"].map { try row.decode(column: $0, as: String.self).lowercased() }.joined(separator: "/") + " "
                + RankingTotals.counts.map { "\(try RankingService.int(row, $0))" }.joined(separator: ",")
        }
    }

    @Test("after filing, answering late and in time, transfers to a community and a department, ratings that reopen, a merge and a deletion, every level's ranking equals the count over the requests — before, at and after the deadlines, swept or not, and after a swept request is answered or its deadline moved",
          arguments: TestDatabase.all)
    func totalsMatchTheRequests(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            let sql = app.database.db.sql()
            let service = RequestService(database: app.database, store: app.store)
            let compounds = try await sql.raw("SELECT id FROM compounds ORDER BY name LIMIT 3").all().map { try $0.decode(column: "id", as: UUID.self) }
            let community = try await sql.raw("SELECT id FROM communities ORDER BY name LIMIT 1").first()!.decode(column: "id", as: UUID.self)
            let department = try await sql.raw("SELECT id FROM departments ORDER BY name LIMIT 1").first()!.decode(column: "id", as: UUID.self)
            var filed: [RequestRecord] = []
            for i in 0..<18 { filed.append(try await service.file(MatrixWorld.system, FilingSpeedTests.phoneCall(compounds[i % compounds.count]))) }
            // Four more in one statement (a batch of filings), all in one cell, one of them merged into
            // another: on PostgreSQL counted once per statement, summed per cell, the merged one left out.
            let batch = (0..<4).map { i -> RequestService.Filing in
                var row = filed[0].row
                row.id = UUID.timeOrdered()
                row.mergedInto = i == 3 ? filed[1].id : nil
                return RequestService.Filing(ctx: MatrixWorld.system, row: row, day: Timestamp.today(row.receivedAt), handlerName: filed[0].handlerName ?? "",
                                             compoundName: filed[0].compoundName)
            }
            _ = try await app.database.db.transaction { tx in try await RequestService.write(batch, on: tx) }
            if case .postgres = db {
                let statementTriggers = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM pg_trigger WHERE tgrelid = 'requests'::regclass AND tgname = 'request_month_totals_add' AND (tgtype & 1) = 0
                    """).first()!.decode(column: "n", as: Int.self)
                #expect(statementTriggers == 1)
            }
            func at(_ hours: Double) -> AccessContext { .system("test", source: "test", now: testNow.addingTimeInterval(hours * 3600)) }
            // In time, late, never; resolved, rated satisfied, rated dissatisfied (reopens), rated resolved then closed.
            for (i, r) in filed.enumerated() {
                switch i % 6 {
                case 0: _ = try await service.act(at(1), r.id, .respond(note: nil))
                case 1:
                    _ = try await service.act(at(30), r.id, .respond(note: nil))
                    _ = try await service.act(at(31), r.id, .resolve(reply: "已处理"))
                case 2:
                    _ = try await service.act(at(2), r.id, .respond(note: nil))
                    _ = try await service.act(at(3), r.id, .resolve(reply: "已处理"))
                    _ = try await service.act(at(4), r.id, .rate(resolved: true, satisfaction: .satisfied, comment: nil))
                case 3:
                    _ = try await service.act(at(2), r.id, .respond(note: nil))
                    _ = try await service.act(at(3), r.id, .resolve(reply: "已处理"))
                    _ = try await service.act(at(4), r.id, .rate(resolved: false, satisfaction: .dissatisfied, comment: nil))
                case 4: _ = try await service.act(at(1), r.id, .transfer(kind: .community, id: community, reason: "归社区"))
                default: _ = try await service.act(at(1), r.id, .transfer(kind: .department, id: department, reason: "归部门"))
                }
            }
            // A reopened one rated again, a transferred one answered, a merge, and a request removed outright.
            _ = try await service.act(at(5), filed[3].id, .respond(note: nil))
            _ = try await service.act(at(6), filed[3].id, .resolve(reply: "再处理"))
            _ = try await service.act(at(7), filed[3].id, .rate(resolved: true, satisfaction: .basicallySatisfied, comment: nil))
            _ = try await service.act(at(2), filed[5].id, .respond(note: nil))
            _ = try await service.merge(at(8), filed[12].id, into: filed[6].id, note: nil)
            try await sql.raw("DELETE FROM request_events WHERE request_id = \(bind: filed[17].id)").run()
            try await sql.raw("DELETE FROM requests WHERE id = \(bind: filed[17].id)").run()

            let district = filed[0].districtId
            let month = try await sql.raw("SELECT month FROM requests WHERE id = \(bind: filed[0].id)").first()!.decode(column: "month", as: String.self)
            let street = try await sql.raw("SELECT street_id FROM requests WHERE id = \(bind: filed[0].id)").first()!.decode(column: "street_id", as: UUID.self)
            var compared = 0
            for hours in [0.5, 25.0, 24.0 * 8] {
                let now = testNow.addingTimeInterval(hours * 3600)
                for level in [RankingService.Level.company, .compound, .community, .street, .department] {
                    for s in [nil, street] {
                        let expected = try await Self.reference(app, district: district, month: month, level: level, street: s, now: now)
                        let got = try await Self.ranked(app, district: district, month: month, level: level, street: s, now: now)
                        #expect(got == expected, "\(db) \(level) street \(s != nil) at +\(hours) h")
                        compared += expected.count
                    }
                }
            }
            #expect(compared > 30)
            // The clock moves the counts: overdue and due differ between half an hour and eight days on.
            let early = try await Self.ranked(app, district: district, month: month, level: .street, street: nil, now: testNow.addingTimeInterval(1800))
            let late = try await Self.ranked(app, district: district, month: month, level: .street, street: nil, now: testNow.addingTimeInterval(8 * 86_400))
            #expect(late[street]!.overdue >= early[street]!.overdue + 5)
            #expect(late[street]!.due > early[street]!.due)
            // The cells the triggers kept are the cells a rebuild computes.
            let kept = try await Self.cells(app)
            try await RankingTotals.rebuild(on: sql)
            #expect(try await Self.cells(app) == kept)
            #expect(!kept.isEmpty)

            // The sweep counts what passed its deadline into the cells; the ranking stays the count
            // over the requests, swept or not, and whatever happens to a swept request afterwards.
            func compare(_ hours: Double, _ label: String) async throws {
                let now = testNow.addingTimeInterval(hours * 3600)
                for level in [RankingService.Level.company, .compound, .community, .street, .department] {
                    for s in [nil, street] {
                        let expected = try await Self.reference(app, district: district, month: month, level: level, street: s, now: now)
                        let got = try await Self.ranked(app, district: district, month: month, level: level, street: s, now: now)
                        #expect(got == expected, "\(db) \(label): \(level) street \(s != nil) at +\(hours) h")
                    }
                }
                // The board: the street's overdue count (from the late cells) and its overdue list
                // (swept and since the sweep), page by page, are those of the requests.
                let ctx = AccessContext.system("test", source: "test", now: now)
                let overdue = try await sql.raw("SELECT r.id FROM requests r WHERE r.street_id = \(bind: street) AND \(RequestService.overdue(now: now)) ORDER BY r.received_at DESC, r.id DESC")
                    .all().map { try $0.decode(column: "id", as: UUID.self) }
                #expect(try await service.overdueCount(ctx, streetId: street) == overdue.count, "\(db) \(label): overdue count at +\(hours) h")
                // Read with the since-sweep ones found first by id, and as when sweeps have failed
                // for a while (too many to take by id: gathered in the list's own query).
                var fallback = service
                fallback.sinceSweepLimit = 0
                for (way, reader) in [("by id", service), ("in the query", fallback)] {
                    var f = RequestFilter()
                    f.overdue = true
                    f.streetId = street
                    f.limit = 4
                    var listed: [UUID] = []
                    while true {
                        let page = try await reader.list(ctx, f)
                        listed += page.items.map(\.id)
                        guard let next = page.next else { break }
                        f.after = next
                    }
                    #expect(listed == overdue, "\(db) \(label): overdue list (\(way)) at +\(hours) h")
                }
            }
            func lateCells() async throws -> [Int64] {
                let row = try await sql.raw("SELECT \(unsafeRaw: RankingTotals.lateCounts.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")) FROM \(unsafeRaw: RankingTotals.table)").first()!
                return try RankingTotals.lateCounts.map { try RankingService.int(row, $0) }
            }
            func sweep(_ hours: Double) async throws -> Int { try await RankingTotals.sweep(now: testNow.addingTimeInterval(hours * 3600), on: sql) }
            _ = try await sweep(0.5)  // the demo's own late requests
            #expect(try await sweep(0.5) == 0)
            try await compare(0.5, "swept at +0.5 h")
            try await compare(25, "not yet swept at +25 h")
            let swept = try await sweep(25)
            #expect(swept >= 4, "unanswered at respond-by were marked")
            #expect(try await sweep(25) == 0, "a second sweep finds nothing")
            #expect(try await lateCells()[0] >= 4)
            try await compare(25, "swept at +25 h")
            try await compare(24 * 8, "swept at +25 h, asked at +8 days")
            // A swept late request answered afterwards leaves the late cells; one transferred too.
            let unanswered = try await sql.raw("SELECT id FROM requests WHERE swept_respond_by IS NOT NULL AND responded_at IS NULL AND merged_into IS NULL ORDER BY number").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            #expect(unanswered.count >= 2)
            _ = try await service.act(at(26), unanswered[0], .respond(note: nil))
            _ = try await service.act(at(26), unanswered[1], .transfer(kind: .department, id: department, reason: "改派"))
            try await compare(26, "swept, then answered and transferred")
            #expect(try await sweep(24 * 8) > 0)
            try await compare(24 * 8, "swept at +8 days")
            // A deadline moved (an extension) is no longer the deadline the sweep found passed: the
            // request leaves the late cells until its new deadline passes, and a sweep then counts it again.
            let moved = try await sql.raw("SELECT id FROM requests WHERE swept_resolve_by IS NOT NULL AND resolved_at IS NULL AND merged_into IS NULL ORDER BY number LIMIT 1").first()!
                .decode(column: "id", as: UUID.self)
            let before = try await lateCells()[1]
            try await sql.raw("UPDATE requests SET resolve_by = \(bind: testNow.addingTimeInterval(24 * 20 * 3600)) WHERE id = \(bind: moved)").run()
            #expect(try await lateCells()[1] == before - 1)
            try await compare(24 * 8, "deadline moved past the ask")
            try await compare(24 * 21, "moved deadline passed, not yet swept")
            #expect(try await sweep(24 * 21) >= 1)
            #expect(try await lateCells()[1] >= before)
            let again = try await sql.raw("SELECT CASE WHEN swept_resolve_by = resolve_by THEN 1 ELSE 0 END AS s FROM requests WHERE id = \(bind: moved)").first()!
            #expect(try RankingService.int(again, "s") == 1, "the moved deadline swept again")
            try await compare(24 * 21, "moved deadline swept")
            // And the cells kept through all this are the cells a rebuild computes.
            let keptLate = try await Self.cells(app)
            try await RankingTotals.rebuild(on: sql)
            #expect(try await Self.cells(app) == keptLate)
        }
    }
}
