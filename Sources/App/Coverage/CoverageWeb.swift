import Domain
import Foundation
import Hummingbird

/// `/coverage`: the three rates of the caller's district, street or community with a trend line
/// per rate, its streets or communities to drill into, each compound at community level, the
/// compounds missing one rate (`?missing=`), and `/coverage.csv` of the compounds for Excel.
struct CoverageWeb: Sendable {
    let service: CoverageService

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.coveragePage, .signedIn) { call in try await page(call) }
        routes.page(.get, SiteURL.coverageCSV, .signedIn) { call in try await csv(call) }
        routes.page(.post, SiteURL.districtCoverageSettings, .administer) { call in
            let form = try await FormInput.read(call.request, call.context)
            let district = try call.id("districts")
            try await service.saveSettings(call.access, district: district, CoverageSettings(countStateFallback: form["countStateFallback"] == "1",
                                                                                             countSelfManaged: form["countSelfManaged"] == "1"))
            return .seeOther(to: Self.link(.district, district), flash: "flash.saved")
        }
    }

    static func link(_ level: Level, _ id: UUID, missing: CoverageRules.Rate? = nil) -> String {
        SiteURL.coveragePage.link() + "?level=\(level.table)&id=\(id.text)" + (missing.map { "&missing=\($0.rawValue)" } ?? "")
    }

    static func rateKey(_ r: CoverageRules.Rate) -> String { "coverage.rate.\(r.rawValue)" }

    func page(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let q = try CoverageQuery { call.query.get($0) }
        let u = try await service.unit(call.access, level: q.level, id: q.id)
        let o = try await service.overview(call.access, u)
        let history = try await service.history(call.access, u, current: o.total)
        var content: [N] = [RegistryPages.heading(t("coverage.title") + " · " + u.name, subtitle: t("coverage.subtitle", o.day.description),
                                                  actions: [RegistryPages.button(SiteURL.coverageCSV.link() + "?level=\(u.level.table)&id=\(u.id.text)", t("coverage.csv"))])]
        content.append(H.el("div", [("class", "figures"), ("id", "coverage-figures")], CoverageRules.Rate.allCases.map { r in
            let (n, ratio) = Self.count(o.total, r)
            return H.el("a", [("class", "figure"), ("href", Self.link(u.level, u.id, missing: r)), ("data-rate", r.rawValue)], [
                H.el("div", [("class", "value")], text: ratio.percentText), H.el("div", [("class", "label")], text: "\(t(Self.rateKey(r))) · \(n)/\(o.total.compounds)"),
            ])
        }))
        content.append(H.el("h2", [], text: t("coverage.trend")))
        content.append(Self.trend(history, t: t))
        if u.level == .district && Policy.mayAdminister(call.actor, district: u.id) {
            let open = try await PublicPageService.isOpen(district: u.id, on: service.db)
            let settings = try await service.settings(district: u.id)
            func box(_ name: String, _ on: Bool) -> N {
                H.el("label", [("class", "choice")], [H.void("input", [("type", "checkbox"), ("name", name), ("value", "1")] + (on ? [("checked", nil)] : [])),
                                                      H.t(t("coverage.setting.\(name)"))])
            }
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.districtCoverageSettings.link(u.id.text)), ("class", "inline-form"), ("id", "coverage-settings-form")], [
                FormControls.csrf(page.csrfToken), H.el("span", [], text: t("coverage.countsAsServed")),
                box("countStateFallback", settings.countStateFallback), box("countSelfManaged", settings.countSelfManaged),
                FormControls.submit(t("action.save"), primary: false),
            ]))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.districtPublicPages.link(u.id.text)), ("class", "inline-form"), ("id", "public-pages-form")], [
                FormControls.csrf(page.csrfToken), FormControls.hidden("open", open ? "0" : "1"),
                H.el("span", [("id", "public-pages-state")], text: t(open ? "public.pagesOn" : "public.pagesOff")),
                FormControls.submit(t(open ? "public.turnOff" : "public.turnOn"), primary: false),
            ]))
        }
        if let rate = q.missing {
            let missing = try await service.compounds(call.access, u, missing: rate)
            content.append(H.el("h2", [("id", "missing-heading")], text: t("coverage.missing", t(Self.rateKey(rate)), missing.count)))
            content.append(compoundTable(missing, t: t, id: "missing-list"))
        }
        if !o.children.isEmpty {
            content.append(H.el("h2", [], text: t(u.level == .district ? "coverage.streets" : "coverage.communities")))
            content.append(H.el("div", [("id", "coverage-children")], [H.table(
                [t("field.name"), t("count.compounds")] + CoverageRules.Rate.allCases.map { t(Self.rateKey($0)) },
                o.children.map { c in
                    [H.a(Self.link(c.level, c.id), c.name), H.t("\(c.tally.compounds)")] + CoverageRules.Rate.allCases.map { r in
                        let (n, _) = Self.count(c.tally, r)
                        return H.el("a", [("href", Self.link(c.level, c.id, missing: r)), ("class", "rate-link"), ("data-rate", r.rawValue)],
                                    [RegistryPages.rate(n, c.tally.compounds)])
                    }
                }, numericFrom: 1, rowAttributes: o.children.map { [("data-unit", $0.name)] })]))
        }
        if u.level == .community {
            content.append(H.el("h2", [], text: t("coverage.compounds")))
            content.append(compoundTable(o.compounds, t: t, id: "coverage-compounds"))
        }
        // The units above this one that the caller may also open, for the way back up.
        var crumbs = [Crumb(title: t("coverage.title"), href: nil)]
        let above: [(Level, UUID)] = (u.level == .district ? [] : [(.district, u.district)]) + (u.level == .community ? [(.street, u.street!)] : [])
        for (level, id) in above {
            if let up = try? await service.unit(call.access, level: level, id: id) { crumbs.append(Crumb(title: up.name, href: Self.link(level, id))) }
        }
        crumbs.append(Crumb(title: u.name, href: nil))
        return .html(Layout.render(page, actor: call.actor, title: t("coverage.title"), crumbs: crumbs, content: content))
    }

    static func count(_ tally: CoverageTally, _ r: CoverageRules.Rate) -> (Int64, Ratio) {
        switch r {
        case .committee: (tally.committee, tally.committeeRate)
        case .service: (tally.service, tally.serviceRate)
        case .party: (tally.party, tally.partyRate)
        }
    }

    func compoundTable(_ rows: [(line: CoverageService.Line, coverage: CompoundCoverage)], t: Localizer, id: String) -> N {
        guard !rows.isEmpty else { return H.el("p", [("class", "empty"), ("id", id)], text: t("list.empty")) }
        func mark(_ ok: Bool) -> N { H.el("span", [("class", ok ? "yes" : "no")], text: ok ? "✓ " + t("coverage.meets") : "✗ " + t("coverage.misses")) }
        return H.el("div", [("id", id)], [H.table(
            [t("resource.compounds"), t("resource.communities"), t("resource.streets")] + CoverageRules.Rate.allCases.map { t(Self.rateKey($0)) },
            rows.map { r in
                [H.a(SiteURL.compound.link(r.line.id.text), r.line.name), H.t(r.line.community), H.t(r.line.street),
                 mark(r.coverage.committee), mark(r.coverage.service), mark(r.coverage.party)]
            }, rowAttributes: rows.map { [("data-compound", $0.line.name)] })])
    }

    /// A line per rate over the months, 0–100%, with the last value labelled.
    static func trend(_ history: [(month: String, tally: CoverageTally)], t: Localizer) -> N {
        let w = 640, h = 220, left = 40, bottom = 24, top = 10
        let step = history.count > 1 ? (w - left - 20) / (history.count - 1) : 0
        func y(_ r: Ratio) -> Int { top + (h - top - bottom) - Int((r.basisPoints ?? 0) * Int64(h - top - bottom) / 10_000) }
        var nodes: [N] = [0, 50, 100].map { p in
            let yy = top + (h - top - bottom) * (100 - p) / 100
            return H.group([H.void("line", [("x1", String(left)), ("x2", String(w - 10)), ("y1", String(yy)), ("y2", String(yy)), ("class", "grid")]),
                            H.el("text", [("x", "4"), ("y", String(yy + 4)), ("class", "axis")], text: "\(p)%")])
        }
        for (i, m) in history.enumerated() where history.count <= 13 || i % 2 == 0 {
            // The year on the first month and on each January; the month alone elsewhere.
            let label = i == 0 || m.month.hasSuffix("-01") ? m.month : String(m.month.suffix(2))
            nodes.append(H.el("text", [("x", String(left + i * step - (label.count > 2 ? 20 : 6))), ("y", String(h - 6)), ("class", "axis")], text: label))
        }
        for r in CoverageRules.Rate.allCases {
            let points = history.enumerated().map { i, m in "\(left + i * step),\(y(count(m.tally, r).1))" }.joined(separator: " ")
            nodes.append(H.void("polyline", [("points", points), ("class", "trend trend-\(r.rawValue)"), ("fill", "none"), ("data-rate", r.rawValue)]))
            if let last = history.last {
                nodes.append(H.el("circle", [("cx", String(left + (history.count - 1) * step)), ("cy", String(y(count(last.tally, r).1))), ("r", "3"),
                                             ("class", "trend-dot trend-\(r.rawValue)")], [H.el("title", [], text: "\(t(rateKey(r))) \(count(last.tally, r).1.percentText)")]))
            }
        }
        let legend: [N] = CoverageRules.Rate.allCases.flatMap { r in [H.el("span", [("class", "legend trend-\(r.rawValue)")], []), H.t(t(rateKey(r)) + " ")] }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(w) \(h)"), ("role", "img"), ("aria-label", t("coverage.trend")),
                         ("id", "coverage-trend"), ("data-months", String(history.count))], nodes),
            H.el("figcaption", [], legend),
        ])
    }

    func csv(_ call: SignedIn) async throws -> Response {
        let t = call.context.page(call.request).t
        let q = try CoverageQuery { call.query.get($0) }
        let u = try await service.unit(call.access, level: q.level, id: q.id)
        let rows = try await service.compounds(call.access, u, missing: q.missing)
        var lines = [[t("resource.streets"), t("resource.communities"), t("resource.compounds")] + CoverageRules.Rate.allCases.map { t(Self.rateKey($0)) }]
        for r in rows {
            lines.append([r.line.street, r.line.community, r.line.name] + [r.coverage.committee, r.coverage.service, r.coverage.party].map { $0 ? t("coverage.yes") : t("coverage.no") })
        }
        let day = call.access.todayDate.description
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"coverage-\(day).csv\""],
                        body: .init(byteBuffer: .init(string: "\u{FEFF}" + lines.map(CSV.line).joined(separator: "\r\n") + "\r\n")))
    }
}
