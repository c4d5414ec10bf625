import Domain
import FluentKit
import Foundation
import SQLKit

/// Filters of the request queue.
struct RequestFilter: Sendable {
    var status: RequestStatus?
    var overdue = false
    var category: RequestCategory?
    var channel: RequestChannel?
    var compoundId: UUID?
    var communityId: UUID?
    var streetId: UUID?
    /// `YYYY-MM` of receipt.
    var month: String?
    /// Only the requests the actor handles now.
    var handledByMe = false
    /// Filed at one reception day or walkabout visit.
    var receptionId: UUID?
    /// Words to find: a request number, words of the description, or (for staff) digits of the reporter's phone.
    var search: String?
    var limit = 50
    /// The last row of the previous page: received time and id.
    var after: (Date, UUID)?
}

extension RequestService {
    /// The requests the actor may see, one SQL condition per grant (the same facts `RequestRules.standing` judges).
    static func visible(_ actor: Actor) -> SQLQueryString {
        let parts = visibleParts(actor)
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The conditions `visible` joins with OR: each one an index can answer in received order
    /// (`(street_id, received_at, id)` and the like), so a list reads each newest-first and stops.
    static func visibleParts(_ actor: Actor) -> [SQLQueryString] {
        if actor.isSystem { return ["1=1"] }
        var parts: [SQLQueryString] = []
        if actor.kind == .user, let me = actor.id {
            // What the person filed (indexed by reporter and time) and what they follow (their few rows).
            parts.append("r.reporter_user_id = \(bind: me)")
            parts.append("r.id IN (SELECT f.request_id FROM request_followers f WHERE f.user_id = \(bind: me))")
        }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("r.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts += ["r.street_id = \(bind: g.scopeId)", "r.handler_street_id = \(bind: g.scopeId)"]
            case .communityStaff: parts += ["r.community_id = \(bind: g.scopeId)", "r.handler_community_id = \(bind: g.scopeId)"]
            case .committeeMember: parts.append("r.compound_id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("r.handler_company_id = \(bind: g.scopeId)")
            case .departmentLiaison:
                parts.append("r.handler_department_id = \(bind: g.scopeId)")
                parts.append("""
                    r.id IN (SELECT wc.request_id FROM whistle_parties wp JOIN whistle_cases wc ON wc.id = wp.case_id
                    WHERE wp.department_id = \(bind: g.scopeId) AND wc.request_id IS NOT NULL)
                    """)
            case .owner, .resident, .mediator, .serviceProvider: break
            }
        }
        return parts
    }

    /// The requests the actor handles now.
    static func handledBy(_ actor: Actor) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        for g in actor.grants {
            switch g.role {
            case .companyStaff: parts.append("r.handler_company_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("r.handler_community_id = \(bind: g.scopeId)")
            case .departmentLiaison: parts.append("r.handler_department_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("r.handler_street_id = \(bind: g.scopeId)")
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Past a deadline without the step it bounds: `DeadlinePolicy.isOverdue(respondBy:…)` in SQL.
    /// Each arm matches a partial index by deadline (`RankingTotals.indexes`), so a street's or
    /// district's overdue requests are found without reading its finished years. A duplicate
    /// merged into another is never overdue: the request it joined carries the problem.
    static func overdue(now: Date) -> SQLQueryString {
        "(r.merged_into IS NULL AND ((r.responded_at IS NULL AND r.respond_by < \(bind: now)) OR (r.resolved_at IS NULL AND r.resolve_by < \(bind: now))))"
    }

    /// A page of the requests the actor may see, newest first. Each visibility condition is read
    /// on its own, newest first through its index and cut at the page size; the page is the newest
    /// of what they found. An OR of them would make either database gather and sort every row any
    /// of them matches (a busy street's year) to show fifty.
    func list(_ ctx: AccessContext, _ f: RequestFilter) async throws -> (items: [RequestRecord], next: (Date, UUID)?) {
        let parts = Self.visibleParts(ctx.actor)
        guard !parts.isEmpty else { return ([], nil) }
        var filters: SQLQueryString = ""
        if let s = f.status { filters += " AND r.status = \(bind: s.rawValue)" }
        if let c = f.category { filters += " AND r.category = \(bind: c.rawValue)" }
        if let c = f.channel { filters += " AND r.channel = \(bind: c.rawValue)" }
        if let id = f.compoundId { filters += " AND r.compound_id = \(bind: id)" }
        if let id = f.communityId { filters += " AND r.community_id = \(bind: id)" }
        if let id = f.streetId { filters += " AND r.street_id = \(bind: id)" }
        if let m = f.month { filters += " AND r.month = \(bind: m)" }
        if let id = f.receptionId { filters += " AND r.reception_id = \(bind: id)" }
        if f.handledByMe { filters += " AND " + Self.handledBy(ctx.actor) }
        if let q = f.search { filters += " AND " + Self.search(q, actor: ctx.actor) }
        if let (t, id) = f.after { filters += " AND (r.received_at < \(bind: t) OR (r.received_at = \(bind: t) AND r.id < \(bind: id)))" }
        let order: SQLQueryString = " ORDER BY r.received_at DESC, r.id DESC LIMIT \(unsafeRaw: String(f.limit + 1))"
        // Overdue is read in two halves: as swept (an index of a street's in received order), and
        // since the last sweep (a minute's deadlines) — not by gathering every late request of a
        // street's years to sort them.
        let sql = database.reads.sql()
        var branches = parts.map { part -> SQLQueryString in
            "SELECT r.id FROM requests r WHERE \(part)" + (f.overdue ? " AND " + SQLQueryString(RankingTotals.sweptOverdue("r")) : "") + filters + order
        }
        if f.overdue {
            // Since the sweep: found first by the sweep's own query (the unswept indexes, a
            // minute's deadlines), then narrowed to what the caller may see. Written into the
            // list's query instead, PostgreSQL — which cannot tell that the swept are nearly all
            // the late — read a street's late requests of the year (2,000 rows at 22 million) or
            // walked its received order (463,000 rows, 1.3 s) to find none.
            // If sweeps have failed for a while and thousands are waiting, they are gathered from
            // the unswept indexes in the query, fenced (OFFSET 0, LIMIT -1) so that the page's
            // order cannot lead the plan, and sorted.
            let visible: SQLQueryString = "(" + parts.joined(separator: " OR ") + ")"
            if let ids = try await RankingTotals.lateSinceSweep(now: ctx.now, on: sql, limit: sinceSweepLimit) {
                if !ids.isEmpty {
                    branches.append("SELECT r.id FROM requests r WHERE r.id IN (" + ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
                                    + ") AND " + visible + filters + order)
                }
            } else {
                let fence = database.isPostgres ? " OFFSET 0" : " LIMIT -1"
                branches.append("SELECT s.id FROM (SELECT r.id, r.received_at FROM requests r WHERE " + visible + " AND "
                                + RankingTotals.overdueSinceSweep("r", now: ctx.now, postgres: database.isPostgres) + filters
                                + "\(unsafeRaw: fence)) s ORDER BY s.received_at DESC, s.id DESC LIMIT \(unsafeRaw: String(f.limit + 1))")
            }
        }
        let named = branches.enumerated().map { i, b -> SQLQueryString in "SELECT \(unsafeRaw: "b\(i)").id FROM (" + b + ") \(unsafeRaw: "b\(i)")" }
        let query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) WHERE r.id IN (" + named.joined(separator: " UNION ") + ")" + order
        var items = try await RowSource.map(query, on: database.reads) { try RequestRecord(source: $0) }
        var next: (Date, UUID)?
        if items.count > f.limit {
            items.removeLast()
            next = items.last.map { ($0.receivedAt, $0.id) }
        }
        return (items, next)
    }

    /// A search: the number (any case), the description, and for staff — never owners and
    /// residents — the reporter's phone; `%` and `_` typed are matched as themselves.
    static func search(_ q: String, actor: Actor) -> SQLQueryString {
        var parts: [SQLQueryString] = [SQLSearch.contains("r.number", q.uppercased()), SQLSearch.contains("r.description", q)]
        let digits = q.filter(\.isASCII).filter(\.isNumber)
        let staff = !Set(actor.grants.map(\.role)).isSubset(of: [.owner, .resident])
        if staff, digits.count >= 4, digits.count == q.filter({ !$0.isWhitespace && $0 != "-" }).count {
            parts.append(SQLSearch.contains("r.reporter_phone", digits))
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    /// How many of the visible requests are overdue now (for boards).
    func overdueCount(_ ctx: AccessContext, streetId: UUID? = nil) async throws -> Int {
        // Staff who see the whole street count it from the ranking's late cells, not its late requests.
        if let s = streetId, ctx.actor.isSystem || ctx.actor.grants.contains(where: { $0.role == .streetStaff && $0.scopeId == s }) {
            return Int(try await RankingTotals.overdue(street: s, now: ctx.now, on: database.reads.sql()))
        }
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM requests r WHERE \(Self.visible(ctx.actor)) AND " + Self.overdue(now: ctx.now)
        if let s = streetId { query += " AND r.street_id = \(bind: s)" }
        return try await database.reads.sql().raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// `1796004000.123_3f2a…` ↔ (time, id); the time is written exactly as read back from the database.
    static func cursor(_ c: (Date, UUID)) -> String { "\(c.0.timeIntervalSince1970)_\(c.1.uuidString.lowercased())" }

    static func parseCursor(_ s: String) -> (Date, UUID)? {
        let parts = s.split(separator: "_")
        guard parts.count == 2, let t = Double(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        return (Date(timeIntervalSince1970: t), id)
    }
}
