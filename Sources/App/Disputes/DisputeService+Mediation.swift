import Domain
import FluentKit
import Foundation
import SQLKit

/// Mediators, sessions, plans, outcomes and improvements; legal-awareness activities; the figures.
extension DisputeService {
    /// Assigns a mediator of the dispute's street (an account holding the mediator role there).
    func assign(_ ctx: AccessContext, dispute id: UUID, user: UUID, kind: MediatorKind) async throws -> DisputeView {
        try await db.transaction { tx in
            let d = try await load(id, on: tx)
            let s = try await standing(ctx, d, on: tx)
            guard s.sees else { throw DomainError.notFound(entity: "disputes", id: id.text) }
            guard s.runs else { throw DomainError.forbidden(reason: "the community, street or district assigns mediators") }
            guard d.status.isClosed == false else { throw DomainError.conflict(code: "closed", message: "the dispute is closed") }
            let mediator = try await tx.sql().raw("""
                SELECT u.display_name FROM users u JOIN role_grants g ON g.user_id = u.id WHERE u.id = \(bind: user) AND g.role = 'mediator'
                AND g.scope_id = \(bind: d.streetId) AND u.disabled = \(bind: false)
                """).first()
            guard let name = try mediator?.decode(column: "display_name", as: String.self) else {
                throw DomainError.invalid([FieldError(field: "userId", code: "unknown_reference", message: "a mediator's account of the dispute's street")])
            }
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "dispute_mediators").columns("id", "dispute_id", "user_id", "kind", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(user), Bind.text(kind.rawValue), now, now])
                .onConflict(with: ["dispute_id", "user_id"]) { $0.set("kind", to: kind.rawValue) }.run()
            try await audit.record(ctx, action: "assign", entity: "disputes", entityId: id, districtId: d.districtId, before: nil,
                                   after: .object(["mediator": .string(name), "kind": .string(kind.rawValue)]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// Records a session, the plan, the outcome, a note or an improvement, by `DisputeRules.next`.
    func record(_ ctx: AccessContext, dispute id: UUID, _ e: NewEvent) async throws -> DisputeView {
        try await db.transaction { tx in
            let d = try await load(id, on: tx)
            let s = try await standing(ctx, d, on: tx)
            guard s.sees else { throw DomainError.notFound(entity: "disputes", id: id.text) }
            let allowed = switch e.kind {
            case .improvement: s.runs
            case .session, .plan, .outcome, .note: s.mediates
            }
            guard allowed else { throw DomainError.forbidden(reason: e.kind == .improvement ? "the community, street or district records improvements" : "only its mediators and staff") }
            guard let next = DisputeRules.next(d.status, e.kind, outcome: e.outcome) else {
                if e.kind == .outcome && e.outcome == nil {
                    throw DomainError.invalid([FieldError(field: "outcome", code: "required", message: "mediated, referred, withdrawn or unresolved")])
                }
                throw DomainError.conflict(code: "closed", message: "the dispute is \(d.status.rawValue): only notes and improvements may be added")
            }
            var errors = FieldErrors()
            let today = Timestamp.today(ctx.now)
            let on = e.on ?? today
            if today < on { errors.add("on", "in_future", "the day cannot be in the future") }
            if on < d.receivedOn { errors.add("on", "before_received", "the day cannot be before the dispute came in (\(d.receivedOn))") }
            if e.kind == .outcome, let last = try await tx.sql().raw("""
                SELECT MAX(happened_on) AS d FROM dispute_events WHERE dispute_id = \(bind: id) AND kind IN ('session', 'plan')
                """).first()?.decode(column: "d", as: String?.self).flatMap({ CivilDate($0) }), on < last {
                errors.add("on", "before_last_step", "the outcome cannot be dated before the last session or plan (\(last))")
            }
            if e.kind == .session && e.mediatorKind == nil { errors.add("mediatorKind", "required", "who mediated: community, alliance, judge or people_mediation") }
            if e.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && e.kind != .outcome { errors.add("note", "required", "what happened") }
            var company: UUID?
            if e.kind == .improvement {
                if let c = e.companyId, try await tx.sql().raw("SELECT id FROM companies WHERE id = \(bind: c) AND district_id = \(bind: d.districtId)").first() != nil {
                    company = c
                } else {
                    errors.add("companyId", "unknown_reference", "the company that improved its service")
                }
            }
            try errors.throwIfAny()
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "dispute_events").columns("id", "dispute_id", "kind", "happened_on", "mediator_kind", "mediator_name", "note", "company_id",
                                                                      "actor_label", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(e.kind == .outcome ? "outcome" : e.kind.rawValue), Bind.text(on.description),
                         Bind.text(e.mediatorKind?.rawValue), Bind.text(e.mediatorName?.nilIfEmpty), Bind.text(e.kind == .outcome ? (e.outcome?.rawValue ?? "") + (e.note.isEmpty ? "" : " · " + e.note) : e.note),
                         Bind.uuid(company), Bind.text(ctx.actor.label), now, now]).run()
            switch e.kind {
            case .plan: try await tx.sql().raw("UPDATE disputes SET plan = \(bind: e.note), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            case .outcome:
                try await tx.sql().raw("""
                    UPDATE disputes SET status = \(bind: next.rawValue), outcome = \(bind: e.outcome!.rawValue), outcome_on = \(bind: on.description),
                    outcome_note = \(bind: e.note), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                    """).run()
            default:
                try await tx.sql().raw("UPDATE disputes SET status = \(bind: next.rawValue), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            }
            try await audit.record(ctx, action: e.kind.rawValue, entity: "disputes", entityId: id, districtId: d.districtId,
                                   before: .object(["status": .string(d.status.rawValue)]),
                                   after: .object(["status": .string(next.rawValue), "on": .string(on.description), "note": .string(e.note)]), on: tx)
            return try await get(ctx, id, on: tx)
        }
    }

    /// Mediator accounts of a street, for the assignment form.
    func mediators(street: UUID) async throws -> [(id: UUID, name: String)] {
        try await db.sql().raw("""
            SELECT u.id, u.display_name FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.role = 'mediator' AND g.scope_id = \(bind: street)
            AND u.disabled = \(bind: false) ORDER BY u.display_name
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "display_name", as: String.self)) }
    }

    // MARK: - Legal awareness and figures

    /// Whether the caller runs the community's or street's list (its staff, the street's, the district's).
    func runs(_ ctx: AccessContext, community: UUID?, street: UUID?, on db: any Database) async throws -> (district: UUID, street: UUID)? {
        let row: (any SQLRow)?
        if let community {
            row = try await db.sql().raw("SELECT cm.street_id AS s, st.district_id AS d FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = \(bind: community)").first()
        } else if let street {
            row = try await db.sql().raw("SELECT id AS s, district_id AS d FROM streets WHERE id = \(bind: street)").first()
        } else { return nil }
        guard let row else { return nil }
        let s = try row.decode(column: "s", as: UUID.self), d = try row.decode(column: "d", as: UUID.self)
        return Policy.isStaffOver(ctx.actor, district: d, street: s, community: community) ? (d, s) : nil
    }

    func addActivity(_ ctx: AccessContext, community: UUID, heldOn: CivilDate, topic: String, audience: String, attendance: Int64) async throws -> LegalActivityRecord {
        try await db.transaction { tx in
            guard let place = try await runs(ctx, community: community, street: nil, on: tx) else { throw DomainError.notFound(entity: "communities", id: community.text) }
            if Timestamp.today(ctx.now) < heldOn {
                throw DomainError.invalid([FieldError(field: "heldOn", code: "in_future", message: "record an activity once it is held")])
            }
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "legal_activities").columns("id", "community_id", "street_id", "held_on", "topic", "audience", "attendance", "recorded_by",
                                                                        "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(community), Bind.uuid(place.street), Bind.text(heldOn.description), Bind.text(topic), Bind.text(audience),
                         Bind.int(attendance), Bind.text(ctx.actor.label), now, now]).run()
            try await audit.record(ctx, action: "create", entity: "legal-activities", entityId: id, districtId: place.district, before: nil,
                                   after: .object(["topic": .string(topic), "heldOn": .string(heldOn.description), "attendance": .int(attendance)]), on: tx)
            return LegalActivityRecord(id: id, communityId: community, heldOn: heldOn, topic: topic, audience: audience, attendance: attendance, recordedBy: ctx.actor.label)
        }
    }

    func activities(_ ctx: AccessContext, community: UUID) async throws -> [LegalActivityRecord] {
        guard try await runs(ctx, community: community, street: nil, on: db) != nil else { throw DomainError.notFound(entity: "communities", id: community.text) }
        return try await db.sql().raw("SELECT * FROM legal_activities WHERE community_id = \(bind: community) ORDER BY held_on DESC").all().map { r in
            LegalActivityRecord(id: try r.decode(column: "id", as: UUID.self), communityId: community,
                                heldOn: CivilDate(try r.decode(column: "held_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1),
                                topic: try r.decode(column: "topic", as: String.self), audience: try r.decode(column: "audience", as: String.self),
                                attendance: try r.decode(column: "attendance", as: Int64.self), recordedBy: try r.decode(column: "recorded_by", as: String.self))
        }
    }

    /// Twelve months ending with `through` for a community (or a whole street): disputes received,
    /// settled, referred, by kind, median days to settle (`DisputeFigures`), activities and improvements.
    func figures(_ ctx: AccessContext, community: UUID?, street: UUID?, through: CivilDate) async throws -> [DisputeMonthRow] {
        guard try await runs(ctx, community: community, street: street, on: db) != nil else {
            throw DomainError.notFound(entity: community == nil ? "streets" : "communities", id: (community ?? street)?.text ?? "")
        }
        let months = DisputeFigures.months(endingWith: through)
        let first = months[0].description, last = CivilDate(year: through.year, month: through.month, day: CivilDate.daysIn(month: through.month, year: through.year)).description
        let place: SQLQueryString = community.map { "community_id = \(bind: $0)" } ?? "street_id = \(bind: street!)"
        let facts = try await db.sql().raw("SELECT kind, received_on, outcome, outcome_on FROM disputes WHERE " + place
                                           + " AND (received_on BETWEEN \(bind: first) AND \(bind: last) OR outcome_on BETWEEN \(bind: first) AND \(bind: last))").all().map { r in
            DisputeFact(kind: DisputeKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .other,
                        receivedOn: CivilDate(try r.decode(column: "received_on", as: String.self)) ?? months[0],
                        outcome: try r.decode(column: "outcome", as: String?.self).flatMap(DisputeOutcome.init(rawValue:)),
                        outcomeOn: try r.decode(column: "outcome_on", as: String?.self).flatMap { CivilDate($0) })
        }
        let activities = try await db.sql().raw("SELECT held_on, attendance FROM legal_activities WHERE " + place + " AND held_on BETWEEN \(bind: first) AND \(bind: last)")
            .all().map { (String(try $0.decode(column: "held_on", as: String.self).prefix(7)), try $0.decode(column: "attendance", as: Int64.self)) }
        let improvements = try await db.sql().raw("""
            SELECT x.happened_on FROM dispute_events x JOIN disputes d ON d.id = x.dispute_id WHERE x.kind = 'improvement' AND d.
            """ + place + " AND x.happened_on BETWEEN \(bind: first) AND \(bind: last)").all().map { String(try $0.decode(column: "happened_on", as: String.self).prefix(7)) }
        return months.map { m in
            let key = m.monthText
            let acts = activities.filter { $0.0 == key }
            return DisputeMonthRow(month: m, figures: DisputeFigures.month(m, facts), activities: acts.count, attendance: acts.reduce(0) { $0 + $1.1 },
                                   improvements: improvements.filter { $0 == key }.count)
        }
    }
}
