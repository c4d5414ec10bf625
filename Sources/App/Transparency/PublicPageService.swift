import Domain
import FluentKit
import Foundation
import SQLKit

/// A compound's public page (公开页): what anyone with the link may know without signing in, as
/// `PublicPageRules` allows — the company and its contract, the committee and its term (no
/// member's name), this month's and last month's request rates and rank in the street, ended
/// votes' results by owners and area (no candidate or room), the fund's balance and spending,
/// and the notices up today (titles only). Closed when the district turned public pages off.
struct PublicPageService: Sendable {
    let database: AppDatabase
    let rankings: RankingService
    let decisions: DecisionService
    let fund: FundService
    var db: any Database { database.db }

    struct Page: Sendable {
        struct Company: Sendable { let name: String, startsOn: String, endsOn: String?, monthlyFeePerSqm: Int64 }
        struct Committee: Sendable { let kind: CommitteeKind, termStart: String, termEnd: String?, members: Int64 }
        struct Rates: Sendable { let month: String, requests: Int64, rates: ServiceRates?, composite: Int64?, rank: Int?, of: Int }
        struct Decision: Sendable { let title: String, matter: Matter, closedOn: String, passed: Bool, persons: Counts, area: Counts }
        struct Spending: Sendable { let project: String, amount: Int64, status: String }
        struct Notice: Sendable { let title: String, author: String, validFrom: String, validUntil: String }
        struct Placing: Sendable { let period: String, street: String, company: String, list: ListKind, score: Int64?, rank: Int64? }
        let id: UUID, name: String, address: String, community: String, street: String, yearBuilt: Int64, mode: ManagementMode
        let buildings: Int64, rooms: Int64, area: Int64
        let company: Company?, committee: Committee?, rates: [Rates], decisions: [Decision]
        let fundBalance: Int64, fundDeposited: Int64, spending: [Spending], notices: [Notice]
        /// The serving company's placings on the street's red and black lists, newest first.
        let placings: [Placing]
    }

