import Domain
import FluentKit
import Foundation
import Hummingbird
import SQLKit

/// One audit event as the API and the audit page show it.
struct AuditEvent: Sendable {
    let id: UUID
    let at: Date
    let actorKind: String
    let actorLabel: String
    let source: String
    let address: String?
    let action: String
    let entity: String
    let entityId: UUID
    let before: JSONValue?
    let after: JSONValue?

    var json: JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "at": .string(Timestamp.iso(at)), "actorKind": .string(actorKind),
                 "actor": .string(actorLabel), "source": .string(source), "address": address.map { .string($0) } ?? .null,
                 "action": .string(action), "entity": .string(entity), "entityId": .string(entityId.uuidString.lowercased()),
                 "before": before ?? .null, "after": after ?? .null])
    }

    /// The fields whose values differ, as `field: before → after`.
    var changes: [String] {
        guard case .object(let b)? = before ?? .object([:]), case .object(let a)? = after ?? .object([:]) else { return [] }
        return Set(b.keys).union(a.keys).filter { !["createdAt", "updatedAt"].contains($0) && b[$0] != a[$0] }.sorted().map {
            "\($0): \(Self.text(b[$0])) → \(Self.text(a[$0]))"
        }
    }

    static func text(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: s
        case .int(let i)?: String(i)
        case .double(let d)?: String(d)
        case .bool(let b)?: b ? "true" : "false"
        default: "—"
        }
    }
}

