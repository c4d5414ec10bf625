import Domain
import FluentKit
import Foundation
import SQLKit

/// Drives the monthly-ranking benchmark (`Benchmarks/RequestBenchmark`): fills a district with
/// synthetic requests of one month and times the ranking queries the pages and API run.
public struct RankingBenchmark: Sendable {
    let app: GongzhiApp

    public init(app: GongzhiApp) { self.app = app }

    /// Adds `count` requests received in `month` (`YYYY-MM`), spread over the district's compounds and
    /// handled by the company serving each (else its community), with a mix of outcomes.
    public func seed(_ count: Int, month: String, seed: UInt64, now: Date) async throws {
        guard let (start, end) = RankingService.bounds(month: month) else { throw DomainError.badRequest(message: "month is YYYY-MM") }
        let today = Timestamp.today(now).description
        let compounds = try await app.database.db.sql().raw("""
            SELECT p.id, p.community_id, m.street_id, s.district_id,
              (SELECT k.company_id FROM contracts k WHERE k.compound_id = p.id AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today))
               ORDER BY k.starts_on DESC LIMIT 1) AS company_id
            FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id
            """).all().map { r in
            (id: try r.decode(column: "id", as: UUID.self), community: try r.decode(column: "community_id", as: UUID.self),
             street: try r.decode(column: "street_id", as: UUID.self), district: try r.decode(column: "district_id", as: UUID.self),
             company: try r.decode(column: "company_id", as: UUID?.self))
        }
        guard !compounds.isEmpty else { throw DomainError.badRequest(message: "load a district first") }
        var rng = SeededRandom(seed: seed)
        let span = end.timeIntervalSince(start)
        let columns = ["id", "number", "channel", "category", "urgency", "description", "district_id", "street_id", "community_id", "compound_id", "status",
                       "handler_kind", "handler_company_id", "handler_community_id", "received_at", "month", "respond_by", "resolve_by", "dispatched_at",
                       "responded_at", "resolved_at", "rated_at", "responded_in_time", "rating_resolved", "rating_satisfaction", "rating_score", "reopen_count",
                       "version", "created_at", "updated_at"]
        let stamp = Bind.date(now)
        var done = 0
        while done < count {
            let batch = min(20_000, count - done)
            var rows: [[any SQLExpression]] = []
            rows.reserveCapacity(batch)
            for i in 0..<batch {
                let c = compounds[rng.int(0...(compounds.count - 1))]
                let received = start.addingTimeInterval(Double(rng.int(0...Int(span) - 1)))
                let d = DeadlinePolicy.standard.deadlines(.general, receivedAt: received)
                let responded = rng.chance(90) ? received.addingTimeInterval(Double(rng.int(600...129_600))) : nil
                let rated = responded != nil && rng.chance(70)
                let resolved = rated && rng.chance(85)
                let satisfaction: Satisfaction = !rated ? .satisfied : rng.chance(75) ? .satisfied : rng.chance(60) ? .basicallySatisfied : .dissatisfied
                let company = c.company
                rows.append([
                    Bind.uuid(rng.uuid()), Bind.text("BENCH-\(seed)-\(done + i)"), Bind.text("hotline"), Bind.text(RequestCategory.allCases[rng.int(0...7)].rawValue),
                    Bind.text("general"), Bind.text("benchmark"), Bind.uuid(c.district), Bind.uuid(c.street), Bind.uuid(c.community), Bind.uuid(c.id),
                    Bind.text(rated ? "rated" : responded != nil ? "responded" : "dispatched"), Bind.text(company == nil ? "community" : "company"),
                    Bind.uuid(company), Bind.uuid(company == nil ? c.community : nil), Bind.date(received), Bind.text(month), Bind.date(d.respondBy),
                    Bind.date(d.resolveBy), Bind.date(received), responded.map { Bind.date($0) } ?? SQLLiteral.null,
                    rated ? Bind.date(responded!.addingTimeInterval(86_400)) : SQLLiteral.null, rated ? Bind.date(responded!.addingTimeInterval(90_000)) : SQLLiteral.null,
                    Bind.int(responded.map { $0 <= d.respondBy } == true ? 1 : 0), rated ? Bind.int(resolved ? 1 : 0) : SQLLiteral.null,
                    rated ? Bind.text(satisfaction.rawValue) : SQLLiteral.null, rated ? Bind.int(RateWeights.standard.scores[satisfaction] ?? 0) : SQLLiteral.null,
                    Bind.int(0), Bind.int(1), stamp, stamp,
                ])
            }
            let batchRows = rows
            try await app.database.db.transaction { tx in try await BulkWriter(db: tx).insert("requests", columns: columns, rows: batchRows) }
            done += batch
        }
        if app.database.isPostgres { try await app.database.db.sql().raw("ANALYZE requests").run() } else { try await app.database.db.sql().raw("ANALYZE").run() }
    }

    /// Times the month's ranking at each level for the whole district, and for one street; returns
    /// (what, rows, seconds), the best of `repeats` runs each.
    public func run(month: String, now: Date, repeats: Int = 3) async throws -> [(String, Int, Double)] {
        let whistle = WhistleService(database: app.database, requests: RequestService(database: app.database, store: app.store))
        let service = RankingService(database: app.database, whistle: whistle)
        let district = try await app.database.db.sql().raw("SELECT id FROM districts LIMIT 1").first()!.decode(column: "id", as: UUID.self)
        let street = try await app.database.db.sql().raw("SELECT street_id FROM requests GROUP BY street_id ORDER BY COUNT(*) DESC LIMIT 1").first()!.decode(column: "street_id", as: UUID.self)
        var out: [(String, Int, Double)] = []
        for (label, level, streetId) in [("district · companies", RankingService.Level.company, nil), ("district · compounds", .compound, nil),
                                         ("district · streets", .street, nil), ("one street · compounds", .compound, street as UUID?)] {
            var best = Double.infinity
            var rows = 0
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                rows = try await service.ranking(district: district, month: month, level: level, streetId: streetId, now: now).rows.count
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            out.append((label, rows, best))
        }
        return out
    }
}
