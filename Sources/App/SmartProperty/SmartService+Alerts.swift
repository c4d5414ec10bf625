import Domain
import FluentKit
import Foundation
import SQLKit

/// The command centres' boards: alerts read by staff over their compounds, acknowledged, handled
/// and closed with notes, turned into a request or a whistle case in one step, counted by month.
extension SmartService {
    /// Alerts the caller watches: open ones first, newest first.
    func alerts(_ ctx: AccessContext, openOnly: Bool = false, compound: UUID? = nil, kind: AlertKind? = nil, limit: Int = 200) async throws -> [AlertRecord] {
        var filter = Self.watched(ctx, "alerts", alias: "a")
        if openOnly { filter = filter + " AND a.status IN ('open', 'acknowledged', 'handling')" }
        if let compound { filter = filter + " AND a.compound_id = \(bind: compound)" }
        if let kind { filter = filter + " AND a.kind = \(bind: kind.rawValue)" }
        return try await database.reads.sql().raw("\(unsafeRaw: AlertRecord.select) WHERE " + filter
                                      + " ORDER BY CASE WHEN a.status IN ('open', 'acknowledged', 'handling') THEN 0 ELSE 1 END, a.raised_at DESC LIMIT \(unsafeRaw: String(min(max(limit, 1), 1000)))")
            .all().map { try AlertRecord(row: $0) }
    }

    /// Alerts changed at or after `since` (raised, acted on, cleared), oldest change first: what a
    /// live board has not shown yet.
    func changes(_ ctx: AccessContext, since: Date) async throws -> [AlertRecord] {
        try await database.reads.sql().raw("\(unsafeRaw: AlertRecord.select) WHERE " + Self.watched(ctx, "alerts", alias: "a")
                               + " AND a.updated_at >= \(bind: since) ORDER BY a.updated_at, a.id LIMIT 200").all().map { try AlertRecord(row: $0) }
    }

