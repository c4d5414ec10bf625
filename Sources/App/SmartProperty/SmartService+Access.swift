import Domain
import FluentKit
import Foundation
import SQLKit

/// Access records (searched by entrance and window, counted by hour; one person's entries only for
/// the district's admins with a recorded reason) and visitors' passes (registered by an owner or
/// resident, checked once at the gate inside their window, counted per compound and day).
extension SmartService {
    // MARK: - Access records

    /// A compound's access events in a window, newest first, optionally at one device. No person references.
    func accessEvents(_ ctx: AccessContext, compound: UUID, device: UUID?, from: Date, to: Date, limit: Int = 500) async throws -> [AccessEventRecord] {
        try await store.access.authorizeWatch(ctx, "access-records", inCompound: compound, on: db)
        try Self.window(from, to)
        var filter: SQLQueryString = "e.compound_id = \(bind: compound) AND e.occurred_at >= \(bind: from) AND e.occurred_at < \(bind: to)"
            + " AND e.kind IN ('access_granted', 'access_denied', 'visitor_entry', 'door_held_open', 'door_forced', 'temperature')"
        if let device { filter = filter + " AND e.device_id = \(bind: device)" }
        return try await database.reads.sql().raw("\(unsafeRaw: AccessEventRecord.select) WHERE " + filter + " ORDER BY e.occurred_at DESC LIMIT \(unsafeRaw: String(min(max(limit, 1), 2000)))")
            .all().map { try AccessEventRecord(row: $0) }
    }

    static func window(_ from: Date, _ to: Date) throws {
        if to <= from { throw DomainError.invalid([FieldError(field: "to", code: "before_start", message: "the end comes after the start")]) }
        if to.timeIntervalSince(from) > 31 * 86_400 { throw DomainError.invalid([FieldError(field: "to", code: "too_long", message: "at most 31 days at a time")]) }
    }

    /// Entries, refusals and visitors per hour of a day (Asia/Shanghai) at a compound.
    func hourly(_ ctx: AccessContext, compound: UUID, day: CivilDate) async throws -> [(granted: Int, denied: Int, visitors: Int)] {
        try await store.access.authorizeWatch(ctx, "access-records", inCompound: compound, on: db)
        let from = CivilTime.beijingMidnight(day), to = from.addingTimeInterval(86_400)
        var hours = Array(repeating: (granted: 0, denied: 0, visitors: 0), count: 24)
        for row in try await db.sql().raw("""
            SELECT kind, occurred_at FROM device_events WHERE compound_id = \(bind: compound) AND occurred_at >= \(bind: from) AND occurred_at < \(bind: to)
            AND kind IN ('access_granted', 'access_denied', 'visitor_entry')
            """).all() {
            let at = try row.decode(column: "occurred_at", as: Date.self)
            let hour = min(23, max(0, Int(at.timeIntervalSince(from)) / 3600))
            switch try row.decode(column: "kind", as: String.self) {
            case DeviceEventKind.accessGranted.rawValue: hours[hour].granted += 1
            case DeviceEventKind.accessDenied.rawValue: hours[hour].denied += 1
            default: hours[hour].visitors += 1
            }
        }
        return hours
    }

    /// One person's entries across the district, for its admins only, with the reason recorded in the
    /// audit log (never the reference itself). The reference is hashed as devices' are.
    func personEntries(_ ctx: AccessContext, district: UUID, person: String, reason: String, from: Date, to: Date) async throws -> [AccessEventRecord] {
        guard Policy.mayAdminister(ctx.actor, district: district), ctx.actor.kind == .user else {
            throw DomainError.forbidden(reason: "only the district's admins may look up one person's entries, signed in themselves")
        }
        var errors = FieldErrors()
        if person.isEmpty || person.count > 200 { errors.add("person", "required", "the vendor's reference of the person") }
        if reason.trimmingCharacters(in: .whitespaces).count < 4 || reason.count > 500 { errors.add("reason", "required", "why, in a sentence (recorded in the audit log)") }
        try errors.throwIfAny()
        try Self.window(from, to)
        return try await db.transaction { tx in
            let rows = try await tx.sql().raw("""
                \(unsafeRaw: AccessEventRecord.select) WHERE e.district_id = \(bind: district) AND e.person_hash = \(bind: personHash(person))
                AND e.occurred_at >= \(bind: from) AND e.occurred_at < \(bind: to) ORDER BY e.occurred_at DESC LIMIT 1000
                """).all().map { try AccessEventRecord(row: $0) }
            try await audit.record(ctx, action: "person-search", entity: "device-events", entityId: UUID.random(), districtId: district, before: nil,
                                   after: .object(["reason": .string(reason), "from": .string(Timestamp.iso(from)), "to": .string(Timestamp.iso(to)),
                                                   "found": .int(Int64(rows.count))]), on: tx)
            return rows
        }
    }

