import Domain
import FluentKit
import Foundation
import SQLKit

/// Disputes settled at the source (物业纠纷源头治理): party members and staff put neighbours' and
/// property disputes on the branch's list; the street assigns mediators (the judge seated in the
/// alliance's branch, a people's mediator); sessions, a settlement plan and an outcome follow; a
/// company's improvements are recorded against the dispute they came from. Who may do what is
/// `DisputeRules.standing`; every write is audited.
struct DisputeService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let requests: RequestService
    let audit = AuditLog()
    var db: any Database { database.db }

    struct PartyInput: Sendable {
        var kind: DisputePartyKind
        var name: String
        var companyId: UUID?
    }

    struct NewDispute: Sendable {
        var compoundId: UUID?
        var requestId: UUID?
        var kind: DisputeKind
        var source: DisputeSource
        var title: String
        var description: String
        var roomIds: [UUID]
        var parties: [PartyInput]
        var receivedOn: CivilDate?
    }

    struct NewEvent: Sendable {
        var kind: DisputeEventKind
        var on: CivilDate?
        var mediatorKind: MediatorKind?
        var mediatorName: String?
        var note: String
        var outcome: DisputeOutcome?
        var companyId: UUID?
    }

    /// Where a compound lies.
    func place(compound: UUID, on db: any Database) async throws -> DisputePlace? {
        guard let row = try await db.sql().raw("""
            SELECT p.community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id
            JOIN streets st ON st.id = cm.street_id WHERE p.id = \(bind: compound)
            """).first() else { return nil }
        return DisputePlace(districtId: try row.decode(column: "district_id", as: UUID.self), streetId: try row.decode(column: "street_id", as: UUID.self),
                            communityId: try row.decode(column: "community_id", as: UUID.self), compoundId: compound)
    }

    // MARK: - Reporting

    /// Puts a dispute on the branch's list (from a request when `requestId` is given: its compound,
    /// text and rooms are taken over, and the request's timeline says so).
    func report(_ ctx: AccessContext, _ input: NewDispute) async throws -> UUID {
        try await db.transaction { tx in
            var input = input
            var errors = FieldErrors()
            var request: RequestRecord?
            if let rid = input.requestId {
                let r = try await requests.load(rid, on: tx, lock: true)
                guard try await requests.standing(ctx, r, on: tx).sees else { throw DomainError.notFound(entity: "requests", id: rid.text) }
                if let existing = try await tx.sql().raw("SELECT number FROM disputes WHERE request_id = \(bind: rid)").first() {
                    throw DomainError.conflict(code: "already_disputed", message: "the request is dispute \(try existing.decode(column: "number", as: String.self))")
                }
                request = r
                input.compoundId = r.compoundId
                input.source = .request
                if input.description.isEmpty { input.description = r.description }
                if let room = r.roomId, !input.roomIds.contains(room) { input.roomIds.append(room) }
            }
            guard let compound = input.compoundId else { throw DomainError.invalid([FieldError(field: "compoundId", code: "required", message: "the compound the dispute is in")]) }
            guard var place = try await place(compound: compound, on: tx) else {
                throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound has id \(compound.text)")])
            }
            let seesCompound = (try? await store.access.authorize(ctx, .read, store.catalog["compounds"]!, id: compound, on: tx)) != nil
            let partyMember = try await isPartyMember(ctx.actor, on: tx)
            guard DisputeRules.mayReport(ctx.actor, partyMember: partyMember, place: place, seesCompound: seesCompound) else {
                if !seesCompound { throw DomainError.notFound(entity: "compounds", id: compound.text) }
                throw DomainError.forbidden(reason: "disputes are put on the list by party members and by the community's, street's and district's staff")
            }
            if input.title.isEmpty || input.title.count > 200 { errors.add("title", "required", "a title of at most 200 characters") }
            if input.description.count > 4000 { errors.add("description", "too_long", "at most 4000 characters") }
            let today = Timestamp.today(ctx.now)
            if let d = input.receivedOn, today < d { errors.add("receivedOn", "in_future", "the day it came in cannot be in the future") }
            for (i, room) in input.roomIds.enumerated() {
                let inCompound = try await tx.sql().raw("""
                    SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                    WHERE r.id = \(bind: room) AND b.compound_id = \(bind: compound)
                    """).first() != nil
                if !inCompound { errors.add("roomIds[\(i)]", "unknown_reference", "a room of the compound") }
            }
            for (i, p) in input.parties.enumerated() {
                if p.kind == .company {
                    guard let c = p.companyId, try await tx.sql().raw("SELECT id FROM companies WHERE id = \(bind: c) AND district_id = \(bind: place.districtId)").first() != nil else {
                        errors.add("parties[\(i)].companyId", "unknown_reference", "a company of this district"); continue
                    }
                } else if p.name.trimmingCharacters(in: .whitespaces).isEmpty || p.name.count > 100 {
                    errors.add("parties[\(i)].name", "required", "the party's name or description (at most 100 characters)")
                }
            }
            try errors.throwIfAny()
            let id = UUID.random()
            let seq = try await requests.nextSequence(day: "J" + today.description, now: ctx.now, on: tx)
            let number = "JF" + RequestNumber.make(day: today, sequence: seq).dropFirst(2)
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "disputes").columns("id", "number", "district_id", "street_id", "community_id", "compound_id", "kind", "source", "title",
                                                                "description", "request_id", "status", "plan", "outcome", "outcome_on", "outcome_note",
                                                                "received_on", "reported_by", "reporter_user_id", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(number), Bind.uuid(place.districtId), Bind.uuid(place.streetId), Bind.uuid(place.communityId), Bind.uuid(compound),
                         Bind.text(input.kind.rawValue), Bind.text(input.source.rawValue), Bind.text(input.title), Bind.text(input.description),
                         Bind.uuid(input.requestId), Bind.text(DisputeStatus.received.rawValue), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                         Bind.text((input.receivedOn ?? today).description), Bind.text(ctx.actor.label), Bind.uuid(ctx.actor.id), now, now]).run()
            for room in Set(input.roomIds) {
                try await tx.sql().insert(into: "dispute_rooms").columns("id", "dispute_id", "room_id", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(room), now, now]).run()
            }
            for p in input.parties {
                var name = p.name.trimmingCharacters(in: .whitespaces)
                if p.kind == .company, let c = p.companyId {
                    name = try await tx.sql().raw("SELECT name FROM companies WHERE id = \(bind: c)").first()?.decode(column: "name", as: String.self) ?? name
                }
                try await tx.sql().insert(into: "dispute_parties").columns("id", "dispute_id", "kind", "name", "company_id", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(p.kind.rawValue), Bind.text(name), Bind.uuid(p.kind == .company ? p.companyId : nil), now, now]).run()
            }
            if let r = request { try await requests.note(tx, ctx, r, .dispute, number) }
            place.reporterUserId = ctx.actor.id
            try await audit.record(ctx, action: "report", entity: "disputes", entityId: id, districtId: place.districtId, before: nil,
                                   after: .object(["number": .string(number), "kind": .string(input.kind.rawValue), "title": .string(input.title),
                                                   "source": .string(input.source.rawValue)]), on: tx)
            return id
        }
    }

    /// Whether the account is flagged a party member (党员).
    func isPartyMember(_ actor: Actor, on db: any Database) async throws -> Bool {
        guard let id = actor.id, actor.kind == .user else { return false }
        return try await db.sql().raw("SELECT party_member FROM users WHERE id = \(bind: id)").first()?.decode(column: "party_member", as: Bool?.self) ?? false
    }

    // MARK: - Reading

    func load(_ id: UUID, on db: any Database) async throws -> DisputeRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: DisputeRecord.select)" + " WHERE d.id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "disputes", id: id.text)
        }
        return try DisputeRecord(row: row)
    }

    func standing(_ ctx: AccessContext, _ d: DisputeRecord, on db: any Database) async throws -> DisputeStanding {
        let mediators = try await db.sql().raw("SELECT user_id FROM dispute_mediators WHERE dispute_id = \(bind: d.id)").all().map { try $0.decode(column: "user_id", as: UUID.self) }
        let companies = try await db.sql().raw("SELECT company_id FROM dispute_parties WHERE dispute_id = \(bind: d.id) AND company_id IS NOT NULL").all()
            .map { try $0.decode(column: "company_id", as: UUID.self) }
        return DisputeRules.standing(ctx.actor, DisputePlace(districtId: d.districtId, streetId: d.streetId, communityId: d.communityId, compoundId: d.compoundId,
                                                             mediatorUserIds: Set(mediators), companyIds: Set(companies), reporterUserId: d.reporterUserId))
    }

    func get(_ ctx: AccessContext, _ id: UUID, on given: (any Database)? = nil) async throws -> DisputeView {
        let db = given ?? self.db
        let d = try await load(id, on: db)
        let standing = try await standing(ctx, d, on: db)
        guard standing.sees else { throw DomainError.notFound(entity: "disputes", id: id.text) }
        let rooms = try await db.sql().raw("""
            SELECT r.id, bd.number || ' ' || e.number || ' ' || r.number AS label FROM dispute_rooms x JOIN rooms r ON r.id = x.room_id
            JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id WHERE x.dispute_id = \(bind: id) ORDER BY label
            """).all().map { (id: try $0.decode(column: "id", as: UUID.self), label: try $0.decode(column: "label", as: String.self)) }
        let parties = try await db.sql().raw("SELECT kind, name, company_id FROM dispute_parties WHERE dispute_id = \(bind: id) ORDER BY created_at, name").all().map {
            DisputePartyRecord(kind: DisputePartyKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .other, name: try $0.decode(column: "name", as: String.self),
                               companyId: try $0.decode(column: "company_id", as: UUID?.self))
        }
        let mediators = try await db.sql().raw("""
            SELECT m.user_id, m.kind, u.display_name FROM dispute_mediators m JOIN users u ON u.id = m.user_id WHERE m.dispute_id = \(bind: id) ORDER BY m.created_at
            """).all().map {
            DisputeMediatorRecord(userId: try $0.decode(column: "user_id", as: UUID.self), kind: MediatorKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .alliance,
                                  name: try $0.decode(column: "display_name", as: String.self))
        }
        let events = try await db.sql().raw("""
            SELECT x.*, c.name AS company_name FROM dispute_events x LEFT JOIN companies c ON c.id = x.company_id WHERE x.dispute_id = \(bind: id)
            ORDER BY x.happened_on, x.created_at
            """).all().map { row in
            DisputeEventRecord(kind: DisputeEventKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                               on: CivilDate(try row.decode(column: "happened_on", as: String.self)) ?? d.receivedOn,
                               mediatorKind: try row.decode(column: "mediator_kind", as: String?.self).flatMap(MediatorKind.init(rawValue:)),
                               mediatorName: try row.decode(column: "mediator_name", as: String?.self), note: try row.decode(column: "note", as: String.self),
                               companyId: try row.decode(column: "company_id", as: UUID?.self), companyName: try row.decode(column: "company_name", as: String?.self),
                               actor: try row.decode(column: "actor_label", as: String.self), at: try row.decode(column: "created_at", as: Date.self))
        }
        return DisputeView(record: d, rooms: rooms, parties: parties, mediators: mediators, events: events, standing: standing)
    }

    /// Which disputes a caller sees, as SQL over `disputes d`.
    static func visible(_ actor: Actor) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("d.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("d.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("d.community_id = \(bind: g.scopeId)")
            case .committeeMember: parts.append("d.compound_id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("EXISTS (SELECT 1 FROM dispute_parties x WHERE x.dispute_id = d.id AND x.company_id = \(bind: g.scopeId))")
            case .mediator:
                if let id = actor.id { parts.append("EXISTS (SELECT 1 FROM dispute_mediators x WHERE x.dispute_id = d.id AND x.user_id = \(bind: id))") }
            default: break
            }
        }
        if let id = actor.id, actor.kind == .user { parts.append("d.reporter_user_id = \(bind: id)") }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The disputes a caller sees, open ones first and oldest first among them.
    func list(_ ctx: AccessContext, communityId: UUID? = nil, streetId: UUID? = nil, status: DisputeStatus? = nil, open: Bool? = nil,
              limit: Int = 500) async throws -> [DisputeRecord] {
        var filter = Self.visible(ctx.actor)
        if let communityId { filter = filter + " AND d.community_id = \(bind: communityId)" }
        if let streetId { filter = filter + " AND d.street_id = \(bind: streetId)" }
        if let status { filter = filter + " AND d.status = \(bind: status.rawValue)" }
        if let open { filter = filter + (open ? " AND d.status IN ('received', 'mediating')" : " AND d.status NOT IN ('received', 'mediating')") }
        return try await db.sql().raw("\(unsafeRaw: DisputeRecord.select)" + " WHERE " + filter
                                      + " ORDER BY CASE WHEN d.status IN ('received', 'mediating') THEN 0 ELSE 1 END, d.received_on, d.number LIMIT \(bind: limit)")
            .all().map { try DisputeRecord(row: $0) }
    }
}
