import Domain
import FluentKit
import Foundation
import SQLKit

/// Red and black lists (红黑榜): a street publishes its list for a period once the period is over,
/// placing its companies by `HonourListRules` over their scorecards and triggers; the placings are
/// kept as published, with the consequences recorded against them.
extension AssessmentService {
    /// The black-list triggers of a street's companies in a period: unreported hazards found by
    /// inspections, and whistle cases whose report time passed without the company's report.
    func triggers(street: UUID, period: AssessmentPeriod, now: Date, on db: any Database) async throws -> (hazards: [UUID: Int64], whistle: [UUID: Int64]) {
        let first = period.months[0], last = period.months[period.months.count - 1]
        var hazards: [UUID: Int64] = [:], whistle: [UUID: Int64] = [:]
        for r in try await db.sql().raw("""
            SELECT i.company_id, COUNT(*) AS n FROM inspection_lines l JOIN inspections i ON i.id = l.inspection_id WHERE i.street_id = \(bind: street)
            AND i.month >= \(bind: first) AND i.month <= \(bind: last) AND i.status <> 'draft' AND l.hazard = 'unreported' AND i.company_id IS NOT NULL GROUP BY i.company_id
            """).all() { hazards[try r.decode(column: "company_id", as: UUID.self)] = try RankingService.int(r, "n") }
        let from = CivilTime.beijingMidnight(period.days.from), to = min(CivilTime.beijingMidnight(period.days.to), now)
        for r in try await db.sql().raw("""
            SELECT wp.company_id, COUNT(*) AS n FROM whistle_parties wp JOIN whistle_cases wc ON wc.id = wp.case_id WHERE wc.street_id = \(bind: street)
            AND wp.company_id IS NOT NULL AND wp.report_by >= \(bind: from) AND wp.report_by < \(bind: to)
            AND (wp.reported_at IS NULL OR wp.reported_at > wp.report_by) GROUP BY wp.company_id
            """).all() { whistle[try r.decode(column: "company_id", as: UUID.self)] = try RankingService.int(r, "n") }
        return (hazards, whistle)
    }

    /// What the list would be, computed now (a preview before publishing, and what publishing stores).
    func preview(street: UUID, district: UUID, period: AssessmentPeriod, now: Date, on db: any Database) async throws -> (rows: [ScoreRow], placings: [ListPlacing]) {
        let rows = try await computeScores(district: district, street: street, period: period, level: .company, now: now, on: db)
        let t = try await triggers(street: street, period: period, now: now, on: db)
        var candidates = rows.map { r in
            // A company not inspected in the period has no score to place it by (its triggers still count).
            ListCandidate(id: r.id, name: r.name, score: r.card.isRanked ? r.card.total : nil, months: period.months.count > 1 ? r.monthCards.map { ($0.month, $0.card.total) } : [],
                          hazards: t.hazards[r.id] ?? 0, whistleMisses: t.whistle[r.id] ?? 0)
        }
        // A company with a trigger but no score this period is still placed.
        for id in Set(t.hazards.keys).union(t.whistle.keys) where !candidates.contains(where: { $0.id == id }) {
            let name = try await db.sql().raw("SELECT name FROM companies WHERE id = \(bind: id)").first()?.decode(column: "name", as: String.self) ?? "—"
            candidates.append(ListCandidate(id: id, name: name, score: nil, months: [], hazards: t.hazards[id] ?? 0, whistleMisses: t.whistle[id] ?? 0))
        }
        let rules = try await settings(street: street, on: db).rules
        return (rows, HonourListRules.place(candidates, rules: rules))
    }

