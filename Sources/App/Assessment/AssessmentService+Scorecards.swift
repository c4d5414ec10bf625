import Domain
import FluentKit
import Foundation
import SQLKit

/// Scorecards: for a street (or a whole district, street by street) and a month, quarter or year,
/// each compound's and each company's score from its inspections, requests, ratings and party
/// building, pooled over the period and weighed by the street's settings (`ScorecardRules`).
extension AssessmentService {
    enum Level: String, RegistryCode { case company, compound }

    /// One compound's or company's score in one street.
    struct ScoreRow: Sendable {
        let id: UUID, name: String, streetId: UUID, streetName: String
        var inputs = ScoreInputs()
        var months: [String: ScoreInputs] = [:]
        var card = Scorecard()
        var monthCards: [(month: String, card: Scorecard)] = []
        var compounds: Set<UUID> = []
    }

    /// The district and the streets the caller reads scorecards of: district admins any street of
    /// theirs (all when none is named), street and community staff their street, company staff the
    /// streets they work in (their own company's rows only).
    func scoreScope(_ ctx: AccessContext, street: UUID?) async throws -> (district: UUID, street: UUID?, company: UUID?) {
        if let street {
            let place = try await streetPlace(ctx, street)
            if Policy.isStaffOver(ctx.actor, district: place.district, street: street, community: nil) { return (place.district, street, nil) }
            if ctx.actor.grants.contains(where: { $0.role == .communityStaff && $0.streetId == street }) { return (place.district, street, nil) }
            if let g = ctx.actor.grants.first(where: { $0.role == .companyStaff && $0.districtId == place.district }) { return (place.district, street, g.scopeId) }
            throw DomainError.forbidden(reason: "staff of the street, its district and its companies read scorecards")
        }
        for g in ctx.actor.grants {
            switch g.role {
            case .districtAdmin: return (g.scopeId, nil, nil)
            case .streetStaff: if let d = g.districtId { return (d, g.scopeId, nil) }
            case .communityStaff: if let d = g.districtId, let s = g.streetId { return (d, s, nil) }
            case .companyStaff: if let d = g.districtId { return (d, nil, g.scopeId) }
            default: continue
            }
        }
        throw DomainError.forbidden(reason: "staff of a street, its district and its companies read scorecards")
    }

    func scorecards(_ ctx: AccessContext, street: UUID?, period: AssessmentPeriod, level: Level) async throws -> [ScoreRow] {
        let scope = try await scoreScope(ctx, street: street)
        var rows = try await computeScores(district: scope.district, street: scope.street, period: period, level: level, now: ctx.now)
        if let company = scope.company {
            rows = rows.filter { level == .company ? $0.id == company : false }
        }
        return rows
    }