    func page(_ id: UUID, now: Date) async throws -> Page {
        let sql = db.sql(), today = Timestamp.today(now), day = today.description
        guard let p = try await sql.raw("""
            SELECT p.name, p.address, p.year_built, p.management_mode, cm.name AS community, st.name AS street, st.id AS street_id, st.district_id, d.public_pages,
            (SELECT COUNT(*) FROM buildings b WHERE b.compound_id = p.id) AS buildings,
            (SELECT COUNT(*) FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = p.id) AS rooms,
            (SELECT CAST(COALESCE(SUM(r.area), 0) AS BIGINT) FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
             WHERE b.compound_id = p.id) AS area
            FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id JOIN districts d ON d.id = st.district_id
            WHERE p.id = \(bind: id)
            """).first(), PublicPageRules.isOpen(districtSetting: try p.decode(column: "public_pages", as: Bool?.self)) else {
            throw DomainError.notFound(entity: "compounds", id: id.text)
        }
        let district = try p.decode(column: "district_id", as: UUID.self), street = try p.decode(column: "street_id", as: UUID.self)
        let company = try await sql.raw("""
            SELECT co.name, k.starts_on, k.ends_on, k.monthly_fee_per_sqm FROM contracts k JOIN companies co ON co.id = k.company_id
            WHERE k.compound_id = \(bind: id) AND k.starts_on <= \(bind: day) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: day)) ORDER BY k.starts_on DESC LIMIT 1
            """).first().map { r in
            Page.Company(name: try r.decode(column: "name", as: String.self), startsOn: try r.decode(column: "starts_on", as: String.self),
                         endsOn: try r.decode(column: "ends_on", as: String?.self), monthlyFeePerSqm: try r.decode(column: "monthly_fee_per_sqm", as: Int64.self))
        }
        let committee = try await sql.raw("""
            SELECT k.kind, k.term_start, k.term_end, (SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = k.id) AS members FROM committees k
            WHERE k.compound_id = \(bind: id) AND k.kind IN ('owners_committee', 'management_committee') AND k.term_start <= \(bind: day)
            AND (k.term_end IS NULL OR k.term_end >= \(bind: day)) ORDER BY k.term_start DESC LIMIT 1
            """).first().map { r in
            Page.Committee(kind: CommitteeKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .ownersCommittee, termStart: try r.decode(column: "term_start", as: String.self),
                           termEnd: try r.decode(column: "term_end", as: String?.self), members: try r.decode(column: "members", as: Int64.self))
        }
        var rates: [Page.Rates] = []
        for month in PublicPageRules.rateMonths(today: today) {
            let rows = try await rankings.ranking(district: district, month: month, level: .compound, streetId: street, now: now).rows
            let ranked = rows.filter { $0.rank != nil }.count
            if let row = rows.first(where: { $0.id == id }) {
                rates.append(.init(month: month, requests: row.requests, rates: row.rates, composite: row.composite, rank: row.rank, of: ranked))
            } else {
                rates.append(.init(month: month, requests: 0, rates: nil, composite: nil, rank: nil, of: ranked))
            }
        }
        var votes: [Page.Decision] = []
        for d in try await sql.raw("SELECT * FROM decisions WHERE compound_id = \(bind: id) AND status IN ('closed', 'published') ORDER BY closed_at DESC LIMIT 20").all()
            .map(DecisionRecord.init(row:)) where PublicPageRules.showsResult(d.status) {
            let result = try await decisions.count(d, on: db)
            votes.append(.init(title: d.title, matter: d.matter, closedOn: d.closedAt.map { Timestamp.today($0).description } ?? "",
                               passed: result.tally.passed, persons: result.tally.persons, area: result.tally.area))
        }
        let ledger = try await fund.ledger(id, on: db)
        let spending = try await sql.raw("SELECT project, amount, status FROM spending_plans WHERE compound_id = \(bind: id) ORDER BY created_at DESC LIMIT 20").all().map { r in
            Page.Spending(project: try r.decode(column: "project", as: String.self), amount: try r.decode(column: "amount", as: Int64.self),
                          status: try r.decode(column: "status", as: String.self))
        }
        let notices = try await sql.raw("""
            SELECT title, author, valid_from, valid_until, withdrawn_at FROM notices WHERE compound_id = \(bind: id) AND building_id IS NULL
            AND valid_from <= \(bind: day) AND valid_until >= \(bind: day) AND withdrawn_at IS NULL ORDER BY valid_from DESC LIMIT 30
            """).all().compactMap { r -> Page.Notice? in
            guard let from = CivilDate(try r.decode(column: "valid_from", as: String.self)), let until = CivilDate(try r.decode(column: "valid_until", as: String.self)),
                  PublicPageRules.showsNotice(validFrom: from, validUntil: until, withdrawn: try r.decode(column: "withdrawn_at", as: Date?.self) != nil, today: today)
            else { return nil }
            return Page.Notice(title: try r.decode(column: "title", as: String.self), author: try r.decode(column: "author", as: String.self),
                               validFrom: from.description, validUntil: until.description)
        }
        let placings = try await sql.raw("""
            SELECT pl.period, st.name AS street, co.name AS company, pl.list, pl.score, pl.rank FROM placings pl JOIN streets st ON st.id = pl.street_id
            JOIN companies co ON co.id = pl.company_id WHERE pl.street_id = \(bind: street) AND pl.company_id IN (
              SELECT k.company_id FROM contracts k WHERE k.compound_id = \(bind: id) AND k.starts_on <= \(bind: day) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: day)))
            ORDER BY pl.created_at DESC LIMIT 12
            """).all().map { r in
            Page.Placing(period: try r.decode(column: "period", as: String.self), street: try r.decode(column: "street", as: String.self),
                         company: try r.decode(column: "company", as: String.self), list: ListKind(rawValue: try r.decode(column: "list", as: String.self)) ?? .black,
                         score: try r.decode(column: "score", as: Int64?.self), rank: try r.decode(column: "rank", as: Int64?.self))
        }
        return Page(id: id, name: try p.decode(column: "name", as: String.self), address: try p.decode(column: "address", as: String?.self) ?? "",
                    community: try p.decode(column: "community", as: String.self), street: try p.decode(column: "street", as: String.self),
                    yearBuilt: try p.decode(column: "year_built", as: Int64?.self) ?? 0,
                    mode: ManagementMode(rawValue: try p.decode(column: "management_mode", as: String.self)) ?? .none,
                    buildings: try p.decode(column: "buildings", as: Int64.self), rooms: try p.decode(column: "rooms", as: Int64.self),
                    area: try p.decode(column: "area", as: Int64.self), company: company, committee: committee, rates: rates, decisions: votes,
                    fundBalance: ledger.totalBalance, fundDeposited: ledger.totalDeposited, spending: spending, notices: notices, placings: placings)
    }

    /// The district admin turns the district's public pages on or off (audited).
    func setOpen(_ ctx: AccessContext, district: UUID, open: Bool) async throws {
        guard Policy.mayAdminister(ctx.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
        try await db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT public_pages FROM districts WHERE id = \(bind: district)").first() else {
                throw DomainError.notFound(entity: "districts", id: district.text)
            }
            let before = PublicPageRules.isOpen(districtSetting: try row.decode(column: "public_pages", as: Bool?.self))
            try await tx.sql().raw("UPDATE districts SET public_pages = \(bind: open), updated_at = \(bind: ctx.now) WHERE id = \(bind: district)").run()
            try await AuditLog().record(ctx, action: "update", entity: "public-pages", entityId: district, districtId: district,
                                        before: .object(["open": .bool(before)]), after: .object(["open": .bool(open)]), on: tx)
        }
    }

    func isOpen(district: UUID) async throws -> Bool { try await Self.isOpen(district: district, on: db) }

    static func isOpen(district: UUID, on db: any Database) async throws -> Bool {
        guard let row = try await db.sql().raw("SELECT public_pages FROM districts WHERE id = \(bind: district)").first() else {
            throw DomainError.notFound(entity: "districts", id: district.text)
        }
        return PublicPageRules.isOpen(districtSetting: try row.decode(column: "public_pages", as: Bool?.self))
    }
}
