import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/assessment`: scorecards of a street's (or the district's) companies or compounds for a month,
/// quarter or year, each opening onto what it came from; `/assessment/lists`: the red and black
/// lists (published, or a preview the street may publish) with CSV; `/assessment/placings/{id}`:
/// a placing and its consequences; `/assessment/companies/{id}`: a company's placings over time.
struct ScorecardWeb: Sendable {
    let service: AssessmentService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.scorecardsPage, .signedIn) { call in try await scorecards(call) }
        routes.page(.get, SiteURL.compoundScorePage, .signedIn) { call in try await compound(call) }
        routes.page(.get, SiteURL.listsPage, .signedIn) { call in try await lists(call) }
        routes.page(.post, SiteURL.listsPage, .signedIn) { call in try await publish(call) }
        routes.page(.get, SiteURL.listsCSV, .signedIn) { call in try await csv(call) }
        routes.page(.get, SiteURL.placingPage, .signedIn) { call in try await placing(call, status: .ok) }
        routes.page(.post, SiteURL.placingPage, .signedIn) { call in try await consequence(call) }
        routes.page(.get, SiteURL.companyPlacingsPage, .signedIn) { call in try await company(call) }
    }

    struct Query {
        var street: UUID?
        var period: AssessmentPeriod
        var level: AssessmentService.Level
        var link: String { "streetId=\(street?.text ?? "")&period=\(period)&level=\(level.rawValue)" }
    }

    static func query(_ call: SignedIn) throws -> Query {
        let q = call.query
        return Query(street: try AssessmentAPI.optionalID(q.get("streetId"), "streetId"), period: try AssessmentAPI.period(q.get("period"), today: call.access.today),
                     level: try AssessmentAPI.optionalChoice(q.get("level"), "level", AssessmentService.Level.self) ?? .company)
    }

    /// Streets the caller may choose between: the district's for its admins, else their own.
    func streets(_ actor: Actor) async throws -> [(UUID, String)] {
        let districts = actor.grants.filter { $0.role == .districtAdmin }.map(\.scopeId)
        let own = actor.grants.compactMap { g -> UUID? in g.role == .streetStaff ? g.scopeId : g.role == .communityStaff ? g.streetId : nil }
        var out: [(UUID, String)] = []
        for d in districts {
            out += try await service.db.sql().raw("SELECT id, name FROM streets WHERE district_id = \(bind: d) ORDER BY name").all()
                .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        }
        for s in own where !out.contains(where: { $0.0 == s }) {
            if let name = try await service.db.sql().raw("SELECT name FROM streets WHERE id = \(bind: s)").first()?.decode(column: "name", as: String.self) { out.append((s, name)) }
        }
        return out
    }

    func filter(_ q: Query, action: String, streets: [(UUID, String)], levels: Bool, t: Localizer) -> N {
        var fields: [N] = []
        if streets.count > 1 || (streets.count == 1 && q.street == nil) {
            fields.append(FormControls.field("streetId", t("resource.streets"), FormControls.select("streetId", streets.map { ($0.0.text, $0.1) }, selected: q.street?.text,
                                                                                                   blank: t("assessment.allStreets"))))
        } else if let s = q.street ?? streets.first?.0 { fields.append(FormControls.hidden("streetId", s.text)) }
        fields.append(FormControls.field("period", t("assessment.period"), FormControls.input("period", value: q.period.description,
                                                                                              [("pattern", "[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?"), ("placeholder", "2026-Q3")])))
        if levels {
            fields.append(FormControls.field("level", t("assessment.level"), FormControls.select("level", AssessmentService.Level.allCases.map {
                ($0.rawValue, t("assessment.level.\($0.rawValue)"))
            }, selected: q.level.rawValue)))
        }
        return H.el("form", [("method", "get"), ("action", action), ("class", "filters"), ("id", "assessment-filter")], fields + [FormControls.submit(t("filter.apply"), primary: false)])
    }

    static func score(_ s: ExactScore?) -> N { H.t(s.map { FixedPoint2.format($0.hundredths) } ?? "—") }

    func scorecards(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        var q = try Self.query(call)
        let streets = try await streets(call.actor)
        if q.street == nil && !call.actor.has(.districtAdmin) { q.street = streets.first?.0 }
        let rows = try await service.scorecards(call.access, street: q.street, period: q.period, level: q.level)
        var actions: [N] = [RegistryPages.button(SiteURL.listsPage.link() + "?streetId=\(q.street?.text ?? "")&period=\(q.period)", t("assessment.lists")),
                            RegistryPages.button(SiteURL.inspectionsPage.link(), t("inspections.title"))]
        if let s = q.street, Policy.isStaffOver(call.actor, district: try await service.streetPlace(call.access, s).district, street: s, community: nil) {
            actions.append(RegistryPages.button(SiteURL.assessmentSettingsPage.link(s.text), t("assessment.settings")))
        }
        var content: [N] = [RegistryPages.heading(t("assessment.title"), subtitle: t("assessment.subtitle"), actions: actions),
                            filter(q, action: SiteURL.scorecardsPage.link(), streets: streets, levels: true, t: t)]
        let months = q.period.months.count > 1 ? q.period.months : []
        // Competition ranks among the inspected (equal exact scores share a place).
        var ranks: [Int] = []
        for (n, r) in rows.enumerated() { ranks.append(n > 0 && rows[n - 1].card.isRanked && rows[n - 1].card.total == r.card.total ? ranks[n - 1] : n + 1) }
        content.append(rows.isEmpty ? H.el("p", [("class", "empty")], text: t("assessment.none")) : H.el("div", [("id", "scorecards")], [H.table(
            [t("assessment.rank"), t(q.level == .company ? "resource.companies" : "resource.compounds"), t("resource.streets"), t("assessment.total"),
             t("assessment.part.inspection"), t("assessment.part.requests"), t("assessment.part.residents"), t("assessment.part.party"), t("assessment.inspections")]
                + months.map { String($0.suffix(2)) + t("assessment.monthSuffix") },
            rows.enumerated().map { (n: Int, r: AssessmentService.ScoreRow) -> [N] in
                let link = q.level == .compound ? SiteURL.compoundScorePage.link(r.id.text) + "?period=\(q.period)"
                    : SiteURL.companyPlacingsPage.link(r.id.text) + "?period=\(q.period)&streetId=\(r.streetId.text)"
                return [H.t(r.card.isRanked ? "\(ranks[n])" : t("assessment.notRanked")), H.a(link, r.name), H.t(r.streetName), Self.score(r.card.total), Self.score(r.card.inspection),
                        Self.score(r.card.requests), Self.score(r.card.residents), Self.score(r.card.party), H.t("\(r.inputs.inspections)")]
                    + r.monthCards.filter { _ in !months.isEmpty }.map { Self.score($0.card.total) }
            }, numericFrom: 3, rowAttributes: rows.map { [("data-unit", $0.name)] })]))
        content.append(H.el("p", [("class", "hint")], text: t("assessment.method")))
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.title"), crumbs: [Crumb(title: t("assessment.title"), href: nil)], content: content))
    }

    func compound(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let q = try Self.query(call), id = try call.id("compounds")
        let d = try await service.compoundDetail(call.access, compound: id, period: q.period)
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: id)").first()?.decode(column: "name", as: String.self) ?? "—"
        var content: [N] = [H.el("h1", [], text: "\(name) · \(q.period)")]
        if let r = d.row {
            content.append(H.el("div", [("class", "figures"), ("id", "score-parts")], [
                ("total", r.card.total), ("inspection", r.card.inspection), ("requests", r.card.requests), ("residents", r.card.residents), ("party", r.card.party),
            ].map { key, s in
                H.el("div", [("class", "figure"), ("data-part", key)], [H.el("div", [("class", "value")], text: s.map { FixedPoint2.format($0.hundredths) } ?? "—"),
                                                                        H.el("div", [("class", "label")], text: t(key == "total" ? "assessment.total" : "assessment.part." + key))])
            }))
            if r.monthCards.count > 1 {
                content.append(H.table([t("assessment.month"), t("assessment.total")], r.monthCards.map { [H.t($0.month), Self.score($0.card.total)] }, numericFrom: 1))
            }
        } else {
            content.append(H.el("p", [("class", "empty")], text: t("assessment.none")))
        }
        content.append(H.el("h2", [], text: t("inspections.title") + "（\(d.inspections.count)）"))
        content.append(H.el("ul", [("id", "score-inspections")], d.inspections.map { i in
            H.el("li", [], [H.a(SiteURL.inspectionPage.link(i.id.text), "\(i.inspectedOn) · \(FixedPoint2.format(i.score))"), H.t(" · \(i.inspector) · \(i.companyName ?? "—")")])
        }))
        content.append(H.el("h2", [], text: t("assessment.requests", d.requests.count)))
        content.append(H.el("ul", [("id", "score-requests")], d.requests.map { r in
            H.el("li", [], [H.a(SiteURL.requestPage.link(r.id.text), r.number),
                            H.t(" · \(t("enum.request_category." + r.category)) · \(t("enum.request_status." + r.status))" + (r.rated.map { " · \(t("assessment.rating")) \($0)" } ?? ""))])
        }))
        let crumbs = [Crumb(title: t("assessment.title"), href: SiteURL.scorecardsPage.link() + "?period=\(q.period)&level=compound"), Crumb(title: name, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.title"), crumbs: crumbs, content: content))
    }

    /// The lines of a street's list: published, or (for its staff) what publishing would place.
    func lines(_ call: SignedIn, street: UUID, period: AssessmentPeriod) async throws -> ListAnswer {
        try await AssessmentAPI(service: service).list(call.access, street: street, period: period)
    }

    static func triggers(_ triggers: [PlacingAnswer.Trigger], t: Localizer) -> String {
        triggers.map { tr in t("assessment.trigger.\(tr.code)") + (tr.detail.isEmpty ? "" : "（\(tr.detail)）") }.joined(separator: "；")
    }

    func lists(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        var q = try Self.query(call)
        if q.street == nil, call.query.get("period") == nil { q.period = q.period.previous }
        let streets = try await streets(call.actor)
        if q.street == nil && !call.actor.has(.districtAdmin) { q.street = streets.first?.0 }
        var content: [N] = [RegistryPages.heading(t("assessment.lists"), subtitle: t("assessment.listsSubtitle"), actions: [
            RegistryPages.button(SiteURL.listsCSV.link() + "?streetId=\(q.street?.text ?? "")&period=\(q.period)", t("assessment.csv")),
        ]), filter(q, action: SiteURL.listsPage.link(), streets: streets, levels: false, t: t)]
        if let street = q.street {
            let list = try await lines(call, street: street, period: q.period)
            let place = try await service.streetPlace(call.access, street)
            if !list.published {
                content.append(H.el("p", [("class", "notice"), ("id", "list-preview")], text: t("assessment.preview")))
                let over = (CivilDate(call.access.today).map { q.period.days.to <= $0 }) ?? false
                if Policy.isStaffOver(call.actor, district: place.district, street: street, community: nil) {
                    content.append(over ? H.el("form", [("method", "post"), ("action", SiteURL.listsPage.link()), ("class", "inline-form"), ("id", "publish-form")], [
                        FormControls.csrf(page.csrfToken), FormControls.hidden("streetId", street.text), FormControls.hidden("period", q.period.description),
                        FormControls.submit(t("assessment.publish")),
                    ]) : H.el("p", [("class", "hint")], text: t("assessment.notOver")))
                }
            }
            for kind in ListKind.allCases {
                let mine = list.lines.filter { $0.list == kind.rawValue }
                content.append(H.el("h2", [("class", "list-\(kind.rawValue)")], text: t("assessment.list.\(kind.rawValue)") + "（\(mine.count)）"))
                content.append(mine.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "list-\(kind.rawValue)")], [H.table(
                    [t("resource.companies"), t("assessment.total"), kind == .red ? t("assessment.rank") : t("assessment.triggers")],
                    mine.map { l in
                        [l.placingId.map { H.a(SiteURL.placingPage.link($0), l.company) } ?? H.a(SiteURL.companyPlacingsPage.link(l.companyId) + "?period=\(q.period)&streetId=\(street.text)", l.company),
                         H.t(l.score ?? "—"), H.t(kind == .red ? (l.rank.map { "\($0)" } ?? "—") : Self.triggers(l.triggers, t: t))]
                    }, rowAttributes: mine.map { [("data-company", $0.company)] })]))
            }
        } else {
            // The district: every street's published placings for the period.
            let placings = try await service.placings(call.access, period: q.period)
            for kind in ListKind.allCases {
                let mine = placings.filter { $0.list == kind }
                content.append(H.el("h2", [("class", "list-\(kind.rawValue)")], text: t("assessment.list.\(kind.rawValue)") + "（\(mine.count)）"))
                content.append(mine.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.table(
                    [t("resource.streets"), t("resource.companies"), t("assessment.total"), kind == .red ? t("assessment.rank") : t("assessment.triggers")],
                    mine.map { p in
                        [H.t(p.streetName), H.a(SiteURL.placingPage.link(p.id.text), p.companyName), H.t(Points.text(p.score) ?? "—"),
                         H.t(kind == .red ? (p.rank.map { "\($0)" } ?? "—") : Self.triggers(p.triggers.map { .init(code: $0.code, detail: $0.detail) }, t: t))]
                    }))
            }
        }
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.lists"), crumbs: [
            Crumb(title: t("assessment.title"), href: SiteURL.scorecardsPage.link()), Crumb(title: t("assessment.lists"), href: nil),
        ], content: content))
    }

    func publish(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        guard let street = form["streetId"].flatMap(UUID.init(uuidString:)) else { throw DomainError.invalid([FieldError(field: "streetId", code: "required", message: "choose a street")]) }
        guard let period = form["period"].flatMap(AssessmentPeriod.init) else {
            throw DomainError.invalid([FieldError(field: "period", code: "invalid_format", message: "2026-10, 2026-Q3 or 2026")])
        }
        _ = try await service.publish(call.access, street: street, period: period)
        return .seeOther(to: SiteURL.listsPage.link() + "?streetId=\(street.text)&period=\(period)", flash: "flash.saved")
    }

    func csv(_ call: SignedIn) async throws -> Response {
        let t = call.context.page(call.request).t
        var q = try Self.query(call)
        if q.street == nil && !call.actor.has(.districtAdmin) { q.street = try await streets(call.actor).first?.0 }
        var rows = [[t("resource.streets"), t("assessment.period"), t("assessment.listColumn"), t("resource.companies"), t("assessment.total"), t("assessment.rank"),
                     t("assessment.triggers"), t("assessment.publishedColumn")]]
        if let street = q.street {
            let list = try await lines(call, street: street, period: q.period)
            for l in list.lines {
                rows.append([list.street, list.period, t("assessment.list.\(l.list)"), l.company, l.score ?? "", l.rank.map { "\($0)" } ?? "", Self.triggers(l.triggers, t: t),
                             list.published ? t("coverage.yes") : t("coverage.no")])
            }
        } else {
            for p in try await service.placings(call.access, period: q.period) {
                rows.append([p.streetName, p.period, t("assessment.list.\(p.list.rawValue)"), p.companyName, Points.text(p.score) ?? "", p.rank.map { "\($0)" } ?? "",
                             Self.triggers(p.triggers.map { .init(code: $0.code, detail: $0.detail) }, t: t), t("coverage.yes")])
            }
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"lists-\(q.period).csv\""],
                        body: .init(byteBuffer: .init(string: "\u{FEFF}" + rows.map(CSV.line).joined(separator: "\r\n") + "\r\n")))
    }

    func placing(_ call: SignedIn, status: HTTPResponse.Status) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let p = try await service.placing(call.access, try call.id("placings"))
        let actions = try await service.actions(p.id)
        var content: [N] = [
            H.el("h1", [], [H.t("\(p.companyName) · \(p.streetName) \(p.period) "),
                            H.el("span", [("class", "badge list-\(p.list.rawValue)"), ("id", "placing-list")], text: t("assessment.list.\(p.list.rawValue)"))]),
            H.el("dl", [("class", "facts pairs")], [
                H.el("dt", [], text: t("assessment.total")), H.el("dd", [], text: Points.text(p.score) ?? "—"),
                H.el("dt", [], text: p.list == .red ? t("assessment.rank") : t("assessment.triggers")),
                H.el("dd", [], text: p.list == .red ? (p.rank.map { "\($0)" } ?? "—") : Self.triggers(p.triggers.map { .init(code: $0.code, detail: $0.detail) }, t: t)),
                H.el("dt", [], text: t("assessment.published")), H.el("dd", [], text: "\(p.publishedBy) · \(Timestamp.local(p.publishedAt))"),
            ]),
            H.el("p", [], [H.a(SiteURL.companyPlacingsPage.link(p.companyId.text), t("assessment.history"))]),
            H.el("h2", [], text: t("assessment.consequences")),
            actions.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ol", [("class", "timeline"), ("id", "consequences")], actions.map { a in
                var parts: [N] = [H.t("\(Timestamp.local(a.at)) · \(a.recordedBy) · \(t("assessment.consequence.\(a.kind.rawValue)"))：\(a.note)")]
                if let due = a.dueOn { parts.append(H.t("（\(t("assessment.dueOn")) \(due)）")) }
                if let d = a.decisionId { parts.append(H.t(" · ")); parts.append(H.a(SiteURL.decisionPage.link(d.text), t("assessment.decision"), [("class", "decision-link")])) }
                return H.el("li", [("data-kind", a.kind.rawValue)], parts)
            }),
        ]
        if Policy.isStaffOver(call.actor, district: p.districtId, street: p.streetId, community: nil) {
            let kinds = ConsequenceKind.allCases.filter { $0.list == p.list }
            let compounds = try await service.db.sql().raw("""
                SELECT DISTINCT c.id, c.name FROM compounds c JOIN communities cm ON cm.id = c.community_id JOIN contracts k ON k.compound_id = c.id
                WHERE cm.street_id = \(bind: p.streetId) AND k.company_id = \(bind: p.companyId) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: call.access.today)) ORDER BY c.name
                """).all().map { (try $0.decode(column: "id", as: UUID.self).text, try $0.decode(column: "name", as: String.self)) }
            var fields: [N] = [H.el("h3", [], text: t("assessment.addConsequence")), FormControls.csrf(page.csrfToken),
                               FormControls.field("kind", t("assessment.consequence"), FormControls.select("kind", kinds.map { ($0.rawValue, t("assessment.consequence.\($0.rawValue)")) })),
                               FormControls.field("note", t("field.note"), FormControls.textarea("note", required: true, rows: 2, maxLength: 2_000))]
            if p.list == .black {
                fields.append(FormControls.field("dueOn", t("assessment.dueOn"), FormControls.input("dueOn", type: "date"), optional: t("assessment.forRectification")))
                fields.append(FormControls.field("compoundId", t("resource.compounds"), FormControls.select("compoundId", compounds, blank: "—"), optional: t("assessment.forReplacement")))
            }
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.placingPage.link(p.id.text)), ("class", "record-form"), ("id", "consequence-form")],
                                fields + [FormControls.submit(t("assessment.addConsequence"))]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.lists"), crumbs: [
            Crumb(title: t("assessment.lists"), href: SiteURL.listsPage.link() + "?streetId=\(p.streetId.text)&period=\(p.period)"), Crumb(title: p.companyName, href: nil),
        ], content: content), status: status)
    }

    func consequence(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("placings")
        var errors = FieldErrors()
        let kind = form["kind"].flatMap(ConsequenceKind.init(rawValue:))
        if kind == nil { errors.add("kind", "required", "choose what follows") }
        let due = form["dueOn"].flatMap { $0.isEmpty ? nil : CivilDate($0) }
        let compound = form["compoundId"].flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        do {
            try errors.throwIfAny()
            let action = try await service.addConsequence(call.access, placing: id, .init(kind: kind!, note: form["note"] ?? "", dueOn: due, compoundId: compound))
            if let d = action.decisionId { return .seeOther(to: SiteURL.decisionPage.link(d.text), flash: "flash.saved") }
            return .seeOther(to: SiteURL.placingPage.link(id.text), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            return try await FormState.$current.withValue(FormState(action: SiteURL.placingPage.link(id.text), values: form.fields, errors: fields)) {
                try await placing(call, status: .unprocessableContent)
            }
        }
    }

    func company(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let id = try call.id("companies"), q = try Self.query(call)
        guard let name = try await service.db.sql().raw("SELECT name FROM companies WHERE id = \(bind: id)").first()?.decode(column: "name", as: String.self) else {
            throw DomainError.notFound(entity: "companies", id: id.text)
        }
        let history = try await service.placings(call.access, company: id)
        var content: [N] = [H.el("h1", [], text: name + " · " + t("assessment.history"))]
        if let s = q.street, let row = try? await service.scorecards(call.access, street: s, period: q.period, level: .company).first(where: { $0.id == id }) {
            content.append(H.el("h2", [], text: "\(row.streetName) \(q.period)：\(row.card.total.map { FixedPoint2.format($0.hundredths) } ?? "—")"))
            content.append(H.table([t("assessment.part.inspection"), t("assessment.part.requests"), t("assessment.part.residents"), t("assessment.part.party"), t("assessment.inspections")],
                                   [[Self.score(row.card.inspection), Self.score(row.card.requests), Self.score(row.card.residents), Self.score(row.card.party),
                                     H.t("\(row.inputs.inspections)")]], numericFrom: 0))
            // The compounds the score came from, each opening onto its inspections and requests (staff only).
            if let compounds = try? await service.scorecards(call.access, street: s, period: q.period, level: .compound).filter({ row.compounds.contains($0.id) }),
               !compounds.isEmpty {
                content.append(H.el("h3", [], text: t("assessment.fromCompounds")))
                content.append(H.el("div", [("id", "company-compounds")], [H.table(
                    [t("resource.compounds"), t("assessment.total"), t("assessment.part.inspection"), t("assessment.inspections")],
                    compounds.map { c in
                        [H.a(SiteURL.compoundScorePage.link(c.id.text) + "?period=\(q.period)", c.name), Self.score(c.card.total), Self.score(c.card.inspection),
                         H.t("\(c.inputs.inspections)")]
                    }, numericFrom: 1)]))
            }
        }
        content.append(history.isEmpty ? H.el("p", [("class", "empty")], text: t("assessment.noPlacings")) : H.el("div", [("id", "placing-history")], [H.table(
            [t("assessment.period"), t("resource.streets"), t("assessment.listColumn"), t("assessment.total"), t("assessment.rank")],
            history.map { p in
                [H.a(SiteURL.placingPage.link(p.id.text), p.period), H.t(p.streetName),
                 H.el("span", [("class", "badge list-\(p.list.rawValue)")], text: t("assessment.list.\(p.list.rawValue)")), H.t(Points.text(p.score) ?? "—"),
                 H.t(p.rank.map { "\($0)" } ?? "—")]
            })]))
        return .html(Layout.render(page, actor: call.actor, title: t("assessment.history"), crumbs: [
            Crumb(title: t("assessment.lists"), href: SiteURL.listsPage.link()), Crumb(title: name, href: nil),
        ], content: content))
    }
}
