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
    /// How many requests overdue since the last sweep an overdue list takes by id; past it (sweeps
    /// failing for a while) it reads them from the unswept indexes in its query. Tests lower it.
    var sinceSweepLimit = 2_000

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

    /// A request checked and dispatched, waiting only for its number: everything else is decided
    /// from reads before the write, so the write is a handful of multi-row statements.
    struct Filing: Sendable {
        let ctx: AccessContext
        var row: RequestRow
        /// The Beijing day whose sequence numbers it.
        let day: CivilDate
        let handlerName: String
        let compoundName: String
    }

    /// The group commit writing filings (`write`), one per database.
    private var filings: GroupCommit<Filing, RequestRecord> {
        database.groupCommit("request-filings") {
            GroupCommit(write: Self.write, direct: { filings, database in try await Self.writing(filings).inOneVisit(on: database) })
        }
    }

    /// Files a request and dispatches it at once: to the company whose contract covers the compound
    /// on the day of receipt, else to the community. Runs on `tx` when given (imports file many in one).
    func create(_ ctx: AccessContext, _ input: NewRequest, on given: (any Database)? = nil) async throws -> UUID {
        // In the caller's transaction, the caller counts what it filed once that commits.
        if let tx = given { return try await Self.write([try await prepare(ctx, input, on: tx)], on: tx)[0].id }
        return try await file(ctx, input).id
    }

    /// Files a request outside any other transaction and answers it as written. The checks read
    /// beside the writer (`AppDatabase.reads`); the write joins the filings of the moment in one
    /// transaction (`GroupCommit`).
    func file(_ ctx: AccessContext, _ input: NewRequest) async throws -> RequestRecord {
        let filing = try await prepare(ctx, input, on: database.reads)
        let record = try await filings.submit(filing, on: database)
        AppMetrics.filed(channel: input.channel.rawValue, count: 1)
        return record
    }

    /// Checks a filing and decides everything about it but its number: 422 with every field's
    /// problem, or the row to write.
    private func prepare(_ ctx: AccessContext, _ input: NewRequest, on db: any Database) async throws -> Filing {
        var errors = FieldErrors()
        // A compound the filer cannot see is answered as one that does not exist.
        guard let facts = try await filingFacts(ctx, compound: input.compoundId, on: db), ctx.actor.isSystem || facts.reach.contains(where: \.sees) else {
            throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound has id \(input.compoundId.uuidString.lowercased())")])
        }
        if let b = input.buildingId, try await db.sql().raw("SELECT id FROM buildings WHERE id = \(bind: b) AND compound_id = \(bind: input.compoundId)").first() == nil {
            errors.add("buildingId", "unknown_reference", "no building of this compound has id \(b.uuidString.lowercased())")
        }
        if let r = input.roomId, try await db.sql().raw("""
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

        let place = facts.place
        let received = input.receivedAt ?? ctx.now
        let deadlines = facts.settings.deadlines.deadlines(input.urgency, receivedAt: received)
        let day = Timestamp.today(received)
        let handler = Dispatch.handler(contracts: facts.contracts, community: (place.communityId, facts.communityName), on: day)
        var row = RequestRow(id: UUID.timeOrdered(), number: "", channel: input.channel, category: input.category, urgency: input.urgency, description: input.description,
                             districtId: place.districtId, streetId: place.streetId, communityId: place.communityId, compoundId: place.compoundId,
                             buildingId: input.buildingId, roomId: input.roomId, reporterUserId: selfReported ? ctx.actor.id : nil,
                             reporterName: selfReported ? name ?? ctx.actor.label : name, reporterPhone: phone, status: .dispatched,
                             receivedAt: received, month: String(day.description.prefix(7)), respondBy: deadlines.respondBy, resolveBy: deadlines.resolveBy,
                             dispatchedAt: ctx.now, respondedInTime: 0, reopenCount: 0, hotlineOrderNo: input.hotlineOrderNo, receptionId: input.receptionId,
                             latitude: input.latitude, longitude: input.longitude, version: 1, createdAt: ctx.now, updatedAt: ctx.now)
        row.setHandler(handler.kind, handler.id)
        return Filing(ctx: ctx, row: row, day: day, handlerName: handler.name, compoundName: facts.compoundName)
    }

    /// Writes prepared filings in one transaction (`writing`).
    static func write(_ filings: [Filing], on tx: any Database) async throws -> [RequestRecord] {
        try await writing(filings).run(on: tx)
    }

    /// What filings write, in one transaction: the days' numbers (one bump a day), then the rows,
    /// their received and dispatched timeline entries and their audit entries, a statement each.
    static func writing(_ filings: [Filing]) -> NumberedInserts<RequestRecord> {
        let days = Set(filings.map(\.day.description)).sorted()
        let members = days.map { day in filings.indices.filter { filings[$0].day.description == day } }
        let takes = zip(days, members).map { day, indices in NumberedInserts<RequestRecord>.Take(key: day, count: indices.count, now: filings[indices[0]].ctx.now) }
        return NumberedInserts(takes: takes) { lasts in
            var rows = filings.map(\.row)
            for (indices, last) in zip(members, lasts) {
                for (k, i) in indices.enumerated() { rows[i].number = RequestNumber.make(day: filings[i].day, sequence: last - indices.count + 1 + k) }
            }
            var events: [TimelineWrite] = []
            for (f, row) in zip(filings, rows) {
                events.append(TimelineWrite(ctx: f.ctx, request: row.id, sequence: 1, kind: .receive, from: nil, to: .received, note: row.channel.rawValue, at: row.receivedAt))
                events.append(TimelineWrite(ctx: f.ctx, request: row.id, sequence: 2, kind: .dispatch, from: .received, to: .dispatched,
                                            note: "\(row.handlerKind?.rawValue ?? ""):\(f.handlerName)", at: f.ctx.now))
            }
            let audit = AuditLog.rows(zip(filings, rows).map { f, row in
                AuditLog.Entry(ctx: f.ctx, action: "create", entity: "requests", entityId: row.id, districtId: row.districtId, before: nil,
                               after: .object(["number": .string(row.number), "channel": .string(row.channel.rawValue), "category": .string(row.category.rawValue),
                                               "compoundId": .string(row.compoundId.uuidString.lowercased()),
                                               "handler": .string("\(row.handlerKind?.rawValue ?? ""):\(row.handlerId?.uuidString.lowercased() ?? "")")]))
            })
            let tables = [TableRows(table: "requests", columns: RequestRow.columns, rows: rows.map(\.binds)), Self.eventRows(events), audit]
            return (tables, zip(filings, rows).map { f, row in RequestRecord(row: row, compoundName: f.compoundName, handlerName: f.handlerName) })
        }
    }

    /// The day's next number: one row per day, incremented in the filing transaction.
    func nextSequence(day: String, now: Date, on tx: any Database) async throws -> Int {
        try await DaySequence.next(day, now: now, on: tx)
    }

    /// What filing needs to know of a compound, in one read: how the filer's grants reach it,
    /// where it sits, its district's deadlines, and its contracts with the companies' names (for
    /// `Dispatch.handler`).
    struct FilingFacts: Sendable {
        let reach: [GrantReach]
        let place: CompoundPlace
        let compoundName: String, communityName: String
        let settings: RequestSettings
        let contracts: [Dispatch.Contract]
    }

    /// The facts of the compound for this filer: remembered for a few seconds (`FilingFactsCache`),
    /// else read in one statement.
    func filingFacts(_ ctx: AccessContext, compound id: UUID, on db: any Database) async throws -> FilingFacts? {
        let cache = database.kept("filing-facts") { FilingFactsCache() }
        let key = FilingFactsCache.Key(ctx, compound: id)
        if let known = cache.facts(key, now: ctx.now) { return known }
        let changes = cache.currentChanges
        guard let facts = try await readFilingFacts(ctx, compound: id, on: db) else { return nil }
        // What a transaction reads may yet be rolled back: only committed facts are remembered.
        if !db.inTransaction { cache.remember(key, facts, changes: changes, now: ctx.now) }
        return facts
    }

    private func readFilingFacts(_ ctx: AccessContext, compound id: UUID, on db: any Database) async throws -> FilingFacts? {
        let spec = store.catalog["compounds"]!
        let chain = store.access.chain(spec)
        guard let m = chain.alias("communities"), let s = chain.alias("streets") else { preconditionFailure("a compound's chain reaches its street") }
        let query: SQLQueryString = "SELECT " + store.access.reachColumns(ctx, spec) + """
            , t0.name, t0.community_id, \(unsafeRaw: m).name AS community_name, \(unsafeRaw: m).street_id, \(unsafeRaw: s).district_id,
              rs.respond_within, rs.resolve_within, rs.weights, rs.scores, k.company_id, c.name AS company_name, k.starts_on, k.ends_on
            FROM \(unsafeRaw: chain.from) LEFT JOIN request_settings rs ON rs.district_id = \(unsafeRaw: s).district_id
            LEFT JOIN contracts k ON k.compound_id = t0.id LEFT JOIN companies c ON c.id = k.company_id
            WHERE t0.id = \(bind: id)
            """
        // The database's own rows (on PostgreSQL a named statement: planning this chain of joins
        // took twenty times as long as running it, on every filing).
        let rows = try await RowSource.all(query, on: db)
        guard let first = rows.first else { return nil }
        let place = CompoundPlace(compoundId: id, communityId: try first.decode(column: "community_id", as: UUID.self),
                                  streetId: try first.decode(column: "street_id", as: UUID.self), districtId: try first.decode(column: "district_id", as: UUID.self))
        let contracts = try rows.compactMap { row -> Dispatch.Contract? in
            guard let company = try row.decode(column: "company_id", as: UUID?.self),
                  let starts = CivilDate(try row.decode(column: "starts_on", as: String.self)) else { return nil }
            return Dispatch.Contract(companyId: company, companyName: try row.decode(column: "company_name", as: String.self),
                                     startsOn: starts, endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap { CivilDate($0) })
        }
        return FilingFacts(reach: try store.access.reach(ctx, row: first), place: place, compoundName: try first.decode(column: "name", as: String.self),
                           communityName: try first.decode(column: "community_name", as: String.self), settings: try RequestSettings(row: first), contracts: contracts)
    }

    /// One timeline entry to write.
    struct TimelineWrite: Sendable {
        let ctx: AccessContext
        let request: UUID, sequence: Int64, kind: RequestEventKind, from: RequestStatus?, to: RequestStatus, note: String?, at: Date
    }

    func event(_ tx: any Database, _ ctx: AccessContext, request: UUID, sequence: Int64, _ kind: RequestEventKind, from: RequestStatus?, to: RequestStatus,
               note: String?, at: Date) async throws {
        try await Self.events([TimelineWrite(ctx: ctx, request: request, sequence: sequence, kind: kind, from: from, to: to, note: note, at: at)], on: tx)
    }

    static func events(_ entries: [TimelineWrite], on tx: any Database) async throws {
        try await BulkWriter(db: tx).insert(eventRows(entries))
    }

    /// Timeline entries' rows.
    static func eventRows(_ entries: [TimelineWrite]) -> TableRows {
        TableRows(table: "request_events", columns: ["id", "request_id", "sequence", "event", "from_status", "to_status", "actor_kind", "actor_label",
                                                     "at", "note", "data", "created_at", "updated_at"], rows: entries.map { e in
            [Bind.uuid(UUID.timeOrdered()), Bind.uuid(e.request), Bind.int(e.sequence), Bind.text(e.kind.rawValue), Bind.text(e.from?.rawValue), Bind.text(e.to.rawValue),
             Bind.text(e.ctx.actor.kind.rawValue), Bind.text(e.ctx.actor.label), Bind.date(e.at), Bind.text(e.note), SQLLiteral.null, Bind.date(e.ctx.now), Bind.date(e.ctx.now)]
        })
    }

    // MARK: - Reading

    func load(_ id: UUID, on db: any Database, lock: Bool = false) async throws -> RequestRecord {
        let forUpdate: SQLQueryString = lock && database.isPostgres ? " FOR UPDATE OF r" : ""
        guard let row = try await RowSource.all("\(unsafeRaw: RequestRecord.select) WHERE r.id = \(bind: id)" + forUpdate, on: db).first else {
            throw DomainError.notFound(entity: "requests", id: id.uuidString.lowercased())
        }
        return try RequestRecord(source: row)
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
