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
        routes.add(.post, SiteURL.apiRequests, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let body = try await JSONBody.object(request, context)
            var errors = FieldErrors()
            let input = RequestInput.parse(body.object, defaultChannel: ctx.actor.has(.owner) || ctx.actor.has(.resident) ? .mobile : .web, errors: &errors)
            try errors.throwIfAny()
            let id = try await service.create(ctx, input!)
            let (r, s) = try await service.get(ctx, id)
            return .json(r.json(now: ctx.now, fullPhone: s.overseer || s.handler), status: .created,
                         headers: [.location: SiteURL.apiRequest.link(id.uuidString.lowercased())])
        }
        routes.add(.get, SiteURL.apiRequests, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let filter = try Self.filter(request.uri.queryParameters)
            let page = try await service.list(ctx, filter)
            return .json(.object(["items": .array(page.items.map { $0.json(now: ctx.now) }),
                                  "next": page.next.map { .string(RequestService.cursor($0)) } ?? .null]))
        }
        routes.add(.get, SiteURL.apiRequest, .signedIn) { _, context in
            let ctx = try context.access("api", now: clock())
            return .json(try await detail(ctx, try Self.id(context)))
        }
        routes.add(.post, SiteURL.apiRequestTransitions, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let id = try Self.id(context)
            let body = try await JSONBody.object(request, context)
            if body.optionalString("event") == "escalate" {
                _ = try await whistle.open(ctx, try WhistleAPI.newCase(body, requestId: id))
            } else {
                _ = try await service.act(ctx, id, try RequestInput.action(body))
            }
            return .json(try await detail(ctx, id))
        }
        routes.add(.post, SiteURL.apiRequestPhotos, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let buffer: [UInt8]
            do { buffer = Array(try await request.body.collect(upTo: RequestPhotos.maxSize).readableBytesView) } catch {
                throw DomainError.invalid([FieldError(field: "photo", code: "too_large", message: "a photo may be at most 5 MiB")])
            }
            let photo = try await photos.add(ctx, request: try Self.id(context), bytes: buffer, contentType: type)
            return .json(.object(["id": .string(photo.uuidString.lowercased()), "url": .string(SiteURL.requestPhoto.link(photo.uuidString.lowercased()))]), status: .created)
        }
        routes.add(.get, SiteURL.requestPhoto, .signedIn) { _, context in
            try await photos.download(try context.access("web", now: clock()), photo: try Self.id(context))
        }
        routes.add(.get, SiteURL.apiRequestSettings, .signedIn) { _, context in
            let ctx = try context.access("api", now: clock())
            let district = try Self.id(context)
            guard ctx.actor.grants.contains(where: { $0.districtId == district || $0.scopeId == district }) || ctx.actor.isSystem else {
                throw DomainError.notFound(entity: "districts", id: district.uuidString.lowercased())
            }
            return .json(try await RequestSettings.load(district: district, on: service.database.db).json)
        }
        routes.add(.put, SiteURL.apiRequestSettings, .administer) { request, context in
            let ctx = try context.access("api", now: clock())
            let district = try Self.id(context)
            // Another district's rules are not the caller's to know about.
            guard Policy.mayAdminister(ctx.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.uuidString.lowercased()) }
            let body = try await JSONBody.object(request, context)
            let db = service.database.db
            let current = try await RequestSettings.load(district: district, on: db)
            let settings = try RequestSettings.parse(body, current: current)
            try await db.transaction { tx in
                try await settings.save(district: district, now: ctx.now, on: tx)
                try await service.audit.record(ctx, action: "update", entity: "request-settings", entityId: district, districtId: district,
                                               before: current.json, after: settings.json, on: tx)
            }
            return .json(settings.json)
        }
    }

    /// The request with its timeline and photos; full phone numbers for its handler and overseers only.
    func detail(_ ctx: AccessContext, _ id: UUID) async throws -> JSONValue {
        let (r, s) = try await service.get(ctx, id)
        guard case .object(var o) = r.json(now: ctx.now, fullPhone: s.overseer || s.handler) else { return .null }
        o["timeline"] = .array(try await service.timeline(id).map(\.json))
        o["photos"] = .array(try await service.photos(id).map { .string(SiteURL.requestPhoto.link($0.uuidString.lowercased())) })
        o["allowed"] = .array(RequestRules.allowed(r.status, s, reporterHasAccount: r.reporterUserId != nil).map { .string($0.rawValue) })
        return .object(o)
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