    func alert(_ id: UUID, on db: any Database) async throws -> AlertRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: AlertRecord.select) WHERE a.id = \(bind: id)").first() else { throw DomainError.notFound(entity: "alerts", id: id.text) }
        return try AlertRecord(row: row)
    }

    /// One alert with its log, for staff over its compound.
    func alert(_ ctx: AccessContext, id: UUID, on db: (any Database)? = nil) async throws -> (AlertRecord, [AlertLogEntry]) {
        let db = db ?? self.db
        let a = try await alert(id, on: db)
        do { try await store.access.authorizeWatch(ctx, "alerts", inCompound: a.compoundId, on: db) } catch { throw DomainError.notFound(entity: "alerts", id: id.text) }
        let log = try await db.sql().raw("SELECT action, note, actor, created_at FROM alert_log WHERE alert_id = \(bind: id) ORDER BY created_at, id").all().map {
            AlertLogEntry(action: try $0.decode(column: "action", as: String.self), note: try $0.decode(column: "note", as: String.self),
                          actor: try $0.decode(column: "actor", as: String.self), at: try $0.decode(column: "created_at", as: Date.self))
        }
        return (a, log)
    }

    /// Acknowledges, handles, closes or notes an alert. Closing and notes need a note.
    func act(_ ctx: AccessContext, id: UUID, _ action: AlertAction, note: String) async throws -> AlertRecord {
        guard ![.toRequest, .toWhistle].contains(action) else {
            throw DomainError.invalid([FieldError(field: "action", code: "invalid_choice", message: "turn an alert into a request or a case through its own operation")])
        }
        return try await db.transaction { tx in
            let a = try await forActing(ctx, id, action, note: note, on: tx)
            try await move(ctx, a, action, note: note, sets: nil, on: tx)
            return try await alert(id, on: tx)
        }
    }

    /// The alert, checked for the caller and the action (404 unseen, 403 seen but not the caller's to act on, 409 not now, 422 no note).
    func forActing(_ ctx: AccessContext, _ id: UUID, _ action: AlertAction, note: String, on tx: any Database) async throws -> AlertRecord {
        let (a, _) = try await alert(ctx, id: id, on: tx)
        try await store.access.authorize(ctx, .update, "alerts", inCompound: a.compoundId, on: tx)
        guard AlertRules.next(a.status, action) != nil else {
            throw DomainError.conflict(code: "illegal_transition", message: "a \(a.status.rawValue) alert cannot be \(action.rawValue)d")
        }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if AlertRules.needsNote(action) && trimmed.isEmpty { throw DomainError.invalid([FieldError(field: "note", code: "required", message: "what was found or done")]) }
        if note.count > 2000 { throw DomainError.invalid([FieldError(field: "note", code: "too_long", message: "at most 2000 characters")]) }
        return a
    }

    func move(_ ctx: AccessContext, _ a: AlertRecord, _ action: AlertAction, note: String, sets: SQLQueryString?, on tx: any Database) async throws {
        guard let next = AlertRules.next(a.status, action) else { return }
        let closing = !next.isOpen
        var update: SQLQueryString = "UPDATE alerts SET status = \(bind: next.rawValue), updated_at = \(bind: ctx.now)"
        if closing { update = update + ", closed_at = \(bind: ctx.now), open_key = NULL" }
        if let sets { update = update + ", " + sets }
        try await tx.sql().raw(update + " WHERE id = \(bind: a.id)").run()
        try await log(a.id, action: action.rawValue, note: note.trimmingCharacters(in: .whitespacesAndNewlines), actor: ctx.actor.label, now: ctx.now, on: tx)
        try await audit.record(ctx, action: action.rawValue, entity: "alerts", entityId: a.id, districtId: a.districtId,
                               before: .object(["status": .string(a.status.rawValue)]), after: .object(["status": .string(next.rawValue), "note": .string(note)]), on: tx)
    }

    /// What a request or case about the alert says.
    func describe(_ a: AlertRecord) -> (category: RequestCategory, text: String) {
        let at = Timestamp.local(a.raisedAt)
        switch a.kind {
        case .fever:
            return (.publicOrder, "\(a.compoundName) \(a.place)：\(at) 测温 \(DeviceEventRules.celsius(a.temperature ?? 0)) °C，超过发热阈值，请物业到场复测并按规定处置。")
        case .deviceOffline:
            return (.sharedFacilities, "\(a.compoundName) \(a.place)：设备「\(a.deviceName ?? "")」自 \(at) 起离线，请物业检修。")
        case .repeatedDenials:
            return (.publicOrder, "\(a.compoundName) \(a.place)：\(at) 前后连续 \(a.count ?? 0) 次开门被拒，请物业核查。")
        case .doorHeldOpen:
            return (.publicOrder, "\(a.compoundName) \(a.place)：\(at) 门长时间未关，请物业检查门禁。")
        case .doorForced:
            return (.publicOrder, "\(a.compoundName) \(a.place)：\(at) 门被强行打开，请物业立即到场核查。")
        }
    }

    /// Turns the alert into a request to the compound's company (the request is routed as any other).
    func toRequest(_ ctx: AccessContext, id: UUID, note: String) async throws -> UUID {
        try await db.transaction { tx in
            let a = try await forActing(ctx, id, .toRequest, note: note, on: tx)
            if a.requestId != nil { throw DomainError.conflict(code: "already_linked", message: "the alert is already a request") }
            let (category, text) = describe(a)
            let extra = note.trimmingCharacters(in: .whitespacesAndNewlines)
            let urgent = [.fever, .doorForced].contains(a.kind)
            let requestId = try await requests.create(ctx, .init(channel: .device, category: category, urgency: urgent ? .emergency : .general, compoundId: a.compoundId,
                                                                 buildingId: nil, roomId: nil, reporterName: ctx.actor.label, reporterPhone: nil,
                                                                 description: extra.isEmpty ? text : text + " " + extra, latitude: nil, longitude: nil,
                                                                 receivedAt: nil, hotlineOrderNo: nil, receptionId: nil), on: tx)
            try await move(ctx, a, .toRequest, note: note, sets: "request_id = \(bind: requestId)", on: tx)
            return requestId
        }
    }

    /// Opens a whistle case about the alert summoning the company serving the compound today.
    func toWhistle(_ ctx: AccessContext, id: UUID, reportBy: Date, note: String) async throws -> UUID {
        try await db.transaction { tx in
            let a = try await forActing(ctx, id, .toWhistle, note: note, on: tx)
            if a.caseId != nil { throw DomainError.conflict(code: "already_linked", message: "the alert is already a whistle case") }
            guard Policy.isStaffOver(ctx.actor, district: a.districtId, street: a.streetId, community: nil) else {
                throw DomainError.forbidden(reason: "the street blows the whistle")
            }
            guard let company = try await ServingCompany.of(a.compoundId, today: ctx.today, on: tx) else {
                throw DomainError.conflict(code: "no_company", message: "no company serves the compound today; turn the alert into a request instead")
            }
            if reportBy <= ctx.now { throw DomainError.invalid([FieldError(field: "reportBy", code: "in_past", message: "a time after now")]) }
            let (_, text) = describe(a)
            let caseId = try await whistle.open(ctx, .init(streetId: a.streetId, compoundId: a.compoundId, requestId: a.requestId,
                                                           title: "智能设备告警：\(a.compoundName) \(a.place)", description: text + (note.isEmpty ? "" : " " + note),
                                                           parties: [.init(kind: .company, departmentId: nil, companyId: company, name: nil, reportBy: reportBy)]), on: tx)
            try await move(ctx, a, .toWhistle, note: note, sets: "case_id = \(bind: caseId)", on: tx)
            return caseId
        }
    }

    /// Alerts raised in a month (YYYY-MM, Asia/Shanghai) per compound and kind, over what the caller watches.
    func counts(_ ctx: AccessContext, month: CivilDate, compound: UUID? = nil) async throws -> [(compoundId: UUID, compound: String, kind: AlertKind, count: Int)] {
        let first = CivilDate(year: month.year, month: month.month, day: 1)
        let from = CivilTime.beijingMidnight(first)
        let to = CivilTime.beijingMidnight(CivilDate(year: month.year + (month.month == 12 ? 1 : 0), month: month.month % 12 + 1, day: 1))
        var filter = Self.watched(ctx, "alerts", alias: "a") + " AND a.raised_at >= \(bind: from) AND a.raised_at < \(bind: to)"
        if let compound { filter = filter + " AND a.compound_id = \(bind: compound)" }
        return try await db.sql().raw("SELECT a.compound_id, p.name, a.kind, COUNT(*) AS n FROM alerts a JOIN compounds p ON p.id = a.compound_id WHERE " + filter
                                      + " GROUP BY a.compound_id, p.name, a.kind ORDER BY p.name, a.kind").all().map {
            (try $0.decode(column: "compound_id", as: UUID.self), try $0.decode(column: "name", as: String.self),
             AlertKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .fever, Int(try $0.decode(column: "n", as: Int64.self)))
        }
    }
}
