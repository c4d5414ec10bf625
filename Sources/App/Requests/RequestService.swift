import Domain
import FluentKit
import Foundation
import SQLKit

/// Residents' requests (接诉即办): filing with direct dispatch, the life cycle through the Domain
/// transition table, each step on the timeline and in the audit log, every read and write judged
/// by `RequestRules` from how the actor stands towards the request.
struct RequestService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let audit = AuditLog()

    /// What a new request carries.
    struct NewRequest: Sendable {
        var channel: RequestChannel
        var category: RequestCategory
        var urgency: Urgency
        var compoundId: UUID
        var buildingId: UUID?
        var roomId: UUID?
        var reporterName: String?
        var reporterPhone: String?
        var description: String
        var latitude: Double?
        var longitude: Double?
        /// When it was received, if not now (a hotline order's time).
        var receivedAt: Date?
        var hotlineOrderNo: String?
        var receptionId: UUID?
    }

    /// Where a compound sits.
    struct CompoundPlace: Sendable { let compoundId: UUID, communityId: UUID, streetId: UUID, districtId: UUID }

    func place(ofCompound id: UUID, on db: any Database) async throws -> CompoundPlace? {
        guard let row = try await db.sql().raw("""
            SELECT p.id, p.community_id, m.street_id, s.district_id FROM compounds p JOIN communities m ON m.id = p.community_id
            JOIN streets s ON s.id = m.street_id WHERE p.id = \(bind: id)
            """).first() else { return nil }
        return CompoundPlace(compoundId: id, communityId: try row.decode(column: "community_id", as: UUID.self),
                             streetId: try row.decode(column: "street_id", as: UUID.self), districtId: try row.decode(column: "district_id", as: UUID.self))
    }

    // MARK: - Filing

    /// Files a request and dispatches it at once: to the company whose contract covers the compound
    /// on the day of receipt, else to the community. Runs on `tx` when given (imports file many in one).
    func create(_ ctx: AccessContext, _ input: NewRequest, on given: (any Database)? = nil) async throws -> UUID {
        // In the caller's transaction, the caller counts what it filed once that commits.
        if let tx = given { return try await create(ctx, input, tx: tx) }
        let id = try await database.db.transaction { tx in try await create(ctx, input, tx: tx) }
        AppMetrics.filed(channel: input.channel.rawValue, count: 1)
        return id
    }

    private func create(_ ctx: AccessContext, _ input: NewRequest, tx: any Database) async throws -> UUID {
        var errors = FieldErrors()
        guard let place = try await place(ofCompound: input.compoundId, on: tx) else {
            throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound has id \(input.compoundId.uuidString.lowercased())")])
        }
        if !ctx.actor.isSystem {
            let reach = try await store.access.reach(ctx, store.catalog["compounds"]!, id: input.compoundId, on: tx) ?? []
            guard reach.contains(where: \.sees) else {
                throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound has id \(input.compoundId.uuidString.lowercased())")])
            }
        }
        if let b = input.buildingId, try await tx.sql().raw("SELECT id FROM buildings WHERE id = \(bind: b) AND compound_id = \(bind: input.compoundId)").first() == nil {
            errors.add("buildingId", "unknown_reference", "no building of this compound has id \(b.uuidString.lowercased())")
        }
        if let r = input.roomId, try await tx.sql().raw("""
            SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE r.id = \(bind: r) AND b.compound_id = \(bind: input.compoundId)
            """).first() == nil {
            errors.add("roomId", "unknown_reference", "no room of this compound has id \(r.uuidString.lowercased())")
        }
        let selfReported = IntakeRules.filerIsReporter(isPerson: ctx.actor.kind == .user, isResident: ctx.actor.has(.owner) || ctx.actor.has(.resident),
                                                       channel: input.channel)
        let name = input.reporterName?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let phone = input.reporterPhone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        IntakeRules.reporterErrors(filerIsReporter: selfReported, name: name, phone: phone).forEach { errors.add($0) }
        try errors.throwIfAny()

        let settings = try await RequestSettings.load(district: place.districtId, on: tx)
        let received = input.receivedAt ?? ctx.now
        let deadlines = settings.deadlines.deadlines(input.urgency, receivedAt: received)
        let day = Timestamp.today(received)
        let number = RequestNumber.make(day: day, sequence: try await nextSequence(day: day.description, now: ctx.now, on: tx))
        let handler = try await defaultHandler(place, day: day, on: tx)
        let id = UUID()
        var row = RequestRow(id: id, number: number, channel: input.channel, category: input.category, urgency: input.urgency, description: input.description,
                             districtId: place.districtId, streetId: place.streetId, communityId: place.communityId, compoundId: place.compoundId,
                             buildingId: input.buildingId, roomId: input.roomId, reporterUserId: selfReported ? ctx.actor.id : nil,
                             reporterName: selfReported ? name ?? ctx.actor.label : name, reporterPhone: phone, status: .dispatched,
                             receivedAt: received, month: String(day.description.prefix(7)), respondBy: deadlines.respondBy, resolveBy: deadlines.resolveBy,
                             dispatchedAt: ctx.now, respondedInTime: 0, reopenCount: 0, hotlineOrderNo: input.hotlineOrderNo, receptionId: input.receptionId,
                             latitude: input.latitude, longitude: input.longitude, version: 1, createdAt: ctx.now, updatedAt: ctx.now)
        row.setHandler(handler.kind, handler.id)
        try await RequestRow.insert([row], on: tx.sql())
        try await event(tx, ctx, request: id, sequence: 1, .receive, from: nil, to: .received, note: input.channel.rawValue, at: received)
        try await event(tx, ctx, request: id, sequence: 2, .dispatch, from: .received, to: .dispatched, note: "\(handler.kind.rawValue):\(handler.name)", at: ctx.now)
        try await audit.record(ctx, action: "create", entity: "requests", entityId: id, districtId: place.districtId, before: nil,
                               after: .object(["number": .string(number), "channel": .string(input.channel.rawValue), "category": .string(input.category.rawValue),
                                               "compoundId": .string(input.compoundId.uuidString.lowercased()), "handler": .string("\(handler.kind.rawValue):\(handler.id.uuidString.lowercased())")]),
                               on: tx)
        return id
    }

    /// The day's next number: one row per day, incremented in the filing transaction.
    func nextSequence(day: String, now: Date, on tx: any Database) async throws -> Int {
        try await DaySequence.next(day, now: now, on: tx)
    }

    /// The compound's handler on `day` (`Dispatch.handler`), from its contracts and community.
    func defaultHandler(_ place: CompoundPlace, day: CivilDate, on db: any Database) async throws -> (kind: HandlerKind, id: UUID, name: String) {
        let contracts = try await db.sql().raw("""
            SELECT k.company_id, c.name, k.starts_on, k.ends_on FROM contracts k JOIN companies c ON c.id = k.company_id
            WHERE k.compound_id = \(bind: place.compoundId)
            """).all().compactMap { row -> Dispatch.Contract? in
            guard let starts = CivilDate(try row.decode(column: "starts_on", as: String.self)) else { return nil }
            return Dispatch.Contract(companyId: try row.decode(column: "company_id", as: UUID.self), companyName: try row.decode(column: "name", as: String.self),
                                     startsOn: starts, endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap { CivilDate($0) })
        }
        let name = try await db.sql().raw("SELECT name FROM communities WHERE id = \(bind: place.communityId)").first()?.decode(column: "name", as: String.self) ?? ""
        return Dispatch.handler(contracts: contracts, community: (place.communityId, name), on: day)
    }

    func event(_ tx: any Database, _ ctx: AccessContext, request: UUID, sequence: Int64, _ kind: RequestEventKind, from: RequestStatus?, to: RequestStatus,
               note: String?, at: Date) async throws {
        try await tx.sql().insert(into: "request_events").columns("id", "request_id", "sequence", "event", "from_status", "to_status", "actor_kind", "actor_label",
                                                                  "at", "note", "data", "created_at", "updated_at")
            .values([Bind.uuid(UUID()), Bind.uuid(request), Bind.int(sequence), Bind.text(kind.rawValue), Bind.text(from?.rawValue), Bind.text(to.rawValue),
                     Bind.text(ctx.actor.kind.rawValue), Bind.text(ctx.actor.label), Bind.date(at), Bind.text(note), SQLLiteral.null, Bind.date(ctx.now), Bind.date(ctx.now)]).run()
    }

    // MARK: - Reading

    func load(_ id: UUID, on db: any Database, lock: Bool = false) async throws -> RequestRecord {
        let forUpdate: SQLQueryString = lock && database.isPostgres ? " FOR UPDATE OF r" : ""
        guard let row = try await db.sql().raw("\(unsafeRaw: RequestRecord.select) WHERE r.id = \(bind: id)" + forUpdate).first() else {
            throw DomainError.notFound(entity: "requests", id: id.uuidString.lowercased())
        }
        return try RequestRecord(row: row)
    }

    /// How the actor stands towards the request (departments summoned to its whistle case included).
    func standing(_ ctx: AccessContext, _ r: RequestRecord, on db: any Database) async throws -> RequestStanding {
        var place = r.place
        if ctx.actor.kind == .user, let me = ctx.actor.id,
           try await db.sql().raw("SELECT 1 AS x FROM request_followers WHERE request_id = \(bind: r.id) AND user_id = \(bind: me)").first() != nil {
            place.followers = [me]
        }
        if ctx.actor.has(.departmentLiaison), r.whistleCaseId != nil {
            let rows = try await db.sql().raw("""
                SELECT wp.department_id FROM whistle_parties wp JOIN whistle_cases wc ON wc.id = wp.case_id
                WHERE wc.request_id = \(bind: r.id) AND wp.department_id IS NOT NULL
                """).all()
            place.summonedDepartments = Set(try rows.map { try $0.decode(column: "department_id", as: UUID.self) })
        }
        return RequestRules.standing(ctx.actor, place)
    }

    /// A request the actor may see, with its standing; 404 otherwise.
    func get(_ ctx: AccessContext, _ id: UUID) async throws -> (RequestRecord, RequestStanding) {
        let r = try await load(id, on: database.db)
        let s = try await standing(ctx, r, on: database.db)
        guard s.sees else { throw DomainError.notFound(entity: "requests", id: id.uuidString.lowercased()) }
        return (r, s)
    }

    func timeline(_ id: UUID) async throws -> [TimelineEntry] {
        try await database.db.sql().raw("SELECT * FROM request_events WHERE request_id = \(bind: id) ORDER BY sequence").all().map { try TimelineEntry(row: $0) }
    }

    /// The request's photos, oldest first, with what each shows.
    func photos(_ id: UUID) async throws -> [(id: UUID, stage: PhotoStage)] {
        try await database.db.sql().raw("SELECT id, stage FROM request_photos WHERE request_id = \(bind: id) ORDER BY created_at, id").all()
            .map { (try $0.decode(column: "id", as: UUID.self), PhotoStage(rawValue: try $0.decode(column: "stage", as: String?.self) ?? "") ?? .report) }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
