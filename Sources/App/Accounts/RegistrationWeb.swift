import Domain
import Foundation
import Hummingbird
import SQLKit

/// The registration pages: `/register` (an owner by certificate number, or a tenant by an owner's
/// invitation; a code to the phone first), the community's review (`/registrations`), the outbox
/// of codes it reads out, and an owner's tenants (`/rooms/{id}/tenants`).
struct RegistrationWeb: Sendable {
    let service: RegistrationService

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.register, .open) { request, context in try await page(request, context) }
        let clock = routes.clock
        routes.add(.post, SiteURL.registerCode, .open) { request, context in try await sendCode(request, context, now: clock()) }
        routes.add(.post, SiteURL.register, .open) { request, context in try await submit(request, context, now: clock()) }
        routes.page(.get, SiteURL.registrations, .signedIn) { call in try await queue(call) }
        routes.page(.get, SiteURL.registrationPage, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.registrationPage, .signedIn) { call in
            let form = try await FormInput.read(call.request, call.context)
            let id = try call.id("registrations")
            let body = try FieldReader.decode(ReviewBody.self, from: [
                "ownerId": form["do"] == "approve" ? .string(form["ownerId"] ?? "") : .null,
                "reason": form["do"] == "reject" ? .string(form["reason"] ?? "") : .null,
            ])
            if form["do"] == "approve" && body.ownerId == nil { throw DomainError.invalid([FieldError(field: "ownerId", code: "required", message: "choose the owner")]) }
            _ = try await service.review(call.access, id, approveAs: body.ownerId, reason: body.reason)
            return .seeOther(to: SiteURL.registrations.link(), flash: "flash.saved")
        }
        routes.page(.get, SiteURL.registrationPhoto, .signedIn) { call in
            let (bytes, type) = try await service.photo(call.access, try call.id("registrations"))
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, no-store"], body: .init(byteBuffer: .init(bytes: bytes)))
        }
        routes.page(.get, SiteURL.outbox, .signedIn) { call in try await outbox(call) }
        routes.page(.get, SiteURL.roomTenants, .signedIn) { call in try await tenants(call, code: nil) }
        routes.page(.post, SiteURL.roomTenants, .signedIn) { call in
            let form = try await FormInput.read(call.request, call.context)
            let room = try call.id("rooms")
            if form["do"] == "end", let resident = UUID(uuidString: form["residentId"] ?? "") {
                try await service.endTenancy(call.access, room: room, resident: resident)
                return .seeOther(to: SiteURL.roomTenants.link(room.text), flash: "flash.tenancyEnded")
            }
            return try await tenants(call, code: try await service.invite(call.access, room: room))
        }
    }

    func field(_ name: String, _ label: String, _ control: N, hint: String? = nil) -> N {
        H.el("div", [("class", "field")], [H.el("label", [("for", "f-\(name)")], text: label), control] + (hint.map { [H.el("p", [("class", "muted")], text: $0)] } ?? []))
    }

    func input(_ name: String, type: String = "text", value: String = "", _ extra: [(String, String?)] = []) -> N {
        H.void("input", [("type", type), ("id", "f-\(name)"), ("name", name), ("value", value)] + extra)
    }

    /// Step one: the phone (and the compound, for owners) to send a code to; step two: the rest.
    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = context.page(request), t = page.t
        let q = request.uri.queryParameters
        let invite = q.get("invite").flatMap { $0.isEmpty ? nil : $0 }
        let phone = q.get("phone") ?? "", compound = q.get("compoundId").flatMap(UUID.init(uuidString:))
        var content: [N] = [H.el("h1", [], text: t(invite == nil ? "register.title" : "register.tenantTitle")),
                            H.el("p", [("class", "hint")], text: t(invite == nil ? "register.hint" : "register.tenantHint"))]
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        if q.get("sent") == "1" && (compound != nil || invite != nil) {
            let action = SiteURL.register.link() + "?_csrf=" + page.csrfToken
            var fields: [N] = [
                csrf, H.void("input", [("type", "hidden"), ("name", "phone"), ("value", phone)]),
                H.el("p", [("id", "code-sent")], text: t("register.codeSent", phone)),
                field("code", t("register.code"), input("code", value: "", [("inputmode", "numeric"), ("autocomplete", "one-time-code"), ("maxlength", "6"), ("required", nil)])),
                field("name", t("register.name"), input("name", [("maxlength", "50"), ("required", nil), ("autocomplete", "name")])),
            ]
            if let invite {
                fields.append(H.void("input", [("type", "hidden"), ("name", "invitation"), ("value", invite)]))
            } else if let compound {
                fields.append(H.void("input", [("type", "hidden"), ("name", "compoundId"), ("value", compound.text)]))
                fields.append(field("certificate", t("register.certificate"), input("certificate", [("maxlength", "60"), ("required", nil)]), hint: t("register.certificateHint")))
                fields.append(field("roomLabel", t("register.room"), input("roomLabel", [("maxlength", "60"), ("placeholder", "3号楼 2单元 502")])))
                fields.append(field("photo", t("register.photo"), input("photo", type: "file", [("accept", "image/jpeg,image/png"), ("capture", "environment")]),
                                    hint: t("register.photoHint")))
            }
            fields += [
                field("username", t("users.username"), input("username", [("pattern", "[A-Za-z0-9._-]{3,40}"), ("required", nil), ("autocomplete", "username")]),
                      hint: t("users.usernameHint")),
                field("password", t("login.password"), input("password", type: "password", [("minlength", "8"), ("required", nil), ("autocomplete", "new-password")])),
                H.el("button", [("type", "submit"), ("class", "primary big"), ("id", "register-submit")], text: t("register.submit")),
            ]
            content.append(H.el("form", [("method", "post"), ("action", action), ("enctype", "multipart/form-data"), ("class", "record-form"), ("id", "register-form")], fields))
        } else {
            var fields: [N] = [csrf, field("phone", t("register.phone"), input("phone", type: "tel", value: phone, [("pattern", "1[3-9][0-9]{9}"), ("required", nil)]))]
            if let invite {
                fields.append(H.void("input", [("type", "hidden"), ("name", "invitation"), ("value", invite)]))
            } else {
                let find = q.get("q") ?? ""
                let options: [(UUID, String)] = find.isEmpty ? [] : try await service.db.sql().raw("""
                    SELECT p.id, p.name || ' · ' || p.address AS label FROM compounds p WHERE \(SQLSearch.contains("p.name", find)) OR \(SQLSearch.contains("p.address", find))
                    ORDER BY p.name LIMIT 20
                    """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "label", as: String.self)) }
                content.append(H.el("form", [("method", "get"), ("action", SiteURL.register.link()), ("class", "inline-form"), ("id", "compound-finder")], [
                    H.void("input", [("type", "search"), ("name", "q"), ("value", find), ("placeholder", t("register.findCompound")), ("aria-label", t("register.findCompound"))]),
                    H.el("button", [("type", "submit")], text: t("action.search")),
                ]))
                fields.append(field("compoundId", t("resource.compounds"), H.el("select", [("id", "f-compoundId"), ("name", "compoundId"), ("required", nil)],
                    [H.el("option", [("value", "")], text: options.isEmpty ? t("register.findFirst") : t("form.choose"))]
                    + options.map { H.el("option", [("value", $0.0.text)] + ($0.0 == compound ? [("selected", nil)] : []), text: $0.1) })))
            }
            fields.append(H.el("button", [("type", "submit"), ("class", "primary"), ("id", "send-code")], text: t("register.sendCode")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.registerCode.link()), ("class", "record-form"), ("id", "code-form")], fields))
        }
        content.append(H.el("p", [], [H.a(SiteURL.login.link(), t("register.haveAccount"))]))
        return .html(Layout.render(page, actor: context.actor, title: t("register.title"), content: content))
    }

    func sendCode(_ request: Request, _ context: AppRequestContext, now: Date) async throws -> Response {
        let form = try await FormInput.read(request, context)
        let phone = (form["phone"] ?? "").trimmingCharacters(in: .whitespaces)
        let invite = form["invitation"].flatMap { $0.isEmpty ? nil : $0 }
        let compound = form["compoundId"].flatMap(UUID.init(uuidString:))
        if invite == nil && compound == nil { throw DomainError.invalid([FieldError(field: "compoundId", code: "required", message: "choose the compound")]) }
        let target = try await RegistrationAPI(service: service).compound(compound, invitation: invite)
        do {
            try await service.sendCode(phone: phone, compound: target, now: now)
        } catch DomainError.conflict(let code, _) where code == "code_too_soon" {
            // A code went out a moment ago: go on to enter it.
        }
        var next = SiteURL.register.link() + "?sent=1&phone=\(phone)"
        if let invite { next += "&invite=" + (invite.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        if let compound { next += "&compoundId=\(compound.text)" }
        return .seeOther(to: next, flash: "flash.codeSent")
    }

    func submit(_ request: Request, _ context: AppRequestContext, now: Date) async throws -> Response {
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else { throw DomainError.badRequest(message: "send the registration form") }
        try context.checkCSRF(request.uri.queryParameters.get("_csrf"))
        let form = try MultipartForm.parse(Array(try await request.readBody(limit: BodyLimits.photo + 64 * 1024).readableBytesView), boundary: boundary)
        try context.checkCSRF(form.fields["_csrf"])
        func text(_ name: String) -> String? { form.fields[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
        let applicant = RegistrationService.Applicant(
            name: text("name") ?? "", phone: text("phone") ?? "", code: text("code") ?? "", username: text("username") ?? "", password: form.fields["password"] ?? "",
            certificate: text("certificate"), compoundId: text("compoundId").flatMap(UUID.init(uuidString:)), roomLabel: text("roomLabel"), invitation: text("invitation"),
            photo: form.file.flatMap { $0.bytes.isEmpty ? nil : ($0.bytes, $0.contentType) })
        let page = context.page(request), t = page.t
        do {
            let (status, _) = try await service.register(applicant, address: context.address, now: now)
            if status == "approved" { return .seeOther(to: SiteURL.login.link(), flash: "flash.registered") }
            let content: [N] = [H.el("h1", [], text: t("register.pendingTitle")), H.el("p", [("id", "register-pending")], text: t("register.pending"))]
            return .html(Layout.render(page, actor: nil, title: t("register.pendingTitle"), content: content))
        } catch DomainError.invalid(let fields) {
            // Shown again with what was typed (passwords and the photo are chosen again).
            var query = "?sent=1&phone=\(applicant.phone)"
            if let c = applicant.compoundId { query += "&compoundId=\(c.text)" }
            if let i = applicant.invitation { query += "&invite=\(i.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            var head = request.head
            head.method = .get
            head.path = SiteURL.register.link() + query
            let get = Request(head: head, body: RequestBody(buffer: .init()))
            var response = try await FormState.$current.withValue(FormState(action: SiteURL.register.link(), values: form.fields, errors: fields)) {
                try await self.page(get, context)
            }
            response.status = .unprocessableContent
            return response
        }
    }

    func queue(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let rows = try await service.pending(call.access)
        let content: [N] = [
            H.el("h1", [], text: t("registrations.title")),
            H.el("p", [("class", "hint")], [H.t(t("registrations.hint") + " "), H.a(SiteURL.outbox.link(), t("outbox.title"), [("id", "outbox-link")])]),
            rows.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "registrations")], [H.table(
                [t("register.name"), t("resource.compounds"), t("register.room"), t("register.phone"), t("registrations.at")],
                rows.map { r in [H.a(SiteURL.registrationPage.link(r.id.text), r.name), H.t(r.compoundName ?? "—"), H.t(r.roomLabel ?? "—"),
                                 H.t(RequestRules.maskPhone(r.phone)), H.t(Timestamp.local(r.createdAt))] })]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("registrations.title"), crumbs: [Crumb(title: t("registrations.title"), href: nil)], content: content))
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let r = try await service.registration(call.access, try call.id("registrations"))
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        let action = SiteURL.registrationPage.link(r.id.text)
        var content: [N] = [
            H.el("h1", [], text: "\(r.name) · \(t("registrations.title"))"),
            H.el("dl", [("class", "facts")], [
                H.el("dt", [], text: t("resource.compounds")), H.el("dd", [], text: r.compoundName ?? "—"),
                H.el("dt", [], text: t("register.room")), H.el("dd", [], text: r.roomLabel ?? "—"),
                H.el("dt", [], text: t("register.phone")), H.el("dd", [], text: r.phone),
                H.el("dt", [], text: t("users.username")), H.el("dd", [], text: r.username),
                H.el("dt", [], text: t("users.status")), H.el("dd", [("id", "registration-status")], text: t("registration.status.\(r.status)") + (r.reason.map { "：" + $0 } ?? "")),
            ]),
        ]
        if r.hasPhoto {
            content.append(H.el("p", [], [H.el("a", [("href", SiteURL.registrationPhoto.link(r.id.text))], [
                H.void("img", [("src", SiteURL.registrationPhoto.link(r.id.text)), ("alt", t("register.photo")), ("class", "certificate-photo"), ("id", "certificate-photo")]),
            ])]))
        }
        if r.status == "pending" {
            let candidates = try await service.candidates(r)
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "approve-form"), ("data-confirm", t("registrations.confirmApprove"))], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "approve")]),
                field("ownerId", t("registrations.asOwner"), H.el("select", [("id", "f-ownerId"), ("name", "ownerId"), ("required", nil)],
                    [H.el("option", [("value", "")], text: candidates.isEmpty ? t("registrations.noCandidate") : t("form.choose"))]
                    + candidates.map { H.el("option", [("value", $0.id.text)], text: $0.label) }), hint: t("registrations.asOwnerHint")),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("registrations.approve")),
            ]))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "reject-form")], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "reject")]),
                field("reason", t("registrations.reason"), input("reason", [("maxlength", "500"), ("required", nil)])),
                H.el("button", [("type", "submit"), ("class", "danger")], text: t("registrations.reject")),
            ]))
        }
        let crumbs = [Crumb(title: t("registrations.title"), href: SiteURL.registrations.link()), Crumb(title: r.name, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: r.name, crumbs: crumbs, content: content))
    }

    func outbox(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let rows = try await service.outbox(call.access)
        let content: [N] = [
            H.el("h1", [], text: t("outbox.title")),
            H.el("p", [("class", "hint")], text: t("outbox.hint")),
            rows.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "outbox")], [H.table(
                [t("outbox.to"), t("outbox.body"), t("outbox.at"), t("outbox.delivered")],
                rows.map { [H.t($0.recipient), H.t($0.body), H.t(Timestamp.local($0.at)), H.t(t($0.delivered ? "outbox.yes" : "outbox.no"))] })]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("outbox.title"), crumbs: [Crumb(title: t("outbox.title"), href: nil)], content: content))
    }

    /// An owner's tenants of one room: invite (the code is shown once), and end a stay.
    func tenants(_ call: SignedIn, code: String?) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let room = try call.id("rooms")
        let rows = try await service.tenants(call.access, room: room)
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        var content: [N] = [H.el("h1", [], text: t("tenants.title")), H.el("p", [("class", "hint")], text: t("tenants.hint"))]
        if let code {
            let link = SiteURL.register.link() + "?invite=" + code
            content.append(H.el("div", [("class", "flash"), ("id", "invitation")], [
                H.el("p", [], [H.t(t("tenants.code") + " "), H.el("strong", [("id", "invitation-code")], text: code)]),
                H.el("p", [], [H.t(t("tenants.link") + " "), H.a(link, link)]),
                H.el("p", [("class", "muted")], text: t("tenants.once")),
            ]))
        }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.roomTenants.link(room.text)), ("class", "inline-form"), ("id", "invite-form")], [
            csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "invite")]),
            H.el("button", [("type", "submit"), ("class", "primary")], text: t("tenants.invite")),
        ]))
        content.append(rows.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "tenants")], [H.table(
            [t("register.name"), t("tenants.since"), t("list.actions")],
            rows.map { r in [H.t(r.name), H.t(Timestamp.local(r.since)),
                             H.el("form", [("method", "post"), ("action", SiteURL.roomTenants.link(room.text)), ("class", "inline"), ("data-confirm", t("tenants.confirmEnd"))], [
                                 csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "end")]),
                                 H.void("input", [("type", "hidden"), ("name", "residentId"), ("value", r.residentId.text)]),
                                 H.el("button", [("type", "submit")], text: t("tenants.end")),
                             ])] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("tenants.title"), content: content))
    }
}
