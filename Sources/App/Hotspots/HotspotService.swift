import Domain
import FluentKit
import Foundation
import SQLKit

/// Problems found before complaints (未诉先办, 每月一题): `detect` runs `HotspotRules` over the
/// request stream (12345 orders included, merged duplicates once) for each compound and category,
/// week by week, and flags a week well above its baseline to the street once; the street turns a
/// flag into a whistle case, makes it the month's problem with a plan and progress notes, or
/// dismisses it with a reason. Every decision is audited.
struct HotspotService: Sendable {
    let database: AppDatabase
    let whistle: WhistleService
    let settings = HotspotSettings.standard
    let audit = AuditLog()
    var db: any Database { database.db }

    // MARK: - Detecting

    /// Flags the running week and the `weeks` complete weeks before it, each against its own
    /// baseline (the running week's count can only grow, so flagging it early is safe); a flag
    /// already raised is kept as it is. Only `district`'s requests when given. Returns how many were raised.
    func detect(now: Date, weeks: Int = 1, district: UUID? = nil) async throws -> Int {
        let current = HotspotRules.week(of: Timestamp.today(now))
        let first = current - weeks - settings.baselineWeeks
        let from = CivilTime.beijingMidnight(HotspotRules.monday(ofWeek: first))
        let only: SQLQueryString = district.map { " AND r.district_id = \(bind: $0)" } ?? ""
        let rows = try await db.sql().raw("""
            SELECT r.compound_id, r.category, r.received_at FROM requests r WHERE r.received_at >= \(bind: from) AND r.received_at <= \(bind: now)
            AND r.merged_into IS NULL
            """ + only).all()
        var counts: [String: [Int: Int64]] = [:]
        var places: [String: (UUID, String)] = [:]
        for r in rows {
            let compound = try r.decode(column: "compound_id", as: UUID.self), category = try r.decode(column: "category", as: String.self)
            let week = HotspotRules.week(of: Timestamp.today(try r.decode(column: "received_at", as: Date.self)))
            let key = compound.text + "|" + category
            counts[key, default: [:]][week, default: 0] += 1
            places[key] = (compound, category)
        }
        var raised = 0
        for (key, byWeek) in counts.sorted(by: { $0.key < $1.key }) {
            for week in (current - weeks)...current {
                let history = ((week - settings.baselineWeeks)..<week).map { byWeek[$0] ?? 0 }
                guard let flag = HotspotRules.evaluate(count: byWeek[week] ?? 0, history: history, settings), let (compound, category) = places[key] else { continue }
                if try await raise(compound: compound, category: category, week: week, flag: flag, now: now) { raised += 1 }
            }
        }
        return raised
    }

    /// Staff scan their district now rather than waiting for the hourly run.
    func scan(_ ctx: AccessContext) async throws -> Int {
        let districts = Set(ctx.actor.grants.compactMap { g -> UUID? in
            switch g.role {
            case .districtAdmin: g.scopeId
            case .streetStaff: g.districtId
            default: nil
            }
        })
        guard !districts.isEmpty else { throw DomainError.forbidden(reason: "street and district staff scan for hotspots") }
        var raised = 0
        for d in districts.sorted(by: { $0.uuidString < $1.uuidString }) { raised += try await detect(now: ctx.now, district: d) }
        return raised
    }

