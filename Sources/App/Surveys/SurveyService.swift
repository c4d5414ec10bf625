import Domain
import FluentKit
import Foundation
import SQLKit

/// Surveys (征求意见): the community, the committee or the company asks a compound (or some of its
/// buildings), owners only or everyone living there, single-choice, multiple-choice and free-text
/// questions until a set time. One response per person; owners' answers carry the area of the
/// rooms they own that it reaches, each room counted once (for the first of its owners who
/// answers), so results show both ways. The rules are `SurveyRules`; every write is audited.
struct SurveyService: Sendable {
    let database: AppDatabase
    let audit = AuditLog()
    var db: any Database { database.db }

    struct NewSurvey: Sendable {
        var compoundId: UUID
        var buildingIds: [UUID]
        var author: NoticeAuthor?
        var title: String
        var intro: String
        var audience: SurveyAudience
        var weighted: Bool
        var closesAt: Date
        var questions: [SurveyQuestion]
    }

    // MARK: - Asking

    func create(_ ctx: AccessContext, _ input: NewSurvey) async throws -> UUID {
        try await db.transaction { tx in
            let place = try await NoticeService.place(input.compoundId, today: ctx.today, on: tx)
            var errors = FieldErrors()
            let author = try NoticeService.author(ctx, place, requested: input.author, errors: &errors)
            if input.title.trimmingCharacters(in: .whitespaces).isEmpty || input.title.count > 200 { errors.add("title", "required", "a title of at most 200 characters") }
            if input.intro.count > 5_000 { errors.add("intro", "too_long", "at most 5,000 characters") }
            for e in SurveyRules.questionErrors(input.questions) + SurveyRules.periodErrors(now: ctx.now, closesAt: input.closesAt) { errors.add(e.field, e.code, e.message) }
            let buildings = Set(input.buildingIds)
            if !buildings.isEmpty {
                let known = try await tx.sql().raw("SELECT COUNT(*) AS n FROM buildings WHERE compound_id = \(bind: input.compoundId) AND id IN " + SQLIDs.list(buildings))
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                if known != buildings.count { errors.add("buildingIds", "unknown_reference", "buildings of the compound") }
            }
            try errors.throwIfAny()
            let id = UUID.random(), now = Bind.date(ctx.now)
            let number = try await DaySequence.number("ZX", now: ctx.now, on: tx)
            try await tx.sql().insert(into: "surveys").columns("id", "number", "district_id", "street_id", "community_id", "compound_id", "author", "company_id",
                                                               "title", "intro", "audience", "weighted", "questions", "closes_at", "closed_at", "created_by",
                                                               "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(number), Bind.uuid(place.districtId), Bind.uuid(place.streetId), Bind.uuid(place.communityId),
                         Bind.uuid(place.compoundId), Bind.text(author.rawValue), Bind.uuid(author == .company ? place.servingCompany : nil),
                         Bind.text(input.title.trimmingCharacters(in: .whitespaces)), Bind.text(input.intro), Bind.text(input.audience.rawValue),
                         Bind.bool(input.weighted), Bind.text(SurveyJSON.encode(input.questions.map(StoredQuestion.init))), Bind.date(input.closesAt),
                         SQLLiteral.null, Bind.text(ctx.actor.label), now, now]).run()
            for b in buildings {
                try await tx.sql().insert(into: "survey_buildings").columns("id", "survey_id", "building_id", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(b), now, now]).run()
            }
            try await audit.record(ctx, action: "ask", entity: "surveys", entityId: id, districtId: place.districtId, before: nil,
                                   after: .object(["title": .string(input.title), "author": .string(author.rawValue), "audience": .string(input.audience.rawValue),
                                                   "questions": .int(Int64(input.questions.count)), "closesAt": .string(Timestamp.iso(input.closesAt))]), on: tx)
            return id
        }
    }

    func close(_ ctx: AccessContext, _ id: UUID) async throws -> UUID {
        try await db.transaction { tx in
            let s = try await visible(ctx, id, on: tx)
            guard try await runs(ctx, s, on: tx) else { throw DomainError.forbidden(reason: "those who ran the survey close it") }
            guard s.isOpen(now: ctx.now) else { throw DomainError.conflict(code: "survey_closed", message: "the survey is closed already") }
            try await tx.sql().raw("UPDATE surveys SET closed_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "close", entity: "surveys", entityId: id, districtId: s.districtId, before: nil, after: nil, on: tx)
            return id
        }
    }

    /// Whether the caller runs the survey: may post as its author in the compound, or is staff over it.
    func runs(_ ctx: AccessContext, _ s: SurveyRecord, on db: any Database) async throws -> Bool {
        var place = s.place
        place.servingCompany = try await ServingCompany.of(s.compoundId, today: ctx.today, on: db)
        let as_ = NoticeRules.authorships(ctx.actor, place)
        return as_.contains(s.author) || as_.contains(.community)
    }

    // MARK: - Answering

    /// Rooms the survey reaches, as SQL over `rooms r` joined to `entrances e` and `buildings b`.
    static func reached() -> SQLQueryString {
        "b.compound_id = s.compound_id AND (NOT EXISTS (SELECT 1 FROM survey_buildings sb WHERE sb.survey_id = s.id) "
            + "OR b.id IN (SELECT sb.building_id FROM survey_buildings sb WHERE sb.survey_id = s.id))"
    }

    /// The rooms the survey reaches of the people `grants` name: owned ones with their area,
    /// whether any is lived in, and whose answer it is (the first owner, else resident, it reaches).
    func rooms(of grants: [Grant], _ id: UUID, on db: any Database) async throws -> (owned: [(room: UUID, area: Int64)], livesIn: Bool, person: String?) {
        var owned: [(UUID, Int64)] = [], livesIn = false, person: String?, residentKey: String?
        for g in grants.sorted(by: { ($0.role == .owner ? 0 : 1, $0.scopeId.text) < ($1.role == .owner ? 0 : 1, $1.scopeId.text) })
        where g.role == .owner || g.role == .resident {
            let join: SQLQueryString = g.role == .owner ? "JOIN ownerships o ON o.room_id = r.id AND o.owner_id = \(bind: g.scopeId)"
                : "JOIN residents rs ON rs.room_id = r.id AND rs.id = \(bind: g.scopeId)"
            let rows = try await db.sql().raw("SELECT DISTINCT r.id, r.area FROM surveys s JOIN buildings b ON " + Self.reached()
                + " JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id " + join + " WHERE s.id = \(bind: id)").all()
            guard !rows.isEmpty else { continue }
            if g.role == .owner {
                owned += try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "area", as: Int64.self)) }
                person = person ?? Self.personKey(g)
            } else {
                livesIn = true
                residentKey = residentKey ?? Self.personKey(g)
            }
        }
        return (owned, livesIn, person ?? residentKey)
    }

    static func personKey(_ g: Grant) -> String { "\(g.role == .owner ? "owner" : "resident"):\(g.scopeId.text)" }

    /// Everyone the caller is as an owner or resident, as response keys.
    static func personKeys(_ actor: Actor) -> [String] {
        actor.grants.filter { $0.role == .owner || $0.role == .resident }.map(personKey)
    }

    /// Records the caller's one response. Returns when it was given and the area it carries.
    func respond(_ ctx: AccessContext, _ id: UUID, answers: [Int: SurveyAnswer]) async throws -> (at: Date, area: Int64) {
        try await db.transaction { tx in
            let s = try await visible(ctx, id, on: tx)
            guard let me = ctx.actor.id else { throw DomainError.forbidden(reason: "a person answers a survey, signed in as themselves") }
            let rooms = try await rooms(of: ctx.actor.grants, id, on: tx)
            guard let person = rooms.person, SurveyRules.mayAnswer(s.audience, ownsRoom: !rooms.owned.isEmpty, livesInRoom: rooms.livesIn) else {
                throw DomainError.forbidden(reason: s.audience == .owners ? "the survey asks owners of the rooms it reaches" : "the survey asks those who own or live in the rooms it reaches")
            }
            return try await record(ctx, s, person: person, user: me, channel: "online", owned: rooms.owned, answers: answers, on: tx)
        }
    }

    /// Enters a person's answers given on paper, by those who ran the survey: an owner's (or, for a
    /// residents' survey, a resident's) of the rooms it reaches, once, like an answer online.
    func paper(_ ctx: AccessContext, _ id: UUID, owner: UUID?, resident: UUID?, answers: [Int: SurveyAnswer]) async throws -> (at: Date, area: Int64) {
        try await db.transaction { tx in
            let s = try await visible(ctx, id, on: tx)
            guard try await runs(ctx, s, on: tx) else { throw DomainError.forbidden(reason: "those who ran the survey enter paper answers") }
            let grant = owner.map { Grant(role: .owner, scopeId: $0) } ?? resident.map { Grant(role: .resident, scopeId: $0) }
            guard let grant else { throw DomainError.invalid([FieldError(field: "ownerId", code: "required", message: "the owner or resident who answered")]) }
            let rooms = try await rooms(of: [grant], id, on: tx)
            guard let person = rooms.person, SurveyRules.mayAnswer(s.audience, ownsRoom: !rooms.owned.isEmpty, livesInRoom: rooms.livesIn) else {
                throw DomainError.invalid([FieldError(field: owner != nil ? "ownerId" : "residentId", code: "not_asked", message: "not someone the survey asks")])
            }
            return try await record(ctx, s, person: person, user: nil, channel: "paper", owned: rooms.owned, answers: answers, on: tx)
        }
    }

    private func record(_ ctx: AccessContext, _ s: SurveyRecord, person: String, user: UUID?, channel: String, owned: [(room: UUID, area: Int64)],
                        answers: [Int: SurveyAnswer], on tx: any Database) async throws -> (at: Date, area: Int64) {
        guard s.isOpen(now: ctx.now) else { throw DomainError.conflict(code: "survey_closed", message: "the survey no longer takes answers") }
        if try await tx.sql().raw("SELECT id FROM survey_responses WHERE survey_id = \(bind: s.id) AND person_key = \(bind: person)").first() != nil {
            throw DomainError.conflict(code: "answered", message: "this person has answered the survey; each person answers once")
        }
        var errors = FieldErrors()
        for e in SurveyRules.answerErrors(s.questions, answers) { errors.add(e.field, e.code, e.message) }
        try errors.throwIfAny()
        let response = UUID.random(), now = Bind.date(ctx.now)
        let stored = answers.keys.sorted().map { StoredAnswer(question: $0, choices: answers[$0]!.choices, text: answers[$0]!.text) }
        try await tx.sql().insert(into: "survey_responses").columns("id", "survey_id", "person_key", "user_id", "channel", "area", "answers", "entered_by",
                                                                    "created_at", "updated_at")
            .values([Bind.uuid(response), Bind.uuid(s.id), Bind.text(person), Bind.uuid(user), Bind.text(channel), Bind.int(0), Bind.text(SurveyJSON.encode(stored)),
                     Bind.text(ctx.actor.label), now, now]).run()
        // Each room's area counts once: a co-owner who answered first has it.
        for (room, area) in owned {
            try await tx.sql().raw("""
                INSERT INTO survey_rooms (id, survey_id, room_id, response_id, area, created_at, updated_at)
                VALUES (\(bind: UUID.random()), \(bind: s.id), \(bind: room), \(bind: response), \(bind: area), \(bind: ctx.now), \(bind: ctx.now))
                ON CONFLICT (survey_id, room_id) DO NOTHING
                """).run()
        }
        let area = try await tx.sql().raw("SELECT CAST(COALESCE(SUM(area), 0) AS BIGINT) AS a FROM survey_rooms WHERE response_id = \(bind: response)").first()?
            .decode(column: "a", as: Int64.self) ?? 0
        try await tx.sql().raw("UPDATE survey_responses SET area = \(bind: area) WHERE id = \(bind: response)").run()
        try await audit.record(ctx, action: channel == "paper" ? "paper-answer" : "answer", entity: "surveys", entityId: s.id, districtId: s.districtId, before: nil,
                               after: .object(["area": .int(area), "channel": .string(channel)]), on: tx)
        return (ctx.now, area)
    }

    // MARK: - Reading

    /// Those the survey asks who have not answered, with a room of theirs it reaches, for entering
    /// paper answers: `owner:<id>` / `resident:<id>` keys and "building room name" labels.
    func unanswered(_ s: SurveyRecord, limit: Int = 1_000) async throws -> [(key: String, label: String)] {
        let rooms: SQLQueryString = "FROM surveys s JOIN buildings b ON " + Self.reached() + " JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id "
        var parts: [SQLQueryString] = ["SELECT 'owner:' || CAST(ow.id AS TEXT) AS k, MIN(b.number || ' ' || r.number) AS room, ow.name AS name " + rooms
            + "JOIN ownerships o ON o.room_id = r.id JOIN owners ow ON ow.id = o.owner_id WHERE s.id = \(bind: s.id) GROUP BY ow.id, ow.name"]
        if s.audience == .residents {
            parts.append("SELECT 'resident:' || CAST(rs.id AS TEXT) AS k, MIN(b.number || ' ' || r.number) AS room, rs.name AS name " + rooms
                + "JOIN residents rs ON rs.room_id = r.id WHERE s.id = \(bind: s.id) GROUP BY rs.id, rs.name")
        }
        let answered = Set(try await db.sql().raw("SELECT person_key FROM survey_responses WHERE survey_id = \(bind: s.id)").all()
            .map { try $0.decode(column: "person_key", as: String.self) })
        return try await db.sql().raw("SELECT k, room, name FROM (" + parts.joined(separator: " UNION ALL ") + ") x ORDER BY room, name LIMIT \(bind: limit + answered.count)").all()
            .map { (try $0.decode(column: "k", as: String.self).lowercased(), try $0.decode(column: "room", as: String.self) + " " + (try $0.decode(column: "name", as: String.self))) }
            .filter { !answered.contains($0.0) }.prefix(limit).map { $0 }
    }

    func visible(_ ctx: AccessContext, _ id: UUID, on db: any Database) async throws -> SurveyRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: SurveyRecord.select)" + " WHERE s.id = \(bind: id) AND " + Self.visible(ctx.actor, today: ctx.today)).first() else {
            throw DomainError.notFound(entity: "surveys", id: id.text)
        }
        return try SurveyRecord(row: row)
    }

    func get(_ ctx: AccessContext, _ id: UUID) async throws -> SurveyView {
        let s = try await visible(ctx, id, on: db)
        let buildings = try await db.sql().raw("""
            SELECT b.id, b.number FROM survey_buildings sb JOIN buildings b ON b.id = sb.building_id WHERE sb.survey_id = \(bind: id) ORDER BY b.number
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: String.self)) }
        let respondents = try await db.sql().raw("SELECT COUNT(*) AS n FROM survey_responses WHERE survey_id = \(bind: id)").first()?.decode(column: "n", as: Int64.self) ?? 0
        let runs = try await runs(ctx, s, on: db)
        var answeredAt: Date?, mine: [Int: SurveyAnswer] = [:], asked = false
        let keys = Self.personKeys(ctx.actor)
        if !keys.isEmpty, let row = try await db.sql().raw("SELECT answers, created_at FROM survey_responses WHERE survey_id = \(bind: id) AND person_key IN "
                                                           + SQLIDs.texts(keys) + " ORDER BY created_at LIMIT 1").first() {
            answeredAt = try row.decode(column: "created_at", as: Date.self)
            mine = QuestionResult.decodeAnswers(try row.decode(column: "answers", as: String.self))
        }
        if ctx.actor.id != nil, answeredAt == nil, !keys.isEmpty {
            let rooms = try await rooms(of: ctx.actor.grants, id, on: db)
            asked = rooms.person != nil && SurveyRules.mayAnswer(s.audience, ownsRoom: !rooms.owned.isEmpty, livesInRoom: rooms.livesIn)
        }
        return SurveyView(record: s, buildings: buildings, respondents: respondents, runs: runs, mayAnswer: asked && s.isOpen(now: ctx.now),
                          answeredAt: answeredAt, myAnswers: mine, seesResults: ctx.actor.isSystem || SurveyRules.seesResults(runs: runs, closed: !s.isOpen(now: ctx.now)))
    }

    /// The count, for those who see it (`SurveyRules.seesResults`).
    func results(_ ctx: AccessContext, _ id: UUID) async throws -> (view: SurveyView, results: SurveyResults) {
        let v = try await get(ctx, id)
        guard v.seesResults else { throw DomainError.forbidden(reason: "the results are shown once the survey closes") }
        return (v, try await Self.count(id, v.record.questions, audience: v.record.audience, on: db))
    }

    static func count(_ id: UUID, _ questions: [SurveyQuestion], audience: SurveyAudience, on db: any Database) async throws -> SurveyResults {
        let responses = try await db.sql().raw("SELECT area, answers FROM survey_responses WHERE survey_id = \(bind: id) ORDER BY created_at").all().map { r in
            SurveyResponse(area: try r.decode(column: "area", as: Int64.self), answers: QuestionResult.decodeAnswers(try r.decode(column: "answers", as: String.self)))
        }
        let rooms: SQLQueryString = "FROM surveys s JOIN buildings b ON " + reached() + " JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id WHERE s.id = \(bind: id)"
        let base = try await db.sql().raw("SELECT CAST(COALESCE(SUM(r.area), 0) AS BIGINT) AS area, (SELECT COUNT(DISTINCT o.owner_id) FROM ownerships o WHERE o.room_id IN (SELECT r.id "
            + rooms + ")) AS owners, (SELECT COUNT(*) FROM residents rs WHERE rs.room_id IN (SELECT r.id " + rooms + ")) AS residents " + rooms).first()
        let owners = try base?.decode(column: "owners", as: Int64.self) ?? 0, residents = try base?.decode(column: "residents", as: Int64.self) ?? 0
        return SurveyResults(questions: SurveyRules.tally(questions, responses), respondents: Int64(responses.count), area: responses.reduce(0) { $0 + $1.area },
                             eligiblePersons: owners + (audience == .residents ? residents : 0), eligibleArea: try base?.decode(column: "area", as: Int64.self) ?? 0)
    }

    /// Surveys the caller sees, open ones first then newest.
    func list(_ ctx: AccessContext, compound: UUID? = nil, open: Bool = false, limit: Int = 300) async throws -> [(record: SurveyRecord, respondents: Int64, answered: Bool)] {
        var filter = Self.visible(ctx.actor, today: ctx.today)
        if let compound { filter = filter + " AND s.compound_id = \(bind: compound)" }
        if open { filter = filter + " AND s.closed_at IS NULL AND s.closes_at > \(bind: ctx.now)" }
        let keys = Self.personKeys(ctx.actor)
        return try await db.sql().raw("SELECT x.*, (SELECT COUNT(*) FROM survey_responses c WHERE c.survey_id = x.id) AS respondents, "
            + "(SELECT COUNT(*) FROM survey_responses m WHERE m.survey_id = x.id AND m.person_key IN " + SQLIDs.texts(keys) + ") AS mine FROM ("
            + "\(unsafeRaw: SurveyRecord.select)" + " WHERE " + filter + ") x ORDER BY CASE WHEN x.closed_at IS NULL AND x.closes_at > \(bind: ctx.now) THEN 0 ELSE 1 END, x.created_at DESC LIMIT \(bind: limit)").all().map { r in
            (try SurveyRecord(row: r), try r.decode(column: "respondents", as: Int64.self), try r.decode(column: "mine", as: Int64.self) > 0)
        }
    }

    /// Which surveys a caller sees, as SQL over `surveys s`: staff over the compound, its
    /// committee, its company (and the company that asked); owners those reaching rooms they own,
    /// residents a residents' survey reaching where they live.
    static func visible(_ actor: Actor, today: String) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        func reaching(_ join: SQLQueryString) -> SQLQueryString {
            "EXISTS (SELECT 1 FROM buildings b JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id " + join + " WHERE " + reached() + ")"
        }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("s.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("s.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("s.community_id = \(bind: g.scopeId)")
            case .committeeMember: parts.append("s.compound_id = \(bind: g.scopeId)")
            case .companyStaff:
                parts.append("""
                    (s.company_id = \(bind: g.scopeId) OR s.compound_id IN (SELECT k.compound_id FROM contracts k WHERE k.company_id = \(bind: g.scopeId)
                    AND k.starts_on <= \(bind: today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: today))))
                    """)
            case .owner: parts.append(reaching("JOIN ownerships o ON o.room_id = r.id AND o.owner_id = \(bind: g.scopeId)"))
            case .resident: parts.append("(s.audience = 'residents' AND " + reaching("JOIN residents rs ON rs.room_id = r.id AND rs.id = \(bind: g.scopeId)") + ")")
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }
}