    /// Publishes the street's list for a period that is over; once only.
    func publish(_ ctx: AccessContext, street: UUID, period: AssessmentPeriod) async throws -> [PlacingRecord] {
        let place = try await streetPlace(ctx, street)
        guard Policy.isStaffOver(ctx.actor, district: place.district, street: street, community: nil) else {
            throw DomainError.forbidden(reason: "the street publishes its red and black lists")
        }
        guard let today = CivilDate(ctx.today), period.days.to <= today else {
            throw DomainError.conflict(code: "period_not_over", message: "a list is published once its period is over")
        }
        try await db.transaction { tx in
            if try await tx.sql().raw("SELECT id FROM placings WHERE street_id = \(bind: street) AND period = \(bind: period.description)").first() != nil {
                throw DomainError.conflict(code: "already_published", message: "the list for \(period) is published already")
            }
            let (_, placings) = try await preview(street: street, district: place.district, period: period, now: ctx.now, on: tx)
            for p in placings {
                try await tx.sql().insert(into: "placings").columns("id", "district_id", "street_id", "period", "company_id", "list", "score", "rank", "triggers",
                                                                    "published_by", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(place.district), Bind.uuid(street), Bind.text(period.description), Bind.uuid(p.id), Bind.text(p.list.rawValue),
                             p.score.map { Bind.int($0.hundredths) } ?? SQLLiteral.null, p.rank.map { Bind.int(Int64($0)) } ?? SQLLiteral.null,
                             Bind.text(PlacingRecord.triggerText(p.triggers)), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            }
            try await audit.record(ctx, action: "publish", entity: "assessment-lists", entityId: street, districtId: place.district, before: nil,
                                   after: .object(["period": .string(period.description), "red": .int(Int64(placings.filter { $0.list == .red }.count)),
                                                   "black": .int(Int64(placings.filter { $0.list == .black }.count))]), on: tx)
        }
        return try await placings(ctx, street: street, period: period)
    }

    /// Published placings: of a street and period, of a whole district's streets, or a company's history.
    func placings(_ ctx: AccessContext, street: UUID? = nil, district: UUID? = nil, period: AssessmentPeriod? = nil, company: UUID? = nil) async throws -> [PlacingRecord] {
        var filter: SQLQueryString = "1=1"
        if let street { _ = try await streetPlace(ctx, street); filter += " AND pl.street_id = \(bind: street)" }
        if let district { filter += " AND pl.district_id = \(bind: district)" }
        if let period { filter += " AND pl.period = \(bind: period.description)" }
        if let company { filter += " AND pl.company_id = \(bind: company)" }
        // Lists are published to everyone in the district they belong to.
        let districts = Set(ctx.actor.grants.compactMap { $0.role == .districtAdmin ? $0.scopeId : $0.districtId })
        if !ctx.actor.isSystem { filter += districts.isEmpty ? " AND 1=0" : " AND pl.district_id IN (" + districts.sorted { $0.uuidString < $1.uuidString }.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")" }
        return try await db.sql().raw("\(unsafeRaw: PlacingRecord.select) WHERE " + filter
            + " ORDER BY pl.created_at DESC, st.name, CASE WHEN pl.list = 'red' THEN 0 ELSE 1 END, pl.rank, pl.score DESC, co.name LIMIT 1000").all().map(PlacingRecord.init)
    }

    func placing(_ ctx: AccessContext, _ id: UUID) async throws -> PlacingRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: PlacingRecord.select) WHERE pl.id = \(bind: id)").first() else { throw DomainError.notFound(entity: "placings", id: id.text) }
        let p = try PlacingRecord(row: row)
        guard ctx.actor.isSystem || ctx.actor.grants.contains(where: { ($0.role == .districtAdmin ? $0.scopeId : $0.districtId) == p.districtId }) else {
            throw DomainError.notFound(entity: "placings", id: id.text)
        }
        return p
    }

    func actions(_ placing: UUID) async throws -> [PlacingActionRecord] {
        try await db.sql().raw("SELECT * FROM placing_actions WHERE placing_id = \(bind: placing) ORDER BY created_at").all().map(PlacingActionRecord.init)
    }

    /// What a consequence carries.
    struct ConsequenceInput: Sendable {
        var kind: ConsequenceKind
        var note: String
        var dueOn: CivilDate?
        var compoundId: UUID?
    }

    /// Records a consequence against a placing (street staff over its street): a commendation of a
    /// red placing; a warning, interview, rectification order (with its due date) or the start of
    /// replacing the company in one of its compounds (a draft decision to dismiss it, for the owners
    /// to vote on) for a black one.
    func addConsequence(_ ctx: AccessContext, placing id: UUID, _ input: ConsequenceInput) async throws -> PlacingActionRecord {
        let p = try await placing(ctx, id)
        guard Policy.isStaffOver(ctx.actor, district: p.districtId, street: p.streetId, community: nil) else {
            throw DomainError.forbidden(reason: "the street records what follows a placing")
        }
        guard input.kind.list == p.list else {
            throw DomainError.conflict(code: "wrong_list", message: "\(input.kind.rawValue) does not follow a \(p.list.rawValue) placing")
        }
        let note = try Self.requireText("note", input.note, "what was decided, 1–2,000 characters")
        var errors = FieldErrors()
        if input.kind == .rectification {
            if let due = input.dueOn { if let today = CivilDate(ctx.today), due <= today { errors.add("dueOn", "out_of_range", "a day after today") } }
            else { errors.add("dueOn", "required", "the day the rectification is due") }
        }
        var compoundName: String?
        if input.kind == .replacement {
            if let c = input.compoundId {
                compoundName = try await db.sql().raw("""
                    SELECT p.name FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN contracts k ON k.compound_id = p.id
                    WHERE p.id = \(bind: c) AND cm.street_id = \(bind: p.streetId) AND k.company_id = \(bind: p.companyId)
                    AND (k.ends_on IS NULL OR k.ends_on >= \(bind: ctx.today))
                    """).first()?.decode(column: "name", as: String.self)
                if compoundName == nil { errors.add("compoundId", "unknown_reference", "a compound of this street the company serves now") }
            } else { errors.add("compoundId", "required", "the compound whose owners decide on replacing the company") }
        }
        try errors.throwIfAny()
        let actionId = UUID.random()
        try await db.transaction { tx in
            var decision: UUID?
            if input.kind == .replacement, let c = input.compoundId {
                // A draft the committee and street complete (candidates, dates) and open for the owners' vote, in the same transaction.
                let opens = ctx.now.addingTimeInterval(7 * 86_400), closes = ctx.now.addingTimeInterval(37 * 86_400)
                decision = try await decisions.create(ctx, compound: c, .init(title: "关于解聘\(p.companyName)的表决（\(p.period)考核黑榜）", matter: .hireOrDismissManager,
                                                                            description: "依据\(p.streetName)\(p.period)物业考核黑榜：\(note)", opensAt: opens, closesAt: closes,
                                                                            candidates: [], seats: nil, companyId: p.companyId, contractId: nil), on: tx).id
            }
            try await tx.sql().insert(into: "placing_actions").columns("id", "placing_id", "kind", "note", "due_on", "compound_id", "decision_id", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(actionId), Bind.uuid(id), Bind.text(input.kind.rawValue), Bind.text(note), Bind.text(input.dueOn?.description),
                         Bind.uuid(input.compoundId), Bind.uuid(decision), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: input.kind.rawValue, entity: "placings", entityId: id, districtId: p.districtId, before: nil,
                                   after: .object(["note": .string(note), "dueOn": input.dueOn.map { .string($0.description) } ?? .null,
                                                   "decisionId": decision.map { .string($0.text) } ?? .null]), on: tx)
        }
        return try await actions(id).first { $0.id == actionId }!
    }
}