    // MARK: - Visitors

    /// The rooms a person may register visitors for: those they own or live in.
    func visitorRooms(_ actor: Actor, on db: any Database) async throws -> [(id: UUID, label: String, compoundId: UUID, compound: String)] {
        try await PersonalScope.rooms(actor, on: db)
    }

    func registerVisitor(_ ctx: AccessContext, room: UUID, _ input: VisitorInput) async throws -> VisitorPassRecord {
        guard ctx.actor.kind == .user, let user = ctx.actor.id else { throw DomainError.forbidden(reason: "owners and residents register their visitors themselves, signed in") }
        return try await db.transaction { tx in
            guard let r = try await visitorRooms(ctx.actor, on: tx).first(where: { $0.id == room }) else {
                throw DomainError.invalid([FieldError(field: "roomId", code: "not_yours", message: "a room you own or live in")])
            }
            let problems = VisitorRules.problems(input, now: ctx.now)
            if !problems.isEmpty { throw DomainError.invalid(problems) }
            let p = try await place(compound: r.compoundId, on: tx)
            let id = UUID.random(), now = Bind.date(ctx.now)
            var g = SystemRandomNumberGenerator()
            // A fresh code; on the rare clash with another pass, another.
            for _ in 0..<8 {
                let code = VisitorRules.newCode(using: &g)
                let rows = try await tx.sql().insert(into: "visitor_passes")
                    .columns("id", "district_id", "street_id", "community_id", "compound_id", "room_id", "user_id", "host", "code", "visitor_name", "people", "plate",
                             "valid_from", "valid_to", "status", "used_at", "used_via", "created_at", "updated_at")
                    .values([Bind.uuid(id), Bind.uuid(p.district), Bind.uuid(p.street), Bind.uuid(p.community), Bind.uuid(r.compoundId), Bind.uuid(room), Bind.uuid(user),
                             Bind.text(ctx.actor.label), Bind.text(code), Bind.text(input.visitorName.trimmingCharacters(in: .whitespaces)), Bind.int(input.people),
                             Bind.text(input.plate.flatMap { $0.isEmpty ? nil : $0 }), Bind.date(input.validFrom), Bind.date(input.validTo),
                             Bind.text(PassStatus.active.rawValue), SQLLiteral.null, SQLLiteral.null, now, now])
                    .ignoringConflicts(with: ["code"]).returning("id").all()
                if !rows.isEmpty {
                    try await audit.record(ctx, action: "create", entity: "visitor-passes", entityId: id, districtId: p.district, before: nil,
                                           after: .object(["roomId": .string(room.text), "people": .int(Int64(input.people)),
                                                           "validFrom": .string(Timestamp.iso(input.validFrom)), "validTo": .string(Timestamp.iso(input.validTo))]), on: tx)
                    return try await pass(id, on: tx)
                }
            }
            throw DomainError.conflict(code: "busy", message: "no free pass code; try again")
        }
    }

