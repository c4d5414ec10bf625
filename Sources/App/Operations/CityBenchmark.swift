import Domain
import FluentKit
import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// Drives the city-year benchmark (`Benchmarks/CityBenchmark`): a demo district on PostgreSQL
/// grows to a year of a big city's requests (Beijing's 12345 took about 22 million in 2024), seeded
/// in bulk with COPY, and the pages a district lives on are timed at each size — the monthly
/// ranking (a finished month and the current one), a street's request list, its board, and one
/// request's page.
public struct CityBenchmark: Sendable {
    let app: GongzhiApp
    let url: String

    public init(app: GongzhiApp, postgresURL: String) {
        self.app = app
        self.url = postgresURL
    }

    struct Compound { let id, community, street, district: UUID; let company: UUID? }

    /// How the seeded year turns out, per request (general urgency: respond in 24 h, resolve in 7 days):
    /// 95% answered within 20 hours, 4.9% a day or two late, 0.1% never; resolved 1 hour to 6 days
    /// after the answer (90%), 6 to 12 days (9.7%), never (0.3%); 70% of the resolved rated, 85%
    /// of those as resolved, satisfied 75%, basically satisfied 15%, dissatisfied 10%. Whatever
    /// would happen after `now` has not happened yet.
    public static let outcomes = "95% answered within 20 h, 4.9% 1–2 days late, 0.1% never; resolved 1 h–6 days later (90%), 6–12 days (9.7%), never (0.3%); 70% of the resolved rated"

