import Domain
import FluentKit
import Foundation
import SQLKit

/// The meeting itself: agenda items added, attendance signed in, minutes and resolutions, the
/// published summary; action items' progress; the figures per community and street.
extension ConsultationService {
    /// Loads the meeting in `tx` and checks the caller runs it.
    func running(_ ctx: AccessContext, _ id: UUID, on tx: any Database) async throws -> ConsultationView {
        let v = try await get(ctx, id, on: tx)
        guard v.standing.runs else { throw DomainError.forbidden(reason: "the community, its street or the district runs the meeting") }
        return v
    }

    func addAgenda(_ ctx: AccessContext, consultation id: UUID, _ a: AgendaInput) async throws -> ConsultationView {
        try await db.transaction { tx in
            let v = try await running(ctx, id, on: tx)
            guard v.record.status == .scheduled else { throw DomainError.conflict(code: "meeting_held", message: "the meeting has been held") }
            var errors = FieldErrors()
            try await checkAgenda(ctx, a, district: v.record.districtId, field: "", errors: &errors, on: tx)
            try errors.throwIfAny()
            if let ref = a.refId, v.agenda.contains(where: { $0.refId == ref }) { throw DomainError.conflict(code: "on_agenda", message: "it is on the agenda already") }
            try await addAgenda(tx, ctx, consultation: id, a, actionItem: a.kind == .action ? a.refId : nil)
            try await audit.record(ctx, action: "agenda", entity: "consultations", entityId: id, districtId: v.record.districtId, before: nil,
                                   after: .object(["kind": .string(a.kind.rawValue), "title": .string(a.title)]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// Records who signed in; the meeting is five-party only when each of the five did.
    func attendance(_ ctx: AccessContext, consultation id: UUID, attended: Set<UUID>) async throws -> ConsultationView {
        try await db.transaction { tx in
            let v = try await running(ctx, id, on: tx)
            guard v.record.status == .scheduled else { throw DomainError.conflict(code: "meeting_held", message: "the minutes are recorded: attendance is fixed") }
            let seats = Set(v.seats.map(\.id))
            guard attended.isSubset(of: seats) else {
                throw DomainError.invalid([FieldError(field: "seatIds", code: "unknown_reference", message: "seats of this meeting")])
            }
            for s in v.seats {
                try await tx.sql().raw("UPDATE consultation_seats SET attended = \(bind: attended.contains(s.id)), updated_at = \(bind: ctx.now) WHERE id = \(bind: s.id)").run()
            }
            let parties = Set(v.seats.filter { attended.contains($0.id) }.map(\.party))
            try await audit.record(ctx, action: "attendance", entity: "consultations", entityId: id, districtId: v.record.districtId, before: nil,
                                   after: .object(["present": .int(Int64(attended.count)), "fiveParty": .bool(ConsultationRules.isFiveParty(attended: parties))]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// Records the minutes and the resolutions (each an action item with a responsible party and a
    /// due date); the community's next scheduled meeting gets the open items on its agenda.
    func minutes(_ ctx: AccessContext, consultation id: UUID, minutes: String, resolutions: [Resolution]) async throws -> ConsultationView {
        try await db.transaction { tx in
            let v = try await running(ctx, id, on: tx)
            guard v.record.status == .scheduled else { throw DomainError.conflict(code: "meeting_held", message: "the minutes are recorded already") }
            var errors = FieldErrors()
            if minutes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("minutes", "required", "what was discussed and agreed") }
            if v.record.heldAt > ctx.now.addingTimeInterval(3600) { errors.add("minutes", "not_yet_held", "the meeting has not been held yet") }
            if !v.seats.contains(where: \.attended) { errors.add("seatIds", "required", "record who signed in first") }
            for (i, r) in resolutions.enumerated() where r.title.trimmingCharacters(in: .whitespaces).isEmpty || r.title.count > 200 {
                errors.add("resolutions[\(i)].title", "required", "what is to be done (at most 200 characters)")
            }
            try errors.throwIfAny()
            let now = Bind.date(ctx.now)
            try await tx.sql().raw("UPDATE consultations SET status = 'held', minutes = \(bind: minutes), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            // Surveys on the agenda: their result as it stands now is quoted in the minutes.
            for item in v.agenda where item.kind == .survey {
                guard let ref = item.refId, let quote = try await SurveyQuote.of(ref, now: ctx.now, on: tx) else { continue }
                try await tx.sql().raw("UPDATE agenda_items SET result = \(bind: SurveyJSON.encode(quote)), updated_at = \(bind: ctx.now) WHERE id = \(bind: item.id)").run()
            }
            for r in resolutions {
                try await tx.sql().insert(into: "action_items").columns("id", "consultation_id", "community_id", "title", "party", "due_on", "status", "done_on",
                                                                       "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(v.record.communityId), Bind.text(r.title.trimmingCharacters(in: .whitespaces)),
                             Bind.text(r.party.rawValue), Bind.text(r.dueOn.description), Bind.text(ActionStatus.open.rawValue), SQLLiteral.null, now, now]).run()
            }
            if let next = try await tx.sql().raw("""
                SELECT id FROM consultations WHERE community_id = \(bind: v.record.communityId) AND status = 'scheduled' AND held_at > \(bind: v.record.heldAt)
                ORDER BY held_at LIMIT 1
                """).first()?.decode(column: "id", as: UUID.self) {
                try await carry(tx, ctx, to: next, community: v.record.communityId)
            }
            try await audit.record(ctx, action: "minutes", entity: "consultations", entityId: id, districtId: v.record.districtId, before: nil,
                                   after: .object(["resolutions": .int(Int64(resolutions.count))]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// Publishes the summary to the compounds' residents (it must hold no one's name or phone: the
    /// page shows parties by kind, agenda titles, resolutions by party, and this text).
    func publish(_ ctx: AccessContext, consultation id: UUID, summary: String) async throws -> ConsultationView {
        try await db.transaction { tx in
            let v = try await running(ctx, id, on: tx)
            guard v.record.status == .held else {
                throw DomainError.conflict(code: v.record.status == .published ? "published" : "not_held", message: "a summary is published once, after the minutes")
            }
            if summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw DomainError.invalid([FieldError(field: "summary", code: "required", message: "the summary residents read")])
            }
            try await tx.sql().raw("""
                UPDATE consultations SET status = 'published', summary = \(bind: summary), published_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "publish", entity: "consultations", entityId: id, districtId: v.record.districtId, before: nil,
                                   after: .object(["summary": .string(summary)]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// A progress note on an action item, optionally marking it done.
    func progress(_ ctx: AccessContext, actionItem id: UUID, note: String, done: Bool) async throws -> ActionItemRecord {
        try await db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT a.* FROM action_items a WHERE a.id = \(bind: id)").first() else {
                throw DomainError.notFound(entity: "action-items", id: id.text)
            }
            let item = try ActionItemRecord(row: row)
            let v = try await get(ctx, item.consultationId, on: tx)
            guard v.standing.runs else {
                if v.standing.seesAll { throw DomainError.forbidden(reason: "the community, its street or the district keeps the action items") }
                throw DomainError.notFound(entity: "action-items", id: id.text)
            }
            guard item.status == .open else { throw DomainError.conflict(code: "done", message: "the item is done") }
            if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw DomainError.invalid([FieldError(field: "note", code: "required", message: "what has been done")]) }
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "action_notes").columns("id", "action_item_id", "note", "actor_label", "at", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(note), Bind.text(ctx.actor.label), now, now, now]).run()
            if done {
                try await tx.sql().raw("UPDATE action_items SET status = 'done', done_on = \(bind: ctx.today), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            }
            try await audit.record(ctx, action: done ? "done" : "progress", entity: "action-items", entityId: id, districtId: v.record.districtId, before: nil,
                                   after: .object(["note": .string(note)]), on: tx)
            return try await actionItems(where: "a.id = \(bind: id)", on: tx)[0]
        }
    }

    /// Open action items a caller runs, optionally of one community, soonest due first.
    func openItems(_ ctx: AccessContext, community: UUID?) async throws -> [ActionItemRecord] {
        var filter: SQLQueryString = "a.status = 'open' AND a.consultation_id IN (SELECT c.id FROM consultations c WHERE " + Self.runsSQL(ctx.actor) + ")"
        if let community { filter = filter + " AND a.community_id = \(bind: community)" }
        return try await actionItems(where: filter, on: db)
    }

    /// Consultations the caller runs, as SQL over `consultations c`.
    static func runsSQL(_ actor: Actor) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .districtAdmin: "c.district_id = \(bind: g.scopeId)"
            case .streetStaff: "c.street_id = \(bind: g.scopeId)"
            case .communityStaff: "c.community_id = \(bind: g.scopeId)"
            default: nil
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Meetings held per month (twelve, ending with `through`) and how many had all five parties,
    /// over the consultations the caller runs (one community, one street, or all).
    func figures(_ ctx: AccessContext, community: UUID?, street: UUID?, through: CivilDate) async throws -> [(month: CivilDate, held: Int, fiveParty: Int)] {
        let months = DisputeFigures.months(endingWith: through)
        let from = CivilTime.beijingMidnight(months[0])
        let to = CivilTime.beijingMidnight(through.adding(days: CivilDate.daysIn(month: through.month, year: through.year)))
        var filter = Self.runsSQL(ctx.actor) + " AND c.status <> 'scheduled' AND c.held_at >= \(bind: from) AND c.held_at < \(bind: to)"
        if let community { filter = filter + " AND c.community_id = \(bind: community)" }
        if let street { filter = filter + " AND c.street_id = \(bind: street)" }
        let rows = try await db.sql().raw("""
            SELECT c.id, c.held_at, s.party FROM consultations c LEFT JOIN consultation_seats s ON s.consultation_id = c.id AND s.attended = \(bind: true) WHERE
            """ + " " + filter).all()
        var meetings: [UUID: (Date, Set<SeatParty>)] = [:]
        for r in rows {
            let id = try r.decode(column: "id", as: UUID.self)
            let at = try r.decode(column: "held_at", as: Date.self)
            var m = meetings[id] ?? (at, [])
            if let p = try r.decode(column: "party", as: String?.self).flatMap(SeatParty.init(rawValue:)) { m.1.insert(p) }
            meetings[id] = m
        }
        return months.map { month in
            let inMonth = meetings.values.filter { Timestamp.today($0.0).firstOfMonth == month }
            return (month, inMonth.count, inMonth.filter { ConsultationRules.isFiveParty(attended: $0.1) }.count)
        }
    }
}

extension ConsultationService {
    /// A dispute's number and title for the agenda, once the caller may see it.
    func disputeTitle(_ ctx: AccessContext, _ id: UUID) async throws -> String {
        let disputes = DisputeService(database: database, store: store, requests: requests)
        let d = try await disputes.get(ctx, id)
        return "\(d.record.number) \(d.record.title)"
    }
}
