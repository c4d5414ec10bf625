import Domain
import FluentKit
import Foundation
import SQLKit

/// The monthly ranking by the three rates and the composite, per company, compound, community,
/// street or department — always computed from the requests (the month's totals the database keeps
/// as they are written, `RankingTotals`, and its requests already late), never typed in.
struct RankingService: Sendable {
    let database: AppDatabase
    let whistle: WhistleService

    enum Level: String, RegistryCode {
        case company, compound, community, street, department

        /// The column that groups requests and the table that names the group.
        var column: String {
            switch self {
            case .company: "handler_company_id"
            case .department: "handler_department_id"
            case .compound: "compound_id"
            case .community: "community_id"
            case .street: "street_id"
            }
        }

        var table: String {
            switch self {
            case .company: "companies"
            case .department: "departments"
            case .compound: "compounds"
            case .community: "communities"
            case .street: "streets"
            }
        }
    }

    struct Row: Sendable {
        let id: UUID
        let name: String
        let requests: Int64
        let overdue: Int64
        let counts: RateCounts
        let rates: ServiceRates
        let composite: Int64?
        /// Departments: whistle-case reports on time ÷ due.
        var reportsOnTime: Ratio?
        /// Enough rated requests to be ranked (`RankOrder`); the rest are listed apart.
        var sampleSufficient = true
        /// Competition rank among the sufficient ones; nil for the rest.
        var rank: Int?
    }

    /// `YYYY-MM` → the month's start and end as instants (Beijing midnight).
    static func bounds(month: String) -> (Date, Date)? {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (2000...2100).contains(y), (1...12).contains(m), parts[1].count == 2 else { return nil }
        let start = CivilTime.beijingMidnight(CivilDate(year: y, month: m, day: 1))
        let end = CivilTime.beijingMidnight(m == 12 ? CivilDate(year: y + 1, month: 1, day: 1) : CivilDate(year: y, month: m + 1, day: 1))
        return (start, end)
    }