    /// Stores one flag unless the same compound, category and week is flagged already.
    func raise(compound: UUID, category: String, week: Int, flag: HotspotFlag, now: Date) async throws -> Bool {
        try await db.transaction { tx in
            let monday = HotspotRules.monday(ofWeek: week).description
            if try await tx.sql().raw("SELECT id FROM hotspots WHERE compound_id = \(bind: compound) AND category = \(bind: category) AND week_start = \(bind: monday)")
                .first() != nil { return false }
            guard let p = try await tx.sql().raw("""
                SELECT cm.id AS community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id
                JOIN streets st ON st.id = cm.street_id WHERE p.id = \(bind: compound)
                """).first() else { return false }
            let id = UUID.random(), stamp = Bind.date(now)
            try await tx.sql().insert(into: "hotspots").columns("id", "district_id", "street_id", "community_id", "compound_id", "category", "week_start", "count",
                                                                "expected", "threshold", "status", "case_id", "month", "plan", "reason", "decided_by", "decided_at",
                                                                "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(try p.decode(column: "district_id", as: UUID.self)), Bind.uuid(try p.decode(column: "street_id", as: UUID.self)),
                         Bind.uuid(try p.decode(column: "community_id", as: UUID.self)), Bind.uuid(compound), Bind.text(category), Bind.text(monday),
                         Bind.int(flag.count), Bind.int(flag.expectedHundredths), Bind.int(flag.threshold), Bind.text(HotspotStatus.open.rawValue),
                         SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, stamp, stamp]).run()
            try await audit.record(.system("detector", source: "job", now: now), action: "flag", entity: "hotspots", entityId: id,
                                   districtId: try p.decode(column: "district_id", as: UUID.self), before: nil,
                                   after: .object(["category": .string(category), "week": .string(monday), "count": .int(flag.count)]), on: tx)
            return true
        }
    }

    // MARK: - Reading

    /// Staff over the street (or the district) decide; community staff over it see it.
    static func visible(_ actor: Actor, alias h: String) -> SQLQueryString {
        PlaceScope.staff(actor, alias: h)
    }

    func list(_ ctx: AccessContext, status: HotspotStatus?) async throws -> [HotspotRecord] {
        guard ctx.actor.isSystem || ctx.actor.grants.contains(where: { [.districtAdmin, .streetStaff, .communityStaff].contains($0.role) }) else {
            throw DomainError.forbidden(reason: "street, community and district staff follow hotspots")
        }
        var filter = Self.visible(ctx.actor, alias: "h")
        if let status { filter = filter + " AND h.status = \(bind: status.rawValue)" }
        return try await db.sql().raw("\(unsafeRaw: HotspotRecord.select) WHERE " + filter
            + " ORDER BY CASE WHEN h.status = 'open' THEN 0 ELSE 1 END, h.week_start DESC, p.name LIMIT 300").all().map(HotspotRecord.init)
    }

    func get(_ ctx: AccessContext, _ id: UUID, on db: (any Database)? = nil) async throws -> HotspotRecord {
        guard let row = try await (db ?? self.db).sql().raw("\(unsafeRaw: HotspotRecord.select) WHERE h.id = \(bind: id) AND " + Self.visible(ctx.actor, alias: "h")).first() else {
            throw DomainError.notFound(entity: "hotspots", id: id.text)
        }
        return try HotspotRecord(row: row)
    }

    /// The requests behind a flag: the compound's requests of the category in that week.
    func requests(_ h: HotspotRecord) async throws -> [(id: UUID, number: String, receivedAt: Date, status: String, description: String)] {
        let from = CivilTime.beijingMidnight(h.weekStart), to = CivilTime.beijingMidnight(h.weekStart.adding(days: 7))
        return try await db.sql().raw("""
            SELECT id, number, received_at, status, description FROM requests WHERE compound_id = \(bind: h.compoundId) AND category = \(bind: h.category)
            AND received_at >= \(bind: from) AND received_at < \(bind: to) AND merged_into IS NULL ORDER BY received_at
            """).all().map { r in
            (try r.decode(column: "id", as: UUID.self), try r.decode(column: "number", as: String.self), try r.decode(column: "received_at", as: Date.self),
             try r.decode(column: "status", as: String.self), String(try r.decode(column: "description", as: String.self).prefix(120)))
        }
    }

    func notes(_ id: UUID) async throws -> [(note: String, by: String, at: Date)] {
        try await db.sql().raw("SELECT note, recorded_by, created_at FROM hotspot_notes WHERE hotspot_id = \(bind: id) ORDER BY created_at").all().map { r in
            (try r.decode(column: "note", as: String.self), try r.decode(column: "recorded_by", as: String.self), try r.decode(column: "created_at", as: Date.self))
        }
    }
}
