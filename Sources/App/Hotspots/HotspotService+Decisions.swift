import Domain
import FluentKit
import Foundation
import SQLKit

/// The street's decisions on a flag, each in one transaction with its audit record.
extension HotspotService {
    /// Street staff (or the district) over the flag's street decide; others who see it are refused.
    func forDeciding(_ ctx: AccessContext, _ id: UUID, to next: HotspotStatus, on tx: any Database) async throws -> HotspotRecord {
        let h = try await get(ctx, id, on: tx)
        guard Policy.isStaffOver(ctx.actor, district: h.districtId, street: h.streetId, community: nil) else {
            throw DomainError.forbidden(reason: "the street decides what becomes of a flag")
        }
        guard h.status.mayMove(to: next) else {
            throw DomainError.conflict(code: "illegal_transition", message: "a \(h.status.rawValue) flag cannot become \(next.rawValue)")
        }
        return h
    }

    /// Opens a whistle case about the compound, summoning the parties given, and links it.
    func whistle(_ ctx: AccessContext, _ id: UUID, parties: [WhistleService.PartyInput]) async throws -> UUID {
        try await db.transaction { tx in
            let h = try await forDeciding(ctx, id, to: .whistled, on: tx)
            let title = "未诉先办：\(h.compoundName) \(Self.categoryText(h.category))问题集中"
            let description = "\(h.weekStart) 起一周内该小区\(Self.categoryText(h.category))类诉求 \(h.count) 件，基线每周约 \(FixedPoint2.format(h.expected)) 件（预警阈值 \(h.threshold) 件）。"
            // A summoned company is the one serving the compound today.
            let company = try await ServingCompany.of(h.compoundId, today: ctx.today, on: tx)
            let summoned = parties.map { p in p.kind == .company && p.companyId == nil ? { var q = p; q.companyId = company; return q }() : p }
            let caseId = try await whistle.open(ctx, .init(streetId: h.streetId, compoundId: h.compoundId, requestId: nil, title: title, description: description,
                                                           parties: summoned), on: tx)
            try await decide(ctx, h, status: .whistled, sets: "case_id = \(bind: caseId)", on: tx)
            return caseId
        }
    }

    /// Makes the flag the month's problem (每月一题) with the street's plan.
    func monthly(_ ctx: AccessContext, _ id: UUID, plan: String) async throws {
        try await db.transaction { tx in
            let h = try await forDeciding(ctx, id, to: .monthly, on: tx)
            try Self.requireText("plan", plan, "the plan: who does what by when")
            try await decide(ctx, h, status: .monthly, sets: "plan = \(bind: plan), month = \(bind: String(ctx.today.prefix(7)))", on: tx)
        }
    }

    /// Dismisses the flag with the street's reason.
    func dismiss(_ ctx: AccessContext, _ id: UUID, reason: String) async throws {
        try await db.transaction { tx in
            let h = try await forDeciding(ctx, id, to: .dismissed, on: tx)
            try Self.requireText("reason", reason, "why it needs no action")
            try await decide(ctx, h, status: .dismissed, sets: "reason = \(bind: reason)", on: tx)
        }
    }

    /// A progress note on the month's problem.
    func progress(_ ctx: AccessContext, _ id: UUID, note: String) async throws {
        try await db.transaction { tx in
            let h = try await get(ctx, id, on: tx)
            guard Policy.isStaffOver(ctx.actor, district: h.districtId, street: h.streetId, community: h.communityId) else {
                throw DomainError.forbidden(reason: "staff over the compound record progress")
            }
            guard h.status == .monthly else { throw DomainError.conflict(code: "illegal_transition", message: "progress is kept on the month's problem") }
            try Self.requireText("note", note, "what was done")
            try await tx.sql().insert(into: "hotspot_notes").columns("id", "hotspot_id", "note", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(note), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: "progress", entity: "hotspots", entityId: id, districtId: h.districtId, before: nil,
                                   after: .object(["note": .string(note)]), on: tx)
        }
    }

    func decide(_ ctx: AccessContext, _ h: HotspotRecord, status: HotspotStatus, sets: SQLQueryString, on tx: any Database) async throws {
        try await tx.sql().raw("UPDATE hotspots SET status = \(bind: status.rawValue), " + sets
            + ", decided_by = \(bind: ctx.actor.label), decided_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: h.id) AND status = \(bind: h.status.rawValue)").run()
        try await audit.record(ctx, action: status.rawValue, entity: "hotspots", entityId: h.id, districtId: h.districtId,
                               before: .object(["status": .string(h.status.rawValue)]), after: .object(["status": .string(status.rawValue)]), on: tx)
    }

    static func requireText(_ field: String, _ text: String, _ message: String) throws {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || t.count > 2_000 { throw DomainError.invalid([FieldError(field: field, code: "required", message: message + ", at most 2,000 characters")]) }
    }

    static func categoryText(_ raw: String) -> String {
        Localizer(language: .zhHans)("enum.request_category." + raw)
    }
}