    /// The ranking, best composite first (exact fractions, cross-multiplied); ties by name.
    /// Response rate counts the requests already due a response (responded, or past respond-by);
    /// resolution and satisfaction count the rated ones, by their latest rating.
    ///
    /// The month's counts are summed from `RankingTotals` (a few cells per unit, however many
    /// requests the month had): the fixed ones, and the late ones as of the last sweep. What moved
    /// with the clock since — requests whose deadline passed after the last sweep, still without
    /// their step — is counted from those requests alone, read through the unswept indexes.
    func ranking(district: UUID, month: String, level: Level, streetId: UUID?, now: Date) async throws -> (settings: RequestSettings, rows: [Row]) {
        let settings = try await RequestSettings.load(district: district, on: database.db)
        let sql = database.reads.sql()
        // A duplicate merged into another request is counted once, by the one that carries on (the cells leave it out).
        var cells: SQLQueryString = "t.district_id = \(bind: district) AND t.month = \(bind: month)"
        if let s = streetId { cells += " AND t.street_id = \(bind: s)" }
        if level == .company { cells += " AND t.handler_kind = 'company'" }
        if level == .department { cells += " AND t.handler_kind = 'department'" }
        let cellColumn = level == .company || level == .department ? "handler_id" : level.column
        let sums = (RankingTotals.counts.map { "CAST(SUM(t.\($0)) AS BIGINT) AS \($0)" }).joined(separator: ", ")
        let totals: SQLQueryString = """
            SELECT g.*, n.name FROM (
              SELECT t.\(unsafeRaw: cellColumn) AS k, \(unsafeRaw: sums)
              FROM \(unsafeRaw: RankingTotals.table) t WHERE \(cells) GROUP BY t.\(unsafeRaw: cellColumn) HAVING SUM(t.filed) > 0
            ) g JOIN \(unsafeRaw: level.table) n ON n.id = g.k
            """
        // Since the last sweep, from the requests (`RankingTotals.sinceSweep`).
        var filter: SQLQueryString = "r.district_id = \(bind: district) AND r.month = \(bind: month)"
        if let s = streetId { filter += " AND r.street_id = \(bind: s)" }
        if level == .company { filter += " AND r.handler_kind = 'company'" }
        if level == .department { filter += " AND r.handler_kind = 'department'" }
        let moving = try await RankingTotals.sinceSweep(filter, group: level.column, now: now, on: sql)
        var rows = try await sql.raw(totals).all().map { row -> Row in
            let id = try row.decode(column: "k", as: UUID.self)
            let m = moving[id] ?? RankingTotals.Late()
            let a = try Self.int(row, "late_unanswered") + m.a, b = try Self.int(row, "late_unresolved") + m.b, both = try Self.int(row, "late_both") + m.both
            let counts = RateCounts(dispatched: try Self.int(row, "responded") + a, respondedInTime: try Self.int(row, "in_time"), rated: try Self.int(row, "rated"),
                                    resolved: try Self.int(row, "resolved"), scoreSum: try Self.int(row, "score"))
            let rates = ServiceRates(counts: counts)
            return Row(id: id, name: try row.decode(column: "name", as: String.self), requests: try Self.int(row, "filed"),
                       overdue: a + b - both, counts: counts, rates: rates, composite: rates.composite(settings.weights))
        }
        if level == .department, let (from, to) = Self.bounds(month: month) {
            let reports = try await whistle.departmentReports(district: district, from: from, to: to, now: now)
            for i in rows.indices { rows[i].reportsOnTime = reports[rows[i].id] ?? Ratio(0, 0) }
            // Departments summoned to cases but handling no requests this month still show their reports.
            for (dept, ratio) in reports where !rows.contains(where: { $0.id == dept }) {
                guard let name = try await database.db.sql().raw("SELECT name FROM departments WHERE id = \(bind: dept)").first()?.decode(column: "name", as: String.self) else { continue }
                var row = Row(id: dept, name: name, requests: 0, overdue: 0, counts: RateCounts(), rates: ServiceRates(counts: RateCounts()), composite: nil)
                row.reportsOnTime = ratio
                rows.append(row)
            }
        }
        for i in rows.indices { rows[i].sampleSufficient = RankOrder.hasSample(rated: rows[i].counts.rated, minimum: settings.minimumRated) }
        // Ranked units first, best composite first; then those with too few ratings, in the same order.
        rows.sort { a, b in
            if a.sampleSufficient != b.sampleSufficient { return a.sampleSufficient }
            let c = ServiceRates.compareComposite(a.rates, b.rates, settings.weights)
            return c != 0 ? c > 0 : a.name < b.name
        }
        let ranked = rows.prefix { $0.sampleSufficient }.count
        let ranks = RankOrder.ranks(count: ranked) { ServiceRates.compareComposite(rows[$0].rates, rows[$0 - 1].rates, settings.weights) == 0 }
        for i in 0..<ranked { rows[i].rank = ranks[i] }
        return (settings, rows)
    }

    /// SUMs come back as integers or (PostgreSQL's numeric) as text-like decimals; read either.
    static func int(_ row: any SQLRow, _ column: String) throws -> Int64 {
        if let i = try? row.decode(column: column, as: Int64?.self) { return i ?? 0 }
        if let d = try? row.decode(column: column, as: Double?.self) { return Int64(d ?? 0) }
        if let s = try? row.decode(column: column, as: String?.self) { return Int64(s ?? "0") ?? 0 }
        return 0
    }

    /// The ranking as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese names).
    static func csv(_ rows: [Row], level: Level, t: Localizer) -> String {
        var lines = [[t("rank.rank"), t("rank.name"), t("rank.requests"), t("rank.response"), t("rank.resolution"), t("rank.satisfaction"), t("rank.composite"),
                      t("rank.overdue")] + (level == .department ? [t("rank.reportsOnTime")] : [])]
        for r in rows {
            lines.append([r.rank.map(String.init) ?? t("rank.insufficient"), r.name, "\(r.requests)", r.rates.response.percentText, r.rates.resolution.percentText, r.rates.satisfaction.percentText,
                          r.composite.map { FixedPoint2.format($0) } ?? "", "\(r.overdue)"] + (level == .department ? [r.reportsOnTime?.percentText ?? "—"] : []))
        }
        return "\u{FEFF}" + lines.map(CSV.line).joined(separator: "\r\n") + "\r\n"
    }
}
