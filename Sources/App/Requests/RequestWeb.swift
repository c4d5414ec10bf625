import Domain
import Foundation
import Hummingbird
import SQLKit

/// The request pages: the queue (a resident's own requests, a handler's work), filing from a phone,
/// one request with its timeline and the actions the viewer may take, and the street's board.
struct RequestWeb: Sendable {
    let service: RequestService
    let photos: RequestPhotos
    let whistle: WhistleService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.requests, .signedIn) { call in try await queue(call) }
        routes.page(.get, SiteURL.requestNew, .signedIn) { call in try await newPage(call, errors: [], status: .ok) }
        routes.page(.post, SiteURL.requestNew, .signedIn) { call in try await file(call) }
        routes.page(.get, SiteURL.requestPage, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.requestPage, .signedIn) { call in try await act(call) }
        routes.page(.get, SiteURL.board, .signedIn) { call in try await board(call) }
        routes.page(.post, SiteURL.requestPhotosPage, .signedIn) { call in try await addPhoto(call) }
        routes.page(.post, SiteURL.requestJoin, .signedIn) { call in
            _ = try await FormInput.read(call.request, call.context)
            let id = try RequestAPI.id(call.context)
            _ = try await service.join(call.access, id)
            return .seeOther(to: SiteURL.requestPage.link(id.text), flash: "flash.joined")
        }
    }

    /// Compounds the actor may file for (their own rooms' for residents; their scope's for staff).
    func compounds(_ ctx: AccessContext) async throws -> [(UUID, String)] {
        let chain = service.store.access.chain(service.store.catalog["compounds"]!)
        return try await service.database.db.sql().raw("SELECT t0.id, t0.name FROM \(unsafeRaw: chain.from) WHERE \(ctx.scope.visible(ctx.actor, chain)) ORDER BY t0.name LIMIT 500")
            .all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func isResident(_ actor: Actor) -> Bool { actor.has(.owner) || actor.has(.resident) }

    /// The rooms an owner or resident files from, with the name and phone on record for them.
    func myRooms(_ ctx: AccessContext) async throws -> [RequestPages.MyRoom] {
        var out: [RequestPages.MyRoom] = []
        for g in ctx.actor.grants where g.role == .owner || g.role == .resident {
            let link: SQLQueryString = g.role == .owner
                ? " JOIN ownerships o ON o.room_id = r.id JOIN owners who ON who.id = o.owner_id WHERE o.owner_id = \(bind: g.scopeId)"
                : " JOIN residents who ON who.room_id = r.id WHERE who.id = \(bind: g.scopeId)"
            let rows = try await service.database.db.sql().raw("""
                SELECT r.id, b.compound_id, p.name AS compound, b.number AS building, e.number AS entrance, r.number AS room, who.name, who.phone
                FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id
                """ + link + " ORDER BY p.name, b.number, e.number, r.number").all()
            for row in rows {
                out.append(RequestPages.MyRoom(id: try row.decode(column: "id", as: UUID.self), compoundId: try row.decode(column: "compound_id", as: UUID.self),
                                               label: [try row.decode(column: "compound", as: String.self), try row.decode(column: "building", as: String.self),
                                                       try row.decode(column: "entrance", as: String.self), try row.decode(column: "room", as: String.self)]
                                                   .joined(separator: " "),
                                               name: try row.decode(column: "name", as: String.self), phone: try row.decode(column: "phone", as: String?.self)))
            }
        }
        return out
    }

    func queue(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        var filter = try RequestAPI.filter(request.uri.queryParameters)
        filter.limit = 100
        if let reception = request.uri.queryParameters.get("reception").flatMap(UUID.init(uuidString:)) { filter.receptionId = reception }
        let list = try await service.list(ctx, filter)
        let resident = Self.isResident(ctx.actor)
        var content: [N] = [H.el("h1", [], text: resident ? t("request.mine") : t("request.queue"))]
        content.append(H.el("p", [], [H.a(SiteURL.requestNew.link(), t("request.new"), [("class", "button primary-link"), ("id", "new-request")])]))
        if !resident { content.append(RequestPages.filters(filter, compounds: try await compounds(ctx), t: t)) }
        content.append(RequestPages.queue(list.items, now: ctx.now, t: t))
        if let next = list.next {
            var q = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\($0.key)=\(Layout.percentEncode(String($0.value)))" }
            q.append("cursor=\(RequestService.cursor(next))")
            content.append(H.el("p", [], [H.a(SiteURL.requests.link() + "?" + q.joined(separator: "&"), t("list.next"), [("class", "button")])]))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: t("request.queue"), crumbs: [Crumb(title: t("request.queue"), href: nil)], content: content))
    }

    func newPage(_ call: SignedIn, errors: [FieldError], status: HTTPResponse.Status, similar: [RequestRecord] = []) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let compounds = try await compounds(ctx)
        var content: [N] = [H.el("h1", [], text: t("request.new"))]
        if !similar.isEmpty { content.append(RequestPages.similar(similar, csrf: page.csrfToken, now: ctx.now, t: t)) }
        if compounds.isEmpty { content.append(H.el("p", [("class", "empty")], text: t("request.noCompound"))) } else {
            content.append(RequestPages.newForm(compounds: compounds, staff: !Self.isResident(ctx.actor), rooms: try await myRooms(ctx), csrf: page.csrfToken,
                                                errors: errors, t: t))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: t("request.new"), crumbs: [Crumb(title: t("request.queue"), href: SiteURL.requests.link()),
                                                                                             Crumb(title: t("request.new"), href: nil)], content: content), status: status)
    }

    /// A photo added from the request's page: the reporter's of the problem, the handler's of the finished work.
    func addPhoto(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let id = try RequestAPI.id(context)
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
            throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "choose a photo")])
        }
        try context.checkCSRF(request.uri.queryParameters.get("_csrf"))
        let form = try MultipartForm.parse(Array(try await request.readBody(limit: BodyLimits.photo + 64 * 1024).readableBytesView), boundary: boundary)
        try context.checkCSRF(form.fields["_csrf"])
        guard let file = form.file, !file.bytes.isEmpty else { throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "choose a photo")]) }
        _ = try await photos.add(call.access, request: id, bytes: file.bytes, contentType: file.contentType)
        return .seeOther(to: SiteURL.requestPage.link(id.text), flash: "flash.photoAdded")
    }

    /// Reads the filing form (multipart, with an optional photo), checking the CSRF token as `FormInput` does.
    func file(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "")
        // A multipart body is parsed only for a caller whose token (in the address) is right.
        if boundary != nil { try context.checkCSRF(request.uri.queryParameters.get("_csrf")) }
        let body = Array(try await request.readBody(limit: BodyLimits.photo + 64 * 1024).readableBytesView)
        let form: MultipartForm
        if let boundary { form = try MultipartForm.parse(body, boundary: boundary) } else {
            form = MultipartForm(fields: FormInput.parse(String(decoding: body, as: UTF8.self)), file: nil)
        }
        try context.checkCSRF(form.fields["_csrf"])
        var errors = FieldErrors()
        var o: [String: JSONValue] = [:]
        for k in ["compoundId", "roomId", "category", "urgency", "description", "channel", "reporterName", "reporterPhone"] { if let v = form.fields[k], !v.isEmpty { o[k] = .string(v) } }
        // A room of one's own names its compound.
        if let room = form.fields["roomId"].flatMap(UUID.init(uuidString:)), let mine = try await myRooms(ctx).first(where: { $0.id == room }) {
            o["compoundId"] = .string(mine.compoundId.uuidString.lowercased())
        }
        var input: RequestService.NewRequest?
        do {
            input = try FieldReader.decode(FileRequestBody.self, from: o).request(defaultChannel: Self.isResident(ctx.actor) ? .mobile : .web)
        } catch DomainError.invalid(let fields) {
            fields.forEach { errors.add($0) }
        }
        if let f = form.file, RequestPhotos.kind(f.bytes, contentType: f.contentType) == nil { errors.add("photo", "unsupported", Localizer(language: context.language)("request.photoHint")) }
        // Refused: the form again, with what was typed (the photo must be chosen again) and a message beside each field.
        func again(_ fields: [FieldError]) async throws -> Response {
            try await FormState.$current.withValue(FormState(action: SiteURL.requestNew.link(), values: form.fields, errors: fields)) {
                try await newPage(call, errors: fields, status: .unprocessableContent)
            }
        }
        guard errors.isEmpty, let input else { return try await again(errors.all) }
        // A resident filing what neighbours already reported is offered to join theirs first.
        if Self.isResident(ctx.actor), form.fields["confirmNew"] != "1" {
            let same = try await service.similar(ctx, compound: input.compoundId, category: input.category)
            if !same.isEmpty {
                return try await FormState.$current.withValue(FormState(action: SiteURL.requestNew.link(), values: form.fields, errors: [])) {
                    try await newPage(call, errors: [], status: .ok, similar: same)
                }
            }
        }
        do {
            let id = try await service.create(ctx, input)
            if let f = form.file { _ = try await photos.add(ctx, request: id, bytes: f.bytes, contentType: f.contentType) }
            return .seeOther(to: SiteURL.requestPage.link(id.uuidString.lowercased()), flash: "flash.requestFiled")
        } catch DomainError.invalid(let fields) {
            return try await again(fields)
        }
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let id = try RequestAPI.id(context)
        let (r, s) = try await service.get(ctx, id)
        var content: [N] = [H.el("h1", [], [H.t(r.number + " "), RequestPages.statusBadge(r, now: ctx.now, t: t)]),
                            H.el("p", [("class", "description"), ("id", "request-description")], text: r.description)]
        if let into = r.mergedInto, let number = try await service.database.db.sql().raw("SELECT number FROM requests WHERE id = \(bind: into)").first()?
            .decode(column: "number", as: String.self) {
            content.append(H.el("p", [("class", "warn"), ("id", "merged-notice")], [H.t(t("request.mergedNotice")), H.a(SiteURL.requestPage.link(into.text), number)]))
        }
        let pics = try await service.photos(id)
        func gallery(_ stage: PhotoStage, id: String) -> N {
            H.el("div", [("class", "photos"), ("id", id)], pics.filter { $0.stage == stage }.map { p in
                let url = SiteURL.requestPhoto.link(p.id.text)
                return H.el("a", [("href", url), ("class", "photo")], [H.void("img", [("src", url), ("alt", t("request.photo.\(stage.rawValue)")), ("loading", "lazy")])])
            })
        }
        if pics.contains(where: { $0.stage == .report }) { content.append(gallery(.report, id: "report-photos")) }
        if let reply = r.reply { content.append(H.el("div", [("class", "reply"), ("id", "reply")], [H.el("h2", [], text: t("request.reply")), H.el("p", [], text: reply)])) }
        // The finished work, shown to the reporter before the rating form below.
        if pics.contains(where: { $0.stage == .completion }) {
            content.append(H.el("h2", [], text: t("request.completionPhotos")))
            content.append(gallery(.completion, id: "completion-photos"))
        }
        var room: String?
        if let roomId = r.roomId {
            room = try await service.database.db.sql().raw("""
                SELECT b.number AS building, e.number AS entrance, r.number AS room FROM rooms r JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id WHERE r.id = \(bind: roomId)
                """).first().map { row in
                    [try row.decode(column: "building", as: String.self), try row.decode(column: "entrance", as: String.self), try row.decode(column: "room", as: String.self)]
                        .joined(separator: " ")
                }
        }
        content.append(RequestPages.facts(r, phoneVisible: s.overseer || s.handler, room: room, now: ctx.now, t: t))
        if let c = r.whistleCaseId { content.append(H.el("p", [], [H.a(SiteURL.whistleCasePage.link(c.uuidString.lowercased()), t("whistle.case"), [("class", "button")])])) }
        let allowed = Set(RequestRules.allowed(r.status, s, reporterHasAccount: r.reporterUserId != nil))
        let handlers = allowed.contains(.transfer) ? try await handlerChoices(r, t: t) : []
        content.append(RequestPages.actions(r, allowed: allowed, handlers: handlers, csrf: page.csrfToken, t: t))
        if allowed.contains(.photo) && pics.count < RequestPhotos.maxPerRequest {
            let stage = RequestRules.photoStage(s)
            // The token rides in the address too: a multipart body is read only for a caller whose token is right.
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.requestPhotosPage.link(id.text) + "?_csrf=" + page.csrfToken),
                                         ("enctype", "multipart/form-data"), ("class", "record-form"), ("id", "photo-form")], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.el("div", [("class", "field")], [
                    H.el("label", [("for", "add-photo")], text: t(stage == .completion ? "request.addCompletionPhoto" : "request.addPhoto")),
                    H.void("input", [("type", "file"), ("name", "photo"), ("id", "add-photo"), ("accept", "image/jpeg,image/png"), ("capture", "environment"), ("required", nil)]),
                    H.el("p", [("class", "muted")], text: t("request.photoHint")),
                ]),
                H.el("button", [("type", "submit")], text: t("request.upload")),
            ]))
        }
        content.append(H.el("h2", [], text: t("request.timeline")))
        content.append(RequestPages.timeline(try await service.timeline(id), t: t))
        return .html(Layout.render(page, actor: ctx.actor, title: r.number, crumbs: [Crumb(title: t("request.queue"), href: SiteURL.requests.link()),
                                                                                     Crumb(title: r.number, href: nil)], content: content))
    }

    /// Who a request can be re-routed to: the district's companies and departments, the community, the street.
    func handlerChoices(_ r: RequestRecord, t: Localizer) async throws -> [(String, String)] {
        let sql = service.database.db.sql()
        var out: [(String, String)] = [("community:\(r.communityId.uuidString.lowercased())", t("enum.handler_kind.community")),
                                       ("street:\(r.streetId.uuidString.lowercased())", t("enum.handler_kind.street"))]
        for row in try await sql.raw("SELECT id, name FROM departments WHERE district_id = \(bind: r.districtId) ORDER BY name").all() {
            out.append(("department:\(try row.decode(column: "id", as: UUID.self).uuidString.lowercased())", t("enum.handler_kind.department") + " · " + (try row.decode(column: "name", as: String.self))))
        }
        for row in try await sql.raw("""
            SELECT DISTINCT c.id, c.name FROM companies c JOIN contracts k ON k.company_id = c.id WHERE k.compound_id = \(bind: r.compoundId) ORDER BY c.name
            """).all() {
            out.append(("company:\(try row.decode(column: "id", as: UUID.self).uuidString.lowercased())", t("enum.handler_kind.company") + " · " + (try row.decode(column: "name", as: String.self))))
        }
        return out
    }

    func act(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let id = try RequestAPI.id(context)
        var o: [String: JSONValue] = [:]
        for (k, v) in form.fields where k != "_csrf" { o[k] = .string(v) }
        if let r = form["resolved"] { o["resolved"] = .bool(r == "1") }
        // A merge names the request that carries on by its number, as staff read it off a page or a call.
        if form["event"] == "merge" {
            o["intoNumber"] = nil
            let number = (form["intoNumber"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            let found = try await service.database.db.sql().raw("SELECT id FROM requests WHERE number = \(bind: number)").first()?.decode(column: "id", as: UUID.self)
            guard let found else { throw DomainError.invalid([FieldError(field: "intoNumber", code: "unknown_reference", message: "no request has that number")]) }
            o["into"] = .string(found.text)
        }
        if let h = form["handler"], let colon = h.firstIndex(of: ":") {
            o["handlerKind"] = .string(String(h[..<colon])); o["handlerId"] = .string(String(h[h.index(after: colon)...]))
        }
        let body: TransitionBody
        do { body = try FieldReader.decode(TransitionBody.self, from: o) } catch DomainError.invalid(let fields) {
            // The form has one "handler" choice for the API's kind and id.
            throw DomainError.invalid(fields.map { ["handlerKind", "handlerId"].contains($0.field) ? FieldError(field: "handler", code: $0.code, message: $0.message) : $0 })
        }
        if case .merge(let into, let note) = body.move {
            _ = try await service.merge(ctx, id, into: into, note: note)
            return .seeOther(to: SiteURL.requestPage.link(into.text), flash: "flash.merged")
        }
        guard case .act(let action) = body.move else {
            throw DomainError.badRequest(message: "a request is escalated from the whistle-case form")
        }
        _ = try await service.act(ctx, id, action)
        return .seeOther(to: SiteURL.requestPage.link(id.uuidString.lowercased()), flash: "flash.saved")
    }

    /// Overdue requests a board lists (the newest); the count and the link cover the rest.
    static let boardRows = 50

    /// The street's board: overdue requests and open whistle cases, for street and district staff.
    func board(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let street = ctx.actor.grants.first { $0.role == .streetStaff }?.scopeId
        var f = RequestFilter()
        f.overdue = true
        f.streetId = street
        f.limit = Self.boardRows
        let overdue = try await service.list(ctx, f)
        let total = try await service.overdueCount(ctx, streetId: street)
        // The newest overdue ones here; all of them, page by page, in the queue filtered to overdue.
        let all: [N] = total > overdue.items.count
            ? [H.el("p", [], [H.el("a", [("id", "all-overdue"), ("href", SiteURL.requests.link() + "?overdue=1")], text: t("board.allOverdue", total))])] : []
        let cases = try await whistle.list(ctx, status: .open, streetId: street)
        let content: [N] = [
            H.el("h1", [], text: t("board.title")),
            H.el("div", [("class", "tiles")], [
                H.el("div", [("class", "tile")], [H.el("strong", [("id", "overdue-count")], text: "\(total)"), H.el("span", [], text: t("board.overdue"))]),
                H.el("div", [("class", "tile")], [H.el("strong", [("id", "open-cases")], text: "\(cases.count)"), H.el("span", [], text: t("board.openCases"))]),
            ]),
            H.el("h2", [], text: t("board.overdue")),
            RequestPages.queue(overdue.items, now: ctx.now, t: t),
        ] + all + [
            H.el("h2", [], text: t("board.openCases")),
            WhistlePages.list(cases, t: t),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: t("board.title"), crumbs: [Crumb(title: t("board.title"), href: nil)], content: content))
    }
}

