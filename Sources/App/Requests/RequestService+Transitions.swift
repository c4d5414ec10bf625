import Domain
import FluentKit
import Foundation
import SQLKit

/// What a caller does to a request (escalation goes through `WhistleService.open`).
enum RequestAction: Sendable {
    case transfer(kind: HandlerKind, id: UUID, reason: String)
    case respond(note: String?)
    case start(note: String?)
    case resolve(reply: String)
    case rate(resolved: Bool, satisfaction: Satisfaction, comment: String?)
    case close(note: String?)
    case note(String)

    var event: RequestEvent? {
        switch self {
        case .transfer: .transfer
        case .respond: .respond
        case .start: .start
        case .resolve: .resolve
        case .rate(let resolved, let satisfaction, _): .rate(resolved: resolved, satisfaction: satisfaction)
        case .close: .close
        case .note: nil
        }
    }

    var kind: RequestEventKind { event.map(RequestEventKind.init) ?? .note }
}

extension RequestService {
    /// Applies one action: 404 when the actor cannot see the request, 403 when it may not do this,
    /// 409 when the transition table does not allow it from the current status.
    func act(_ ctx: AccessContext, _ id: UUID, _ action: RequestAction) async throws -> RequestRecord {
        try await database.db.transaction { tx in
            let r = try await load(id, on: tx, lock: true)
            let s = try await standing(ctx, r, on: tx)
            guard s.sees else { throw DomainError.notFound(entity: "requests", id: id.uuidString.lowercased()) }
            guard RequestRules.may(action.kind, s, reporterHasAccount: r.reporterUserId != nil) else {
                throw DomainError.forbidden(reason: "you may not \(action.kind.rawValue) this request")
            }
            try await apply(ctx, r, action, on: tx)
        }
        return try await load(id, on: database.db)
    }

    /// Moves the request on its transaction (also used by whistle cases and receptions).
    func apply(_ ctx: AccessContext, _ r: RequestRecord, _ action: RequestAction, on tx: any Database) async throws {
        let now = ctx.now
        var to = r.status
        var set: [SQLQueryString] = ["updated_at = \(bind: now)"]
        var note: String?
        if let event = action.event {
            let scores = if case .rate = action { try await RequestSettings.load(district: r.districtId, on: tx).weights.scores } else { [Satisfaction: Int64]() }
            var reply: String?
            if case .resolve(let text) = action { reply = text }
            guard let change = RequestLifecycle.apply(.init(status: r.status, respondBy: r.respondBy, respondedAt: r.respondedAt), event,
                                                      reply: reply, now: now, scores: scores) else {
                throw DomainError.conflict(code: "illegal_transition", message: "a \(r.status.rawValue) request cannot be given \(action.kind.rawValue)")
            }
            to = change.status
            set += Self.columns(change)
        }
        switch action {
        case .transfer(let kind, let handlerId, let reason):
            let name = try await handlerName(kind, handlerId, district: r.districtId, on: tx)
            set += ["handler_kind = \(bind: kind.rawValue)",
                    "handler_company_id = \(bind: kind == .company ? handlerId : nil as UUID?)", "handler_community_id = \(bind: kind == .community ? handlerId : nil as UUID?)",
                    "handler_department_id = \(bind: kind == .department ? handlerId : nil as UUID?)", "handler_street_id = \(bind: kind == .street ? handlerId : nil as UUID?)"]
            note = "\(kind.rawValue):\(name) — \(reason)"
        case .respond(let n), .start(let n), .close(let n):
            note = n
        case .resolve(let reply):
            note = reply
        case .rate(let resolved, let satisfaction, let comment):
            note = ([resolved ? "resolved" : "unresolved", satisfaction.rawValue] + [comment].compactMap { $0 }).joined(separator: " · ")
        case .note(let text):
            note = text
        }
        try await tx.sql().raw("UPDATE requests SET " + set.joined(separator: ", ") + " WHERE id = \(bind: r.id)").run()
        let sequence = try await tx.sql().raw("SELECT COALESCE(MAX(sequence), 0) + 1 AS n FROM request_events WHERE request_id = \(bind: r.id)").first()?
            .decode(column: "n", as: Int64.self) ?? 1
        try await event(tx, ctx, request: r.id, sequence: sequence, action.kind, from: r.status, to: to, note: note, at: now)
        try await audit.record(ctx, action: action.kind.rawValue, entity: "requests", entityId: r.id, districtId: r.districtId,
                               before: .object(["status": .string(r.status.rawValue)]),
                               after: .object(["status": .string(to.rawValue), "note": note.map { .string($0) } ?? .null]), on: tx)
    }

    /// The columns a life-cycle change writes (the SQL twin of `RequestChange`).
    static func columns(_ c: RequestChange) -> [SQLQueryString] {
        var set: [SQLQueryString] = ["status = \(bind: c.status.rawValue)", "version = version + 1"]
        if let at = c.dispatchedAt { set.append("dispatched_at = \(bind: at)") }
        if let first = c.firstResponse { set += ["responded_at = \(bind: first.at)", "responded_in_time = \(bind: first.inTime ? 1 : 0)"] }
        switch c.resolvedAt {
        case .keep: break
        case .set(let at): set.append("resolved_at = \(bind: at)")
        case .clear: set.append("resolved_at = NULL")
        }
        if let reply = c.reply { set.append("reply = \(bind: reply)") }
        if let r = c.rating {
            set += ["rated_at = \(bind: r.at)", "rating_resolved = \(bind: r.resolved ? 1 : 0)", "rating_satisfaction = \(bind: r.satisfaction.rawValue)",
                    "rating_score = \(bind: r.score)"]
        }
        if c.reopened { set.append("reopen_count = reopen_count + 1") }
        if let at = c.closedAt { set.append("closed_at = \(bind: at)") }
        return set
    }

    /// Checks a new handler exists in the request's district and gives its name.
    func handlerName(_ kind: HandlerKind, _ id: UUID, district: UUID, on db: any Database) async throws -> String {
        let query: SQLQueryString = switch kind {
        case .company: "SELECT name FROM companies WHERE id = \(bind: id) AND district_id = \(bind: district)"
        case .department: "SELECT name FROM departments WHERE id = \(bind: id) AND district_id = \(bind: district)"
        case .street: "SELECT name FROM streets WHERE id = \(bind: id) AND district_id = \(bind: district)"
        case .community: "SELECT m.name FROM communities m JOIN streets s ON s.id = m.street_id WHERE m.id = \(bind: id) AND s.district_id = \(bind: district)"
        }
        guard let name = try await db.sql().raw(query).first()?.decode(column: "name", as: String.self) else {
            throw DomainError.invalid([FieldError(field: "handlerId", code: "unknown_reference", message: "no \(kind.rawValue) of this district has id \(id.uuidString.lowercased())")])
        }
        return name
    }
}
