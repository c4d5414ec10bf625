import Domain
import FluentKit
import Foundation
import SQLKit

/// The owners' committee's life cycle (Beijing regs 2020): a trigger (the developer's report, or
/// owners holding a fifth asking), the preparatory group the street forms within 60 days (owners
/// at least two thirds, a leader it appoints, the member list posted), the election as an
/// `elect_committee` decision whose application installs the committee, filing at the street
/// within 30 days, reminders 90 and 30 days before the term ends, and re-election. Where no
/// assembly or committee can be had, the street forms a 物管会 (`CommitteeService+Management`).
/// Thresholds and time limits are `CommitteeRules`; the registry's committees follow every step,
/// so committee coverage follows the life cycle. Every write is audited.
struct CommitteeService: Sendable {
    let database: AppDatabase
    let audit = AuditLog()
    var db: any Database { database.db }
    let settings = CommitteeSettings.beijing

    struct Place: Sendable { let district: UUID, street: UUID, community: UUID, compound: UUID }

    static func place(_ compound: UUID, field: String = "compoundId", on db: any Database) async throws -> Place {
        guard let row = try await db.sql().raw("""
            SELECT p.community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id
            JOIN streets st ON st.id = cm.street_id WHERE p.id = \(bind: compound)
            """).first() else {
            throw DomainError.invalid([FieldError(field: field, code: "unknown_reference", message: "no compound has id \(compound.text)")])
        }
        return Place(district: try row.decode(column: "district_id", as: UUID.self), street: try row.decode(column: "street_id", as: UUID.self),
                     community: try row.decode(column: "community_id", as: UUID.self), compound: compound)
    }

    /// The street's acts (forming the group, filing, a 物管会) belong to street staff and the district.
    static func isStreetOver(_ actor: Actor, _ p: Place) -> Bool { Policy.isStaffOver(actor, district: p.district, street: p.street, community: nil) }
    static func isStaffOver(_ actor: Actor, _ p: Place) -> Bool { Policy.isStaffOver(actor, district: p.district, street: p.street, community: p.community) }

    /// Refuses an actor who cannot see the place (404) or may see but not act (403).
    static func require(_ ok: Bool, _ actor: Actor, _ p: Place, entity: String, id: UUID, _ reason: String) throws {
        guard !ok else { return }
        if isStaffOver(actor, p) || actor.grants.contains(where: { $0.role == .committeeMember && $0.scopeId == p.compound }) { throw DomainError.forbidden(reason: reason) }
        throw DomainError.notFound(entity: entity, id: id.text)
    }

    // MARK: - The cycle

    struct Trigger: Sendable {
        var compoundId: UUID, trigger: CycleTrigger, on: CivilDate, persons: Int64?, area: Int64?
    }

