import Domain
import Foundation
import Hummingbird

/// One survey: its questions and, for those it asks while it is open, the answer form (radio
/// buttons, check boxes, a text box, large enough for a phone); the caller's own answers once
/// given; the results by persons and by area with an SVG chart per question and a CSV.
extension SurveyWeb {
    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t, now = call.access.now
        let id = try call.id("surveys")
        let v = try await service.get(call.access, id), s = v.record
        let action = SiteURL.survey.link(id.text)
        let place = s.compoundName + (v.buildings.isEmpty ? " · " + t("notices.wholeCompound") : " · " + v.buildings.map(\.number).joined(separator: "、"))
        var content: [N] = [
            H.el("h1", [], [H.t(s.title + " "), Self.stateBadge(s, now: now, t: t)]),
            H.el("p", [("class", "muted"), ("id", "survey-meta")],
                 text: "\(s.number) · \(place) · \(t("notices.author.\(s.author.rawValue)")) · \(t(s.audience.labelKey))"
                    + (s.weighted ? " · " + t("surveys.weightedShort") : "")),
            H.el("p", [("id", "survey-closes")], text: t(s.isOpen(now: now) ? "surveys.closesOn" : "surveys.closedOn", Timestamp.local(s.closedAt ?? s.closesAt))
                 + " · " + t("surveys.respondentsN", v.respondents)),
        ]
        if !s.intro.isEmpty { content.append(H.el("div", [("class", "card notice-body"), ("id", "survey-intro")], text: s.intro)) }
        if v.mayAnswer {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form survey-answer"), ("id", "answer-form")],
                                [FormControls.csrf(page.csrfToken), FormControls.hidden("do", "answer")] + Self.answerControls(s, t: t)
                                + [H.el("div", [("class", "form-actions")], [FormControls.submit(t("surveys.submit"))])]))
        } else if let at = v.answeredAt {
            content.append(H.el("h2", [], text: t("surveys.myAnswers")))
            content.append(H.el("p", [("id", "answered-at")], text: t("surveys.answeredAt", Timestamp.local(at))))
            content.append(H.el("ol", [("id", "my-answers")], s.questions.enumerated().map { i, q in
                let a = v.myAnswers[i] ?? SurveyAnswer()
                let text = q.kind == .text ? (a.text ?? "—") : a.choices.compactMap { q.options.indices.contains($0) ? q.options[$0] : nil }.joined(separator: "、")
                return H.el("li", [], [H.el("span", [("class", "muted")], text: q.text + "："), H.t(text)])
            }))
        } else if !v.seesResults {
            content.append(H.el("ol", [("id", "survey-questions")], s.questions.map { q in
                H.el("li", [], text: q.text + (q.options.isEmpty ? "" : "（" + q.options.joined(separator: " / ") + "）"))
            }))
        }
        if v.seesResults {
            let (_, r) = try await service.results(call.access, id)
            content += Self.results(s, r, t: t)
            content.append(H.el("p", [], [H.a(SiteURL.surveyCSV.link(id.text), t("surveys.csv"), [("class", "button"), ("id", "survey-csv")])]))
        } else if v.answeredAt != nil {
            content.append(H.el("p", [("class", "hint")], text: t("surveys.resultsLater")))
        }
        if v.runs && s.isOpen(now: now) {
            let people = try await service.unanswered(s)
            if !people.isEmpty {
                content.append(H.el("details", [("class", "paper-entry")], [
                    H.el("summary", [], text: t("surveys.paperEntry")),
                    H.el("form", [("method", "post"), ("action", action), ("class", "record-form survey-answer"), ("id", "paper-form")],
                         [FormControls.csrf(page.csrfToken), FormControls.hidden("do", "paper"),
                          H.el("p", [("class", "hint")], text: t("surveys.paperHint")),
                          FormControls.field("person", t("surveys.person"), FormControls.select("person", people.map { ($0.key, $0.label) }, blank: t("form.choose")))]
                         + Self.answerControls(s, t: t, prefix: "paper-") + [FormControls.submit(t("surveys.paperSave"), primary: false)]),
                ]))
            }
            content.append(H.el("form", [("method", "post"), ("action", action), ("id", "close-form"), ("data-confirm", t("surveys.closeConfirm"))], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("do", "close"), FormControls.submit(t("surveys.close"), primary: false),
            ]))
        }
        let crumbs = [Crumb(title: t("surveys.title"), href: SiteURL.surveys.link()), Crumb(title: s.number, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: s.title, crumbs: crumbs, content: content))
    }

    /// One control per question: radio buttons, check boxes or a text box, named `answers[i]`
    /// (`answers[i]-j` for each box of a multiple choice).
    static func answerControls(_ s: SurveyRecord, t: Localizer, prefix: String = "") -> [N] {
        s.questions.enumerated().map { i, q in
            let name = "answers[\(i)]"
            let control: N = switch q.kind {
            case .text: FormControls.textarea(name, rows: 3, maxLength: 2_000)
            case .single, .multiple:
                H.el("div", [("class", "choices"), ("id", "f-" + name)], q.options.enumerated().map { j, option in
                    H.el("label", [("class", "check choice")], [
                        H.void("input", q.kind == .single ? [("type", "radio"), ("name", name), ("value", String(j))] + (j == 0 ? [("required", nil)] : [])
                            : [("type", "checkbox"), ("name", "\(name)-\(j)"), ("value", "1")]),
                        H.t(" " + option),
                    ])
                })
            }
            return H.el("fieldset", [("class", "survey-question"), ("data-question", prefix + String(i))], [
                H.el("legend", [], text: "\(i + 1). \(q.text)" + (q.kind == .multiple ? " " + t("surveys.multipleHint") : q.kind == .text ? " " + t("surveys.optionalHint") : "")),
                control,
            ])
        }
    }

    /// The results: turnout by persons and area, then per question a chart (persons, and area
    /// when owners answered) and a table, free-text answers listed.
    static func results(_ s: SurveyRecord, _ r: SurveyResults, t: Localizer) -> [N] {
        var out: [N] = [
            H.el("h2", [], text: t("surveys.results")),
            H.el("p", [("id", "survey-turnout")], text: t("surveys.turnout", r.respondents, r.eligiblePersons, Ratio(r.respondents, r.eligiblePersons).percentText,
                                                          Area(hundredths: r.area).description, Area(hundredths: r.eligibleArea).description,
                                                          Ratio(r.area, r.eligibleArea).percentText)),
        ]
        if s.weighted { out.append(H.el("p", [("class", "hint")], text: t("surveys.weightedHint"))) }
        for (i, q) in r.questions.enumerated() {
            out.append(H.el("h3", [], text: "\(i + 1). \(q.question.text)"))
            if q.question.kind == .text {
                out.append(q.texts.isEmpty ? H.el("p", [("class", "empty")], text: t("surveys.noTexts"))
                    : H.el("ul", [("class", "survey-texts"), ("data-question", String(i))], q.texts.map { H.el("li", [], text: $0) }))
                continue
            }
            out.append(chart(q, index: i, weighted: s.weighted, t: t))
            out.append(H.el("div", [("class", "survey-table"), ("data-question", String(i))], [H.table(
                [t("field.options"), t("surveys.persons"), t("surveys.personShare"), t("field.area"), t("surveys.areaShare")],
                q.options.map { o in
                    [H.t(o.option), H.t("\(o.persons)"), H.t(Ratio(o.persons, q.persons).percentText), H.t(Area(hundredths: o.area).description + " m²"),
                     H.t(Ratio(o.area, q.area).percentText)]
                }, numericFrom: 1)]))
        }
        return out
    }

    /// Horizontal bars per option: persons (and area beneath, when any area answered), as shares
    /// of those who answered the question.
    static func chart(_ q: QuestionResult, index: Int, weighted: Bool, t: Localizer) -> N {
        let width = 300, label = 110, row = q.area > 0 ? 34 : 22
        var nodes: [N] = []
        for (j, o) in q.options.enumerated() {
            let y = j * row + 4
            let pw = q.persons > 0 ? Int(o.persons * Int64(width) / q.persons) : 0
            nodes.append(H.el("text", [("x", "0"), ("y", String(y + 12)), ("class", "bar-label")], text: String(o.option.prefix(8))))
            nodes.append(H.el("rect", [("x", String(label)), ("y", String(y)), ("width", String(pw)), ("height", "14"), ("class", "rank-bar fair")],
                              [H.el("title", [], text: "\(o.option) \(o.persons) \(Ratio(o.persons, q.persons).percentText)")]))
            nodes.append(H.el("text", [("x", String(label + pw + 4)), ("y", String(y + 12)), ("class", "bar-label")], text: Ratio(o.persons, q.persons).percentText))
            if q.area > 0 {
                let aw = Int(o.area * Int64(width) / q.area)
                nodes.append(H.el("rect", [("x", String(label)), ("y", String(y + 16)), ("width", String(aw)), ("height", "10"), ("class", "rank-bar good")],
                                  [H.el("title", [], text: "\(o.option) \(Area(hundredths: o.area)) m² \(Ratio(o.area, q.area).percentText)")]))
                nodes.append(H.el("text", [("x", String(label + aw + 4)), ("y", String(y + 25)), ("class", "bar-label")], text: Ratio(o.area, q.area).percentText))
            }
        }
        let caption: [N] = [H.el("span", [("class", "legend fair")], []), H.t(t("surveys.byPersons"))]
            + (q.area > 0 ? [H.el("span", [("class", "legend good")], []), H.t(t("surveys.byArea") + (weighted ? "（" + t("surveys.weightedShort") + "）" : ""))] : [])
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(label + width + 60) \(q.options.count * row + 8)"), ("role", "img"),
                         ("aria-label", q.question.text), ("class", "survey-chart"), ("data-question", String(index))], nodes),
            H.el("figcaption", [], caption),
        ])
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("surveys")
        switch form["do"] {
        case "close":
            _ = try await service.close(call.access, id)
        default:
            let s = try await service.get(call.access, id).record
            let answers = Self.answers(form, s)
            if form["do"] == "paper" {
                let person = (form["person"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
                guard person.count == 2, let who = UUID(uuidString: person[1]) else {
                    throw DomainError.invalid([FieldError(field: "person", code: "required", message: "the owner or resident who answered")])
                }
                _ = try await service.paper(call.access, id, owner: person[0] == "owner" ? who : nil, resident: person[0] == "resident" ? who : nil, answers: answers)
            } else {
                _ = try await service.respond(call.access, id, answers: answers)
            }
        }
        return .seeOther(to: SiteURL.survey.link(id.text), flash: "flash.saved")
    }

    /// The answers a form holds, by question.
    static func answers(_ form: FormInput, _ s: SurveyRecord) -> [Int: SurveyAnswer] {
        var answers: [Int: SurveyAnswer] = [:]
        for (i, q) in s.questions.enumerated() {
            let name = "answers[\(i)]"
            switch q.kind {
            case .text:
                let text = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { answers[i] = SurveyAnswer(text: text) }
            case .single:
                if let c = form[name].flatMap({ Int($0) }) { answers[i] = SurveyAnswer(choices: [c]) }
            case .multiple:
                let chosen = q.options.indices.filter { form["\(name)-\($0)"] == "1" }
                if !chosen.isEmpty { answers[i] = SurveyAnswer(choices: chosen) }
            }
        }
        return answers
    }

    func csv(_ call: SignedIn) async throws -> Response {
        let t = call.context.page(call.request).t
        let (v, r) = try await service.results(call.access, try call.id("surveys"))
        var lines = [[t("surveys.questionCol"), t("field.options"), t("surveys.persons"), t("surveys.personShare"), t("field.area"), t("surveys.areaShare")]]
        for (i, q) in r.questions.enumerated() {
            let label = "\(i + 1). \(q.question.text)"
            if q.question.kind == .text {
                lines += q.texts.map { [label, $0, "", "", "", ""] }
                continue
            }
            lines += q.options.map { o in
                [label, o.option, "\(o.persons)", Ratio(o.persons, q.persons).percentText, Area(hundredths: o.area).description, Ratio(o.area, q.area).percentText]
            }
        }
        lines.append([t("surveys.respondents"), "", "\(r.respondents)", Ratio(r.respondents, r.eligiblePersons).percentText, Area(hundredths: r.area).description,
                      Ratio(r.area, r.eligibleArea).percentText])
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"survey-\(v.record.number).csv\""],
                        body: .init(byteBuffer: .init(string: "\u{FEFF}" + lines.map(CSV.line).joined(separator: "\r\n") + "\r\n")))
    }
}
