import Domain
import FluentKit
import Foundation
import SQLKit

/// Drives the assessment benchmark (`Benchmarks/AssessmentBenchmark`): the three rates' dashboard
/// of a loaded district, and a quarter's scorecards and lists after a quarter of inspections
/// (one a month for every compound, the standard checklist, a few findings each) is seeded in bulk.
public struct AssessmentBenchmark: Sendable {
    let app: GongzhiApp

    public init(app: GongzhiApp) { self.app = app }

    var service: AssessmentService {
        let requests = RequestService(database: app.database, store: app.store)
        return AssessmentService(database: app.database, requests: requests, decisions: DecisionService(database: app.database, store: app.store),
                                 uploads: UploadStore(directory: NSTemporaryDirectory()))
    }

    /// Seeds one submitted inspection a month of `quarter` for every compound; returns how many.
    public func seed(quarter text: String, now: Date, seed: UInt64 = 7) async throws -> Int {
        guard let quarter = AssessmentPeriod(text) else { throw DomainError.badRequest(message: "a period like 2026-Q3") }
        let compounds = try await app.database.db.sql().raw("""
            SELECT p.id, p.community_id, m.street_id, s.district_id FROM compounds p JOIN communities m ON m.id = p.community_id JOIN streets s ON s.id = m.street_id
            """).all().map { r in
            (id: try r.decode(column: "id", as: UUID.self), community: try r.decode(column: "community_id", as: UUID.self),
             street: try r.decode(column: "street_id", as: UUID.self), district: try r.decode(column: "district_id", as: UUID.self))
        }
        let checklist = InspectionRules.standard
        var rng = SeededRandom(seed: seed)
        let stamp = Bind.date(now)
        let inspectionColumns = ["id", "district_id", "street_id", "community_id", "compound_id", "company_id", "inspected_on", "month", "status", "inspector",
                                 "inspector_user_id", "service_earned", "service_weight", "party_earned", "party_weight", "score", "submitted_at", "answer",
                                 "answered_by", "answered_at", "created_at", "updated_at"]
        let lineColumns = ["id", "inspection_id", "position", "code", "section", "text", "weight", "deduction", "findings", "deducted", "note", "hazard", "request_id",
                           "created_at", "updated_at"]
        var total = 0
        for month in quarter.months {
            let day = CivilDate(month: month)!.adding(days: 9)
            let companies = try await Dictionary(app.database.db.sql().raw("""
                SELECT compound_id, company_id FROM contracts WHERE starts_on <= \(bind: day.description) AND (ends_on IS NULL OR ends_on >= \(bind: day.description))
                """).all().map { (try $0.decode(column: "compound_id", as: UUID.self), try $0.decode(column: "company_id", as: UUID.self)) }, uniquingKeysWith: { a, _ in a })
            for start in stride(from: 0, to: compounds.count, by: 1_000) {
                var inspections: [[any SQLExpression]] = [], lines: [[any SQLExpression]] = []
                for c in compounds[start..<min(start + 1_000, compounds.count)] {
                    let id = rng.uuid()
                    var findings: [InspectionFinding] = []
                    for (n, item) in checklist.enumerated() {
                        let found = rng.chance(8) ? Int64(rng.int(1...2)) : 0
                        let hazard: HazardMark = found > 0 && item.section.mayBeHazard && rng.chance(2) ? .unreported : .none
                        findings.append(InspectionFinding(item: item, findings: found, hazard: hazard))
                        lines.append([Bind.uuid(rng.uuid()), Bind.uuid(id), Bind.int(n), Bind.text(item.code), Bind.text(item.section.rawValue), Bind.text(item.text),
                                      Bind.int(item.weight), Bind.int(item.deduction), Bind.int(found), Bind.int(InspectionRules.deducted(item, findings: found)),
                                      SQLLiteral.null, Bind.text(hazard.rawValue), SQLLiteral.null, stamp, stamp])
                    }
                    let s = InspectionRules.score(findings)
                    inspections.append([Bind.uuid(id), Bind.uuid(c.district), Bind.uuid(c.street), Bind.uuid(c.community), Bind.uuid(c.id), Bind.uuid(companies[c.id]),
                                        Bind.text(day.description), Bind.text(month), Bind.text("submitted"), Bind.text("bench"), SQLLiteral.null,
                                        Bind.int(s.serviceEarned), Bind.int(s.serviceWeight), Bind.int(s.partyEarned), Bind.int(s.partyWeight), Bind.int(s.total),
                                        stamp, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, stamp, stamp])
                }
                let (i, l) = (inspections, lines)
                try await app.database.db.transaction { tx in
                    try await BulkWriter(db: tx).insert("inspections", columns: inspectionColumns, rows: i)
                    try await BulkWriter(db: tx).insert("inspection_lines", columns: lineColumns, rows: l)
                }
                total += i.count
            }
        }
        if app.database.isPostgres { try await app.database.db.sql().raw("ANALYZE").run() } else { try await app.database.db.sql().raw("ANALYZE").run() }
        return total
    }

    /// Times the coverage dashboard (district, a street, the district's compounds missing a rate)
    /// and the quarter's scorecards and a street's list; (what, rows, seconds), best of `repeats`.
    public func run(quarter text: String, now: Date, repeats: Int = 3) async throws -> [(String, Int, Double)] {
        guard let quarter = AssessmentPeriod(text) else { throw DomainError.badRequest(message: "a period like 2026-Q3") }
        let sql = app.database.db.sql()
        let district = try await sql.raw("SELECT id FROM districts LIMIT 1").first()!.decode(column: "id", as: UUID.self)
        let street = try await sql.raw("SELECT street_id FROM inspections GROUP BY street_id ORDER BY COUNT(*) DESC, street_id LIMIT 1").first()!.decode(column: "street_id", as: UUID.self)
        let ctx = AccessContext.system("bench", source: "bench", now: now)
        let coverage = CoverageService(database: app.database), assessment = service
        let cases: [(String, () async throws -> Int)] = [
            ("coverage · district dashboard (rates and streets)", {
                let u = try await coverage.unit(ctx, level: .district, id: district)
                return try await coverage.overview(ctx, u).children.count
            }),
            ("coverage · one street's dashboard (rates and communities)", {
                let u = try await coverage.unit(ctx, level: .street, id: street)
                return try await coverage.overview(ctx, u).children.count
            }),
            ("coverage · district compounds missing a committee", {
                let u = try await coverage.unit(ctx, level: .district, id: district)
                return try await coverage.compounds(ctx, u, missing: .committee).count
            }),
            ("scorecards · district quarter by company", {
                try await assessment.computeScores(district: district, street: nil, period: quarter, level: .company, now: now).count
            }),
            ("scorecards · district quarter by compound", {
                try await assessment.computeScores(district: district, street: nil, period: quarter, level: .compound, now: now).count
            }),
            ("scorecards · one street's quarter by compound", {
                try await assessment.computeScores(district: district, street: street, period: quarter, level: .compound, now: now).count
            }),
            ("lists · one street's quarter (scores and triggers)", {
                try await assessment.preview(street: street, district: district, period: quarter, now: now, on: app.database.db).placings.count
            }),
        ]
        var out: [(String, Int, Double)] = []
        for (label, body) in cases {
            var best = Double.infinity, rows = 0
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                rows = try await body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            out.append((label, rows, best))
        }
        return out
    }
}