    func trigger(_ ctx: AccessContext, _ input: Trigger) async throws -> UUID {
        try await db.transaction { tx in
            let p = try await Self.place(input.compoundId, on: tx)
            try Self.require(Self.isStaffOver(ctx.actor, p), ctx.actor, p, entity: "compounds", id: input.compoundId, "the community or the street records the trigger")
            var errors = FieldErrors()
            if input.on > ctx.todayDate { errors.add("triggeredOn", "in_future", "not after today") }
            if input.trigger == .ownersRequest {
                let totals = try await tx.sql().raw("""
                    SELECT COUNT(DISTINCT o.owner_id) AS persons, (SELECT CAST(COALESCE(SUM(r2.area), 0) AS BIGINT) FROM rooms r2 JOIN entrances e2 ON e2.id = r2.entrance_id
                    JOIN buildings b2 ON b2.id = e2.building_id WHERE b2.compound_id = \(bind: p.compound)) AS area
                    FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                    WHERE b.compound_id = \(bind: p.compound)
                    """).first()
                let persons = try totals?.decode(column: "persons", as: Int64.self) ?? 0, area = try totals?.decode(column: "area", as: Int64.self) ?? 0
                if (input.persons ?? 0) > persons { errors.add("requestPersons", "out_of_range", "at most the compound's \(persons) owners") }
                if (input.area ?? 0) > area { errors.add("requestArea", "out_of_range", "at most the compound's area") }
                if errors.isEmpty && !CommitteeRules.requestMeets(persons: input.persons ?? 0, ofPersons: persons, area: input.area ?? 0, ofArea: area, settings) {
                    errors.add("requestPersons", "below_share", "owners asking must hold a fifth of the owners or of the area (\(persons) owners)")
                }
            }
            try errors.throwIfAny()
            if try await tx.sql().raw("SELECT id FROM committee_cycles WHERE compound_id = \(bind: p.compound) AND stage NOT IN ('filed', 'abandoned')").first() != nil {
                throw DomainError.conflict(code: "cycle_open", message: "the compound already has a life cycle under way")
            }
            let id = UUID.random(), now = Bind.date(ctx.now)
            let number = try await DaySequence.number("YW", now: ctx.now, on: tx)
            try await tx.sql().insert(into: "committee_cycles").columns("id", "number", "district_id", "street_id", "community_id", "compound_id", "trigger", "triggered_on",
                                                                        "request_persons", "request_area", "stage", "group_id", "group_formed_on", "group_posted_on", "leader",
                                                                        "decision_id", "elected_on", "committee_id", "filed_on", "abandoned_reason", "created_by",
                                                                        "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(number), Bind.uuid(p.district), Bind.uuid(p.street), Bind.uuid(p.community), Bind.uuid(p.compound),
                         Bind.text(input.trigger.rawValue), Bind.text(input.on.description), Bind.int(input.persons), Bind.int(input.area),
                         Bind.text(CycleStage.triggered.rawValue), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                         SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, Bind.text(ctx.actor.label), now, now]).run()
            try await audit.record(ctx, action: "trigger", entity: "committee-cycles", entityId: id, districtId: p.district, before: nil,
                                   after: .object(["trigger": .string(input.trigger.rawValue), "on": .string(input.on.description)]), on: tx)
            return id
        }
    }

    struct GroupMember: Sendable { var name: String, owner: Bool }

    /// The street forms the preparatory group: a registry committee of kind preparatory group
    /// whose member list is posted to the compound the same day.
    func formGroup(_ ctx: AccessContext, _ id: UUID, members: [GroupMember], leader: Int?, formedOn: CivilDate) async throws -> UUID {
        try await db.transaction { tx in
            let c = try await visible(ctx, id, on: tx)
            let p = Place(district: c.districtId, street: c.streetId, community: c.communityId, compound: c.compoundId)
            try Self.require(Self.isStreetOver(ctx.actor, p), ctx.actor, p, entity: "committee-cycles", id: id, "the street forms the preparatory group")
            try move(c, to: .preparing)
            var errors = FieldErrors()
            for e in CommitteeRules.preparatoryErrors(members: members.map(\.owner), leader: leader) { errors.add(e.field, e.code, e.message) }
            for (i, m) in members.enumerated() where m.name.trimmingCharacters(in: .whitespaces).isEmpty || m.name.count > 100 {
                errors.add("members[\(i)].name", "required", "a name of at most 100 characters")
            }
            if formedOn < c.triggeredOn { errors.add("formedOn", "before_start", "not before the trigger") }
            if formedOn > ctx.todayDate { errors.add("formedOn", "in_future", "not after today") }
            try errors.throwIfAny()
            let group = try await insertCommittee(tx, compound: c.compoundId, kind: .preparatoryGroup, start: formedOn, end: nil, now: ctx.now,
                                                  members: members.enumerated().map { ($0.element.name, $0.offset == leader ? .chair : .member) })
            let leaderName = members[leader!].name
            let list = members.enumerated().map { "\($0.offset + 1). \($0.element.name)" + ($0.offset == leader ? "（组长）" : "") + ($0.element.owner ? "" : "（非业主）") }
            try await NoticeService.postSystem(ctx, .preparatoryGroup, compound: c.compoundId, title: "\(c.compoundName)首次业主大会筹备组成员公示",
                                               body: "筹备组于 \(formedOn) 成立，组长由街道指定为\(leaderName)。成员名单：\n" + list.joined(separator: "\n"), ref: id, on: tx)
            try await tx.sql().raw("""
                UPDATE committee_cycles SET stage = 'preparing', group_id = \(bind: group), group_formed_on = \(bind: formedOn.description),
                group_posted_on = \(bind: ctx.today), leader = \(bind: leaderName), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "form-group", entity: "committee-cycles", entityId: id, districtId: c.districtId, before: nil,
                                   after: .object(["members": .int(Int64(members.count)), "leader": .string(leaderName)]), on: tx)
            return id
        }
    }

    /// The owners' assembly elects through an `elect_committee` decision of the compound.
    func linkElection(_ ctx: AccessContext, _ id: UUID, decision: UUID) async throws -> UUID {
        try await db.transaction { tx in
            let c = try await visible(ctx, id, on: tx)
            let p = Place(district: c.districtId, street: c.streetId, community: c.communityId, compound: c.compoundId)
            try Self.require(Self.isStaffOver(ctx.actor, p), ctx.actor, p, entity: "committee-cycles", id: id, "staff over the compound link the election")
            let from: CycleStage = c.trigger == .termEnding && c.stage == .triggered ? .preparing : c.stage
            guard CommitteeRules.mayMove(from: from, to: .electing) else { throw Self.stageConflict(c.stage) }
            guard let row = try await tx.sql().raw("SELECT matter, compound_id, seats FROM decisions WHERE id = \(bind: decision)").first(),
                  try row.decode(column: "compound_id", as: UUID.self) == c.compoundId, try row.decode(column: "matter", as: String.self) == Matter.electCommittee.rawValue else {
                throw DomainError.invalid([FieldError(field: "decisionId", code: "unknown_reference", message: "an elect_committee decision of the compound")])
            }
            if let seats = try row.decode(column: "seats", as: Int?.self) {
                var errors = FieldErrors()
                for e in CommitteeRules.committeeErrors(members: Array(repeating: true, count: seats), settings) { errors.add("decisionId", e.code, "the election's seats: " + e.message) }
                try errors.throwIfAny()
            }
            try await tx.sql().raw("UPDATE committee_cycles SET stage = 'electing', decision_id = \(bind: decision), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "election", entity: "committee-cycles", entityId: id, districtId: c.districtId, before: nil,
                                   after: .object(["decisionId": .string(decision.text)]), on: tx)
            return id
        }
    }

    /// Called inside the transaction that installs an elected committee (`DecisionService.apply`):
    /// the cycle electing through that decision is elected, and its preparatory group's work ends.
    static func installed(_ tx: any Database, decision: UUID, committee: UUID, members: Int, today: CivilDate, now: Date) async throws {
        guard let row = try await tx.sql().raw("SELECT id, group_id FROM committee_cycles WHERE decision_id = \(bind: decision) AND stage = 'electing'").first() else { return }
        var errors = FieldErrors()
        for e in CommitteeRules.committeeErrors(members: Array(repeating: true, count: members)) { errors.add("members", e.code, e.message) }
        try errors.throwIfAny()
        try await tx.sql().raw("""
            UPDATE committee_cycles SET stage = 'elected', committee_id = \(bind: committee), elected_on = \(bind: today.description), updated_at = \(bind: now)
            WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
            """).run()
        if let group = try row.decode(column: "group_id", as: UUID?.self) {
            try await tx.sql().raw("UPDATE committees SET term_end = \(bind: today.description), updated_at = \(bind: now) WHERE id = \(bind: group)").run()
        }
    }

    /// The street records the committee's filing (备案).
    func file(_ ctx: AccessContext, _ id: UUID, on day: CivilDate) async throws -> UUID {
        try await db.transaction { tx in
            let c = try await visible(ctx, id, on: tx)
            let p = Place(district: c.districtId, street: c.streetId, community: c.communityId, compound: c.compoundId)
            try Self.require(Self.isStreetOver(ctx.actor, p), ctx.actor, p, entity: "committee-cycles", id: id, "the street records the filing")
            try move(c, to: .filed)
            var errors = FieldErrors()
            if let elected = c.electedOn, day < elected { errors.add("filedOn", "before_start", "not before the election") }
            if day > ctx.todayDate { errors.add("filedOn", "in_future", "not after today") }
            try errors.throwIfAny()
            try await tx.sql().raw("UPDATE committee_cycles SET stage = 'filed', filed_on = \(bind: day.description), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "file", entity: "committee-cycles", entityId: id, districtId: c.districtId, before: nil,
                                   after: .object(["filedOn": .string(day.description), "late": .bool(c.filingOverdue(today: day))]), on: tx)
            return id
        }
    }

    /// The street gives the cycle up (no assembly could be held), usually to form a 物管会.
    func abandon(_ ctx: AccessContext, _ id: UUID, reason: String) async throws -> UUID {
        try await db.transaction { tx in
            let c = try await visible(ctx, id, on: tx)
            let p = Place(district: c.districtId, street: c.streetId, community: c.communityId, compound: c.compoundId)
            try Self.require(Self.isStreetOver(ctx.actor, p), ctx.actor, p, entity: "committee-cycles", id: id, "the street gives a life cycle up")
            try move(c, to: .abandoned)
            try await tx.sql().raw("UPDATE committee_cycles SET stage = 'abandoned', abandoned_reason = \(bind: reason), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            if let group = c.groupId {
                try await tx.sql().raw("UPDATE committees SET term_end = \(bind: ctx.today), updated_at = \(bind: ctx.now) WHERE id = \(bind: group) AND term_end IS NULL").run()
            }
            try await audit.record(ctx, action: "abandon", entity: "committee-cycles", entityId: id, districtId: c.districtId, before: nil,
                                   after: .object(["reason": .string(reason)]), on: tx)
            return id
        }
    }

    func move(_ c: CycleRecord, to stage: CycleStage) throws {
        guard CommitteeRules.mayMove(from: c.stage, to: stage) else { throw Self.stageConflict(c.stage) }
    }

    static func stageConflict(_ stage: CycleStage) -> DomainError {
        .conflict(code: "wrong_stage", message: "the life cycle is at \(stage.rawValue)")
    }

    func insertCommittee(_ tx: any Database, compound: UUID, kind: CommitteeKind, start: CivilDate, end: CivilDate?, now: Date,
                         members: [(String, CommitteeRole)]) async throws -> UUID {
        let id = UUID.random(), stamp = Bind.date(now)
        try await tx.sql().insert(into: "committees").columns("id", "compound_id", "kind", "term_start", "term_end", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.uuid(compound), Bind.text(kind.rawValue), Bind.text(start.description), Bind.text(end?.description), stamp, stamp]).run()
        for (name, role) in members {
            try await tx.sql().insert(into: "committee_members").columns("id", "committee_id", "name", "role", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(name.trimmingCharacters(in: .whitespaces)), Bind.text(role.rawValue), stamp, stamp]).run()
        }
        return id
    }

    // MARK: - Reading

    /// Which cycles and committees an actor sees, as SQL over a table aliased `alias` with
    /// district, street, community and compound columns (`compound_id`).
    static func visible(_ actor: Actor, alias y: String) -> SQLQueryString {
        PlaceScope.staff(actor, alias: y, committees: true)
    }

    func visible(_ ctx: AccessContext, _ id: UUID, on db: any Database) async throws -> CycleRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: CycleRecord.select)" + " WHERE y.id = \(bind: id) AND " + Self.visible(ctx.actor, alias: "y")).first() else {
            throw DomainError.notFound(entity: "committee-cycles", id: id.text)
        }
        return try CycleRecord(row: row)
    }

    func get(_ ctx: AccessContext, _ id: UUID) async throws -> CycleRecord { try await visible(ctx, id, on: db) }

    func list(_ ctx: AccessContext, compound: UUID? = nil) async throws -> [CycleRecord] {
        var filter = Self.visible(ctx.actor, alias: "y")
        if let compound { filter = filter + " AND y.compound_id = \(bind: compound)" }
        return try await db.sql().raw("\(unsafeRaw: CycleRecord.select)" + " WHERE " + filter
            + " ORDER BY CASE WHEN y.stage IN ('filed', 'abandoned') THEN 1 ELSE 0 END, y.triggered_on DESC LIMIT 500").all().map(CycleRecord.init)
    }

    /// Owners' committees and 物管会s in term whose term ends within the first reminder's days.
    func reminders(_ ctx: AccessContext) async throws -> [TermReminder] {
        let today = ctx.todayDate, horizon = today.adding(days: settings.reminderDays.max() ?? 90)
        let rows = try await db.sql().raw("""
            SELECT k.id, k.compound_id, p.name, k.kind, k.term_end,
            (SELECT COUNT(*) FROM committee_cycles y2 WHERE y2.compound_id = k.compound_id AND y2.stage NOT IN ('filed', 'abandoned')) AS renewing
            FROM committees k JOIN compounds p ON p.id = k.compound_id JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
            JOIN (SELECT p2.id AS compound_id, cm2.id AS community_id, st2.id AS street_id, st2.district_id FROM compounds p2 JOIN communities cm2 ON cm2.id = p2.community_id
                  JOIN streets st2 ON st2.id = cm2.street_id) y ON y.compound_id = k.compound_id
            WHERE k.kind IN ('owners_committee', 'management_committee') AND k.term_end IS NOT NULL AND k.term_end >= \(bind: today.description)
            AND k.term_end <= \(bind: horizon.description) AND
            """ + " " + Self.visible(ctx.actor, alias: "y") + " ORDER BY k.term_end").all()
        return try rows.compactMap { r in
            guard let end = CivilDate(try r.decode(column: "term_end", as: String.self)), let due = CommitteeRules.reminder(termEnd: end, today: today, settings) else { return nil }
            return TermReminder(committeeId: try r.decode(column: "id", as: UUID.self), compoundId: try r.decode(column: "compound_id", as: UUID.self),
                                compoundName: try r.decode(column: "name", as: String.self),
                                kind: CommitteeKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .ownersCommittee, termEnd: end,
                                daysLeft: end.dayNumber - today.dayNumber, reminder: due, renewing: try r.decode(column: "renewing", as: Int64.self) > 0)
        }
    }
}
