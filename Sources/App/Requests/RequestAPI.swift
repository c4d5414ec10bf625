import Domain
import Foundation
import Hummingbird

/// `/api/v1/requests…`: file, list, read with timeline, act, add photos; a district's request settings.
struct RequestAPI: Sendable {
    let service: RequestService
    let whistle: WhistleService
    let photos: RequestPhotos
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        let failures: [Int: String] = [409: "Not possible in this state"]
        routes.api(.post, SiteURL.apiRequests, .signedIn,
                   OperationDoc("file-request", "File a request; it is dispatched at once to the company under contract, else the community", tag: "requests"),
                   body: FileRequestBody.self, status: .created, file)
        routes.api(.get, SiteURL.apiRequests, .signedIn,
                   OperationDoc("list-requests", "Requests the caller may see, newest first (cursor paging)", tag: "requests", parameters: [
                       .query("status", .choice(RequestStatus.self), "status"), .query("category", .choice(RequestCategory.self), "DB11/T 751 category"),
                       .query("channel", .choice(RequestChannel.self), "channel"), .query("overdue", .choice(["0", "1", "true", "false"]), "only overdue"),
                       .query("q", .string(maxLength: 100), "a request number, words of the description, or (staff) digits of the reporter's phone"),
                       .query("mine", .choice(["0", "1", "true", "false"]), "only those the caller handles"), .query("compoundId", .uuid, "compound"),
                       .query("communityId", .uuid, "community"), .query("streetId", .uuid, "street"),
                       .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM of receipt"),
                       .query("limit", .integer(minimum: 1, maximum: 500), "1–500, default 50"), .query("cursor", .string(), "the next of the previous page"),
                   ]), list)
        routes.api(.get, SiteURL.apiRequest, .signedIn,
                   OperationDoc("get-request", "One request with its timeline, photos and the caller's allowed events", tag: "requests")) { call in
            try await detail(call.access, try call.id("requests"))
        }
        routes.api(.post, SiteURL.apiRequestTransitions, .signedIn,
                   OperationDoc("request-transition", "Move a request: transfer (handlerKind, handlerId, reason), respond, start, resolve (reply), rate (resolved, satisfaction), close, note, or escalate (title, parties: opens a whistle case)",
                                tag: "requests", errors: failures),
                   body: TransitionBody.self, transition)
        routes.api(.get, SiteURL.apiRequestsSimilar, .signedIn,
                   OperationDoc("similar-requests", "Open requests of a compound and category from the last 7 days, to join instead of filing the same problem",
                                tag: "requests", parameters: [.query("compoundId", .uuid, "compound", required: true),
                                                              .query("category", .choice(RequestCategory.self), "category", required: true)])) { call in
            var errors = FieldErrors()
            let compound = call.query.get("compoundId").flatMap(UUID.init(uuidString:))
            let category = call.query.get("category").flatMap(RequestCategory.init(rawValue:))
            if compound == nil { errors.add("compoundId", "required", "compoundId is a compound's id") }
            if category == nil { errors.add("category", "required", RequestCategory.codes.joined(separator: ", ")) }
            try errors.throwIfAny()
            return Items(items: try await service.similar(call.access, compound: compound!, category: category!).map { SimilarRequestAnswer($0, now: call.now) })
        }
        routes.api(.post, SiteURL.apiRequestJoin, .signedIn,
                   OperationDoc("join-request", "An owner or resident of the compound joins an open request instead of filing it again", tag: "requests",
                                errors: [409: "The request is closed, or the caller follows it already"])) { call in
            let id = try call.id("requests")
            _ = try await service.join(call.access, id)
            return try await detail(call.access, id)
        }
        var photoDoc = OperationDoc("add-request-photo", "Add a JPEG or PNG photo (the body is the image, at most 5 MiB)", tag: "requests", errors: [409: "The request already has its most photos"],
                                    rawBody: ["image/jpeg", "image/png"])
        photoDoc = photoDoc.answering(PhotoAnswer.self, status: .created, access: .signedIn)
        routes.signedIn(.post, SiteURL.apiRequestPhotos.pattern, .signedIn, source: "api", operation: photoDoc) { call in try await addPhoto(call) }
        routes.page(.get, SiteURL.requestPhoto, .signedIn) { call in try await photos.download(call.access, photo: try call.id("photos")) }
        routes.api(.get, SiteURL.apiRequestSettings, .signedIn,
                   OperationDoc("get-request-settings", "The district's deadlines (seconds per urgency), composite weights and satisfaction scores", tag: "requests")) { call in
            let district = try call.id("districts")
            guard call.actor.grants.contains(where: { $0.districtId == district || $0.scopeId == district }) || call.actor.isSystem else {
                throw DomainError.notFound(entity: "districts", id: district.text)
            }
            return RequestSettingsAnswer(try await RequestSettings.load(district: district, on: service.database.db))
        }
        routes.api(.put, SiteURL.apiRequestSettings, .administer,
                   OperationDoc("put-request-settings", "Change them (district admins); weights must add up to 100", tag: "requests"),
                   body: RequestSettingsBody.self, putSettings)
    }

    @Sendable func file(_ call: SignedIn, _ body: FileRequestBody) async throws -> RequestAnswer {
        let resident = call.actor.has(.owner) || call.actor.has(.resident)
        // Answered as written: a new request has no followers or summoned departments yet, so its
        // standing follows from the row alone (`RequestRules.standing`), with no read after the write.
        let r = try await service.file(call.access, body.request(defaultChannel: resident ? .mobile : .web))
        let s = RequestRules.standing(call.actor, r.place)
        return RequestAnswer(r, now: call.now, fullPhone: s.overseer || s.handler)
    }

    @Sendable func list(_ call: SignedIn) async throws -> Page<RequestAnswer> {
        let page = try await service.list(call.access, try Self.filter(call.query))
        return Page(items: page.items.map { RequestAnswer($0, now: call.now) }, next: page.next.map(RequestService.cursor))
    }

    @Sendable func transition(_ call: SignedIn, _ body: TransitionBody) async throws -> RequestAnswer {
        let id = try call.id("requests")
        switch body.move {
        case .escalate(let newCase): _ = try await whistle.open(call.access, newCase.newCase(requestId: id))
        case .act(let action): _ = try await service.act(call.access, id, action)
        case .merge(let into, let note): _ = try await service.merge(call.access, id, into: into, note: note)
        }
        return try await detail(call.access, id)
    }

    func addPhoto(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let ctx = call.access
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let buffer = Array(try await request.readBody(limit: BodyLimits.photo).readableBytesView)
        let photo = try await photos.add(ctx, request: try Self.id(context), bytes: buffer, contentType: type)
        return try RouteTable.encode(PhotoAnswer(id: photo.text, url: SiteURL.requestPhoto.link(photo.text)), status: .created)
    }

    @Sendable func putSettings(_ call: SignedIn, _ body: RequestSettingsBody) async throws -> RequestSettingsAnswer {
        let district = try call.id("districts")
        // Another district's rules are not the caller's to know about.
        guard Policy.mayAdminister(call.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
        let db = service.database.db
        let current = try await RequestSettings.load(district: district, on: db)
        let settings = try body.applied(to: current)
        try await db.transaction { tx in
            try await settings.save(district: district, now: call.now, on: tx)
            try await service.audit.record(call.access, action: "update", entity: "request-settings", entityId: district, districtId: district,
                                           before: current.json, after: settings.json, on: tx)
        }
        return RequestSettingsAnswer(settings)
    }

    /// The request with its timeline and photos; full phone numbers for its handler and overseers only.
    func detail(_ ctx: AccessContext, _ id: UUID) async throws -> RequestAnswer {
        let (r, s) = try await service.get(ctx, id)
        var answer = RequestAnswer(r, now: ctx.now, fullPhone: s.overseer || s.handler)
        answer.timeline = try await service.timeline(id).map(TimelineAnswer.init)
        let photos = try await service.photos(id)
        answer.photos = photos.filter { $0.stage == .report }.map { SiteURL.requestPhoto.link($0.id.text) }
        answer.completionPhotos = photos.filter { $0.stage == .completion }.map { SiteURL.requestPhoto.link($0.id.text) }
        answer.allowed = RequestRules.allowed(r.status, s, reporterHasAccount: r.reporterUserId != nil).map(\.rawValue)
        return answer
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "requests", id: context.parameters.get("id") ?? "") }
        return id
    }

    /// Query filters; an unknown value is a 422 naming the parameter.
    static func filter(_ q: Hummingbird.Parameters) throws -> RequestFilter {
        var f = RequestFilter()
        var errors = FieldErrors()
        func id(_ name: String) -> UUID? {
            guard let s = q.get(name), !s.isEmpty else { return nil }
            guard let u = UUID(uuidString: s) else { errors.add(name, "invalid_id", "\(name) must be an id"); return nil }
            return u
        }
        if let s = q.get("status"), !s.isEmpty { f.status = RequestStatus(rawValue: s); if f.status == nil { errors.add("status", "invalid_choice", RequestStatus.codes.joined(separator: ", ")) } }
        if let s = q.get("category"), !s.isEmpty { f.category = RequestCategory(rawValue: s); if f.category == nil { errors.add("category", "invalid_choice", RequestCategory.codes.joined(separator: ", ")) } }
        if let s = q.get("channel"), !s.isEmpty { f.channel = RequestChannel(rawValue: s); if f.channel == nil { errors.add("channel", "invalid_choice", RequestChannel.codes.joined(separator: ", ")) } }
        if let s = q.get("q")?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            if s.unicodeScalars.count > 100 || TextRules.hasControlCharacter(s) { errors.add("q", "invalid", "at most 100 characters of text") } else { f.search = s }
        }
        f.overdue = ["1", "true"].contains(q.get("overdue") ?? "")
        f.handledByMe = ["1", "true"].contains(q.get("mine") ?? "")
        f.compoundId = id("compoundId"); f.communityId = id("communityId"); f.streetId = id("streetId")
        if let m = q.get("month"), !m.isEmpty { if RankingService.bounds(month: m) == nil { errors.add("month", "invalid_format", "YYYY-MM") } else { f.month = m } }
        if let l = q.get("limit") { if let n = Int(l), (1...500).contains(n) { f.limit = n } else { errors.add("limit", "out_of_range", "1 to 500") } }
        if let c = q.get("cursor"), !c.isEmpty { f.after = RequestService.parseCursor(c); if f.after == nil { errors.add("cursor", "invalid", "a cursor from a previous page") } }
        try errors.throwIfAny()
        return f
    }
}
