import Domain
import Foundation
import Hummingbird
import SQLKit

/// Notice pages: `/notices` (what the caller sees; owners and residents those up today, unread
/// first), posting one, and one notice (opening it is an owner's or resident's read receipt; its
/// authors see the readings per building and may change or withdraw it; system notices stay as posted).
struct NoticeWeb: Sendable {
    let service: NoticeService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.notices, .signedIn) { call in try await list(call) }
        routes.page(.get, SiteURL.newNotice, .signedIn) { call in try await newForm(call) }
        routes.page(.post, SiteURL.newNotice, .signedIn) { call in try await post(call) }
        routes.page(.get, SiteURL.notice, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.notice, .signedIn) { call in try await withdraw(call) }
        routes.page(.get, SiteURL.noticeEdit, .signedIn) { call in try await editForm(call) }
        routes.page(.post, SiteURL.noticeEdit, .signedIn) { call in try await edit(call) }
    }

    /// Compounds where the caller may post: those of the communities they run, their committee's,
    /// their company's served ones.
    func postable(_ ctx: AccessContext) async throws -> [(id: UUID, name: String)] {
        var parts: [SQLQueryString] = []
        for g in ctx.actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("st.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("cm.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("cm.id = \(bind: g.scopeId)")
            case .committeeMember: parts.append("p.id = \(bind: g.scopeId)")
            case .companyStaff:
                parts.append("""
                    p.id IN (SELECT k.compound_id FROM contracts k WHERE k.company_id = \(bind: g.scopeId) AND k.starts_on <= \(bind: ctx.today)
                    AND (k.ends_on IS NULL OR k.ends_on >= \(bind: ctx.today)))
                    """)
            default: break
            }
        }
        guard !parts.isEmpty else { return [] }
        return try await service.db.sql().raw("""
            SELECT p.id, cm.name || ' · ' || p.name AS name FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE (
            """ + parts.joined(separator: " OR ") + ") ORDER BY st.name, cm.name, p.name LIMIT 500").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func whereText(_ n: NoticeRecord, t: Localizer) -> String {
        var s = n.compoundName + " · " + (n.buildingNumber ?? t("notices.wholeCompound"))
        if let e = n.entranceNumber { s += " " + e }
        return s
    }

    static func stateBadge(_ n: NoticeRecord, today: CivilDate, t: Localizer) -> N {
        let (key, cls) = n.withdrawnAt != nil ? ("notices.withdrawn", "closed") : n.validUntil < today ? ("notices.expired", "closed")
            : n.validFrom > today ? ("notices.upcoming", "open") : ("notices.current", "done")
        return H.el("span", [("class", "badge status-\(cls)")], text: t(key))
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, today = call.access.todayDate
        let holder = FeeScope.isHolder(call.actor) && call.actor.grants.allSatisfy { [.owner, .resident].contains($0.role) }
        let notices = try await service.list(call.access, compound: try MenuAPI.optionalId(call, "compoundId"))
        let mayPost = !(try await postable(call.access)).isEmpty
        var content: [N] = [RegistryPages.heading(t("notices.title"), subtitle: t("notices.subtitle"),
                                                  actions: mayPost ? [RegistryPages.button(SiteURL.newNotice.link(), t("notices.post"))] : [])]
        let ordered = holder ? notices.sorted { !$0.read && $1.read } : notices
        content.append(ordered.isEmpty ? H.el("p", [("class", "empty")], text: t("notices.none")) : H.el("div", [("id", "notice-list")], [H.table(
            [t("disputes.number"), t("field.title"), t("notices.where"), t("notices.author"), t("notices.period"), t("notices.state")],
            ordered.map { n, read in
                [H.a(SiteURL.notice.link(n.id.text), n.number), H.group([H.a(SiteURL.notice.link(n.id.text), n.title)]
                    + (holder && !read ? [H.t(" "), H.el("span", [("class", "badge status-open unread")], text: t("notices.unread"))] : [])),
                 H.t(Self.whereText(n, t: t)), H.t(t("notices.author.\(n.author.rawValue)")), H.t("\(n.validFrom) — \(n.validUntil)"),
                 Self.stateBadge(n, today: today, t: t)]
            },
            rowAttributes: ordered.map { [("data-notice", $0.record.title)] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("notices.title"), crumbs: [Crumb(title: t("notices.title"), href: nil)], content: content))
    }

    func newForm(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compounds = try await postable(call.access)
        var compound = try MenuAPI.optionalId(call, "compoundId")
        if compound == nil && compounds.count == 1 { compound = compounds[0].id }
        let crumbs = [Crumb(title: t("notices.title"), href: SiteURL.notices.link()), Crumb(title: t("notices.post"), href: nil)]
        var content: [N] = [H.el("h1", [], text: t("notices.post"))]
        guard let compound, compounds.contains(where: { $0.id == compound }) else {
            guard !compounds.isEmpty else { throw DomainError.forbidden(reason: "the community, the committee and the company post notices") }
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.newNotice.link()), ("class", "record-form")], [
                FormControls.field("compoundId", t("notices.chooseCompound"), FormControls.select("compoundId", compounds.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.submit(t("notices.next")),
            ]))
            return .html(Layout.render(page, actor: call.actor, title: t("notices.post"), crumbs: crumbs, content: content))
        }
        let place = try await NoticeService.place(compound, today: call.access.today, on: service.db)
        let authors = NoticeRules.authorships(call.actor, place).filter { $0 != .system }
        let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
            .map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "number", as: String.self)) }
        let today = call.access.todayDate
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.newNotice.link()), ("class", "record-form"), ("id", "notice-form")], [
            FormControls.csrf(page.csrfToken), FormControls.hidden("compoundId", compound.text),
            H.el("p", [("class", "hint")], text: compounds.first { $0.id == compound }?.name ?? ""),
            FormControls.field("author", t("field.author"), FormControls.select("author", authors.map { ($0.rawValue, t("notices.author.\($0.rawValue)")) })),
            FormControls.field("buildingId", t("notices.where"), FormControls.select("buildingId", buildings, blank: t("notices.wholeCompound"))),
            FormControls.field("title", t("field.title"), FormControls.input("title", required: true, [("maxlength", "200")])),
            FormControls.field("body", t("field.body"), FormControls.textarea("body", required: true, rows: 8, maxLength: 20_000)),
            FormControls.field("validFrom", t("field.validFrom"), FormControls.input("validFrom", type: "date", value: today.description, required: true)),
            FormControls.field("validUntil", t("field.validUntil"), FormControls.input("validUntil", type: "date", value: today.adding(days: 6).description, required: true)),
            H.el("div", [("class", "form-actions")], [FormControls.submit(t("notices.post"))]),
        ]))
        return .html(Layout.render(page, actor: call.actor, title: t("notices.post"), crumbs: crumbs, content: content))
    }

    func post(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        var o: [String: JSONValue] = [:]
        for key in ["compoundId", "author", "title", "body", "validFrom", "validUntil"] { o[key] = .string(form[key] ?? "") }
        if let b = form["buildingId"], !b.isEmpty { o["buildingId"] = .string(b) }
        let body = try FieldReader.decode(PostNoticeBody.self, from: o)
        let id = try await service.post(call.access, body.input)
        return .seeOther(to: SiteURL.notice.link(id.text), flash: "flash.saved")
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let id = try call.id("notices")
        // Opening the page is the reading: an owner's or resident's first one is their receipt.
        _ = try await service.markRead(call.access, id)
        let v = try await service.get(call.access, id), n = v.record
        var content: [N] = [
            H.el("h1", [], text: n.title),
            H.el("p", [("class", "muted"), ("id", "notice-meta")], text: "\(n.number) · \(Self.whereText(n, t: t)) · \(t("notices.author.\(n.author.rawValue)")) · \(n.validFrom) — \(n.validUntil)"),
            Self.stateBadge(n, today: call.access.todayDate, t: t),
            H.el("div", [("class", "card notice-body"), ("id", "notice-body")], text: n.body),
            H.el("p", [("class", "muted")], text: t("notices.postedBy", n.author == .system ? t("notices.author.system") : n.createdBy, Timestamp.local(n.createdAt))),
        ]
        if n.author == .system { content.append(H.el("p", [("class", "hint"), ("id", "system-hint")], text: t("notices.systemHint"))) }
        if let readAt = v.readAt { content.append(H.el("p", [("id", "read-receipt")], text: t("notices.readAt", Timestamp.local(readAt)))) }
        if !v.attachments.isEmpty {
            content.append(H.el("h2", [], text: t("notices.attachments")))
            content.append(H.el("ul", [("id", "notice-files")], v.attachments.map { H.el("li", [], [H.a(SiteURL.noticeAttachment.link($0.id.text), $0.name)]) }))
        }
        if v.seesReads {
            let reads = try await service.reads(call.access, id)
            content.append(H.el("h2", [], text: t("notices.readsByBuilding")))
            content.append(H.el("p", [("id", "notice-readers")], text: t("notices.readers", v.readers)))
            content.append(H.el("div", [("id", "reads-by-building")], [H.table([t("resource.buildings"), t("notices.rooms"), t("notices.readerCount")],
                reads.map { [H.t($0.building), H.t("\($0.rooms)"), H.t("\($0.readers)")] }, numericFrom: 1)]))
        }
        if v.editable && n.withdrawnAt == nil {
            content.append(H.el("div", [("class", "form-actions")], [
                H.a(SiteURL.noticeEdit.link(id.text), t("notices.edit"), [("class", "button"), ("id", "edit-notice")]),
                H.el("form", [("method", "post"), ("action", SiteURL.notice.link(id.text)), ("id", "withdraw-form"), ("data-confirm", t("notices.withdrawConfirm"))], [
                    FormControls.csrf(page.csrfToken), FormControls.submit(t("notices.withdraw"), primary: false),
                ]),
            ]))
        }
        let crumbs = [Crumb(title: t("notices.title"), href: SiteURL.notices.link()), Crumb(title: n.number, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: n.title, crumbs: crumbs, content: content))
    }

    func withdraw(_ call: SignedIn) async throws -> Response {
        _ = try await FormInput.read(call.request, call.context)
        let id = try await service.withdraw(call.access, try call.id("notices"))
        return .seeOther(to: SiteURL.notice.link(id.text), flash: "flash.saved")
    }

    /// The author's form to change a notice's title, text or last day.
    func editForm(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let id = try call.id("notices")
        let v = try await service.get(call.access, id), n = v.record
        guard n.author != .system else { throw DomainError.conflict(code: "system_notice", message: "a notice the platform posts as the law requires cannot be changed") }
        guard v.editable else { throw DomainError.forbidden(reason: "only its author changes a notice") }
        guard n.withdrawnAt == nil else { throw DomainError.conflict(code: "withdrawn", message: "a withdrawn notice cannot be changed") }
        let crumbs = [Crumb(title: t("notices.title"), href: SiteURL.notices.link()), Crumb(title: n.number, href: SiteURL.notice.link(id.text)),
                      Crumb(title: t("notices.edit"), href: nil)]
        let content: [N] = [
            H.el("h1", [], text: t("notices.edit")),
            H.el("p", [("class", "hint")], text: "\(n.number) · \(Self.whereText(n, t: t)) · \(t("field.validFrom")) \(n.validFrom) · " + t("notices.editHint")),
            H.el("form", [("method", "post"), ("action", SiteURL.noticeEdit.link(id.text)), ("class", "record-form"), ("id", "notice-edit-form")], [
                FormControls.csrf(page.csrfToken),
                FormControls.field("title", t("field.title"), FormControls.input("title", value: n.title, required: true, [("maxlength", "200")])),
                FormControls.field("body", t("field.body"), FormControls.textarea("body", value: n.body, required: true, rows: 8, maxLength: 20_000)),
                FormControls.field("validUntil", t("field.validUntil"), FormControls.input("validUntil", type: "date", value: n.validUntil.description, required: true)),
                H.el("div", [("class", "form-actions")], [FormControls.submit(t("action.save"))]),
            ]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("notices.edit"), crumbs: crumbs, content: content))
    }

    func edit(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let body = try FieldReader.decode(ChangeNoticeBody.self, from: ["title": .string(form["title"] ?? ""), "body": .string(form["body"] ?? ""),
                                                                        "validUntil": .string(form["validUntil"] ?? "")])
        let id = try await service.change(call.access, try call.id("notices"), body.change)
        return .seeOther(to: SiteURL.notice.link(id.text), flash: "flash.saved")
    }
}
