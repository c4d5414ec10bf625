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
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        if actor.kind == .user, let me = actor.id {
            // One indexed list of ids (filed or followed), not a test per row: an owner's list looks
            // up their few requests instead of walking the district's newest-first until 50 match.
            parts.append("""
                r.id IN (SELECT q.id FROM requests q WHERE q.reporter_user_id = \(bind: me) UNION ALL SELECT f.request_id FROM request_followers f WHERE f.user_id = \(bind: me))
                """)
        }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("r.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("(r.street_id = \(bind: g.scopeId) OR r.handler_street_id = \(bind: g.scopeId))")
            case .communityStaff: parts.append("(r.community_id = \(bind: g.scopeId) OR r.handler_community_id = \(bind: g.scopeId))")
            case .committeeMember: parts.append("r.compound_id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("r.handler_company_id = \(bind: g.scopeId)")
            case .departmentLiaison:
                parts.append("""
                    (r.handler_department_id = \(bind: g.scopeId) OR EXISTS (SELECT 1 FROM whistle_parties wp JOIN whistle_cases wc ON wc.id = wp.case_id
                    WHERE wc.request_id = r.id AND wp.department_id = \(bind: g.scopeId)))
                    """)
            case .owner, .resident, .mediator, .serviceProvider: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
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
    static func overdue(now: Date) -> SQLQueryString {
        "((r.responded_at IS NULL AND r.respond_by < \(bind: now)) OR (r.resolved_at IS NULL AND r.resolve_by < \(bind: now)))"
    }

    func list(_ ctx: AccessContext, _ f: RequestFilter) async throws -> (items: [RequestRecord], next: (Date, UUID)?) {
        var query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) WHERE \(Self.visible(ctx.actor))"
        if let s = f.status { query += " AND r.status = \(bind: s.rawValue)" }
        if f.overdue { query += " AND " + Self.overdue(now: ctx.now) }
        if let c = f.category { query += " AND r.category = \(bind: c.rawValue)" }
        if let c = f.channel { query += " AND r.channel = \(bind: c.rawValue)" }
        if let id = f.compoundId { query += " AND r.compound_id = \(bind: id)" }
        if let id = f.communityId { query += " AND r.community_id = \(bind: id)" }
        if let id = f.streetId { query += " AND r.street_id = \(bind: id)" }
        if let m = f.month { query += " AND r.month = \(bind: m)" }
        if let id = f.receptionId { query += " AND r.reception_id = \(bind: id)" }
        if f.handledByMe { query += " AND " + Self.handledBy(ctx.actor) }
        if let q = f.search { query += " AND " + Self.search(q, actor: ctx.actor) }
        if let (t, id) = f.after { query += " AND (r.received_at < \(bind: t) OR (r.received_at = \(bind: t) AND r.id < \(bind: id)))" }
        query += " ORDER BY r.received_at DESC, r.id DESC LIMIT \(unsafeRaw: String(f.limit + 1))"
        var items = try await database.reads.sql().raw(query).all().map { try RequestRecord(row: $0) }
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
