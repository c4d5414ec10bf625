import Domain
import FluentKit
import Foundation
import SQLKit

/// Notices (公示/通知) per compound, building or entrance: posted by the community, the committee
/// or the company for a validity period, with attachments; owners and residents they reach read
/// them on their start page, and each first reading is recorded with the reader's building.
/// Notices the law or practice requires are posted by the platform itself (`postSystem`) and are
/// never changed. Who may do what is `NoticeRules`; every write is audited.
struct NoticeService: Sendable {
    let database: AppDatabase
    let audit = AuditLog()
    var db: any Database { database.db }

    struct NewNotice: Sendable {
        var compoundId: UUID
        var buildingId: UUID?
        var entranceId: UUID?
        var author: NoticeAuthor?
        var title: String
        var body: String
        var validFrom: CivilDate
        var validUntil: CivilDate
    }

    struct Change: Sendable {
        var title: String?
        var body: String?
        var validUntil: CivilDate?
    }

    // MARK: - Where

    /// The compound's place and the company serving it today; unknown compounds are a field error.
    static func place(_ compound: UUID, today: String, field: String = "compoundId", on db: any Database) async throws -> NoticePlace {
        guard let row = try await db.sql().raw("""
            SELECT p.community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id
            JOIN streets st ON st.id = cm.street_id WHERE p.id = \(bind: compound)
            """).first() else {
            throw DomainError.invalid([FieldError(field: field, code: "unknown_reference", message: "no compound has id \(compound.text)")])
        }
        return NoticePlace(districtId: try row.decode(column: "district_id", as: UUID.self), streetId: try row.decode(column: "street_id", as: UUID.self),
                           communityId: try row.decode(column: "community_id", as: UUID.self), compoundId: compound,
                           servingCompany: try await ServingCompany.of(compound, today: today, on: db))
    }

    // MARK: - Posting

    func post(_ ctx: AccessContext, _ input: NewNotice) async throws -> UUID {
        try await db.transaction { tx in
            let place = try await Self.place(input.compoundId, today: ctx.today, on: tx)
            var errors = FieldErrors()
            let author = try Self.author(ctx, place, requested: input.author, errors: &errors)
            try checkText(title: input.title, body: input.body, errors: &errors)
            for e in NoticeRules.periodErrors(from: input.validFrom, until: input.validUntil) { errors.add(e.field, e.code, e.message) }
            if let b = input.buildingId, try await tx.sql().raw("SELECT id FROM buildings WHERE id = \(bind: b) AND compound_id = \(bind: input.compoundId)").first() == nil {
                errors.add("buildingId", "unknown_reference", "a building of the compound")
            }
            if let e = input.entranceId {
                if input.buildingId == nil { errors.add("entranceId", "needs_building", "an entrance is named with its building") }
                else if try await tx.sql().raw("SELECT id FROM entrances WHERE id = \(bind: e) AND building_id = \(bind: input.buildingId)").first() == nil {
                    errors.add("entranceId", "unknown_reference", "an entrance of the building")
                }
            }
            try errors.throwIfAny()
            let id = try await Self.insert(tx, place: place, building: input.buildingId, entrance: input.entranceId, author: author,
                                      company: author == .company ? place.servingCompany : nil, title: input.title, body: input.body,
                                      from: input.validFrom, until: input.validUntil, kind: nil, ref: nil, by: ctx.actor.label, now: ctx.now)
            try await audit.record(ctx, action: "post", entity: "notices", entityId: id, districtId: place.districtId, before: nil,
                                   after: .object(["title": .string(input.title), "author": .string(author.rawValue), "validFrom": .string(input.validFrom.description),
                                                   "validUntil": .string(input.validUntil.description)]), on: tx)
            return id
        }
    }

    /// As whom the caller posts (or asks) in the place: the one asked for, else the first they may.
    /// Someone of the district who may not is refused (403); anyone else does not see it (404); a
    /// role they do not hold is a field error on `author`.
    static func author(_ ctx: AccessContext, _ place: NoticePlace, requested: NoticeAuthor?, errors: inout FieldErrors) throws -> NoticeAuthor {
        let may = NoticeRules.authorships(ctx.actor, place).filter { $0 != .system }
        guard let author = requested ?? may.first else {
            if ctx.actor.grants.contains(where: { $0.districtId == place.districtId }) {
                throw DomainError.forbidden(reason: "the community, the compound's committee and its company post and ask there")
            }
            throw DomainError.notFound(entity: "compounds", id: place.compoundId.text)
        }
        if !may.contains(author) { errors.add("author", "not_yours", "you act here as: " + may.map(\.rawValue).joined(separator: ", ")) }
        return author
    }

