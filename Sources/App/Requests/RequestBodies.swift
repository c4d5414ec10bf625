import Domain
import Foundation

/// A new request: `POST /api/v1/requests`, the filing form, and each request raised at a reception.
struct FileRequestBody: APIBody {
    let channel: RequestChannel?
    let category: RequestCategory
    let urgency: Urgency
    let compoundId: UUID
    let buildingId: UUID?
    let roomId: UUID?
    let reporterName: String?
    let reporterPhone: String?
    let description: String
    let latitude: Double?
    let longitude: Double?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let channel = r.choice("channel", RequestChannel.self, required: false)
        let category = r.choice("category", RequestCategory.self, required: true)
        let urgency = r.choice("urgency", Urgency.self, required: false)
        let compound = r.id("compoundId", required: true, "the compound is required")
        let description = r.text("description", required: true, max: IntakeRules.descriptionLimit, "a description of at most \(IntakeRules.descriptionLimit) characters")
        let name = r.text("reporterName", required: false, max: IntakeRules.reporterNameLimit, "at most \(IntakeRules.reporterNameLimit) characters")
        let phone = r.text("reporterPhone", required: false, max: IntakeRules.phoneLimit, "at most \(IntakeRules.phoneLimit) characters")
        let lat = r.optional("latitude", Double.self, "latitude must be a number")
        let lon = r.optional("longitude", Double.self, "longitude must be a number")
        if let lat { r.check((-90...90).contains(lat), "latitude", "out_of_range", "-90 to 90") }
        if let lon { r.check((-180...180).contains(lon), "longitude", "out_of_range", "-180 to 180") }
        let building = r.id("buildingId", required: false), room = r.id("roomId", required: false)
        try r.finish()
        guard let category, let compound, let description else { throw r.failure }
        self.channel = channel
        self.category = category
        self.urgency = urgency ?? .general
        compoundId = compound
        buildingId = building
        roomId = room
        reporterName = name
        reporterPhone = phone
        self.description = description
        latitude = lat
        longitude = lon
    }

    /// The request to file; the channel defaults to the door it came through.
    func request(defaultChannel: RequestChannel) -> RequestService.NewRequest {
        .init(channel: channel ?? defaultChannel, category: category, urgency: urgency, compoundId: compoundId, buildingId: buildingId, roomId: roomId,
              reporterName: reporterName, reporterPhone: reporterPhone, description: description, latitude: latitude, longitude: longitude)
    }

    static var schema: Schema {
        .object([.opt("channel", .choice(RequestChannel.self)), .req("category", .choice(RequestCategory.self)), .opt("urgency", .choice(Urgency.self)),
                 .req("compoundId", .uuid), .opt("buildingId", .nullable(.uuid)), .opt("roomId", .nullable(.uuid)),
                 .opt("reporterName", .nullable(.string(maxLength: 50))), .opt("reporterPhone", .nullable(.string(maxLength: 20))),
                 .req("description", .string(minLength: 1, maxLength: 2000)),
                 .opt("latitude", .nullable(.number(minimum: -90, maximum: 90))), .opt("longitude", .nullable(.number(minimum: -180, maximum: 180)))])
    }
}

/// `POST /api/v1/requests/{id}/transitions`: one event with its own fields, or `escalate`, which
/// opens a whistle case from the request.
struct TransitionBody: APIBody {
    enum Move: Sendable {
        case act(RequestAction)
        case escalate(OpenWhistleCaseBody)
        /// Close this request as a duplicate of `into`.
        case merge(into: UUID, note: String?)
    }
    let move: Move

