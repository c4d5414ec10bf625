import Domain
import FluentKit
import Foundation
import SQLKit

/// Owners' joint decisions: create, open (freezing the roll), ballots on a hash chain, close,
/// count, publish, verify — each checked against the compound's place in the caller's scope.
struct DecisionService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let audit = AuditLog()

    var compounds: ResourceSpec { store.catalog["compounds"]! }

    // MARK: - Access

    /// Reading follows the compound; organising needs a role that may write decisions inside it.
    func authorize(_ ctx: AccessContext, _ action: Action, compound: UUID, on db: any Database) async throws {
        try await store.access.authorize(ctx, action, "decisions", inCompound: compound, on: db)
    }

    func load(_ id: UUID, on db: any Database) async throws -> DecisionRecord {
        guard let row = try await db.sql().raw("SELECT * FROM decisions WHERE id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "decisions", id: id.uuidString.lowercased())
        }
        return try DecisionRecord(row: row)
    }

    /// A decision the caller may see; an open decision whose window has ended is closed on the way.
    func get(_ ctx: AccessContext, _ id: UUID) async throws -> DecisionRecord {
        let db = database.db
        var d = try await load(id, on: db)
        do { try await authorize(ctx, .read, compound: d.compoundId, on: db) } catch DomainError.notFound {
            throw DomainError.notFound(entity: "decisions", id: id.uuidString.lowercased())
        }
        if VotingWindow.hasEnded(d.status, now: ctx.now, closesAt: d.closesAt) {
            let ended = d
            try await db.transaction { tx in
                try await tx.sql().raw("UPDATE decisions SET status = 'closed', closed_at = \(bind: ended.closesAt), updated_at = \(bind: ctx.now) WHERE id = \(bind: id) AND status = 'open'").run()
                try await audit.record(.system("clock", source: "clock", now: ctx.now), action: "close", entity: "decisions", entityId: id,
                                       districtId: try await store.access.district(compounds, id: ended.compoundId, on: tx), before: .object(["status": .string("open")]),
                                       after: .object(["status": .string("closed"), "reason": .string("voting window ended")]), on: tx)
            }
            d = try await load(id, on: db)
        }
        return d
    }

    func list(_ ctx: AccessContext, compound: UUID) async throws -> [DecisionRecord] {
        try await authorize(ctx, .read, compound: compound, on: database.db)
        return try await database.db.sql().raw("SELECT * FROM decisions WHERE compound_id = \(bind: compound) ORDER BY opens_at DESC").all()
            .map { try DecisionRecord(row: $0) }
    }

    // MARK: - Life cycle

    struct NewDecision {
        var title: String
        var matter: Matter
        var description: String?
        var opensAt: Date
        var closesAt: Date
        var candidates: [String]
        var seats: Int?
        var companyId: UUID?
        var contractId: UUID?
        /// The money the matter involves (a fund spending, a levy, works), in fen, shown on the ballot.
        var amount: Int64? = nil
    }

    /// Creates a draft; runs on `given` when a caller's transaction holds it (a replacement started from a black-list placing).
    func create(_ ctx: AccessContext, compound: UUID, _ input: NewDecision, on given: (any Database)? = nil) async throws -> DecisionRecord {
        let id = UUID.random()
        if let tx = given {
            try await insert(ctx, id: id, compound: compound, input, on: tx)
            return try await load(id, on: tx)
        }
        try await database.db.transaction { tx in try await insert(ctx, id: id, compound: compound, input, on: tx) }
        return try await load(id, on: database.db)
    }

    private func insert(_ ctx: AccessContext, id: UUID, compound: UUID, _ input: NewDecision, on tx: any Database) async throws {
        do {
            try await authorize(ctx, .create, compound: compound, on: tx)
            if let c = input.companyId, try await tx.sql().raw("SELECT id FROM companies WHERE id = \(bind: c)").first() == nil {
                throw DomainError.invalid([FieldError(field: "companyId", code: "unknown_reference", message: "no company has id \(c.uuidString.lowercased())")])
            }
            if let k = input.contractId, try await tx.sql().raw("SELECT id FROM contracts WHERE id = \(bind: k) AND compound_id = \(bind: compound)").first() == nil {
                throw DomainError.invalid([FieldError(field: "contractId", code: "unknown_reference", message: "no contract of this compound has id \(k.uuidString.lowercased())")])
            }
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "decisions").columns("id", "compound_id", "title", "matter", "description", "opens_at", "closes_at", "status",
                                                                  "candidates", "seats", "company_id", "contract_id", "opened_at", "closed_at", "close_reason",
                                                                  "published_at", "applied_at", "created_by", "amount", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(compound), Bind.text(input.title), Bind.text(input.matter.rawValue), Bind.text(input.description),
                         Bind.date(input.opensAt), Bind.date(input.closesAt), Bind.text(DecisionStatus.draft.rawValue),
                         Bind.text(input.candidates.isEmpty ? nil : input.candidates.joined(separator: "\n")), input.seats.map { Bind.int($0) } ?? SQLLiteral.null,
                         Bind.uuid(input.companyId), Bind.uuid(input.contractId), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                         SQLLiteral.null, Bind.text(ctx.actor.label), input.amount.map { Bind.int($0) } ?? SQLLiteral.null, now, now]).run()
            let d = try await load(id, on: tx)
            let district = try await store.access.district(compounds, id: compound, on: tx)
            try await audit.record(ctx, action: "create", entity: "decisions", entityId: id, districtId: district, before: nil, after: d.json, on: tx)
        }
    }

    /// Opens voting and freezes the roll: persons, rooms and areas as registered now.
    func open(_ ctx: AccessContext, _ id: UUID) async throws -> DecisionRecord {
        let d = try await get(ctx, id)
        try await database.db.transaction { tx in
            try await authorize(ctx, .update, compound: d.compoundId, on: tx)
            guard d.status.canMove(to: .open) else { throw DomainError.conflict(code: "illegal_transition", message: "a \(d.status.rawValue) decision cannot be opened") }
            let rows = try await tx.sql().raw("""
                SELECT r.id AS room_id, r.area, o.owner_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                LEFT JOIN ownerships o ON o.room_id = r.id WHERE b.compound_id = \(bind: d.compoundId)
                """).all()
            var holdings: [UUID: RoomHolding] = [:]
            for row in rows {
                let room = try row.decode(column: "room_id", as: UUID.self)
                let area = Area(hundredths: try row.decode(column: "area", as: Int64.self))
                var h = holdings[room] ?? RoomHolding(roomId: room, area: area, ownerIds: [])
                if let owner = try row.decode(column: "owner_id", as: UUID?.self) { h.ownerIds.append(owner) }
                holdings[room] = h
            }
            let roll = VoterRoll.build(Array(holdings.values))
            guard !roll.isEmpty else { throw DomainError.conflict(code: "empty_roll", message: "the compound has no registered owners to vote") }
            let now = Bind.date(ctx.now)
            try await BulkWriter(db: tx).insert("decision_voters", columns: ["id", "decision_id", "voter_key", "area", "room_ids", "owner_ids", "created_at", "updated_at"],
                                                 rows: roll.map { v in
                [Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(v.key), Bind.int(v.area.hundredths),
                 Bind.text(v.roomIds.map { $0.uuidString.lowercased() }.joined(separator: ",")),
                 Bind.text(v.ownerIds.map { $0.uuidString.lowercased() }.joined(separator: ",")), now, now]
            })
            try await issuePaperBallots(roll, decision: id, now: ctx.now, on: tx)
            try await tx.sql().raw("UPDATE decisions SET status = 'open', opened_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "open", entity: "decisions", entityId: id, districtId: try await store.access.district(compounds, id: d.compoundId, on: tx),
                                   before: .object(["status": .string(d.status.rawValue)]),
                                   after: .object(["status": .string("open"), "voters": .int(Int64(roll.count)),
                                                   "area": .string(FixedPoint2.format(roll.reduce(0) { $0 + $1.area.hundredths }))]), on: tx)
        }
        return try await load(id, on: database.db)
    }

    /// Closes voting: at the window's end, or early by the organiser with a reason.
    func close(_ ctx: AccessContext, _ id: UUID, reason: String?) async throws -> DecisionRecord {
        let d = try await get(ctx, id)
        try await authorize(ctx, .update, compound: d.compoundId, on: database.db)
        guard d.status.canMove(to: .closed) else { throw DomainError.conflict(code: "illegal_transition", message: "a \(d.status.rawValue) decision cannot be closed") }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if VotingWindow.closingNeedsReason(now: ctx.now, closesAt: d.closesAt) && trimmed.isEmpty {
            throw DomainError.invalid([FieldError(field: "reason", code: "required", message: "closing before the window ends needs a reason")])
        }
        return try await transition(ctx, d, to: .closed, column: "closed_at", extra: ["reason": .string(trimmed)], reason: trimmed.isEmpty ? nil : trimmed)
    }

    /// Publishes (公示) a closed decision's result.
    func publish(_ ctx: AccessContext, _ id: UUID) async throws -> DecisionRecord {
        let d = try await get(ctx, id)
        try await authorize(ctx, .update, compound: d.compoundId, on: database.db)
        guard d.status.canMove(to: .published) else { throw DomainError.conflict(code: "illegal_transition", message: "a \(d.status.rawValue) decision cannot be published") }
        return try await transition(ctx, d, to: .published, column: "published_at", extra: [:], reason: nil)
    }

    func transition(_ ctx: AccessContext, _ d: DecisionRecord, to status: DecisionStatus, column: String, extra: [String: JSONValue], reason: String?) async throws -> DecisionRecord {
        try await database.db.transaction { tx in
            let reasonSQL: SQLQueryString = reason.map { ", close_reason = \(bind: $0)" } ?? ""
            try await tx.sql().raw("""
                UPDATE decisions SET status = \(bind: status.rawValue), \(unsafeRaw: column) = \(bind: ctx.now), updated_at = \(bind: ctx.now)\(reasonSQL)
                WHERE id = \(bind: d.id) AND status = \(bind: d.status.rawValue)
                """).run()
            try await audit.record(ctx, action: status == .closed ? "close" : "publish", entity: "decisions", entityId: d.id,
                                   districtId: try await store.access.district(compounds, id: d.compoundId, on: tx),
                                   before: .object(["status": .string(d.status.rawValue)]),
                                   after: .object(extra.merging(["status": .string(status.rawValue)]) { a, _ in a }), on: tx)
            // The result is posted to the owners as soon as voting closes, and nobody can change that notice.
            if status == .closed {
                let r = try await count(d, on: tx)
                let p = r.tally.persons, a = r.tally.area
                let verdict = r.tally.passed ? "通过" : (r.tally.quorumMet ? "未通过" : "未达到参与表决的法定人数和面积，未通过")
                let body = """
                    表决事项：\(d.title)
                    投票于 \(Timestamp.local(ctx.now)) 结束。参与表决业主 \(p.participating) 人（共 \(p.total) 人），专有部分面积 \(FixedPoint2.grouped(a.participating)) ㎡（共 \(FixedPoint2.grouped(a.total)) ㎡）。
                    同意 \(p.yes) 人、\(FixedPoint2.grouped(a.yes)) ㎡；反对 \(p.no) 人、\(FixedPoint2.grouped(a.no)) ㎡；弃权 \(p.abstain) 人、\(FixedPoint2.grouped(a.abstain)) ㎡。
                    表决结果：\(verdict)。
                    """
                try await NoticeService.postSystem(ctx, .decisionResult, compound: d.compoundId, title: "表决结果公示：" + d.title, body: body, ref: d.id, on: tx)
            }
        }
        return try await load(d.id, on: database.db)
    }
}