    /// Adds `count` requests received over the 365 days before `now`, spread over the district's
    /// compounds, with COPY on one connection that skips triggers and foreign-key checks (the ids
    /// come from the registry) while the table's secondary indexes are off, each row's passed
    /// deadlines marked as swept; then builds the indexes again, rebuilds `RankingTotals` and analyses the table.
    public func seedYear(_ count: Int, seed: UInt64, now: Date) async throws {
        let today = Timestamp.today(now).description
        let compounds = try await app.database.db.sql().raw("""
            SELECT p.id, p.community_id, m.street_id, s.district_id,
              (SELECT k.company_id FROM contracts k WHERE k.compound_id = p.id AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today))
               ORDER BY k.starts_on DESC LIMIT 1) AS company_id
            FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id ORDER BY p.id
            """).all().map { r in
            Compound(id: try r.decode(column: "id", as: UUID.self), community: try r.decode(column: "community_id", as: UUID.self),
                     street: try r.decode(column: "street_id", as: UUID.self), district: try r.decode(column: "district_id", as: UUID.self),
                     company: try r.decode(column: "company_id", as: UUID?.self))
        }
        guard !compounds.isEmpty else { throw DomainError.badRequest(message: "load a district first") }
        let columns = ["id", "number", "channel", "category", "urgency", "description", "district_id", "street_id", "community_id", "compound_id", "status",
                       "handler_kind", "handler_company_id", "handler_community_id", "received_at", "month", "respond_by", "resolve_by", "dispatched_at",
                       "responded_at", "resolved_at", "rated_at", "responded_in_time", "rating_resolved", "rating_satisfaction", "rating_score", "reopen_count",
                       "version", "created_at", "updated_at", "swept_respond_by", "swept_resolve_by"]
        // Secondary indexes are dropped for the COPY and built again after it, a bulk load's usual
        // order: with the table's twenty-odd indexes in place COPY ran at 3,000–12,000 rows a second
        // at 22 million (random keys touch every index everywhere). Constraints keep theirs.
        let sql = app.database.db.sql()
        let indexes = try await sql.raw("""
            SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = 'requests'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY c.relname
            """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "definition", as: String.self)) }
        for (name, _) in indexes { try await sql.raw("DROP INDEX \(ident: name)").run() }
        let config = try SQLPostgresConfiguration(url: url)
        let logger = Logger(label: "city-bench")
        let connection = try await PostgresConnection.connect(on: app.database.eventLoopGroup.any(), configuration: config.coreConfiguration, id: 1, logger: logger)
        // Replication role: no triggers, no foreign-key checks for this session's COPY.
        _ = try await connection.query("SET session_replication_role = replica", logger: logger)
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let yearStart = nowSeconds - 365 * 86_400
        let scores = RateWeights.standard.scores
        do {
            try await connection.copyFrom(table: "requests", columns: columns, logger: logger) { writer in
                var rng = SeededRandom(seed: seed)
                var row = CopyRow()
                var buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
                for i in 0..<count {
                    let c = compounds[Int(rng.next() % UInt64(compounds.count))]
                    let received = yearStart + Int64(rng.next() % UInt64(nowSeconds - yearStart))
                    let respondBy = received + 24 * 3600, resolveBy = received + 7 * 86_400
                    let r1 = rng.next() % 1000
                    var responded: Int64? = r1 < 950 ? received + 600 + Int64(rng.next() % (20 * 3600)) : r1 < 999 ? received + 86_400 + Int64(rng.next() % 86_400) : nil
                    if let t = responded, t >= nowSeconds { responded = nil }
                    var resolved: Int64?
                    if let t = responded {
                        let r2 = rng.next() % 1000
                        resolved = r2 < 900 ? t + 3600 + Int64(rng.next() % (6 * 86_400)) : r2 < 997 ? t + 6 * 86_400 + Int64(rng.next() % (6 * 86_400)) : nil
                        if let s = resolved, s >= nowSeconds { resolved = nil }
                    }
                    var rated: Int64?
                    if let s = resolved, rng.next() % 100 < 70 {
                        rated = s + 3600 + Int64(rng.next() % (2 * 86_400))
                        if let q = rated, q >= nowSeconds { rated = nil }
                    }
                    let ratedResolved = rng.next() % 100 < 85
                    let r3 = rng.next() % 100
                    let satisfaction: Satisfaction = r3 < 75 ? .satisfied : r3 < 90 ? .basicallySatisfied : .dissatisfied
                    row.reset()
                    row.uuid(rng.uuid()); row.text("CITY-\(seed)-\(i)"); row.text("hotline"); row.text(RequestCategory.allCases[Int(rng.next() % 8)].rawValue)
                    row.text("general"); row.text("城市一年负载"); row.uuid(c.district); row.uuid(c.street); row.uuid(c.community); row.uuid(c.id)
                    row.text(rated != nil ? "rated" : resolved != nil ? "resolved" : responded != nil ? "responded" : "dispatched")
                    row.text(c.company == nil ? "community" : "company"); row.uuid(c.company); row.uuid(c.company == nil ? c.community : nil)
                    row.time(received); row.month(received); row.time(respondBy); row.time(resolveBy); row.time(received)
                    row.time(responded); row.time(resolved); row.time(rated)
                    row.int(responded.map { $0 <= respondBy } == true ? 1 : 0)
                    if rated != nil {
                        row.int(ratedResolved ? 1 : 0); row.text(satisfaction.rawValue); row.int(scores[satisfaction] ?? 0)
                    } else {
                        row.null(); row.null(); row.null()
                    }
                    row.int(0); row.int(1); row.time(nowSeconds); row.time(nowSeconds)
                    // As the server's minute-by-minute sweep would have left them: passed deadlines without their step.
                    row.time(responded == nil && respondBy < nowSeconds ? respondBy : nil)
                    row.time(resolved == nil && resolveBy < nowSeconds ? resolveBy : nil)
                    row.end()
                    buffer.writeBytes(row.bytes)
                    if buffer.readableBytes > 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        } catch {
            try? await connection.close()
            for (_, definition) in indexes { try? await sql.raw(SQLQueryString(definition)).run() }
            throw error
        }
        try await connection.close()
        for (_, definition) in indexes { try await sql.raw(SQLQueryString(definition)).run() }
        // The COPY marked the passed deadlines as swept; a sweep now finds none (unless a row was missed).
        try await RankingTotals.sweep(now: now, on: sql)
        try await RankingTotals.rebuild(on: sql)
        try await app.database.db.sql().raw("VACUUM ANALYZE requests").run()
        try await app.database.db.sql().raw("VACUUM ANALYZE \(unsafeRaw: RankingTotals.table)").run()
    }

    /// Each query behind the pages, timed `repeats` times (best shown): (what, rows, seconds).
    public func run(now: Date, repeats: Int = 5) async throws -> [(String, Int, Double)] {
        let db = app.database.db.sql()
        let requests = RequestService(database: app.database, store: app.store)
        let whistle = WhistleService(database: app.database, requests: requests)
        let ranking = RankingService(database: app.database, whistle: whistle)
        let district = try await db.raw("SELECT id FROM districts ORDER BY code LIMIT 1").first()!.decode(column: "id", as: UUID.self)
        // The street staff of the demo (jiedao01), as signed in.
        let userId = try await db.raw("SELECT id FROM users WHERE username = 'jiedao01'").first()!.decode(column: "id", as: UUID.self)
        let info = try await AuthService(database: app.database, bcryptCost: 4).userInfo(userId, on: app.database.db)
        let ctx = AccessContext(actor: Actor(kind: .user, id: userId, label: "jiedao01", grants: info.grants), source: "bench", address: nil, now: now)
        let street = info.grants.first { $0.role == .streetStaff }?.scopeId
        let current = String(Timestamp.today(now).description.prefix(7))
        let past = RankingService.bounds(month: current).map { Timestamp.today($0.0.addingTimeInterval(-86_400)).description.prefix(7) }.map(String.init)!
        var out: [(String, Int, Double)] = []
        // The minute's sweep first, as the server would have run it (timed once: a second finds nothing).
        let t0 = DispatchTime.now().uptimeNanoseconds
        let swept = try await RankingTotals.sweep(now: now, on: db)
        out.append(("late sweep (deadlines passed since the last)", swept, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        if swept > 1_000 {
            // A first sweep over a year (after `KeepLateCounts` on a kept database) leaves the
            // unswept indexes full of dead entries and the statistics stale: what autovacuum clears.
            try await db.raw("VACUUM ANALYZE requests").run()
            try await db.raw("VACUUM ANALYZE \(unsafeRaw: RankingTotals.table)").run()
        }
        func time(_ label: String, _ body: () async throws -> Int) async throws {
            var best = Double.infinity
            var rows = 0
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                rows = try await body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            out.append((label, rows, best))
        }
        for month in [past, current] {
            for (label, level) in [("companies", RankingService.Level.company), ("compounds", .compound), ("streets", .street)] {
                try await time("ranking \(month) · district by \(label)") {
                    try await ranking.ranking(district: district, month: month, level: level, streetId: nil, now: now).rows.count
                }
            }
        }
        var f = RequestFilter()
        f.limit = 50
        try await time("street staff · request list, first 50") { try await requests.list(ctx, f).items.count }
        try await time("street staff · board (overdue list, count, open cases)") {
            var o = RequestFilter()
            o.overdue = true
            o.streetId = street
            o.limit = RequestWeb.boardRows
            let list = try await requests.list(ctx, o).items.count
            _ = try await requests.overdueCount(ctx, streetId: street)
            return list + (try await whistle.list(ctx, status: .open, streetId: street).count)
        }
        let ids = try await requests.list(ctx, f).items.map(\.id)
        var k = 0
        try await time("street staff · one request's page (record, standing, timeline)") {
            let id = ids[k % max(1, ids.count)]
            k += 1
            _ = try await requests.get(ctx, id)
            return try await requests.timeline(id).count
        }
        return out
    }

    /// Requests in the database, and the table's size with its indexes.
    public func size() async throws -> (requests: Int64, bytes: Int64) {
        let row = try await app.database.db.sql().raw("SELECT COUNT(*) AS n, pg_total_relation_size('requests') AS b FROM requests").first()!
        return (try row.decode(column: "n", as: Int64.self), try row.decode(column: "b", as: Int64.self))
    }
}

/// One row of `COPY … FROM STDIN` text format: tab-separated, `\N` for NULL, times as UTC.
/// (The seeded texts hold no tab, newline or backslash, so nothing needs escaping.)
struct CopyRow {
    var bytes: [UInt8] = []
    private var first = true

    init() { bytes.reserveCapacity(768) }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        first = true
    }

    private mutating func separate() {
        if !first { bytes.append(0x09) }
        first = false
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: [0x5C, 0x4E])
    }

    mutating func text(_ s: String) {
        separate()
        bytes.append(contentsOf: s.utf8)
    }

    mutating func uuid(_ u: UUID?) {
        guard let u else { return null() }
        text(u.text)
    }

    mutating func int(_ i: Int64) {
        text(String(i))
    }

    private mutating func digits(_ v: Int64, _ width: Int) {
        var d = [UInt8](repeating: 0x30, count: width)
        var x = v
        for i in stride(from: width - 1, through: 0, by: -1) {
            d[i] = 0x30 + UInt8(x % 10)
            x /= 10
        }
        bytes.append(contentsOf: d)
    }

    /// `YYYY-MM-DD HH:MM:SS+00` for epoch seconds.
    mutating func time(_ seconds: Int64?) {
        guard let s = seconds else { return null() }
        separate()
        let (y, m, d) = Self.civil(days: s / 86_400)
        let t = s % 86_400
        digits(y, 4); bytes.append(0x2D); digits(m, 2); bytes.append(0x2D); digits(d, 2); bytes.append(0x20)
        digits(t / 3600, 2); bytes.append(0x3A); digits(t / 60 % 60, 2); bytes.append(0x3A); digits(t % 60, 2)
        bytes.append(contentsOf: [0x2B, 0x30, 0x30])
    }

    /// `YYYY-MM` of the instant in Beijing (UTC+8, no daylight saving).
    mutating func month(_ seconds: Int64) {
        separate()
        let (y, m, _) = Self.civil(days: (seconds + Int64(CivilTime.beijingOffset)) / 86_400)
        digits(y, 4); bytes.append(0x2D); digits(m, 2)
    }

    mutating func end() { bytes.append(0x0A) }

    /// Days since 1970-01-01 → (year, month, day), by `CivilDate`'s rule.
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let d = CivilDate(dayNumber: Int(days))
        return (Int64(d.year), Int64(d.month), Int64(d.day))
    }
}