    static let events = ["transfer", "respond", "start", "resolve", "rate", "close", "note", "escalate", "merge"]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let message = "event is one of \(Self.events.joined(separator: ", "))"
        guard let event = r.required("event", String.self, message) else { throw r.failure }
        let note = r.text("note", required: false, max: 2000, "at most 2000 characters")
        switch event {
        case "respond": move = .act(.respond(note: note))
        case "start": move = .act(.start(note: note))
        case "close": move = .act(.close(note: note))
        case "note":
            guard let note else { r.fail("note", "required", "the note's text"); throw r.failure }
            move = .act(.note(note))
        case "resolve":
            guard let reply = r.text("reply", required: false, max: 2000, "the handler's reply to the reporter") ?? note else {
                r.fail("reply", "required", "the handler's reply to the reporter")
                throw r.failure
            }
            move = .act(.resolve(reply: reply))
        case "rate":
            let resolved = r.required("resolved", Bool.self, "resolved is true or false")
            let satisfaction = r.choice("satisfaction", Satisfaction.self, required: true)
            try r.finish()
            guard let resolved, let satisfaction else { throw r.failure }
            move = .act(.rate(resolved: resolved, satisfaction: satisfaction, comment: note))
        case "transfer":
            let kind = r.choice("handlerKind", HandlerKind.self, required: true)
            let id = r.id("handlerId", required: true, "handlerId is the new handler's id")
            let reason = r.text("reason", required: false, max: 2000, "re-routing needs a reason") ?? note
            if reason == nil { r.fail("reason", "required", "re-routing needs a reason") }
            try r.finish()
            guard let kind, let id, let reason else { throw r.failure }
            move = .act(.transfer(kind: kind, id: id, reason: reason))
        case "escalate":
            move = .escalate(try OpenWhistleCaseBody(from: decoder))
        case "merge":
            let into = r.id("into", required: true, "into is the id of the request that carries on")
            try r.finish()
            guard let into else { throw r.failure }
            move = .merge(into: into, note: note)
        default:
            r.fail("event", "invalid_choice", message)
            throw r.failure
        }
    }

    static var schema: Schema {
        .object([.req("event", .choice(events)), .opt("note", .nullable(.string(maxLength: 2000))), .opt("reply", .nullable(.string(maxLength: 2000))),
                 .opt("resolved", .boolean), .opt("satisfaction", .choice(Satisfaction.self)), .opt("handlerKind", .choice(HandlerKind.self)),
                 .opt("handlerId", .uuid), .opt("reason", .nullable(.string(maxLength: 2000))), .opt("into", .uuid),
                 .opt("title", .string(maxLength: 200)), .opt("description", .string()), .opt("streetId", .nullable(.uuid)), .opt("compoundId", .nullable(.uuid)),
                 .opt("parties", .array(.named(WhistlePartyBody.self)))])
    }
}

/// A request as the API answers it: in lists, and with its timeline, photos and the caller's
/// allowed events when read alone.
struct RequestAnswer: APIAnswer {
    struct Reporter: Codable, Sendable { let userId: String?, name: String?, phone: String? }
    struct Handler: Codable, Sendable { let kind: String, id: String?, name: String? }
    struct Rating: Codable, Sendable { let resolved: Bool, satisfaction: String }

    let id: String, number: String, channel: String, category: String, urgency: String, description: String, status: String
    let streetId: String?, communityId: String?, compoundId: String?, compoundName: String, buildingId: String?, roomId: String?
    let reporter: Reporter
    let handler: Handler?
    let receivedAt: String?, respondBy: String?, resolveBy: String?, dispatchedAt: String?, respondedAt: String?, resolvedAt: String?
    let ratedAt: String?, closedAt: String?
    let reply: String?
    let rating: Rating?
    let reopenCount: Int64
    let overdue: Bool
    let hotlineOrderNo: String?, whistleCaseId: String?, receptionId: String?
    let latitude: Double?, longitude: Double?
    var timeline: [TimelineAnswer]?
    var photos: [String]?
    /// The handler's photos of the finished work.
    var completionPhotos: [String]?
    var allowed: [String]?

