import Domain
import Foundation
import Hummingbird
import SQLKit

/// One meeting: seats and sign-in, the agenda (text or a record by its number), minutes with
/// resolutions, the summary, and the action items' progress. Residents see the published summary.
extension ConsultationWeb {
    func detail(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let v = try await service.get(call.access, try call.id("consultations"))
        let c = v.record, full = v.standing.seesAll, runs = v.standing.runs
        let today = call.access.todayDate
        let action = SiteURL.consultation.link(c.id.text)
        let missing = ConsultationRules.missing(attended: v.attendedParties)
        var content: [N] = [
            H.el("h1", [], [H.t("\(c.number) \(c.title) "), H.el("span", [("class", "badge status-\(c.status.rawValue)"), ("id", "consultation-status")], text: t(c.status.labelKey))]),
            H.el("dl", [("class", "facts pairs")], [
                H.el("dt", [], text: t("consultations.when")), H.el("dd", [], text: Timestamp.local(c.heldAt)),
                H.el("dt", [], text: t("consultations.place")), H.el("dd", [], text: c.place.isEmpty ? "—" : c.place),
                H.el("dt", [], text: t("resource.communities")), H.el("dd", [], text: c.communityName),
                H.el("dt", [], text: t("consultations.compounds")), H.el("dd", [], text: v.compounds.map(\.name).joined(separator: "、")),
            ]),
        ]
        if c.status != .scheduled || v.seats.contains(where: \.attended) {
            content.append(H.el("p", [("class", missing.isEmpty ? "notice" : "warn"), ("id", "five-party")],
                                text: missing.isEmpty ? t("consultations.isFive") : t("consultations.notFive", missing.map { t($0.labelKey) }.joined(separator: "、"))))
        }
        // Seats: names for those who run or sit in it; parties only in the published summary.
        content.append(H.el("h2", [], text: t("consultations.seats")))
        if runs && c.status == .scheduled {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "attendance-form")], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("do", "attendance"),
            ] + v.seats.map { s in
                H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "seat-" + s.id.text), ("value", "1")] + (s.attended ? [("checked", nil)] : [])),
                                                    H.t(" \(t(s.party.labelKey))：\(s.name)")])
            } + [FormControls.submit(t("consultations.signIn"), primary: false)]))
        } else {
            content.append(H.el("ul", [("id", "seats")], v.seats.map { s in
                H.el("li", [], text: t(s.party.labelKey) + (full ? "：" + s.name : "") + " · " + t(s.attended ? "consultations.present" : "consultations.absent"))
            }))
        }
        content.append(H.el("h2", [], text: t("consultations.agenda")))
        content.append(v.agenda.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ol", [("id", "agenda")], v.agenda.map { a in
            var nodes: [N] = [H.el("span", [("class", "badge")], text: t(a.kind.labelKey)), H.t(" " + a.title)]
            if full, let ref = a.refId {
                switch a.kind {
                case .request: nodes.append(H.a(SiteURL.requestPage.link(ref.text), " ↗"))
                case .dispute: nodes.append(H.a(SiteURL.dispute.link(ref.text), " ↗"))
                case .whistleCase: nodes.append(H.a(SiteURL.whistleCasePage.link(ref.text), " ↗"))
                case .survey: nodes.append(H.a(SiteURL.survey.link(ref.text), " ↗"))
                default: break
                }
            }
            if full, let q = a.surveyResult { nodes.append(Self.quote(q, t: t)) }
            if let item = v.carried.first(where: { $0.id == a.actionItemId }) {
                nodes.append(H.el("span", [("class", "muted")], text: " · \(t(item.party.labelKey)) · \(t("consultations.due")) \(item.dueOn) · \(t(item.status.labelKey))"))
            }
            return H.el("li", [], nodes)
        }))
        if runs && c.status == .scheduled {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "agenda-form")], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("do", "agenda"),
                H.el("select", [("name", "kind"), ("aria-label", t("consultations.agendaKind"))], [AgendaKind.text, .request, .dispute, .whistleCase, .survey].map {
                    H.el("option", [("value", $0.rawValue)], text: t($0.labelKey))
                }),
                H.void("input", [("type", "text"), ("name", "title"), ("maxlength", "200"), ("placeholder", t("consultations.agendaOrNumber")),
                                 ("aria-label", t("consultations.agendaOrNumber")), ("required", nil)]),
                FormControls.submit(t("consultations.addAgenda"), primary: false),
            ]))
        }
        if full, let minutes = c.minutes { content += [H.el("h2", [], text: t("consultations.minutes")), H.el("p", [("id", "minutes"), ("class", "prewrap")], text: minutes)] }
        if let summary = c.summary { content += [H.el("h2", [], text: t("consultations.summary")), H.el("p", [("id", "summary"), ("class", "prewrap")], text: summary)] }
        if !v.resolutions.isEmpty || !v.carried.isEmpty {
            content.append(H.el("h2", [], text: t("consultations.resolutions")))
            content.append(H.el("ul", [("id", "resolutions")], (v.resolutions + v.carried).map { item in
                let overdue = ConsultationRules.isOverdue(due: item.dueOn, status: item.status, today: today)
                var nodes: [N] = [H.el("strong", [], text: item.title), H.t(" · \(t(item.party.labelKey)) · \(t("consultations.due")) \(item.dueOn) · "),
                                  H.el("span", [("class", overdue ? "badge overdue" : "badge status-\(item.status.rawValue)")],
                                       text: overdue ? t("consultations.overdue") : t(item.status.labelKey))]
                if full { nodes += item.notes.map { H.el("p", [("class", "muted")], text: "\(Timestamp.local($0.at)) \($0.actor)：\($0.note)") } }
                if runs && item.status == .open {
                    nodes.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form progress-form")], [
                        FormControls.csrf(page.csrfToken), FormControls.hidden("do", "progress"), FormControls.hidden("itemId", item.id.text),
                        H.void("input", [("type", "text"), ("name", "note"), ("required", nil), ("placeholder", t("consultations.progress")), ("aria-label", t("consultations.progress"))]),
                        H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "done"), ("value", "1")]), H.t(" " + t("consultations.markDone"))]),
                        FormControls.submit(t("action.save"), primary: false),
                    ]))
                }
                return H.el("li", [("data-item", item.title)], nodes)
            }))
        }
        if runs && c.status == .scheduled {
            let parties = SeatParty.allCases.map { ($0.rawValue, t($0.labelKey)) }
            let due = today.adding(days: 30).description
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "minutes-form")], [
                H.el("h3", [], text: t("consultations.recordMinutes")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "minutes"),
                FormControls.field("minutes", t("consultations.minutes"), FormControls.textarea("minutes", required: true, rows: 5, maxLength: 20_000)),
            ] + (0..<3).map { i in
                H.el("div", [("class", "inline-form resolution")], [
                    H.void("input", [("type", "text"), ("name", "resolution\(i)"), ("maxlength", "200"), ("placeholder", t("consultations.resolution")),
                                     ("aria-label", t("consultations.resolution"))]),
                    H.el("select", [("name", "resolutionParty\(i)"), ("aria-label", t("consultations.party"))], parties.map { H.el("option", [("value", $0.0)], text: $0.1) }),
                    H.void("input", [("type", "date"), ("name", "resolutionDue\(i)"), ("value", due), ("aria-label", t("consultations.due"))]),
                ])
            } + [FormControls.submit(t("consultations.recordMinutes"))]))
        }
        if runs && c.status == .held {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "publish-form")], [
                H.el("h3", [], text: t("consultations.publish")), FormControls.csrf(page.csrfToken), FormControls.hidden("do", "publish"),
                H.el("p", [("class", "hint")], text: t("consultations.publishHint")),
                FormControls.field("summary", t("consultations.summary"), FormControls.textarea("summary", required: true, rows: 4, maxLength: 10_000)),
                FormControls.submit(t("consultations.publish")),
            ]))
        }
        return .html(Layout.render(page, actor: call.actor, title: c.number, crumbs: [Crumb(title: t("consultations.title"), href: SiteURL.consultations.link()),
                                                                                      Crumb(title: c.number, href: nil)], content: content))
    }

    /// A survey's result as minuted: turnout, then each choice question's options by persons
    /// (and area, when owners answered).
    static func quote(_ q: SurveyQuote, t: Localizer) -> N {
        var lines: [N] = [H.el("p", [], text: t("surveys.turnout", q.respondents, q.eligiblePersons, Ratio(q.respondents, q.eligiblePersons).percentText,
                                               Area(hundredths: q.area).description, Area(hundredths: q.eligibleArea).description, Ratio(q.area, q.eligibleArea).percentText))]
        for question in q.questions where question.kind != QuestionKind.text.rawValue {
            let options = question.options.map { o in
                "\(o.option) \(o.persons)（\(Ratio(o.persons, question.persons).percentText)" + (question.area > 0 ? "，\(t("surveys.byArea")) \(Ratio(o.area, question.area).percentText)" : "") + "）"
            }
            lines.append(H.el("p", [], text: question.text + "：" + options.joined(separator: "；")))
        }
        return H.el("div", [("class", "card survey-quote")], [H.el("strong", [], text: t("consultations.surveyResult", Timestamp.local(Timestamp.parse(q.asOf) ?? Date())))] + lines)
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("consultations")
        switch form["do"] {
        case "attendance":
            let seats = form.fields.filter { $0.key.hasPrefix("seat-") && $0.value == "1" }.keys.compactMap { UUID(uuidString: String($0.dropFirst(5))) }
            _ = try await service.attendance(call.access, consultation: id, attended: Set(seats))
        case "agenda":
            let kind = AgendaKind(rawValue: form["kind"] ?? "") ?? .text
            let text = (form["title"] ?? "").trimmingCharacters(in: .whitespaces)
            var item = ConsultationService.AgendaInput(kind: kind, title: text, refId: nil)
            if kind != .text {
                // A record by its number: GZ… requests, JF… disputes, CS… whistle cases, ZX… surveys.
                let table = switch kind { case .request: "requests"; case .dispute: "disputes"; case .survey: "surveys"; default: "whistle_cases" }
                guard let ref = try await service.db.sql().raw("SELECT id FROM \(unsafeRaw: table) WHERE number = \(bind: text.uppercased())").first()?
                    .decode(column: "id", as: UUID.self) else {
                    throw DomainError.invalid([FieldError(field: "title", code: "unknown_number", message: "no \(kind.rawValue) has the number \(text)")])
                }
                item = .init(kind: kind, title: "", refId: ref)
            }
            _ = try await service.addAgenda(call.access, consultation: id, item)
        case "minutes":
            let resolutions: [JSONValue] = (0..<3).compactMap { i in
                guard let title = form["resolution\(i)"]?.trimmingCharacters(in: .whitespaces), !title.isEmpty else { return nil }
                return .object(["title": .string(title), "party": .string(form["resolutionParty\(i)"] ?? ""), "dueOn": .string(form["resolutionDue\(i)"] ?? "")])
            }
            let body = try FieldReader.decode(MinutesBody.self, from: ["minutes": .string(form["minutes"] ?? ""), "resolutions": .array(resolutions)])
            _ = try await service.minutes(call.access, consultation: id, minutes: body.minutes, resolutions: body.resolutions)
        case "publish":
            let body = try FieldReader.decode(SummaryBody.self, from: ["summary": .string(form["summary"] ?? "")])
            _ = try await service.publish(call.access, consultation: id, summary: body.summary)
        case "progress":
            guard let item = UUID(uuidString: form["itemId"] ?? "") else { throw DomainError.badRequest(message: "which item?") }
            let body = try FieldReader.decode(ProgressBody.self, from: ["note": .string(form["note"] ?? ""), "done": .bool(form["done"] == "1")])
            _ = try await service.progress(call.access, actionItem: item, note: body.note, done: body.done)
        default:
            throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.consultation.link(id.text), flash: "flash.saved")
    }
}
