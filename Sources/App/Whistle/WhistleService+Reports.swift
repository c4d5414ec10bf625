import Domain
import FluentKit
import Foundation
import SQLKit

extension WhistleService {
    func load(_ id: UUID, on db: any Database) async throws -> (WhistleCaseRecord, [WhistlePartyRecord]) {
        guard let row = try await db.sql().raw("\(unsafeRaw: WhistleCaseRecord.select) WHERE w.id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "whistle-cases", id: id.uuidString.lowercased())
        }
        var parties = try await db.sql().raw("SELECT * FROM whistle_parties WHERE case_id = \(bind: id) ORDER BY created_at, name").all().map { try WhistlePartyRecord(row: $0) }
        let commitments = try await db.sql().raw("SELECT * FROM whistle_commitments WHERE case_id = \(bind: id) ORDER BY due_on, created_at").all()
        for c in commitments {
            let party = try c.decode(column: "party_id", as: UUID.self)
            guard let i = parties.firstIndex(where: { $0.id == party }) else { continue }
            parties[i].commitments.append(Commitment(task: try c.decode(column: "task", as: String.self), amount: Money(fen: try c.decode(column: "amount", as: Int64.self)),
                                                     dueOn: CivilDate(try c.decode(column: "due_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)))
        }
        // Parties with nobody who can sign in for them: the street may record their reports.
        for i in parties.indices {
            let scope: (String, UUID)? = switch parties[i].kind {
            case .department: parties[i].departmentId.map { ("department-liaison", $0) }
            case .company: parties[i].companyId.map { ("company-staff", $0) }
            default: nil
            }
            guard let (role, scopeId) = scope else { continue }
            parties[i].hasAccount = try await db.sql().raw("""
                SELECT g.id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = \(bind: role) AND g.scope_id = \(bind: scopeId) AND u.disabled = \(bind: false)
                """).first() != nil
        }
        return (try WhistleCaseRecord(row: row), parties)
    }

    /// The case with its parties and log; 404 to anyone not involved.
    func get(_ ctx: AccessContext, _ id: UUID) async throws -> WhistleCaseView {
        let db = database.db
        let (c, parties) = try await load(id, on: db)
        let s = standing(ctx, c, parties: parties)
        guard s.sees else { throw DomainError.notFound(entity: "whistle-cases", id: id.uuidString.lowercased()) }
        let log = try await db.sql().raw("SELECT * FROM whistle_log WHERE case_id = \(bind: id) ORDER BY at, created_at").all().map {
            WhistleLogEntry(actor: try $0.decode(column: "actor_label", as: String.self), at: try $0.decode(column: "at", as: Date.self), note: try $0.decode(column: "note", as: String.self))
        }
        return WhistleCaseView(record: c, parties: parties, log: log, standing: s)
    }

    /// Cases the actor runs or is summoned to, newest first.
    func list(_ ctx: AccessContext, status: WhistleStatus?, streetId: UUID?, limit: Int = 100) async throws -> [WhistleCaseRecord] {
        var parts: [SQLQueryString] = []
        for g in ctx.actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("w.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("w.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("p.community_id = \(bind: g.scopeId)")
            case .committeeMember: parts.append("w.compound_id = \(bind: g.scopeId)")
            case .departmentLiaison: parts.append("EXISTS (SELECT 1 FROM whistle_parties x WHERE x.case_id = w.id AND x.department_id = \(bind: g.scopeId))")
            case .companyStaff: parts.append("EXISTS (SELECT 1 FROM whistle_parties x WHERE x.case_id = w.id AND x.company_id = \(bind: g.scopeId))")
            case .owner, .resident, .mediator, .serviceProvider: break
            }
        }
        let visible: SQLQueryString = ctx.actor.isSystem ? "1=1" : parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
        var query: SQLQueryString = "\(unsafeRaw: WhistleCaseRecord.select) WHERE " + visible
        if let s = status { query += " AND w.status = \(bind: s.rawValue)" }
        if let s = streetId { query += " AND w.street_id = \(bind: s)" }
        query += " ORDER BY w.opened_at DESC LIMIT \(unsafeRaw: String(limit))"
        return try await database.db.sql().raw(query).all().map { try WhistleCaseRecord(row: $0) }
    }

    /// A party reports in (报到): its response and commitments. A department reports through its
    /// liaison, a company through its staff; the street records the developer's and committee's,
    /// and a department's or company's that has no account, marked as on its behalf (`WhistleRules.reporting`).
    func report(_ ctx: AccessContext, case id: UUID, party partyId: UUID, response: String, commitments: [Commitment]) async throws {
        try await database.db.transaction { tx in
            let (c, parties) = try await load(id, on: tx)
            let s = standing(ctx, c, parties: parties)
            guard s.sees else { throw DomainError.notFound(entity: "whistle-cases", id: id.uuidString.lowercased()) }
            guard let party = parties.first(where: { $0.id == partyId }) else {
                throw DomainError.invalid([FieldError(field: "partyId", code: "unknown_reference", message: "no summoned party of this case has that id")])
            }
            let rule = WhistleRules.reporting(kind: party.kind, own: s.partyIds.contains(partyId), runs: s.runs, partyHasAccount: party.hasAccount)
            guard rule.allowed else { throw DomainError.forbidden(reason: "only the summoned party reports in for itself") }
            guard c.status == .open else { throw DomainError.conflict(code: "case_closed", message: "the case is closed") }
            guard party.reportedAt == nil else { throw DomainError.conflict(code: "already_reported", message: "\(party.name) has already reported in") }
            let now = Bind.date(ctx.now)
            try await tx.sql().raw("""
                UPDATE whistle_parties SET reported_at = \(bind: ctx.now), response = \(bind: response),
                reported_by = \(bind: rule.onBehalf ? "\(ctx.actor.label)（代\(party.name)登记）" : ctx.actor.label), updated_at = \(bind: ctx.now)
                WHERE id = \(bind: partyId)
                """).run()
            try await BulkWriter(db: tx).insert("whistle_commitments", columns: ["id", "case_id", "party_id", "task", "amount", "due_on", "created_at", "updated_at"],
                                                rows: commitments.map { [Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(partyId), Bind.text($0.task), Bind.int($0.amount.fen),
                                                                         Bind.text($0.dueOn.description), now, now] })
            let onTime = SummonedParty(reportBy: party.reportBy, reportedAt: ctx.now).onTime
            try await log(tx, ctx, case: id, note: "\(party.name) 报到\(onTime ? "" : "（逾期）")\(rule.onBehalf ? "（街道代为登记）" : "")：\(response)")
            try await audit.record(ctx, action: "report", entity: "whistle-cases", entityId: id, districtId: c.districtId, before: nil,
                                   after: .object(["party": .string(party.name), "onTime": .bool(onTime), "response": .string(response),
                                                   "commitments": .int(Int64(commitments.count))]), on: tx)
        }
    }

    /// A line on the progress log, by anyone running or summoned to the case.
    func addLog(_ ctx: AccessContext, case id: UUID, note: String) async throws {
        try await database.db.transaction { tx in
            let (c, parties) = try await load(id, on: tx)
            let s = standing(ctx, c, parties: parties)
            guard s.sees else { throw DomainError.notFound(entity: "whistle-cases", id: id.uuidString.lowercased()) }
            guard s.runs || !s.partyIds.isEmpty else { throw DomainError.forbidden(reason: "only the street and the summoned parties write the log") }
            guard c.status == .open else { throw DomainError.conflict(code: "case_closed", message: "the case is closed") }
            try await log(tx, ctx, case: id, note: note)
            try await audit.record(ctx, action: "log", entity: "whistle-cases", entityId: id, districtId: c.districtId, before: nil, after: .object(["note": .string(note)]), on: tx)
        }
    }

    /// The street confirms and closes the case; 409 while a summoned party has not reported.
    func close(_ ctx: AccessContext, case id: UUID, note: String) async throws {
        try await database.db.transaction { tx in
            let (c, parties) = try await load(id, on: tx)
            let s = standing(ctx, c, parties: parties)
            guard s.sees else { throw DomainError.notFound(entity: "whistle-cases", id: id.uuidString.lowercased()) }
            guard s.runs else { throw DomainError.forbidden(reason: "only the street confirms and closes a case") }
            guard c.status == .open else { throw DomainError.conflict(code: "case_closed", message: "the case is already closed") }
            guard WhistleRules.canClose(parties.map(\.rule)) else {
                let missing = parties.filter { $0.reportedAt == nil }.map(\.name)
                throw DomainError.conflict(code: "parties_not_reported", message: "not every summoned party has reported in: " + missing.joined(separator: "、"))
            }
            try await tx.sql().raw("""
                UPDATE whistle_cases SET status = 'closed', closed_at = \(bind: ctx.now), closing_note = \(bind: note), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await log(tx, ctx, case: id, note: "closed: " + note)
            try await audit.record(ctx, action: "close", entity: "whistle-cases", entityId: id, districtId: c.districtId,
                                   before: .object(["status": .string("open")]), after: .object(["status": .string("closed"), "note": .string(note)]), on: tx)
        }
    }

    /// Per department: parties summoned to cases opened in [from, to), and how many reported on time.
    func departmentReports(district: UUID, from: Date, to: Date, now: Date) async throws -> [UUID: Ratio] {
        let rows = try await database.db.sql().raw("""
            SELECT wp.department_id, wp.report_by, wp.reported_at FROM whistle_parties wp JOIN whistle_cases wc ON wc.id = wp.case_id
            WHERE wc.district_id = \(bind: district) AND wp.department_id IS NOT NULL AND wc.opened_at >= \(bind: from) AND wc.opened_at < \(bind: to)
            """).all()
        var byDept: [UUID: [SummonedParty]] = [:]
        for r in rows {
            byDept[try r.decode(column: "department_id", as: UUID.self), default: []]
                .append(SummonedParty(reportBy: try r.decode(column: "report_by", as: Date.self), reportedAt: try r.decode(column: "reported_at", as: Date?.self)))
        }
        return byDept.mapValues { WhistleRules.onTimeRate($0, now: now) }
    }
}