    /// The reporter's phone is masked unless `fullPhone` (the handler and overseers).
    init(_ r: RequestRecord, now: Date, fullPhone: Bool = false) {
        func time(_ d: Date?) -> String? { d.map(Timestamp.iso) }
        id = r.id.text; number = r.number; channel = r.channel.rawValue; category = r.category.rawValue; urgency = r.urgency.rawValue
        description = r.description; status = r.status.rawValue
        streetId = r.streetId.text; communityId = r.communityId.text; compoundId = r.compoundId.text; compoundName = r.compoundName
        buildingId = r.buildingId?.text; roomId = r.roomId?.text
        reporter = Reporter(userId: r.reporterUserId?.text, name: r.reporterName, phone: r.reporterPhone.map { fullPhone ? $0 : RequestRules.maskPhone($0) })
        handler = r.handlerKind.map { Handler(kind: $0.rawValue, id: r.handlerId?.text, name: r.handlerName) }
        receivedAt = time(r.receivedAt); respondBy = time(r.respondBy); resolveBy = time(r.resolveBy); dispatchedAt = time(r.dispatchedAt)
        respondedAt = time(r.respondedAt); resolvedAt = time(r.resolvedAt); ratedAt = time(r.ratedAt); closedAt = time(r.closedAt)
        reply = r.reply
        rating = r.ratingSatisfaction.map { Rating(resolved: r.ratingResolved ?? false, satisfaction: $0.rawValue) }
        reopenCount = r.reopenCount; overdue = r.isOverdue(now: now)
        hotlineOrderNo = r.hotlineOrderNo; whistleCaseId = r.whistleCaseId?.text; receptionId = r.receptionId?.text
        latitude = r.latitude; longitude = r.longitude
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id); try c.encode(number, forKey: .number); try c.encode(channel, forKey: .channel)
        try c.encode(category, forKey: .category); try c.encode(urgency, forKey: .urgency); try c.encode(description, forKey: .description)
        try c.encode(status, forKey: .status); try c.encodeIfPresent(streetId, forKey: .streetId); try c.encodeIfPresent(communityId, forKey: .communityId)
        try c.encodeIfPresent(compoundId, forKey: .compoundId); try c.encode(compoundName, forKey: .compoundName)
        try c.encodeIfPresent(buildingId, forKey: .buildingId); try c.encodeIfPresent(roomId, forKey: .roomId)
        try c.encode(reporter, forKey: .reporter); try c.encodeIfPresent(handler, forKey: .handler)
        for (key, value) in [(Keys.receivedAt, receivedAt), (.respondBy, respondBy), (.resolveBy, resolveBy), (.dispatchedAt, dispatchedAt),
                             (.respondedAt, respondedAt), (.resolvedAt, resolvedAt), (.ratedAt, ratedAt), (.closedAt, closedAt), (.reply, reply),
                             (.hotlineOrderNo, hotlineOrderNo), (.whistleCaseId, whistleCaseId), (.receptionId, receptionId)] {
            try c.encodeIfPresent(value, forKey: key)
        }
        try c.encodeIfPresent(rating, forKey: .rating); try c.encode(reopenCount, forKey: .reopenCount); try c.encode(overdue, forKey: .overdue)
        try c.encodeIfPresent(latitude, forKey: .latitude); try c.encodeIfPresent(longitude, forKey: .longitude)
        // Only the single-request answer has these; a list item leaves them out.
        if let timeline { try c.encode(timeline, forKey: .timeline) }
        if let photos { try c.encode(photos, forKey: .photos) }
        if let completionPhotos { try c.encode(completionPhotos, forKey: .completionPhotos) }
        if let allowed { try c.encode(allowed, forKey: .allowed) }
    }

    enum Keys: String, CodingKey {
        case id, number, channel, category, urgency, description, status, streetId, communityId, compoundId, compoundName, buildingId, roomId
        case reporter, handler, receivedAt, respondBy, resolveBy, dispatchedAt, respondedAt, resolvedAt, ratedAt, closedAt, reply, rating
        case reopenCount, overdue, hotlineOrderNo, whistleCaseId, receptionId, latitude, longitude, timeline, photos, completionPhotos, allowed
    }

    static var schema: Schema {
        let times = ["receivedAt", "respondBy", "resolveBy", "dispatchedAt", "respondedAt", "resolvedAt", "ratedAt", "closedAt"]
        return .object([
            .req("id", .uuid), .req("number", .string()), .req("channel", .choice(RequestChannel.self)), .req("category", .choice(RequestCategory.self)),
            .req("urgency", .choice(Urgency.self)), .req("description", .string()), .req("status", .choice(RequestStatus.self)),
            .null("streetId", .uuid), .null("communityId", .uuid), .null("compoundId", .uuid), .req("compoundName", .string()),
            .null("buildingId", .uuid), .null("roomId", .uuid),
            .req("reporter", .object([.null("userId", .uuid), .null("name", .string()), .null("phone", .string())])),
            .null("handler", .object([.req("kind", .choice(HandlerKind.self)), .null("id", .uuid), .null("name", .string())])),
        ] + times.map { .null($0, .dateTime) } + [
            .null("reply", .string()),
            .null("rating", .object([.req("resolved", .boolean), .req("satisfaction", .choice(Satisfaction.self))])),
            .req("reopenCount", .integer(minimum: 0)), .req("overdue", .boolean), .null("hotlineOrderNo", .string()),
            .null("whistleCaseId", .uuid), .null("receptionId", .uuid), .null("latitude", .number()), .null("longitude", .number()),
            .opt("timeline", .array(.named(TimelineAnswer.self))), .opt("photos", .array(.string())), .opt("completionPhotos", .array(.string())),
            .opt("allowed", .array(.choice(RequestEventKind.self))),
        ])
    }
}

