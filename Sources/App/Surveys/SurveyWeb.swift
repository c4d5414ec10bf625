import Domain
import Foundation
import Hummingbird
import SQLKit

/// Survey pages: `/surveys` (those the caller sees, open first, with whether they have answered),
/// asking one, and one survey (`SurveyWeb+Detail`): the answer form on a phone, the results
/// with charts by persons and by area, the CSV.
struct SurveyWeb: Sendable {
    let service: SurveyService
    let notices: NoticeWeb
    /// Question blocks the form offers: three open, the rest folded.
    static let questionSlots = 10

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.surveys, .signedIn) { call in try await list(call) }
        routes.page(.get, SiteURL.newSurvey, .signedIn) { call in try await newForm(call) }
        routes.page(.post, SiteURL.newSurvey, .signedIn) { call in try await create(call) }
        routes.page(.get, SiteURL.survey, .signedIn) { call in try await detail(call) }
        routes.page(.post, SiteURL.survey, .signedIn) { call in try await act(call) }
        routes.page(.get, SiteURL.surveyCSV, .signedIn) { call in try await csv(call) }
    }

    static func stateBadge(_ s: SurveyRecord, now: Date, t: Localizer) -> N {
        s.isOpen(now: now) ? H.el("span", [("class", "badge status-open")], text: t("surveys.open"))
            : H.el("span", [("class", "badge status-closed")], text: t("surveys.closed"))
    }

    func list(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, now = call.access.now
        let surveys = try await service.list(call.access, compound: try MenuAPI.optionalId(call, "compoundId"))
        let mayAsk = !(try await notices.postable(call.access)).isEmpty
        let holder = FeeScope.isHolder(call.actor)
        var content: [N] = [RegistryPages.heading(t("surveys.title"), subtitle: t("surveys.subtitle"),
                                                  actions: mayAsk ? [RegistryPages.button(SiteURL.newSurvey.link(), t("surveys.ask"))] : [])]
        content.append(surveys.isEmpty ? H.el("p", [("class", "empty")], text: t("surveys.none")) : H.el("div", [("id", "survey-list")], [H.table(
            [t("disputes.number"), t("field.title"), t("resource.compounds"), t("notices.author"), t("surveys.closesAt"), t("surveys.respondents"), t("notices.state")],
            surveys.map { s, respondents, answered in
                var title: [N] = [H.a(SiteURL.survey.link(s.id.text), s.title)]
                if holder && s.isOpen(now: now) {
                    title += [H.t(" "), answered ? H.el("span", [("class", "badge status-done")], text: t("surveys.answered"))
                        : H.el("span", [("class", "badge status-open unread")], text: t("surveys.toAnswer"))]
                }
                return [H.a(SiteURL.survey.link(s.id.text), s.number), H.group(title), H.t(s.compoundName), H.t(t("notices.author.\(s.author.rawValue)")),
                        H.t(Timestamp.local(s.closedAt ?? s.closesAt)), H.t("\(respondents)"), Self.stateBadge(s, now: now, t: t)]
            }, numericFrom: 5, rowAttributes: surveys.map { [("data-survey", $0.record.title)] })]))
        return .html(Layout.render(page, actor: call.actor, title: t("surveys.title"), crumbs: [Crumb(title: t("surveys.title"), href: nil)], content: content))
    }

    func newForm(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compounds = try await notices.postable(call.access)
        var compound = try MenuAPI.optionalId(call, "compoundId")
        if compound == nil, let posted = FormState.current?.values["compoundId"] { compound = UUID(uuidString: posted) }
        if compound == nil && compounds.count == 1 { compound = compounds[0].id }
        let crumbs = [Crumb(title: t("surveys.title"), href: SiteURL.surveys.link()), Crumb(title: t("surveys.ask"), href: nil)]
        var content: [N] = [H.el("h1", [], text: t("surveys.ask"))]
        guard let compound, compounds.contains(where: { $0.id == compound }) else {
            guard !compounds.isEmpty else { throw DomainError.forbidden(reason: "the community, the committee and the company ask for opinions") }
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.newSurvey.link()), ("class", "record-form")], [
                FormControls.field("compoundId", t("notices.chooseCompound"), FormControls.select("compoundId", compounds.map { ($0.id.text, $0.name) }, blank: t("form.choose"))),
                FormControls.submit(t("notices.next")),
            ]))
            return .html(Layout.render(page, actor: call.actor, title: t("surveys.ask"), crumbs: crumbs, content: content))
        }
        let place = try await NoticeService.place(compound, today: call.access.today, on: service.db)
        let authors = NoticeRules.authorships(call.actor, place).filter { $0 != .system }
        let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
            .map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "number", as: String.self)) }
        let closes = Timestamp.local(call.access.now.addingTimeInterval(14 * 86_400)).prefix(10) + "T20:00"
        let kinds = QuestionKind.allCases.map { ($0.rawValue, t($0.labelKey)) }
        func question(_ i: Int) -> N {
            let p = "questions[\(i)]"
            return H.el("fieldset", [("class", "survey-question")], [
                H.el("legend", [], text: t("surveys.questionN", i + 1)),
                FormControls.field(p + ".kind", t("surveys.kind"), FormControls.select(p + ".kind", kinds)),
                FormControls.field(p + ".text", t("field.text"), FormControls.input(p + ".text", required: i == 0, [("maxlength", "500")])),
                FormControls.field(p + ".options", t("field.options"), FormControls.textarea(p + ".options", rows: 3, maxLength: 2_200), optional: t("surveys.optionsHint")),
            ])
        }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.newSurvey.link()), ("class", "record-form"), ("id", "survey-form")], [
            FormControls.csrf(page.csrfToken), FormControls.hidden("compoundId", compound.text),
            H.el("p", [("class", "hint")], text: compounds.first { $0.id == compound }?.name ?? ""),
            FormControls.field("author", t("surveys.askAs"), FormControls.select("author", authors.map { ($0.rawValue, t("notices.author.\($0.rawValue)")) })),
            FormControls.field("title", t("field.title"), FormControls.input("title", required: true, [("maxlength", "200")])),
            FormControls.field("intro", t("field.intro"), FormControls.textarea("intro", rows: 3, maxLength: 5_000), optional: t("form.optional")),
            FormControls.field("audience", t("field.audience"), FormControls.select("audience", SurveyAudience.allCases.map { ($0.rawValue, t($0.labelKey)) })),
            H.el("div", [("class", "field"), ("id", "f-buildingIds")], [H.el("span", [("class", "label")], text: t("surveys.buildingsHint"))]
                + buildings.map { b in H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "building-" + b.0), ("value", "1")]), H.t(" " + b.1)]) }),
            H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "weighted"), ("value", "1"), ("id", "f-weighted")]), H.t(" " + t("surveys.weighted"))]),
            FormControls.field("closesAt", t("field.closesAt"), FormControls.input("closesAt", type: "datetime-local", value: String(closes), required: true)),
        ] + (0..<3).map(question) + [
            H.el("details", [("class", "more-questions")], [H.el("summary", [], text: t("surveys.moreQuestions"))] + (3..<Self.questionSlots).map(question)),
            H.el("div", [("class", "form-actions")], [FormControls.submit(t("surveys.ask"))]),
        ]))
        return .html(Layout.render(page, actor: call.actor, title: t("surveys.ask"), crumbs: crumbs, content: content))
    }

    func create(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        var o: [String: JSONValue] = [:]
        for key in ["compoundId", "title", "intro", "audience", "closesAt"] { o[key] = .string(form[key] ?? "") }
        if let a = form["author"], !a.isEmpty { o["author"] = .string(a) }
        o["weighted"] = .bool(form["weighted"] == "1")
        o["buildingIds"] = .array(form.fields.filter { $0.key.hasPrefix("building-") && $0.value == "1" }.keys.sorted().map { .string(String($0.dropFirst(9))) })
        // Blocks left empty are not questions; options are one per line.
        var questions: [JSONValue] = []
        for i in 0..<Self.questionSlots {
            let p = "questions[\(i)]"
            let text = (form[p + ".text"] ?? "").trimmingCharacters(in: .whitespaces)
            let options = (form[p + ".options"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !text.isEmpty || !options.isEmpty else { continue }
            guard questions.count == i else {
                throw DomainError.invalid([FieldError(field: p + ".text", code: "required", message: "fill the questions in order, without gaps")])
            }
            questions.append(.object(["kind": .string(form[p + ".kind"] ?? "single"), "text": .string(text), "options": .array(options.map { .string($0) })]))
        }
        o["questions"] = .array(questions)
        let body = try FieldReader.decode(CreateSurveyBody.self, from: o)
        let id = try await service.create(call.access, body.input)
        return .seeOther(to: SiteURL.survey.link(id.text), flash: "flash.saved")
    }
}
