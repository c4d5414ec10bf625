import Domain
import FluentKit
import Foundation
import SQLKit

/// Consultations (五方会商 / 议事协商): a community (or its street) convenes a meeting for one or
/// more compounds with seats typed by party, an agenda (free text, or linked to a request, whistle
/// case, decision or dispute), sign-in of attendance, minutes and resolutions that become action
/// items carried onto the next meeting's agenda until done, and a summary published to the
/// compounds' residents. Monthly series are made from a schedule. Who may do what is
/// `ConsultationRules.standing`; every write is audited.
struct ConsultationService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let requests: RequestService
    let audit = AuditLog()
    var db: any Database { database.db }

    struct SeatInput: Sendable {
        var party: SeatParty
        var name: String
        var companyId: UUID?
    }

    struct AgendaInput: Sendable {
        var kind: AgendaKind
        var title: String
        var refId: UUID?
    }

    struct NewConsultation: Sendable {
        var communityId: UUID
        var compoundIds: [UUID]
        var title: String
        var heldAt: Date
        var place: String
        var seats: [SeatInput]
        var agenda: [AgendaInput]
        /// Further monthly meetings of the same series (0 for none, at most 12).
        var repeatMonthly: Int
    }

    struct Resolution: Sendable {
        var title: String
        var party: SeatParty
        var dueOn: CivilDate
    }

    // MARK: - Convening

    func runs(_ ctx: AccessContext, community: UUID, on db: any Database) async throws -> (district: UUID, street: UUID) {
        guard let row = try await db.sql().raw("""
            SELECT cm.street_id, st.district_id FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = \(bind: community)
            """).first() else {
            throw DomainError.invalid([FieldError(field: "communityId", code: "unknown_reference", message: "no community has id \(community.text)")])
        }
        let street = try row.decode(column: "street_id", as: UUID.self), district = try row.decode(column: "district_id", as: UUID.self)
        let ok = Policy.isStaffOver(ctx.actor, district: district, street: street, community: community)
        guard ok else {
            if ctx.actor.grants.contains(where: { $0.districtId == district }) { throw DomainError.forbidden(reason: "the community, its street or the district convenes consultations") }
            throw DomainError.notFound(entity: "communities", id: community.text)
        }
        return (district, street)
    }

    /// Convenes a meeting (and, with `repeatMonthly`, the next ones of its series on the same day of
    /// each month, with the same seats); open action items of the community are carried onto each.
    func convene(_ ctx: AccessContext, _ input: NewConsultation) async throws -> UUID {
        try await db.transaction { tx in
            let place = try await runs(ctx, community: input.communityId, on: tx)
            var errors = FieldErrors()
            if input.title.isEmpty || input.title.count > 200 { errors.add("title", "required", "a title of at most 200 characters") }
            if input.place.count > 200 { errors.add("place", "too_long", "at most 200 characters") }
            if input.compoundIds.isEmpty { errors.add("compoundIds", "required", "the compounds it is about") }
            for (i, c) in input.compoundIds.enumerated() where try await tx.sql().raw("SELECT id FROM compounds WHERE id = \(bind: c) AND community_id = \(bind: input.communityId)").first() == nil {
                errors.add("compoundIds[\(i)]", "unknown_reference", "a compound of the community")
            }
            if input.seats.isEmpty { errors.add("seats", "required", "who is invited") }
            for (i, s) in input.seats.enumerated() {
                if s.name.trimmingCharacters(in: .whitespaces).isEmpty || s.name.count > 100 { errors.add("seats[\(i)].name", "required", "who holds the seat (at most 100 characters)") }
                if let c = s.companyId, try await tx.sql().raw("SELECT id FROM companies WHERE id = \(bind: c) AND district_id = \(bind: place.district)").first() == nil {
                    errors.add("seats[\(i)].companyId", "unknown_reference", "a company of this district")
                }
            }
            if !(0...12).contains(input.repeatMonthly) { errors.add("repeatMonthly", "out_of_range", "0 to 12 further monthly meetings") }
            for (i, a) in input.agenda.enumerated() { try await checkAgenda(ctx, a, district: place.district, field: "agenda[\(i)]", errors: &errors, on: tx) }
            try errors.throwIfAny()
            let series = input.repeatMonthly > 0 ? UUID.random() : nil
            let first = CivilTime(input.heldAt, offsetSeconds: CivilTime.beijingOffset)
            var dates = [input.heldAt]
            for d in ConsultationRules.schedule(after: first.date, every: 1, count: input.repeatMonthly) {
                dates.append(CivilTime.beijingMidnight(d).addingTimeInterval(TimeInterval(first.hour * 3600 + first.minute * 60)))
            }
            var ids: [UUID] = []
            for (n, at) in dates.enumerated() {
                let id = UUID.random(), now = Bind.date(ctx.now), today = Timestamp.today(ctx.now)
                let seq = try await requests.nextSequence(day: "H" + today.description, now: ctx.now, on: tx)
                let number = "YS" + RequestNumber.make(day: today, sequence: seq).dropFirst(2)
                try await tx.sql().insert(into: "consultations").columns("id", "number", "district_id", "street_id", "community_id", "title", "held_at", "place", "status",
                                                                        "minutes", "summary", "published_at", "convened_by", "series_id", "created_at", "updated_at")
                    .values([Bind.uuid(id), Bind.text(number), Bind.uuid(place.district), Bind.uuid(place.street), Bind.uuid(input.communityId),
                             Bind.text(input.title), Bind.date(at), Bind.text(input.place), Bind.text(ConsultationStatus.scheduled.rawValue),
                             SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, Bind.text(ctx.actor.label), Bind.uuid(series), now, now]).run()
                for c in Set(input.compoundIds) {
                    try await tx.sql().insert(into: "consultation_compounds").columns("id", "consultation_id", "compound_id", "created_at", "updated_at")
                        .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(c), now, now]).run()
                }
                for s in input.seats {
                    try await tx.sql().insert(into: "consultation_seats").columns("id", "consultation_id", "party", "name", "company_id", "attended", "created_at", "updated_at")
                        .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(s.party.rawValue), Bind.text(s.name.trimmingCharacters(in: .whitespaces)),
                                 Bind.uuid(s.companyId), Bind.bool(false), now, now]).run()
                }
                for a in (n == 0 ? input.agenda : []) { try await addAgenda(tx, ctx, consultation: id, a, actionItem: nil) }
                try await carry(tx, ctx, to: id, community: input.communityId)
                ids.append(id)
            }
            try await audit.record(ctx, action: "convene", entity: "consultations", entityId: ids[0], districtId: place.district, before: nil,
                                   after: .object(["title": .string(input.title), "meetings": .int(Int64(ids.count)), "seats": .int(Int64(input.seats.count))]), on: tx)
            return ids[0]
        }
    }

    /// A linked agenda item must name a record of the district that the caller sees.
    func checkAgenda(_ ctx: AccessContext, _ a: AgendaInput, district: UUID, field: String, errors: inout FieldErrors, on tx: any Database) async throws {
        if a.title.count > 200 { errors.add(field + ".title", "too_long", "at most 200 characters") }
        let table: String? = switch a.kind {
        case .text: nil
        case .request: "requests"
        case .whistleCase: "whistle_cases"
        case .decision: "decisions"
        case .dispute: "disputes"
        case .survey: "surveys"
        case .action: "action_items"
        }
        guard let table else {
            if a.title.trimmingCharacters(in: .whitespaces).isEmpty { errors.add(field + ".title", "required", "what the item is") }
            return
        }
        guard let ref = a.refId else { errors.add(field + ".refId", "required", "the record it is about"); return }
        let districtColumn: SQLQueryString = switch a.kind {
        case .decision: "(SELECT st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE p.id = x.compound_id)"
        case .action: "(SELECT district_id FROM consultations WHERE id = x.consultation_id)"
        default: "x.district_id"
        }
        let found = try await tx.sql().raw("SELECT x.id FROM \(unsafeRaw: table) x WHERE x.id = \(bind: ref) AND " + districtColumn + " = \(bind: district)").first() != nil
        if !found { errors.add(field + ".refId", "unknown_reference", "a \(a.kind.rawValue) of this district") }
    }

    /// The title a linked item shows: the record's number and title.
    func linkedTitle(_ a: AgendaInput, on tx: any Database) async throws -> String {
        guard let ref = a.refId else { return a.title }
        let q: SQLQueryString? = switch a.kind {
        case .request: "SELECT number || ' ' || description AS t FROM requests WHERE id = \(bind: ref)"
        case .whistleCase: "SELECT number || ' ' || title AS t FROM whistle_cases WHERE id = \(bind: ref)"
        case .decision: "SELECT title AS t FROM decisions WHERE id = \(bind: ref)"
        case .dispute: "SELECT number || ' ' || title AS t FROM disputes WHERE id = \(bind: ref)"
        case .survey: "SELECT number || ' ' || title AS t FROM surveys WHERE id = \(bind: ref)"
        case .action: "SELECT title AS t FROM action_items WHERE id = \(bind: ref)"
        case .text: nil
        }
        guard let q, let t = try await tx.sql().raw(q).first()?.decode(column: "t", as: String.self) else { return a.title }
        let text = a.title.trimmingCharacters(in: .whitespaces).isEmpty ? t : a.title
        return String(text.prefix(200))
    }

    func addAgenda(_ tx: any Database, _ ctx: AccessContext, consultation: UUID, _ a: AgendaInput, actionItem: UUID?) async throws {
        let position = (try await tx.sql().raw("SELECT MAX(position) AS p FROM agenda_items WHERE consultation_id = \(bind: consultation)").first()?
            .decode(column: "p", as: Int?.self) ?? 0) + 1
        try await tx.sql().insert(into: "agenda_items").columns("id", "consultation_id", "position", "kind", "title", "ref_id", "action_item_id", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(consultation), Bind.int(position), Bind.text(a.kind.rawValue), Bind.text(try await linkedTitle(a, on: tx)),
                     Bind.uuid(a.refId), Bind.uuid(actionItem), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
    }

    /// Puts every open action item of the community made at an earlier meeting onto the meeting's
    /// agenda, once.
    func carry(_ tx: any Database, _ ctx: AccessContext, to consultation: UUID, community: UUID) async throws {
        let items = try await tx.sql().raw("""
            SELECT a.id, a.title FROM action_items a JOIN consultations c ON c.id = a.consultation_id
            WHERE a.community_id = \(bind: community) AND a.status = 'open' AND a.consultation_id <> \(bind: consultation)
            AND c.held_at < (SELECT held_at FROM consultations WHERE id = \(bind: consultation))
            AND NOT EXISTS (SELECT 1 FROM agenda_items g WHERE g.consultation_id = \(bind: consultation) AND g.action_item_id = a.id)
            ORDER BY a.due_on, a.title
            """).all()
        for row in items {
            let id = try row.decode(column: "id", as: UUID.self)
            try await addAgenda(tx, ctx, consultation: consultation, AgendaInput(kind: .action, title: try row.decode(column: "title", as: String.self), refId: id), actionItem: id)
        }
    }

    // MARK: - Reading

    func load(_ id: UUID, on db: any Database) async throws -> ConsultationRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: ConsultationRecord.select)" + " WHERE c.id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "consultations", id: id.text)
        }
        return try ConsultationRecord(row: row)
    }

    /// Compound ids the actor owns or lives in a room of.
    func holderCompounds(_ actor: Actor, on db: any Database) async throws -> Set<UUID> {
        guard let held = PersonalScope.heldRooms(actor) else { return [] }
        return Set(try await db.sql().raw("SELECT DISTINCT b.compound_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE "
                                          + held).all().map { try $0.decode(column: "compound_id", as: UUID.self) })
    }

    func get(_ ctx: AccessContext, _ id: UUID, on given: (any Database)? = nil) async throws -> ConsultationView {
        let db = given ?? self.db
        let c = try await load(id, on: db)
        let compounds = try await db.sql().raw("""
            SELECT p.id, p.name FROM consultation_compounds x JOIN compounds p ON p.id = x.compound_id WHERE x.consultation_id = \(bind: id) ORDER BY p.name
            """).all().map { (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
        let seats = try await db.sql().raw("SELECT * FROM consultation_seats WHERE consultation_id = \(bind: id) ORDER BY created_at, name").all().map {
            SeatRecord(id: try $0.decode(column: "id", as: UUID.self), party: SeatParty(rawValue: try $0.decode(column: "party", as: String.self)) ?? .other,
                       name: try $0.decode(column: "name", as: String.self), companyId: try $0.decode(column: "company_id", as: UUID?.self),
                       attended: try $0.decode(column: "attended", as: Bool.self))
        }.sorted { (SeatParty.allCases.firstIndex(of: $0.party)!, $0.name) < (SeatParty.allCases.firstIndex(of: $1.party)!, $1.name) }
        let holder = !(try await holderCompounds(ctx.actor, on: db)).isDisjoint(with: compounds.map(\.id))
        let standing = ConsultationRules.standing(ctx.actor, ConsultationPlace(districtId: c.districtId, streetId: c.streetId, communityId: c.communityId,
                                                                                compounds: Set(compounds.map(\.id)), seatedCompanies: Set(seats.compactMap(\.companyId)),
                                                                                published: c.status == .published, holderOfCompound: holder))
        guard standing.seesSummary else { throw DomainError.notFound(entity: "consultations", id: id.text) }
        let agenda = try await db.sql().raw("SELECT * FROM agenda_items WHERE consultation_id = \(bind: id) ORDER BY position").all().map {
            AgendaRecord(id: try $0.decode(column: "id", as: UUID.self), position: try $0.decode(column: "position", as: Int.self),
                         kind: AgendaKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .text, title: try $0.decode(column: "title", as: String.self),
                         refId: try $0.decode(column: "ref_id", as: UUID?.self), actionItemId: try $0.decode(column: "action_item_id", as: UUID?.self),
                         surveyResult: try $0.decode(column: "result", as: String?.self).flatMap { SurveyJSON.decode(SurveyQuote.self, $0) })
        }
        let resolutions = try await actionItems(where: "a.consultation_id = \(bind: id)", on: db)
        let carriedIds = agenda.compactMap(\.actionItemId)
        let carried = carriedIds.isEmpty ? [] : try await actionItems(where: "a.id IN " + SQLIDs.list(Set(carriedIds)), on: db)
        return ConsultationView(record: c, compounds: compounds, seats: seats, agenda: agenda, resolutions: resolutions, carried: carried, standing: standing)
    }

    func actionItems(where filter: SQLQueryString, on db: any Database) async throws -> [ActionItemRecord] {
        var items = try await db.sql().raw("SELECT a.* FROM action_items a WHERE " + filter + " ORDER BY a.due_on, a.title").all().map { try ActionItemRecord(row: $0) }
        guard !items.isEmpty else { return [] }
        let notes = try await db.sql().raw("SELECT * FROM action_notes WHERE action_item_id IN " + SQLIDs.list(Set(items.map(\.id))) + " ORDER BY at").all()
        var byItem: [UUID: [(Date, String, String)]] = [:]
        for n in notes {
            byItem[try n.decode(column: "action_item_id", as: UUID.self), default: []].append((try n.decode(column: "at", as: Date.self),
                                                                                             try n.decode(column: "actor_label", as: String.self),
                                                                                             try n.decode(column: "note", as: String.self)))
        }
        for i in items.indices { items[i].notes = (byItem[items[i].id] ?? []).map { (at: $0.0, actor: $0.1, note: $0.2) } }
        return items
    }

    /// Which consultations a caller sees, as SQL over `consultations c`: staff over their area, a
    /// company seated, a committee of one of its compounds; owners and residents the published
    /// ones of their compounds.
    static func visible(_ actor: Actor) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("c.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("c.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("c.community_id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("EXISTS (SELECT 1 FROM consultation_seats s WHERE s.consultation_id = c.id AND s.company_id = \(bind: g.scopeId))")
            case .committeeMember: parts.append("EXISTS (SELECT 1 FROM consultation_compounds x WHERE x.consultation_id = c.id AND x.compound_id = \(bind: g.scopeId))")
            case .owner:
                parts.append("""
                    (c.status = 'published' AND EXISTS (SELECT 1 FROM consultation_compounds x JOIN buildings b ON b.compound_id = x.compound_id
                    JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id JOIN ownerships o ON o.room_id = r.id
                    WHERE x.consultation_id = c.id AND o.owner_id = \(bind: g.scopeId)))
                    """)
            case .resident:
                parts.append("""
                    (c.status = 'published' AND EXISTS (SELECT 1 FROM consultation_compounds x JOIN buildings b ON b.compound_id = x.compound_id
                    JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id JOIN residents rs ON rs.room_id = r.id
                    WHERE x.consultation_id = c.id AND rs.id = \(bind: g.scopeId)))
                    """)
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    func list(_ ctx: AccessContext, community: UUID? = nil, street: UUID? = nil, limit: Int = 300) async throws -> [ConsultationRecord] {
        var filter = Self.visible(ctx.actor)
        if let community { filter = filter + " AND c.community_id = \(bind: community)" }
        if let street { filter = filter + " AND c.street_id = \(bind: street)" }
        return try await db.sql().raw("\(unsafeRaw: ConsultationRecord.select)" + " WHERE " + filter + " ORDER BY c.held_at DESC LIMIT \(bind: limit)").all()
            .map { try ConsultationRecord(row: $0) }
    }
}