    func pass(_ id: UUID, on db: any Database) async throws -> VisitorPassRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: VisitorPassRecord.select) WHERE v.id = \(bind: id)").first() else { throw DomainError.notFound(entity: "visitor-passes", id: id.text) }
        return try VisitorPassRecord(row: row)
    }

    /// One of the caller's own passes (no one else reads a visitor's name from it but the gate when it is shown).
    func pass(_ ctx: AccessContext, id: UUID) async throws -> VisitorPassRecord {
        let v = try await pass(id, on: db)
        guard ctx.actor.isSystem || (ctx.actor.kind == .user && v.userId == ctx.actor.id) else { throw DomainError.notFound(entity: "visitor-passes", id: id.text) }
        return v
    }

    /// The caller's passes, newest first.
    func passes(_ ctx: AccessContext) async throws -> [VisitorPassRecord] {
        guard ctx.actor.kind == .user, let user = ctx.actor.id else { return [] }
        return try await db.sql().raw("\(unsafeRaw: VisitorPassRecord.select) WHERE v.user_id = \(bind: user) ORDER BY v.valid_from DESC LIMIT 200")
            .all().map { try VisitorPassRecord(row: $0) }
    }

    func revokePass(_ ctx: AccessContext, id: UUID) async throws -> VisitorPassRecord {
        try await db.transaction { tx in
            let v = try await pass(id, on: tx)
            guard ctx.actor.kind == .user, v.userId == ctx.actor.id else { throw DomainError.notFound(entity: "visitor-passes", id: id.text) }
            guard v.status == .active else { throw DomainError.conflict(code: "illegal_transition", message: "the pass is already \(v.status.rawValue)") }
            try await tx.sql().raw("UPDATE visitor_passes SET status = 'revoked', updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "revoke", entity: "visitor-passes", entityId: id, districtId: v.districtId, before: nil, after: nil, on: tx)
            return try await pass(id, on: tx)
        }
    }

    /// Checks a pass at a gate: admits it once inside its window (recording the visitor's entry),
    /// otherwise says why not. A guard (`ctx`) checks passes of compounds they keep the gate of;
    /// a device (`device`) those of its own compound. A code of another compound is `unknown`.
    func checkPass(_ ctx: AccessContext?, device: DeviceRecord?, code typed: String, now: Date) async throws -> (PassVerdict, VisitorPassRecord?) {
        guard let code = VisitorRules.normalise(typed),
              let row = try await db.sql().raw("\(unsafeRaw: VisitorPassRecord.select) WHERE v.code = \(bind: code)").first() else { return (.unknown, nil) }
        let v = try VisitorPassRecord(row: row)
        if let device {
            guard device.compoundId == v.compoundId else { return (.unknown, nil) }
        } else if let ctx {
            do { try await store.access.authorizeWatch(ctx, "gate", inCompound: v.compoundId, on: db) } catch { return (.unknown, nil) }
        } else {
            return (.unknown, nil)
        }
        let verdict = VisitorRules.verdict(status: v.status, validFrom: v.validFrom, validTo: v.validTo, now: now)
        guard verdict == .admitted else { return (verdict, v) }
        return try await db.transaction { tx in
            let via = device.map { "device:" + $0.name } ?? "guard:" + (ctx?.actor.label ?? "")
            // Two gates checking the same pass at once: only one update finds it still active.
            let used = try await tx.sql().raw("""
                UPDATE visitor_passes SET status = 'used', used_at = \(bind: now), used_via = \(bind: via), updated_at = \(bind: now)
                WHERE id = \(bind: v.id) AND status = 'active' RETURNING id
                """).all()
            guard !used.isEmpty else { return (.used, v) }
            try await tx.sql().insert(into: "device_events")
                .columns("id", "district_id", "compound_id", "device_id", "event_key", "kind", "occurred_at", "method", "person_hash", "temperature", "pass_id",
                         "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(v.districtId), Bind.uuid(v.compoundId), Bind.uuid(device?.id), Bind.text("pass:" + v.id.text),
                         Bind.text(DeviceEventKind.visitorEntry.rawValue), Bind.date(now), Bind.text(AccessMethod.pass.rawValue), SQLLiteral.null, SQLLiteral.null,
                         Bind.uuid(v.id), Bind.date(now), Bind.date(now)]).run()
            let actx = ctx ?? AccessContext.system("device:" + (device?.name ?? ""), source: "device", now: now)
            try await audit.record(actx, action: "admit", entity: "visitor-passes", entityId: v.id, districtId: v.districtId, before: nil,
                                   after: .object(["via": .string(via)]), on: tx)
            return (.admitted, try await pass(v.id, on: tx))
        }
    }

    /// Visitors let in per compound and day of a month (Asia/Shanghai): passes used and people.
    /// Counts only — the street sees how many, never who.
    func visitorCounts(_ ctx: AccessContext, month: CivilDate, compound: UUID? = nil) async throws -> [(compoundId: UUID, compound: String, day: String, passes: Int, people: Int)] {
        let first = CivilDate(year: month.year, month: month.month, day: 1)
        let from = CivilTime.beijingMidnight(first)
        let to = CivilTime.beijingMidnight(CivilDate(year: month.year + (month.month == 12 ? 1 : 0), month: month.month % 12 + 1, day: 1))
        if let compound { try await store.access.authorizeWatch(ctx, "access-records", inCompound: compound, on: db) }
        var filter = Self.watched(ctx, "access-records", alias: "v") + " AND v.status = 'used' AND v.used_at >= \(bind: from) AND v.used_at < \(bind: to)"
        if let compound { filter = filter + " AND v.compound_id = \(bind: compound)" }
        var out: [String: (compoundId: UUID, compound: String, day: String, passes: Int, people: Int)] = [:]
        for row in try await db.sql().raw("SELECT v.compound_id, p.name, v.used_at, v.people FROM visitor_passes v JOIN compounds p ON p.id = v.compound_id WHERE " + filter).all() {
            let c = try row.decode(column: "compound_id", as: UUID.self)
            let day = Timestamp.today(try row.decode(column: "used_at", as: Date.self)).description
            let key = c.text + day
            let name = try row.decode(column: "name", as: String.self)
            var entry = out[key] ?? (c, name, day, 0, 0)
            entry.passes += 1
            entry.people += Int(try row.decode(column: "people", as: Int64.self))
            out[key] = entry
        }
        return out.values.sorted { ($0.compound, $0.day) < ($1.compound, $1.day) }
    }
}