/// One step of a request's timeline.
struct TimelineAnswer: APIAnswer {
    let sequence: Int64, event: String, from: String?, to: String, actor: String, at: String, note: String?

    init(_ e: TimelineEntry) {
        sequence = e.sequence; event = e.event.rawValue; from = e.fromStatus?.rawValue; to = e.toStatus.rawValue
        actor = e.actorLabel; at = Timestamp.iso(e.at); note = e.note
    }

    static var schema: Schema {
        .object([.req("sequence", .integer(minimum: 1)), .req("event", .choice(RequestEventKind.self)), .null("from", .choice(RequestStatus.self)),
                 .req("to", .choice(RequestStatus.self)), .req("actor", .string()), .req("at", .dateTime), .null("note", .string())])
    }
}

/// A stored photo and where to fetch it.
struct PhotoAnswer: APIAnswer {
    let id: String, url: String
    static var schema: Schema { .object([.req("id", .uuid), .req("url", .string())]) }
}

/// A district's request rules, as `GET`/`PUT …/request-settings` show them.
struct RequestSettingsAnswer: APIAnswer {
    let respondWithinSeconds: [String: Int64]
    let resolveWithinSeconds: [String: Int64]
    let weights: [String: Int64]
    let scores: [String: Int64]
    let minimumRated: Int64

    init(_ s: RequestSettings) {
        respondWithinSeconds = Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, Int64(s.deadlines.respondWithin[$0] ?? 0)) })
        resolveWithinSeconds = Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, Int64(s.deadlines.resolveWithin[$0] ?? 0)) })
        weights = ["response": s.weights.response, "resolution": s.weights.resolution, "satisfaction": s.weights.satisfaction]
        scores = Dictionary(uniqueKeysWithValues: Satisfaction.allCases.map { ($0.rawValue, s.weights.scores[$0] ?? 0) })
        minimumRated = s.minimumRated
    }

    static var schema: Schema {
        func seconds() -> Schema { .object(Urgency.allCases.map { .req($0.rawValue, .integer(minimum: 0)) }) }
        return .object([.req("respondWithinSeconds", seconds()), .req("resolveWithinSeconds", seconds()),
                        .req("weights", .object(["response", "resolution", "satisfaction"].map { .req($0, .integer(minimum: 0, maximum: 100)) })),
                        .req("scores", .object(Satisfaction.allCases.map { .req($0.rawValue, .integer(minimum: 0, maximum: 100)) })),
                        .req("minimumRated", .integer(minimum: 0, maximum: 1000))])
    }
}