/// The audit log for district admins: `/api/v1/audit-events` and the `/audit` page.
struct AuditAPI: Sendable {
    let database: AppDatabase
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.api(.get, SiteURL.auditEvents, .administer,
                   OperationDoc("list-audit-events", "The audit log of the admin's district, newest first", tag: "audit",
                                parameters: ["entity", "entityId", "action", "actor", "source", "cursor"].map { .query($0, .string(), "only events with this \($0)") }
                                    + [.query("limit", .integer(minimum: 1, maximum: 500), "1 to 500 (default 100)")],
                                errors: [400: "An unknown or malformed filter"])) { call in
            let page = try await events(call.request, call.context)
            return AuditPageAnswer(items: page.events.map(AuditEventAnswer.init), nextCursor: page.next?.text)
        }
        routes.add(.get, SiteURL.auditPage, .administer) { request, context in try await pageView(request, context) }
    }

    /// Events in the districts the actor administers, newest first, filtered by `entity`,
    /// `entityId`, `action`, `actor`, `source`, paged by `cursor` and `limit`.
    func events(_ request: Request, _ context: AppRequestContext) async throws -> (events: [AuditEvent], next: UUID?) {
        let actor = try context.requireActor()
        let params = request.uri.queryParameters
        var query: SQLQueryString = "SELECT * FROM audit_events a WHERE "
        let districts = actor.grants.filter { $0.role == .districtAdmin }.map(\.scopeId)
        query += districts.isEmpty ? "1=0" : "a.district_id IN (" + districts.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
        var errors = FieldErrors()
        var limit = 100
        for (key, value) in params {
            let k = String(key), v = String(value)
            switch k {
            case "entity": query += " AND a.entity = \(bind: v)"
            case "action": query += " AND a.action = \(bind: v)"
            case "actor": query += " AND a.actor_label = \(bind: v)"
            case "source": query += " AND a.source = \(bind: v)"
            case "entityId":
                if let u = UUID(uuidString: v) { query += " AND a.entity_id = \(bind: u)" } else { errors.add(k, "invalid_id", "entityId must be a UUID") }
            case "cursor":
                if let u = UUID(uuidString: v) {
                    query += " AND EXISTS (SELECT 1 FROM audit_events c WHERE c.id = \(bind: u) AND (a.created_at < c.created_at OR (a.created_at = c.created_at AND a.id < c.id)))"
                } else { errors.add(k, "invalid_cursor", "cursor is not one this API gave") }
            case "limit":
                if let n = Int(v), (1...500).contains(n) { limit = n } else { errors.add(k, "out_of_range", "limit must be from 1 to 500") }
            case "lang": break
            default: errors.add(k, "unknown_parameter", "audit events cannot be filtered by \(k)")
            }
        }
        if !errors.isEmpty { throw DomainError.badRequest(message: errors.all.map(\.message).joined(separator: "; ")) }
        query += " ORDER BY a.created_at DESC, a.id DESC LIMIT \(literal: limit + 1)"
        let rows = try await database.db.sql().raw(query).all()
        let events = try rows.prefix(limit).map { r in
            AuditEvent(id: try r.decode(column: "id", as: UUID.self), at: try r.decode(column: "created_at", as: Date.self),
                       actorKind: try r.decode(column: "actor_kind", as: String.self), actorLabel: try r.decode(column: "actor_label", as: String.self),
                       source: try r.decode(column: "source", as: String.self), address: try r.decode(column: "address", as: String?.self),
                       action: try r.decode(column: "action", as: String.self), entity: try r.decode(column: "entity", as: String.self),
                       entityId: try r.decode(column: "entity_id", as: UUID.self),
                       before: try r.decode(column: "before", as: String?.self).flatMap { try? JSONValue.parse(Data($0.utf8)) },
                       after: try r.decode(column: "after", as: String?.self).flatMap { try? JSONValue.parse(Data($0.utf8)) })
        }
        return (events, rows.count > limit ? events.last?.id : nil)
    }

    /// What the log's filters offer besides the registry's collections.
    static let otherEntities = ["users", "api-keys", "requests", "whistle-cases", "decisions", "paper-ballots", "fund", "fund-plans", "hotline-orders",
                                "receptions", "attachments", "photos", "request-settings"]
    static let actions = ["create", "update", "delete", "login", "password", "disable", "enable", "import", "revoke", "open", "close", "vote",
                          "report", "log", "deposit", "interest", "notice", "pay", "apply", "assign", "escalate", "respond", "resolve", "rate", "transfer"]

    func pageView(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = context.page(request), t = page.t
        let result = try await events(request, context)
        let params = request.uri.queryParameters
        let filter = H.el("form", [("method", "get"), ("action", SiteURL.auditPage.link()), ("class", "filters")], [
            H.el("select", [("name", "entity"), ("aria-label", t("audit.entity"))], [H.el("option", [("value", "")], text: t("audit.entity"))]
                 + (RegistryResources.all.map { String($0.name) } + Self.otherEntities).map { name in
                     H.el("option", [("value", name)] + (params.get("entity") == name ? [("selected", nil)] : []), text: TimelineText.entity(name, t: t))
                 }),
            H.el("select", [("name", "action"), ("aria-label", t("audit.action"))], [H.el("option", [("value", "")], text: t("audit.action"))]
                 + Self.actions.map { a in
                     H.el("option", [("value", a)] + (params.get("action") == a ? [("selected", nil)] : []), text: TimelineText.auditAction(a, t: t))
                 }),
            H.el("button", [("type", "submit")], text: t("audit.filter")),
        ])
        let rows: [[N]] = result.events.map { e in
            [H.t(Timestamp.local(e.at)), H.t(e.actorLabel), H.t(TimelineText.source(e.source, t: t) + (e.address.map { " · \($0)" } ?? "")),
             H.t(TimelineText.auditAction(e.action, t: t)),
             H.t(TimelineText.entity(e.entity, t: t) + " " + String(e.entityId.uuidString.lowercased().prefix(8))),
             H.el("div", [("class", "changes")], e.changes.prefix(8).map { H.el("div", [], text: $0) })]
        }
        var content: [N] = [H.el("h1", [], text: t("audit.title")), filter,
                            H.table([t("audit.when"), t("audit.who"), t("audit.source"), t("audit.action"), t("audit.entity"), t("audit.changes")], rows)]
        if let next = result.next {
            var items = params.filter { $0.key != "cursor" }.map { "\($0.key)=\($0.value)" }
            items.append("cursor=\(next.uuidString.lowercased())")
            content.append(H.a(SiteURL.auditPage.link() + "?" + items.joined(separator: "&"), t("list.more"), [("class", "button")]))
        }
        return .html(Layout.render(page, actor: context.actor, title: t("audit.title"), content: content))
    }
}