    func checkText(title: String?, body: String?, errors: inout FieldErrors) throws {
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty || title.count > 200 { errors.add("title", "required", "a title of at most 200 characters") }
        if let body, body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || body.count > 20_000 { errors.add("body", "required", "the text, at most 20,000 characters") }
    }

    static func insert(_ tx: any Database, place: NoticePlace, building: UUID?, entrance: UUID?, author: NoticeAuthor, company: UUID?, title: String, body: String,
                from: CivilDate, until: CivilDate, kind: SystemNoticeKind?, ref: UUID?, by: String, now: Date) async throws -> UUID {
        let id = UUID.random(), stamp = Bind.date(now)
        let number = try await DaySequence.number("GS", now: now, on: tx)
        try await tx.sql().insert(into: "notices").columns("id", "number", "district_id", "street_id", "community_id", "compound_id", "building_id", "entrance_id",
                                                           "author", "company_id", "title", "body", "valid_from", "valid_until", "system_kind", "ref_id",
                                                           "created_by", "withdrawn_at", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.text(number), Bind.uuid(place.districtId), Bind.uuid(place.streetId), Bind.uuid(place.communityId), Bind.uuid(place.compoundId),
                     Bind.uuid(building), Bind.uuid(entrance), Bind.text(author.rawValue), Bind.uuid(company), Bind.text(title.trimmingCharacters(in: .whitespaces)),
                     Bind.text(body), Bind.text(from.description), Bind.text(until.description), kind.map { Bind.text($0.rawValue) } ?? SQLLiteral.null,
                     Bind.uuid(ref), Bind.text(by), SQLLiteral.null, stamp, stamp]).run()
        return id
    }

    /// Posts a notice the law or practice requires, inside the transaction of the change it
    /// announces, for `NoticeRules.days(kind)` from today. Nobody can change or withdraw it.
    static func postSystem(_ ctx: AccessContext, _ kind: SystemNoticeKind, compound: UUID, title: String, body: String, ref: UUID?, on tx: any Database) async throws {
        let place = try await Self.place(compound, today: ctx.today, on: tx)
        let today = Timestamp.today(ctx.now)
        let id = try await insert(tx, place: place, building: nil, entrance: nil, author: .system, company: nil, title: title, body: body,
                                          from: today, until: NoticeRules.until(kind, postedOn: today), kind: kind, ref: ref, by: ctx.actor.label, now: ctx.now)
        try await AuditLog().record(ctx, action: "post-system", entity: "notices", entityId: id, districtId: place.districtId, before: nil,
                                       after: .object(["kind": .string(kind.rawValue), "title": .string(title)]), on: tx)
    }

    // MARK: - Changing

    func change(_ ctx: AccessContext, _ id: UUID, _ change: Change) async throws -> UUID {
        try await db.transaction { tx in
            let n = try await editable(ctx, id, on: tx)
            var errors = FieldErrors()
            try checkText(title: change.title, body: change.body, errors: &errors)
            if let until = change.validUntil { for e in NoticeRules.periodErrors(from: n.validFrom, until: until) { errors.add(e.field, e.code, e.message) } }
            try errors.throwIfAny()
            try await tx.sql().raw("""
                UPDATE notices SET title = \(bind: change.title ?? n.title), body = \(bind: change.body ?? n.body),
                valid_until = \(bind: (change.validUntil ?? n.validUntil).description), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "change", entity: "notices", entityId: id, districtId: n.districtId,
                                   before: .object(["title": .string(n.title), "validUntil": .string(n.validUntil.description)]),
                                   after: .object(["title": .string(change.title ?? n.title), "validUntil": .string((change.validUntil ?? n.validUntil).description)]), on: tx)
            return id
        }
    }

    func withdraw(_ ctx: AccessContext, _ id: UUID) async throws -> UUID {
        try await db.transaction { tx in
            let n = try await editable(ctx, id, on: tx)
            guard n.withdrawnAt == nil else { throw DomainError.conflict(code: "withdrawn", message: "the notice is already withdrawn") }
            try await tx.sql().raw("UPDATE notices SET withdrawn_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "withdraw", entity: "notices", entityId: id, districtId: n.districtId, before: nil, after: nil, on: tx)
            return id
        }
    }

    /// The notice, if the caller may change it: a system notice is a conflict, someone else's forbidden.
    func editable(_ ctx: AccessContext, _ id: UUID, on tx: any Database) async throws -> NoticeRecord {
        let n = try await visible(ctx, id, on: tx)
        guard NoticeRules.isEditable(n.author) else {
            throw DomainError.conflict(code: "system_notice", message: "a notice the platform posts as the law requires cannot be changed or withdrawn")
        }
        var place = n.place
        place.servingCompany = try await ServingCompany.of(n.compoundId, today: ctx.today, on: tx)
        guard NoticeRules.mayEdit(ctx.actor, author: n.author, place) else { throw DomainError.forbidden(reason: "only its author changes a notice") }
        return n
    }

    // MARK: - Reading

    /// Records the caller's first reading when the notice is up and reaches a room they hold;
    /// returns when they read it (nil for everyone else, whose views are not receipts).
    func markRead(_ ctx: AccessContext, _ id: UUID) async throws -> Date? {
        let n = try await visible(ctx, id, on: db)
        guard let me = ctx.actor.id, n.isCurrent(today: ctx.todayDate), let held = PersonalScope.heldRooms(ctx.actor) else { return nil }
        let rooms = try await db.sql().raw("""
            SELECT e.id AS entrance_id, b.id AS building_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE b.compound_id = \(bind: n.compoundId) AND
            """ + " " + held + " ORDER BY b.number, e.number").all()
        let reached = try rooms.first { r in
            NoticeRules.reaches(building: n.buildingId, entrance: n.entranceId, roomBuilding: try r.decode(column: "building_id", as: UUID.self),
                                roomEntrance: try r.decode(column: "entrance_id", as: UUID.self))
        }
        guard let reached else { return nil }
        try await db.sql().raw("""
            INSERT INTO notice_reads (id, notice_id, user_id, building_id, created_at, updated_at)
            VALUES (\(bind: UUID.random()), \(bind: id), \(bind: me), \(bind: try reached.decode(column: "building_id", as: UUID.self)), \(bind: ctx.now), \(bind: ctx.now))
            ON CONFLICT (notice_id, user_id) DO NOTHING
            """).run()
        return try await db.sql().raw("SELECT created_at FROM notice_reads WHERE notice_id = \(bind: id) AND user_id = \(bind: me)").first()?
            .decode(column: "created_at", as: Date.self)
    }

    /// Readers per building of the compound (or of the building it is posted in), with its rooms.
    func reads(_ ctx: AccessContext, _ id: UUID) async throws -> [NoticeReadCount] {
        let v = try await get(ctx, id)
        guard v.seesReads else { throw DomainError.forbidden(reason: "its authors and the staff over it see who read a notice") }
        let n = v.record
        let buildingFilter: SQLQueryString = n.buildingId.map { " AND b.id = \(bind: $0)" } ?? ""
        return try await db.sql().raw("""
            SELECT b.id, b.number, (SELECT COUNT(*) FROM entrances e JOIN rooms r ON r.entrance_id = e.id WHERE e.building_id = b.id) AS rooms,
            (SELECT COUNT(*) FROM notice_reads x WHERE x.notice_id = \(bind: id) AND x.building_id = b.id) AS readers
            FROM buildings b WHERE b.compound_id = \(bind: n.compoundId)
            """ + buildingFilter + " ORDER BY b.number").all().map { r in
            NoticeReadCount(buildingId: try r.decode(column: "id", as: UUID.self), building: try r.decode(column: "number", as: String.self),
                            rooms: try r.decode(column: "rooms", as: Int64.self), readers: try r.decode(column: "readers", as: Int64.self))
        }
    }

    func visible(_ ctx: AccessContext, _ id: UUID, on db: any Database) async throws -> NoticeRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: NoticeRecord.select)" + " WHERE n.id = \(bind: id) AND " + Self.visible(ctx.actor, today: ctx.today)).first() else {
            throw DomainError.notFound(entity: "notices", id: id.text)
        }
        return try NoticeRecord(row: row)
    }

    func get(_ ctx: AccessContext, _ id: UUID) async throws -> NoticeView {
        let n = try await visible(ctx, id, on: db)
        var place = n.place
        place.servingCompany = try await ServingCompany.of(n.compoundId, today: ctx.today, on: db)
        let authors = NoticeRules.authorships(ctx.actor, place)
        let attachments = try await db.sql().raw("SELECT * FROM notice_attachments WHERE notice_id = \(bind: id) ORDER BY created_at").all().map { r in
            NoticeAttachment(id: try r.decode(column: "id", as: UUID.self), name: try r.decode(column: "name", as: String.self),
                             contentType: try r.decode(column: "content_type", as: String.self), size: try r.decode(column: "size", as: Int64.self),
                             storedName: try r.decode(column: "stored_name", as: String.self))
        }
        let readers = try await db.sql().raw("SELECT COUNT(*) AS n FROM notice_reads WHERE notice_id = \(bind: id)").first()?.decode(column: "n", as: Int64.self) ?? 0
        let readAt = try await ctx.actor.id.asyncMap { me in
            try await db.sql().raw("SELECT created_at FROM notice_reads WHERE notice_id = \(bind: id) AND user_id = \(bind: me)").first()?.decode(column: "created_at", as: Date.self)
        } ?? nil
        return NoticeView(record: n, attachments: attachments, readers: readers, editable: NoticeRules.mayEdit(ctx.actor, author: n.author, place),
                          seesReads: authors.contains(.community) || authors.contains(n.author) || ctx.actor.isSystem, readAt: readAt)
    }

    /// Notices the caller sees, newest first: staff, committees and companies all of their
    /// compounds' (with `current`, only those up today); owners and residents those up today that
    /// reach their rooms. `unread` marks, for owners and residents, the ones they have not opened.
    func list(_ ctx: AccessContext, compound: UUID? = nil, current: Bool = false, limit: Int = 300) async throws -> [(record: NoticeRecord, read: Bool)] {
        var filter = Self.visible(ctx.actor, today: ctx.today)
        if let compound { filter = filter + " AND n.compound_id = \(bind: compound)" }
        if current { filter = filter + " AND n.withdrawn_at IS NULL AND n.valid_from <= \(bind: ctx.today) AND n.valid_until >= \(bind: ctx.today)" }
        let me = ctx.actor.id ?? UUID.random()
        return try await db.sql().raw("\(unsafeRaw: NoticeRecord.select)" + " WHERE " + filter + " ORDER BY n.valid_from DESC, n.created_at DESC LIMIT \(bind: limit)").all().map { r in
            let record = try NoticeRecord(row: r)
            return (record, false)
        }.asyncMapReads(me: me, on: db)
    }

    /// Which notices a caller sees, as SQL over `notices n`.
    static func visible(_ actor: Actor, today: String) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        let up: SQLQueryString = "n.withdrawn_at IS NULL AND n.valid_from <= \(bind: today) AND n.valid_until >= \(bind: today)"
        func reaching(_ join: SQLQueryString) -> SQLQueryString {
            "(" + up + " AND EXISTS (SELECT 1 FROM buildings b JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id " + join
                + " AND b.compound_id = n.compound_id AND (n.building_id IS NULL OR n.building_id = b.id) AND (n.entrance_id IS NULL OR n.entrance_id = e.id)))"
        }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("n.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("n.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("n.community_id = \(bind: g.scopeId)")
            case .committeeMember: parts.append("n.compound_id = \(bind: g.scopeId)")
            case .companyStaff:
                parts.append("""
                    (n.company_id = \(bind: g.scopeId) OR n.compound_id IN (SELECT k.compound_id FROM contracts k WHERE k.company_id = \(bind: g.scopeId)
                    AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today))))
                    """)
            case .owner: parts.append(reaching("JOIN ownerships o ON o.room_id = r.id WHERE o.owner_id = \(bind: g.scopeId)"))
            case .resident: parts.append(reaching("JOIN residents rs ON rs.room_id = r.id WHERE rs.id = \(bind: g.scopeId)"))
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}

extension Array where Element == (record: NoticeRecord, read: Bool) {
    /// Marks the notices `me` has read, in one query.
    fileprivate func asyncMapReads(me: UUID, on db: any Database) async throws -> Self {
        guard !isEmpty else { return self }
        let read = Set(try await db.sql().raw("SELECT notice_id FROM notice_reads WHERE user_id = \(bind: me) AND notice_id IN " + SQLIDs.list(Set(map(\.record.id)))).all()
            .map { try $0.decode(column: "notice_id", as: UUID.self) })
        return map { ($0.record, read.contains($0.record.id)) }
    }
}
