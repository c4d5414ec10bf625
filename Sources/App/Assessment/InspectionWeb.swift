import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/inspections`: the inspections the caller sees and, for street and community staff, a form to
/// start one; `/inspections/{id}`: scoring on a phone item by item (findings, hazard, note), a
/// photo and a request for each deduction, submission, and the company's answer.
struct InspectionWeb: Sendable {
    let service: AssessmentService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.inspectionsPage, .signedIn) { call in try await list(call) }
        routes.page(.post, SiteURL.inspectionsPage, .signedIn) { call in try await start(call) }
        routes.page(.get, SiteURL.inspectionPage, .signedIn) { call in try await detail(call, status: .ok) }
        routes.page(.post, SiteURL.inspectionPage, .signedIn) { call in try await act(call) }
        routes.page(.post, SiteURL.inspectionPhotoUpload, .signedIn) { call in try await photo(call) }
    }

    static func badge(_ s: InspectionRecord.Status, t: Localizer) -> N {
        H.el("span", [("class", "badge status-\(s == .draft ? "open" : "done")"), ("data-status", s.rawValue)], text: t("inspections.status.\(s.rawValue)"))
    }

    /// Compounds the caller inspects: those of the district, street or community they are staff of.
    func inspectable(_ actor: Actor) async throws -> [(UUID, String)] {
        let parts: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .districtAdmin: "s.district_id = \(bind: g.scopeId)"
            case .streetStaff: "s.id = \(bind: g.scopeId)"
            case .communityStaff: "c.id = \(bind: g.scopeId)"
            default: nil
            }
        }
        guard !parts.isEmpty else { return [] }
        return try await service.db.sql().raw("""
            SELECT p.id, p.name, c.name AS community FROM compounds p JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id WHERE
            """ + "(" + parts.joined(separator: " OR ") + ") ORDER BY c.name, p.name LIMIT 1000").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "community", as: String.self) + " · " + (try $0.decode(column: "name", as: String.self)))
        }
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let items = try await service.inspections(call.access)
        var content: [N] = [RegistryPages.heading(t("inspections.title"), subtitle: t("inspections.subtitle"), actions: [
            RegistryPages.button(SiteURL.scorecardsPage.link(), t("nav.assessment")),
        ])]
        let compounds = try await inspectable(call.actor)
        if !compounds.isEmpty {
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.inspectionsPage.link()), ("class", "record-form"), ("id", "start-inspection")], [
                H.el("h2", [], text: t("inspections.start")), FormControls.csrf(page.csrfToken),
                FormControls.field("compoundId", t("resource.compounds"), FormControls.select("compoundId", compounds.map { ($0.0.text, $0.1) }, blank: t("form.choose"))),
                FormControls.field("inspectedOn", t("inspections.day"), FormControls.input("inspectedOn", type: "date", value: call.access.today, required: true)),
                FormControls.submit(t("inspections.start")),
            ]))
        }
        content.append(items.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "inspection-list")], [H.table(
            [t("inspections.day"), t("resource.compounds"), t("resource.companies"), t("inspections.inspector"), t("inspections.score"), t("request.status")],
            items.map { i in
                [H.a(SiteURL.inspectionPage.link(i.id.text), i.inspectedOn.description), H.t(i.compoundName), H.t(i.companyName ?? "—"), H.t(i.inspector),
                 H.t(FixedPoint2.format(i.score)), Self.badge(i.status, t: t)]
            }, numericFrom: 4, rowAttributes: items.map { [("data-inspection", $0.compoundName)] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("inspections.title"), crumbs: [Crumb(title: t("inspections.title"), href: nil)], content: content))
    }

    func start(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        var errors = FieldErrors()
        let compound = form["compoundId"].flatMap(UUID.init(uuidString:))
        if compound == nil { errors.add("compoundId", "required", "choose a compound") }
        let day = form["inspectedOn"].flatMap { $0.isEmpty ? nil : CivilDate($0) }
        if form["inspectedOn"].map({ !$0.isEmpty && CivilDate($0) == nil }) ?? false { errors.add("inspectedOn", "invalid_format", "a day like 2026-11-30") }
        do {
            try errors.throwIfAny()
            let id = try await service.startInspection(call.access, compound: compound!, on: day)
            return .seeOther(to: SiteURL.inspectionPage.link(id.text), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            return try await FormState.$current.withValue(FormState(action: SiteURL.inspectionsPage.link(), values: form.fields, errors: fields)) {
                var r = try await list(call)
                r.status = .unprocessableContent
                return r
            }
        }
    }

    func detail(_ call: SignedIn, status: HTTPResponse.Status) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, ctx = call.access
        let i = try await service.inspection(ctx, try call.id("inspections"))
        let lines = try await service.lines(i.id), photos = try await service.photos(i.id)
        let scoring = i.status == .draft && i.inspectorUserId != nil && i.inspectorUserId == ctx.actor.id
        let overseer = i.inspectorUserId == ctx.actor.id || Policy.isStaffOver(ctx.actor, district: i.districtId, street: i.streetId, community: nil)
        let action = SiteURL.inspectionPage.link(i.id.text)
        var facts: [N] = [
            H.el("dt", [], text: t("resource.companies")), H.el("dd", [], text: i.companyName ?? t("inspections.noCompany")),
            H.el("dt", [], text: t("inspections.inspector")), H.el("dd", [], text: i.inspector),
            H.el("dt", [], text: t("inspections.score")), H.el("dd", [("id", "inspection-score")], text: FixedPoint2.format(i.score)),
        ]
        if let answer = i.answer {
            facts += [H.el("dt", [], text: t("inspections.answer")), H.el("dd", [("id", "inspection-answer")], text: "\(answer)（\(i.answeredBy ?? "")）")]
        }
        var content: [N] = [
            H.el("h1", [], [H.t("\(i.compoundName) · \(i.inspectedOn) "), Self.badge(i.status, t: t)]),
            H.el("dl", [("class", "facts pairs"), ("id", "inspection-facts")], facts),
        ]
        if scoring {
            content.append(H.el("p", [("class", "hint")], text: t("inspections.scoringHint")))
            var items: [N] = [FormControls.csrf(page.csrfToken), FormControls.hidden("do", "score")]
            for section in InspectionSection.allCases {
                let mine = lines.filter { $0.item.section == section }
                guard !mine.isEmpty else { continue }
                items.append(H.el("h2", [], text: t("inspections.section.\(section.rawValue)")))
                for l in mine {
                    let code = l.item.code
                    var controls: [N] = [
                        FormControls.field("f-\(code)", t("inspections.findings"),
                                           FormControls.input("f-\(code)", type: "number", value: String(l.findings), [("min", "0"), ("max", "99"), ("inputmode", "numeric")])),
                    ]
                    if section.mayBeHazard {
                        controls.append(FormControls.field("h-\(code)", t("inspections.hazard"), FormControls.select("h-\(code)", HazardMark.allCases.map {
                            ($0.rawValue, t("inspections.hazard.\($0.rawValue)"))
                        }, selected: l.hazard.rawValue)))
                    }
                    controls.append(FormControls.field("n-\(code)", t("field.note"), FormControls.input("n-\(code)", value: l.note ?? "", [("maxlength", "500")]),
                                                       optional: t("form.optional")))
                    items.append(H.el("fieldset", [("class", "check-item"), ("data-code", code)], [
                        H.el("legend", [], text: "\(code) \(l.item.text)"),
                        H.el("p", [("class", "hint")], text: t("inspections.itemRule", FixedPoint2.format(l.item.weight), FixedPoint2.format(l.item.deduction))),
                    ] + controls))
                }
            }
            items.append(FormControls.submit(t("inspections.save")))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form check-form"), ("id", "score-form")], items))
        }
        // Deductions: photos, and a request to the company for each.
        let deducted = lines.filter { $0.findings > 0 }
        content.append(H.el("h2", [], text: t("inspections.deductions", deducted.count)))
        content.append(deducted.isEmpty ? H.el("p", [("class", "empty")], text: t("inspections.noDeductions")) : H.el("ul", [("class", "deductions"), ("id", "deductions")], deducted.map { l in
            var parts: [N] = [
                H.el("strong", [], text: "\(l.item.code) \(l.item.text)"),
                H.t(" · " + t("inspections.deductedLine", l.findings, FixedPoint2.format(l.deducted))),
            ]
            if l.hazard != .none { parts.append(H.el("span", [("class", "badge status-open")], text: t("inspections.hazard.\(l.hazard.rawValue)"))) }
            if let note = l.note { parts.append(H.el("p", [], text: note)) }
            let pics = photos.filter { $0.lineId == l.id }
            if !pics.isEmpty {
                parts.append(H.el("div", [("class", "photos")], pics.map { p in
                    let url = SiteURL.inspectionPhoto.link(p.id.text)
                    return H.el("a", [("href", url), ("class", "photo")], [H.void("img", [("src", url), ("alt", l.item.code), ("loading", "lazy")])])
                }))
            }
            if let r = l.requestId {
                parts.append(H.el("p", [], [H.t(t("inspections.request") + "："), H.a(SiteURL.requestPage.link(r.text), l.requestNumber ?? r.text, [("class", "request-link")])]))
            } else if overseer && l.item.section.requestCategory != nil {
                parts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form")], [
                    FormControls.csrf(page.csrfToken), FormControls.hidden("do", "request"), FormControls.hidden("code", l.item.code),
                    FormControls.submit(t("inspections.openRequest"), primary: false),
                ]))
            }
            if i.inspectorUserId == ctx.actor.id {
                parts.append(H.el("form", [("method", "post"), ("action", SiteURL.inspectionPhotoUpload.link(i.id.text) + "?_csrf=" + page.csrfToken),
                                           ("enctype", "multipart/form-data"), ("class", "inline-form photo-form")], [
                    FormControls.csrf(page.csrfToken), FormControls.hidden("code", l.item.code),
                    H.void("input", [("type", "file"), ("name", "photo"), ("accept", "image/jpeg,image/png"), ("capture", "environment"), ("aria-label", t("inspections.photo"))]),
                    FormControls.submit(t("inspections.addPhoto"), primary: false),
                ]))
            }
            return H.el("li", [("data-code", l.item.code)], parts)
        }))
        if scoring {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "submit-form")], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("do", "submit"),
                H.el("p", [("class", "hint")], text: t("inspections.submitHint")), FormControls.submit(t("inspections.submit")),
            ]))
        } else {
            content.append(H.el("h2", [], text: t("inspections.items")))
            content.append(H.table([t("inspections.section"), t("inspections.item"), t("inspections.weight"), t("inspections.findings"), t("inspections.deducted")],
                                   lines.map { l in
                [H.t(t("inspections.section.\(l.item.section.rawValue)")), H.t("\(l.item.code) \(l.item.text)"), H.t(FixedPoint2.format(l.item.weight)),
                 H.t("\(l.findings)"), H.t(FixedPoint2.format(l.deducted))]
            }, numericFrom: 2))
        }
        if let company = i.companyId, i.status != .draft, ctx.actor.grants.contains(where: { $0.role == .companyStaff && $0.scopeId == company }) {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "answer-form")], [
                H.el("h2", [], text: t("inspections.answer")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "answer"),
                FormControls.field("answer", t("inspections.answer"), FormControls.textarea("answer", value: i.answer ?? "", required: true, rows: 3, maxLength: 2_000)),
                FormControls.submit(t("inspections.sendAnswer")),
            ]))
        }
        let crumbs = [Crumb(title: t("inspections.title"), href: SiteURL.inspectionsPage.link()), Crumb(title: i.compoundName, href: nil)]
        return .html(Layout.render(page, actor: ctx.actor, title: t("inspections.title"), crumbs: crumbs, content: content), status: status)
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("inspections"), ctx = call.access, back = SiteURL.inspectionPage.link(id.text)
        switch form["do"] {
        case "score":
            let lines = try await service.lines(id)
            var input: [AssessmentService.LineInput] = [], errors = FieldErrors()
            for l in lines {
                let code = l.item.code
                guard let raw = form["f-\(code)"] else { continue }
                guard let findings = Int64(raw.trimmingCharacters(in: .whitespaces).isEmpty ? "0" : raw.trimmingCharacters(in: .whitespaces)) else {
                    errors.add("f-\(code)", "invalid_format", "a whole number 0–99"); continue
                }
                let hazard = form["h-\(code)"].flatMap(HazardMark.init(rawValue:)) ?? HazardMark.none
                input.append(.init(code: code, findings: findings, note: form["n-\(code)"], hazard: hazard))
            }
            do {
                try errors.throwIfAny()
                try await service.score(ctx, id, lines: input)
            } catch DomainError.invalid(let fields) {
                // lines[3].findings → f-CODE beside the item typed.
                let named = fields.map { e -> FieldError in
                    guard let open = e.field.firstIndex(of: "["), let close = e.field.firstIndex(of: "]"), let n = Int(e.field[e.field.index(after: open)..<close]),
                          n < input.count else { return e }
                    let prefix = e.field.hasSuffix(".hazard") ? "h-" : e.field.hasSuffix(".note") ? "n-" : "f-"
                    return FieldError(field: prefix + input[n].code, code: e.code, message: e.message)
                }
                return try await FormState.$current.withValue(FormState(action: back, values: form.fields, errors: named)) {
                    try await detail(call, status: .unprocessableContent)
                }
            }
        case "submit": try await service.submit(ctx, id)
        case "request":
            let request = try await service.openRequest(ctx, id, code: form["code"] ?? "")
            return .seeOther(to: SiteURL.requestPage.link(request.text), flash: "flash.saved")
        default: try await service.answer(ctx, id, text: form["answer"] ?? "")
        }
        return .seeOther(to: back, flash: "flash.saved")
    }

    /// A photo of a deduction from the phone's camera (multipart, the token in the address too).
    func photo(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let id = try call.id("inspections")
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
            throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "choose a photo")])
        }
        try context.checkCSRF(request.uri.queryParameters.get("_csrf"))
        let form = try MultipartForm.parse(Array(try await request.readBody(limit: BodyLimits.photo + 64 * 1024).readableBytesView), boundary: boundary)
        try context.checkCSRF(form.fields["_csrf"])
        guard let file = form.file, !file.bytes.isEmpty else { throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "choose a photo")]) }
        _ = try await service.addPhoto(call.access, id, code: form.fields["code"] ?? "", bytes: file.bytes, contentType: file.contentType)
        return .seeOther(to: SiteURL.inspectionPage.link(id.text), flash: "flash.photoAdded")
    }
}