/// `PUT …/request-settings`: any part may be left out and keeps its value.
struct RequestSettingsBody: APIBody {
    let respondWithinSeconds: [String: Int64]
    let resolveWithinSeconds: [String: Int64]
    let weights: [String: Int64]
    let scores: [String: Int64]
    let minimumRated: Int64?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        func ints(_ name: String, keys: [String]) -> [String: Int64] {
            guard let o = r.optional(name, [String: JSONValue].self, "\(name) must be an object") else { return [:] }
            var out: [String: Int64] = [:]
            for (k, x) in o {
                guard keys.contains(k) else { r.fail("\(name).\(k)", "unknown_key", "one of \(keys.joined(separator: ", "))"); continue }
                guard case .int(let i) = x, i >= 0 else { r.fail("\(name).\(k)", "out_of_range", "a whole number, at least 0"); continue }
                out[k] = i
            }
            return out
        }
        respondWithinSeconds = ints("respondWithinSeconds", keys: Urgency.codes)
        resolveWithinSeconds = ints("resolveWithinSeconds", keys: Urgency.codes)
        weights = ints("weights", keys: ["response", "resolution", "satisfaction"])
        scores = ints("scores", keys: Satisfaction.codes)
        minimumRated = r.optional("minimumRated", Int64.self, "a whole number from 0 to 1000")
        if let m = minimumRated, !(0...1000).contains(m) { r.fail("minimumRated", "out_of_range", "a whole number from 0 to 1000") }
        try r.finish()
    }

    /// The settings after this change, with every rule across fields checked.
    func applied(to current: RequestSettings) throws -> RequestSettings {
        var s = current
        var errors = FieldErrors()
        for (k, v) in respondWithinSeconds {
            guard let u = Urgency(rawValue: k) else { continue }
            if v < 60 { errors.add("respondWithinSeconds.\(k)", "out_of_range", "at least 60 seconds") } else { s.deadlines.respondWithin[u] = Int(v) }
        }
        for (k, v) in resolveWithinSeconds {
            guard let u = Urgency(rawValue: k) else { continue }
            if v < 60 { errors.add("resolveWithinSeconds.\(k)", "out_of_range", "at least 60 seconds") } else { s.deadlines.resolveWithin[u] = Int(v) }
        }
        s.weights.response = weights["response"] ?? s.weights.response
        s.weights.resolution = weights["resolution"] ?? s.weights.resolution
        s.weights.satisfaction = weights["satisfaction"] ?? s.weights.satisfaction
        if s.weights.response + s.weights.resolution + s.weights.satisfaction != 100 { errors.add("weights", "invalid_sum", "the three weights must add up to 100") }
        for (k, v) in scores {
            guard let level = Satisfaction(rawValue: k) else { continue }
            if v > 100 { errors.add("scores.\(k)", "out_of_range", "0 to 100") } else { s.weights.scores[level] = v }
        }
        if let m = minimumRated { s.minimumRated = m }
        for u in Urgency.allCases where (s.deadlines.respondWithin[u] ?? 0) > (s.deadlines.resolveWithin[u] ?? 0) {
            errors.add("respondWithinSeconds.\(u.rawValue)", "after_resolve", "the respond-by cannot be later than the resolve-by")
        }
        try errors.throwIfAny()
        return s
    }

    static var schema: Schema {
        func seconds() -> Schema { .object(Urgency.allCases.map { .opt($0.rawValue, .integer(minimum: 60)) }) }
        return .object([.opt("respondWithinSeconds", seconds()), .opt("resolveWithinSeconds", seconds()),
                        .opt("weights", .object(["response", "resolution", "satisfaction"].map { .opt($0, .integer(minimum: 0, maximum: 100)) })),
                        .opt("scores", .object(Satisfaction.allCases.map { .opt($0.rawValue, .integer(minimum: 0, maximum: 100)) })),
                        .opt("minimumRated", .integer(minimum: 0, maximum: 1000))])
    }
}

/// An open request offered to join: what it is about, never who filed it.
struct SimilarRequestAnswer: APIAnswer {
    let id: String, number: String, category: String, description: String, status: String, receivedAt: String

    init(_ r: RequestRecord, now: Date) {
        id = r.id.text; number = r.number; category = r.category.rawValue; description = r.description; status = r.status.rawValue
        receivedAt = Timestamp.iso(r.receivedAt)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("category", .choice(RequestCategory.self)), .req("description", .string()),
                 .req("status", .choice(RequestStatus.self)), .req("receivedAt", .dateTime)])
    }
}
