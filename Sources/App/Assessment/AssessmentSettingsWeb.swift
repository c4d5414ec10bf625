import Domain
import Foundation
import Hummingbird

/// `/streets/{id}/assessment`: the street's checklist (each item's text, weight and deduction,
/// blank rows to add its own), the weights of a score's four parts and the list rules.
struct AssessmentSettingsWeb: Sendable {
    let service: AssessmentService
    /// Blank rows offered for new items.
    static let spare = 3

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.assessmentSettingsPage, .signedIn) { call in try await page(call, status: .ok) }
        routes.page(.post, SiteURL.assessmentSettingsPage, .signedIn) { call in try await save(call) }
    }

    func page(_ call: SignedIn, status: HTTPResponse.Status) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let street = try call.id("streets")
        let place = try await service.streetPlace(call.access, street)
        let s = try await service.settings(street: street)
        let edits = Policy.isStaffOver(call.actor, district: place.district, street: street, community: nil)
        let sections = InspectionSection.allCases.map { ($0.rawValue, t("inspections.section.\($0.rawValue)")) }
        var rows: [[N]] = []
        let items = s.checklist.map(Optional.some) + Array(repeating: nil, count: edits ? Self.spare : 0)
        for (n, item) in items.enumerated() {
            func cell(_ name: String, _ value: String, _ extra: [(String, String?)] = []) -> N {
                edits ? FormControls.input("\(name)\(n)", value: value, extra + [("aria-label", t("assessment.col.\(name)"))]) : H.t(value)
            }
            rows.append([cell("code", item?.code ?? "", [("size", "4"), ("maxlength", "12")]),
                         edits ? FormControls.select("section\(n)", sections, selected: (item?.section ?? .partyBuilding).rawValue) : H.t(t("inspections.section.\(item?.section.rawValue ?? "")")),
                         cell("text", item?.text ?? "", [("maxlength", "200")]),
                         cell("weight", item.map { FixedPoint2.format($0.weight) } ?? "", [("size", "6"), ("inputmode", "decimal")]),
                         cell("deduction", item.map { FixedPoint2.format($0.deduction) } ?? "", [("size", "6"), ("inputmode", "decimal")])])
        }
        func number(_ name: String, _ value: String) -> N {
            FormControls.field(name, t("assessment.setting.\(name)"), edits ? FormControls.input(name, value: value, [("inputmode", "decimal"), ("size", "8")]) : H.t(value))
        }
        var body: [N] = [
            H.el("h2", [], text: t("assessment.weights")),
            number("weightInspection", "\(s.weights.inspection)"), number("weightRequests", "\(s.weights.requests)"),
            number("weightResidents", "\(s.weights.residents)"), number("weightParty", "\(s.weights.party)"),
            H.el("h2", [], text: t("assessment.rules")),
            number("redTop", "\(s.rules.redTop)"), number("redMinimum", FixedPoint2.format(s.rules.redMinimum)),
            number("blackBelow", FixedPoint2.format(s.rules.blackBelow)), number("monthFloor", FixedPoint2.format(s.rules.monthFloor)),
            H.el("h2", [], text: t("assessment.checklist")),
            H.el("p", [("class", "hint")], text: t("assessment.checklistHint")),
            H.el("div", [("class", "table-scroll")], [H.table(["code", "section", "text", "weight", "deduction"].map { t("assessment.col.\($0)") }, rows)]),
        ]
        if edits {
            body = [FormControls.csrf(page.csrfToken), FormControls.hidden("rows", "\(items.count)")] + body + [FormControls.submit(t("action.save"))]
        }
        let content: [N] = [
            H.el("h1", [], text: t("assessment.settings") + " · " + place.name),
            edits ? H.el("form", [("method", "post"), ("action", SiteURL.assessmentSettingsPage.link(street.text)), ("class", "record-form"), ("id", "settings-form")], body)
                : H.el("div", [], body),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.settings"), crumbs: [
            Crumb(title: t("assessment.title"), href: SiteURL.scorecardsPage.link() + "?streetId=\(street.text)"), Crumb(title: t("assessment.settings"), href: nil),
        ], content: content), status: status)
    }

    func save(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let street = try call.id("streets")
        var errors = FieldErrors()
        func points(_ name: String) -> Int64? {
            guard let raw = form[name], let v = try? FixedPoint2.parse(raw.trimmingCharacters(in: .whitespaces)) else { errors.add(name, "invalid_format", "points like 5.00"); return nil }
            return v
        }
        func whole(_ name: String) -> Int64? {
            guard let raw = form[name], let v = Int64(raw.trimmingCharacters(in: .whitespaces)) else { errors.add(name, "invalid_format", "a whole number"); return nil }
            return v
        }
        var items: [ChecklistItem] = []
        let count = min(Int(form["rows"] ?? "") ?? 0, 200)
        for n in 0..<count {
            let code = (form["code\(n)"] ?? "").trimmingCharacters(in: .whitespaces), text = (form["text\(n)"] ?? "").trimmingCharacters(in: .whitespaces)
            // A row left blank is no item; a row with only some of its cells filled is refused.
            if code.isEmpty && text.isEmpty && (form["weight\(n)"] ?? "").isEmpty { continue }
            guard let section = form["section\(n)"].flatMap(InspectionSection.init(rawValue:)) else { errors.add("section\(n)", "invalid_choice", "choose a section"); continue }
            guard let weight = points("weight\(n)"), let deduction = points("deduction\(n)") else { continue }
            items.append(ChecklistItem(code: code, section: section, text: text, weight: weight, deduction: deduction))
        }
        let weights = ScoreWeights(inspection: whole("weightInspection") ?? 0, requests: whole("weightRequests") ?? 0, residents: whole("weightResidents") ?? 0,
                                   party: whole("weightParty") ?? 0)
        let rules = ListRules(redTop: whole("redTop") ?? 0, redMinimum: points("redMinimum") ?? 0, blackBelow: points("blackBelow") ?? 0, monthFloor: points("monthFloor") ?? 0)
        do {
            try errors.throwIfAny()
            _ = try await service.saveSettings(call.access, street: street, AssessmentSettings(checklist: items, weights: weights, rules: rules))
            return .seeOther(to: SiteURL.assessmentSettingsPage.link(street.text), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            // checklist[2].weight → weight2, beside the cell typed; a problem of the whole list above the table.
            let named = fields.map { e -> FieldError in
                guard e.field.hasPrefix("checklist["), let close = e.field.firstIndex(of: "]"), let n = Int(e.field.dropFirst("checklist[".count).prefix(while: { $0 != "]" })) else { return e }
                return FieldError(field: String(e.field[e.field.index(after: close)...].dropFirst()) + "\(Self.row(of: n, form: form, count: count))", code: e.code, message: e.message)
            }
            return try await FormState.$current.withValue(FormState(action: SiteURL.assessmentSettingsPage.link(street.text), values: form.fields, errors: named)) {
                try await page(call, status: .unprocessableContent)
            }
        }
    }

    /// The form row of the n-th item kept (blank rows are skipped).
    static func row(of n: Int, form: FormInput, count: Int) -> Int {
        var kept = -1
        for r in 0..<count {
            let blank = (form["code\(r)"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty && (form["text\(r)"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                && (form["weight\(r)"] ?? "").isEmpty
            if !blank { kept += 1 }
            if kept == n { return r }
        }
        return n
    }
}