    /// Pools the period's submitted inspections and requests per street and compound or company.
    func computeScores(district: UUID, street: UUID?, period: AssessmentPeriod, level: Level, now: Date, on given: (any Database)? = nil) async throws -> [ScoreRow] {
        let db = given ?? self.db
        let first = period.months[0], last = period.months[period.months.count - 1]
        let streetFilter: SQLQueryString = street.map { " AND x.street_id = \(bind: $0)" } ?? ""
        var rows: [String: ScoreRow] = [:]
        let streets = Dictionary(try await db.sql().raw("SELECT id, name FROM streets WHERE district_id = \(bind: district)").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
        }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(try await db.sql().raw(level == .company ? "SELECT id, name FROM companies" : """
            SELECT p.id, p.name FROM compounds p JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id WHERE s.district_id = \(bind: district)
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }, uniquingKeysWith: { a, _ in a })
        func key(_ street: UUID, _ id: UUID) -> String { street.text + "|" + id.text }
        func touch(_ street: UUID, _ id: UUID) -> String {
            let k = key(street, id)
            if rows[k] == nil { rows[k] = ScoreRow(id: id, name: names[id] ?? "—", streetId: street, streetName: streets[street] ?? "—") }
            return k
        }
        let unit = level == .company ? "company_id" : "compound_id"
        for r in try await db.sql().raw("""
            SELECT x.street_id, x.\(unsafeRaw: unit) AS unit, x.compound_id, x.month, COUNT(*) AS n, CAST(SUM(x.service_earned) AS BIGINT) AS se,
            CAST(SUM(x.service_weight) AS BIGINT) AS sw, CAST(SUM(x.party_earned) AS BIGINT) AS pe, CAST(SUM(x.party_weight) AS BIGINT) AS pw
            FROM inspections x WHERE x.district_id = \(bind: district) AND x.month >= \(bind: first) AND x.month <= \(bind: last) AND x.status <> 'draft'
            AND x.\(unsafeRaw: unit) IS NOT NULL
            """ + streetFilter + " GROUP BY x.street_id, x.\(unsafeRaw: unit), x.compound_id, x.month").all() {
            let k = touch(try r.decode(column: "street_id", as: UUID.self), try r.decode(column: "unit", as: UUID.self))
            var x = ScoreInputs()
            x.inspections = try RankingService.int(r, "n"); x.serviceEarned = try RankingService.int(r, "se"); x.serviceWeight = try RankingService.int(r, "sw")
            x.partyEarned = try RankingService.int(r, "pe"); x.partyWeight = try RankingService.int(r, "pw")
            let month = try r.decode(column: "month", as: String.self)
            rows[k]!.inputs = rows[k]!.inputs + x
            rows[k]!.months[month] = (rows[k]!.months[month] ?? ScoreInputs()) + x
            rows[k]!.compounds.insert(try r.decode(column: "compound_id", as: UUID.self))
        }
        let requestUnit = level == .company ? "handler_company_id" : "compound_id"
        for r in try await db.sql().raw("""
            SELECT x.street_id, x.\(unsafeRaw: requestUnit) AS unit, x.compound_id, x.month,
            CAST(SUM(CASE WHEN x.responded_at IS NOT NULL OR x.respond_by < \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS due,
            CAST(SUM(x.responded_in_time) AS BIGINT) AS in_time, CAST(SUM(CASE WHEN x.rating_score IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS rated,
            CAST(SUM(COALESCE(x.rating_resolved, 0)) AS BIGINT) AS resolved, CAST(SUM(COALESCE(x.rating_score, 0)) AS BIGINT) AS score
            FROM requests x WHERE x.district_id = \(bind: district) AND x.month >= \(bind: first) AND x.month <= \(bind: last) AND x.merged_into IS NULL
            AND x.\(unsafeRaw: requestUnit) IS NOT NULL
            """ + streetFilter + " GROUP BY x.street_id, x.\(unsafeRaw: requestUnit), x.compound_id, x.month").all() {
            let k = touch(try r.decode(column: "street_id", as: UUID.self), try r.decode(column: "unit", as: UUID.self))
            var x = ScoreInputs()
            x.rates = RateCounts(dispatched: try RankingService.int(r, "due"), respondedInTime: try RankingService.int(r, "in_time"),
                                 rated: try RankingService.int(r, "rated"), resolved: try RankingService.int(r, "resolved"), scoreSum: try RankingService.int(r, "score"))
            let month = try r.decode(column: "month", as: String.self)
            rows[k]!.inputs = rows[k]!.inputs + x
            rows[k]!.months[month] = (rows[k]!.months[month] ?? ScoreInputs()) + x
            rows[k]!.compounds.insert(try r.decode(column: "compound_id", as: UUID.self))
        }
        var weights: [UUID: ScoreWeights] = [:]
        for s in Set(rows.values.map(\.streetId)) { weights[s] = try await settings(street: s, on: db).weights }
        var out = Array(rows.values)
        for i in out.indices {
            let w = weights[out[i].streetId] ?? .standard
            out[i].card = ScorecardRules.score(out[i].inputs, weights: w)
            out[i].monthCards = period.months.map { m in (m, ScorecardRules.score(out[i].months[m] ?? ScoreInputs(), weights: w)) }
        }
        // Best first by the exact score (no score last), then by street and name.
        // Inspected units first (they are ranked), best first by the exact score; then the rest the same way.
        out.sort { (a: ScoreRow, b: ScoreRow) -> Bool in
            if a.card.isRanked != b.card.isRanked { return a.card.isRanked }
            if let x = a.card.total, let y = b.card.total, x != y { return x > y }
            if (a.card.total == nil) != (b.card.total == nil) { return a.card.total != nil }
            return a.streetName != b.streetName ? a.streetName < b.streetName : a.name < b.name
        }
        return out
    }

    /// A compound's drill-down: its inspections and requests of the period.
    func compoundDetail(_ ctx: AccessContext, compound: UUID, period: AssessmentPeriod) async throws
        -> (row: ScoreRow?, inspections: [InspectionRecord], requests: [(id: UUID, number: String, category: String, status: String, rated: Int64?)]) {
        guard let place = try await requests.place(ofCompound: compound, on: db) else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
        let scope = try await scoreScope(ctx, street: place.streetId)
        guard scope.company == nil else { throw DomainError.forbidden(reason: "a compound's scorecard is read by staff") }
        let row = try await computeScores(district: place.districtId, street: place.streetId, period: period, level: .compound, now: ctx.now).first { $0.id == compound }
        let first = period.months[0], last = period.months[period.months.count - 1]
        let inspections = try await db.sql().raw("""
            \(unsafeRaw: InspectionRecord.select) WHERE i.compound_id = \(bind: compound) AND i.month >= \(bind: first) AND i.month <= \(bind: last) AND i.status <> 'draft'
            ORDER BY i.inspected_on
            """).all().map(InspectionRecord.init)
        let reqs = try await db.sql().raw("""
            SELECT id, number, category, status, rating_score FROM requests WHERE compound_id = \(bind: compound) AND month >= \(bind: first) AND month <= \(bind: last)
            AND merged_into IS NULL ORDER BY received_at LIMIT 500
            """).all().map { r in
            (try r.decode(column: "id", as: UUID.self), try r.decode(column: "number", as: String.self), try r.decode(column: "category", as: String.self),
             try r.decode(column: "status", as: String.self), try r.decode(column: "rating_score", as: Int64?.self))
        }
        return (row, inspections, reqs)
    }
}
