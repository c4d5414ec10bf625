import Domain
import FluentKit
import Foundation
import SQLKit

extension FundService {
    /// A statement: the compound's totals and each room's balance (no names).
    func statement(_ ctx: AccessContext, compound: UUID) async throws -> (ledger: FundLedger, rooms: [(id: UUID, label: String, area: Int64)], plans: [SpendingPlanRecord]) {
        let db = database.db
        try await authorize(ctx, .read, compound: compound, on: db)
        let rooms = try await db.sql().raw("""
            SELECT r.id, b.number AS b, e.number AS e, r.number AS r, r.area FROM rooms r JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound) ORDER BY b.number, e.number, r.number
            """).all().map { row in
            (try row.decode(column: "id", as: UUID.self),
             "\(try row.decode(column: "b", as: String.self)) \(try row.decode(column: "e", as: String.self)) \(try row.decode(column: "r", as: String.self))",
             try row.decode(column: "area", as: Int64.self))
        }
        let plans = try await db.sql().raw("SELECT * FROM spending_plans WHERE compound_id = \(bind: compound) ORDER BY created_at DESC").all().map { try SpendingPlanRecord(row: $0) }
        return (try await ledger(compound, on: db), rooms, plans)
    }

    /// Plans a spending borne by the given rooms (or every room of the given buildings), shared by area.
    func plan(_ ctx: AccessContext, compound: UUID, project: String, amount: Int64, roomIds: [UUID], buildingIds: [UUID],
              emergency: EmergencyCategory?, decision: UUID?) async throws -> (SpendingPlanRecord, [UUID: Int64]) {
        try await database.db.transaction { tx in
            try await authorize(ctx, .create, compound: compound, on: tx)
            var bearing = Set(roomIds)
            if !buildingIds.isEmpty {
                for id in buildingIds {
                    let rows = try await tx.sql().raw("""
                        SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                        WHERE b.id = \(bind: id) AND b.compound_id = \(bind: compound)
                        """).all()
                    if rows.isEmpty { throw DomainError.invalid([FieldError(field: "buildingIds", code: "unknown_reference", message: "building \(id.uuidString.lowercased()) is not in this compound")]) }
                    for r in rows { bearing.insert(try r.decode(column: "id", as: UUID.self)) }
                }
            }
            let areas = Dictionary(uniqueKeysWithValues: try await rooms(compound, on: tx).map { ($0.id, $0.area) })
            var errors = FieldErrors()
            if bearing.isEmpty { errors.add("roomIds", "required", "name the rooms or buildings that bear the cost") }
            if bearing.contains(where: { areas[$0] == nil }) { errors.add("roomIds", "unknown_reference", "some rooms are not in this compound") }
            if amount <= 0 { errors.add("amount", "out_of_range", "amount must be more than 0") }
            if project.isEmpty { errors.add("project", "required", "project is required") }
            if emergency == nil && decision == nil { errors.add("decisionId", "required", "a plan needs a use_maintenance_fund decision, or an emergency category") }
            try errors.throwIfAny()
            if let decision {
                guard let row = try await tx.sql().raw("SELECT amount FROM decisions WHERE id = \(bind: decision) AND compound_id = \(bind: compound)").first() else {
                    throw DomainError.invalid([FieldError(field: "decisionId", code: "unknown_reference", message: "no decision of this compound has that id")])
                }
                // The owners approved an amount: spending more needs a new decision.
                if let approved = try row.decode(column: "amount", as: Int64?.self), amount > approved {
                    throw DomainError.invalid([FieldError(field: "amount", code: "exceeds_decision",
                                                          message: "the owners approved at most \(FixedPoint2.format(approved)) yuan for this matter")])
                }
            }
            let id = UUID.random()
            let now = Bind.date(ctx.now)
            let sorted = bearing.sorted { $0.uuidString < $1.uuidString }
            try await tx.sql().insert(into: "spending_plans").columns("id", "compound_id", "project", "amount", "room_ids", "emergency", "decision_id", "status",
                                                                       "notice_published_at", "paid_at", "reported_at", "report", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(compound), Bind.text(project), Bind.int(amount), Bind.text(sorted.map { $0.uuidString.lowercased() }.joined(separator: ",")),
                         Bind.text(emergency?.rawValue), Bind.uuid(decision), Bind.text(SpendingStatus.planned.rawValue), SQLLiteral.null, SQLLiteral.null,
                         SQLLiteral.null, SQLLiteral.null, now, now]).run()
            let record = try SpendingPlanRecord(row: try await tx.sql().raw("SELECT * FROM spending_plans WHERE id = \(bind: id)").first()!)
            try await audit.record(ctx, action: "create", entity: "fund-plans", entityId: id, districtId: nil, before: nil, after: (try JSONValue.of(FundPlanAnswer(record))), on: tx)
            return (record, Apportion.byWeight(amount, sorted.map { ($0, areas[$0]!) }))
        }
    }

    func loadPlan(_ id: UUID, on db: any Database) async throws -> SpendingPlanRecord {
        guard let row = try await db.sql().raw("SELECT * FROM spending_plans WHERE id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "fund-plans", id: id.uuidString.lowercased())
        }
        return try SpendingPlanRecord(row: row)
    }

    /// Publishes the notice to owners that an emergency spending must precede.
    func publishNotice(_ ctx: AccessContext, plan id: UUID) async throws -> SpendingPlanRecord {
        let p = try await loadPlan(id, on: database.db)
        try await authorize(ctx, .update, compound: p.compoundId, on: database.db)
        guard p.emergency != nil, p.noticePublishedAt == nil else {
            throw DomainError.conflict(code: "no_notice_needed", message: "only an emergency plan without a notice needs one")
        }
        return try await update(ctx, p, set: "notice_published_at = \(bind: ctx.now)", action: "notice")
    }

    /// Pays a plan from the rooms' accounts, shared by area, if the rules allow it now.
    func pay(_ ctx: AccessContext, plan id: UUID) async throws -> SpendingPlanRecord {
        let p = try await loadPlan(id, on: database.db)
        try await authorize(ctx, .update, compound: p.compoundId, on: database.db)
        var fundDecision: FundDecision?
        if let decisionId = p.decisionId {
            let d = try await decisions.load(decisionId, on: database.db)
            let result = try await decisions.result(.system("fund", source: ctx.source, now: ctx.now), decisionId)
            let rooms = Set(try await decisions.roll(decisionId, on: database.db).flatMap(\.roomIds))
            fundDecision = FundDecision(matter: d.matter, passed: result.tally.passed && (d.status == .closed || d.status == .published), roomIds: rooms)
        }
        if let refusal = SpendingRules.mayPay(status: p.status, roomIds: Set(p.roomIds), emergency: p.emergency,
                                              noticePublished: p.noticePublishedAt.map { $0 <= ctx.now } ?? false, decision: fundDecision) {
            throw DomainError.conflict(code: "may_not_pay", message: "the plan may not be paid: \(refusal)")
        }
        return try await database.db.transaction { tx in
            let areas = Dictionary(uniqueKeysWithValues: try await rooms(p.compoundId, on: tx).map { ($0.id, $0.area) })
            let shares = Apportion.byWeight(p.amount, p.roomIds.map { ($0, areas[$0] ?? 0) })
            try await post(ctx, compound: p.compoundId, [try Self.wrap { try FundLedger.spending(shares) }], memo: p.project, plan: p.id, on: tx)
            try await tx.sql().raw("UPDATE spending_plans SET status = 'paid', paid_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: p.id)").run()
            try await audit.record(ctx, action: "pay", entity: "fund-plans", entityId: p.id, districtId: nil, before: (try JSONValue.of(FundPlanAnswer(p))),
                                   after: .object(["status": .string("paid"), "amount": .string(FixedPoint2.format(p.amount))]), on: tx)
            try await NoticeService.postSystem(ctx, .fundPayment, compound: p.compoundId, title: "维修资金使用公示：" + p.project,
                                               body: "项目：\(p.project)\n支出金额：\(FixedPoint2.grouped(p.amount)) 元，已于 \(Timestamp.local(ctx.now)) 从 \(p.roomIds.count) 户的分户账按专有部分面积分摊列支。",
                                               ref: p.id, on: tx)
            return try await loadPlan(p.id, on: tx)
        }
    }

    /// Reports an emergency spending to the owners after payment.
    func report(_ ctx: AccessContext, plan id: UUID, text: String) async throws -> SpendingPlanRecord {
        let p = try await loadPlan(id, on: database.db)
        try await authorize(ctx, .update, compound: p.compoundId, on: database.db)
        guard p.emergency != nil, p.status == .paid else { throw DomainError.conflict(code: "not_reportable", message: "only a paid emergency plan is reported") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.invalid([FieldError(field: "report", code: "required", message: "the report is required")]) }
        return try await update(ctx, p, set: "status = 'reported', reported_at = \(bind: ctx.now), report = \(bind: text)", action: "report")
    }

    func update(_ ctx: AccessContext, _ p: SpendingPlanRecord, set: SQLQueryString, action: String) async throws -> SpendingPlanRecord {
        try await database.db.transaction { tx in
            try await tx.sql().raw("UPDATE spending_plans SET " + set + ", updated_at = \(bind: ctx.now) WHERE id = \(bind: p.id)").run()
            let after = try await loadPlan(p.id, on: tx)
            if action == "notice" {
                try await NoticeService.postSystem(ctx, .fundPlan, compound: p.compoundId, title: "维修资金应急使用公示：" + p.project,
                                                   body: "项目：\(p.project)\n预计金额：\(FixedPoint2.grouped(p.amount)) 元，涉及 \(p.roomIds.count) 户，按专有部分面积分摊。因紧急情况先行使用，完成后将公示使用情况。",
                                                   ref: p.id, on: tx)
            }
            try await audit.record(ctx, action: action, entity: "fund-plans", entityId: p.id, districtId: nil, before: (try JSONValue.of(FundPlanAnswer(p))), after: (try JSONValue.of(FundPlanAnswer(after))), on: tx)
            return after
        }
    }
}
