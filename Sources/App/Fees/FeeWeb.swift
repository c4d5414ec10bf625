import Domain
import Foundation
import Hummingbird
import SQLKit

/// The fee pages: `/fees` (the collection rate by compound, community, street or company, with
/// bars and CSV), `/compounds/{id}/fees` (a compound's twelve months, its arrears, making bills),
/// `/rooms/{id}/bills` (a room's bills and payments: pay, refund, dispute) and a printable receipt.
struct FeeWeb: Sendable {
    let service: FeeService

    struct Query: Sendable {
        var month: CivilDate
        var level: FeeService.Level
        var streetId: UUID?
    }

    /// Month (default the last complete one), level (default compound) and street from the address.
    static func query(_ call: SignedIn) throws -> Query {
        let p = call.query
        var errors = FieldErrors()
        let text = p.get("month").flatMap { $0.isEmpty ? nil : $0 } ?? RankOrder.lastCompleteMonth(today: call.access.today)
        let month = text.count == 7 ? CivilDate(text + "-01") : nil
        if month == nil { errors.add("month", "invalid_format", "YYYY-MM") }
        let level = p.get("level").flatMap { $0.isEmpty ? nil : $0 }.map { FeeService.Level(rawValue: $0) } ?? .compound
        if level == nil { errors.add("level", "invalid_choice", FeeService.Level.codes.joined(separator: ", ")) }
        var street: UUID?
        if let s = p.get("streetId"), !s.isEmpty { street = UUID(uuidString: s); if street == nil { errors.add("streetId", "invalid_id", "streetId must be an id") } }
        try errors.throwIfAny()
        return Query(month: month!, level: level!, streetId: street)
    }

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.feesPage, .signedIn) { call in try await overview(call) }
        routes.page(.get, SiteURL.feesCSV, .signedIn) { call in
            let q = try Self.query(call), t = call.context.page(call.request).t
            let rows = try await service.rates(call.access, month: q.month, level: q.level, streetId: q.streetId)
            var lines = [[t("fees.name"), t("fees.billed"), t("fees.collected"), t("fees.rateByAmount"), t("fees.rooms"), t("fees.roomsPaid"), t("fees.rateByRooms")]]
            for r in rows {
                lines.append([r.name, FixedPoint2.format(r.rate.billed), FixedPoint2.format(r.rate.collected), r.rate.byAmount.percentText, "\(r.rate.rooms)",
                              "\(r.rate.roomsPaid)", r.rate.byRooms.percentText])
            }
            let month = String(q.month.description.prefix(7))
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"collection-\(q.level.rawValue)-\(month).csv\""],
                            body: .init(byteBuffer: .init(string: "\u{FEFF}" + lines.map(CSV.line).joined(separator: "\r\n") + "\r\n")))
        }
        routes.page(.post, SiteURL.feesPage, .administer) { call in
            let form = try await FormInput.read(call.request, call.context)
            guard let district = call.actor.grants.first(where: { $0.role == .districtAdmin })?.scopeId else { throw DomainError.forbidden(reason: "district admins only") }
            let raw = form["vacantDiscountPercent"] ?? ""
            let body = try FieldReader.decode(FeeSettingsBody.self, from: ["vacantDiscountPercent": Int64(raw).map { .int($0) } ?? .string(raw)])
            _ = try await service.setVacantDiscount(call.access, district: district, percent: body.vacantDiscountPercent)
            return .seeOther(to: SiteURL.feesPage.link(), flash: "flash.saved")
        }
        routes.page(.get, SiteURL.compoundFees, .signedIn) { call in try await compound(call) }
        routes.page(.post, SiteURL.compoundFees, .signedIn) { call in
            let form = try await FormInput.read(call.request, call.context)
            let compound = try call.id("compounds")
            let body = try FieldReader.decode(BillRunBody.self, from: ["month": .string(form["month"] ?? "")])
            _ = try await service.generate(call.access, compound: compound, month: body.month)
            return .seeOther(to: SiteURL.compoundFees.link(compound.text) + "?month=" + String(body.month.description.prefix(7)), flash: "flash.billsMade")
        }
        routes.page(.get, SiteURL.roomBills, .signedIn) { call in try await room(call) }
        routes.page(.get, SiteURL.compoundMeters, .signedIn) { call in try await meters(call) }
        routes.page(.post, SiteURL.compoundMeters, .signedIn) { call in
            let form = try await FormInput.read(call.request, call.context, limit: BodyLimits.import)
            let compound = try call.id("compounds")
            if form["do"] == "meter" {
                let body = try FieldReader.decode(MeterBody.self, from: ["name": .string(form["name"] ?? ""), "kind": .string(form["kind"] ?? ""),
                                                                         "buildingId": (form["buildingId"] ?? "").isEmpty ? .null : .string(form["buildingId"]!),
                                                                         "unitPrice": .string(form["unitPrice"] ?? "")])
                _ = try await service.addMeter(call.access, compound: compound, name: body.name, kind: body.kind, building: body.buildingId, unitPrice: body.unitPrice.fen)
                return .seeOther(to: SiteURL.compoundMeters.link(compound.text), flash: "flash.saved")
            }
            let readings = try FeeService.readings(csv: form["csv"] ?? "")
            guard !readings.isEmpty else { throw DomainError.invalid([FieldError(field: "csv", code: "required", message: "one line per reading")]) }
            _ = try await service.record(call.access, compound: compound, readings: readings)
            return .seeOther(to: SiteURL.compoundMeters.link(compound.text), flash: "flash.readingsRecorded")
        }
        routes.page(.post, SiteURL.roomBills, .signedIn) { call in try await roomAction(call) }
        routes.page(.get, SiteURL.receipt, .signedIn) { call in try await receipt(call) }
        routes.page(.get, SiteURL.roomNotice, .signedIn) { call in try await notice(call) }
    }

    func monthText(_ d: CivilDate) -> String { String(d.description.prefix(7)) }

    func overview(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        var q = try Self.query(call)
        if call.query.get("streetId") == nil, let mine = call.actor.grants.first(where: { $0.role == .streetStaff })?.scopeId { q.streetId = mine }
        let rows = try await service.rates(call.access, month: q.month, level: q.level, streetId: q.streetId)
        let districts = call.actor.grants.compactMap { $0.role == .districtAdmin ? $0.scopeId : $0.districtId }
        let streets = try await service.db.sql().raw("SELECT id, name FROM streets WHERE district_id IN " + UserAdmin.inList(Set(districts)) + " ORDER BY name").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
        }
        var total = CollectionRate()
        for r in rows { total.billed += r.rate.billed; total.collected += r.rate.collected; total.rooms += r.rate.rooms; total.roomsPaid += r.rate.roomsPaid }
        let filter = "?month=\(monthText(q.month))&level=\(q.level.rawValue)" + (q.streetId.map { "&streetId=\($0.text)" } ?? "")
        var content: [N] = [
            H.el("h1", [], text: "\(t("fees.title")) · \(monthText(q.month))"),
            H.el("form", [("method", "get"), ("action", SiteURL.feesPage.link()), ("class", "filters")], [
                H.el("label", [], [H.t(t("rank.month")), H.void("input", [("type", "month"), ("name", "month"), ("value", monthText(q.month)), ("id", "month")])]),
                H.el("label", [], [H.t(t("fees.levelLabel")), H.el("select", [("name", "level"), ("id", "level")], FeeService.Level.allCases.map { l in
                    H.el("option", [("value", l.rawValue)] + (l == q.level ? [("selected", nil)] : []), text: t("fees.level.\(l.rawValue)"))
                })]),
                H.el("label", [], [H.t(t("rank.street")), H.el("select", [("name", "streetId"), ("id", "street")],
                    [H.el("option", [("value", "")], text: t("rank.wholeDistrict"))] + streets.map { s in
                        H.el("option", [("value", s.0.text)] + (s.0 == q.streetId ? [("selected", nil)] : []), text: s.1)
                    })]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("fees.rateByAmount"), total.byAmount.percentText),
                RegistryPages.figure(t("fees.rateByRooms"), total.byRooms.percentText),
                RegistryPages.figure(t("fees.billed"), FixedPoint2.grouped(total.billed)),
                RegistryPages.figure(t("fees.collected"), FixedPoint2.grouped(total.collected)),
            ]),
            H.el("p", [("class", "hint")], text: t("fees.explain")),
        ]
        if rows.isEmpty {
            content.append(H.el("p", [("class", "empty")], text: t("fees.none")))
        } else {
            content.append(Self.bars(rows.prefix(30).map { ($0.name, $0.rate.byAmount) }, label: t("fees.lowest"), id: "collection-chart"))
            let paging = RankingPages.Paging(total: rows.count, page: Int(call.query.get("page") ?? "") ?? 1, param: "page", link: SiteURL.feesPage.link() + filter, other: "")
            content.append(H.el("div", [("id", "collection-table")], [H.table(
                [t("fees.name"), t("fees.billed"), t("fees.collected"), t("fees.rateByAmount"), t("fees.roomsPaid"), t("fees.rateByRooms")],
                paging.slice(rows).map { r in
                    [q.level == .compound ? H.a(SiteURL.compoundFees.link(r.id.text) + "?month=\(monthText(q.month))", r.name) : H.t(r.name),
                     H.t(FixedPoint2.grouped(r.rate.billed)), H.t(FixedPoint2.grouped(r.rate.collected)), H.el("strong", [], text: r.rate.byAmount.percentText),
                     H.t("\(r.rate.roomsPaid) / \(r.rate.rooms)"), H.t(r.rate.byRooms.percentText)]
                }, numericFrom: 1)]))
            content.append(paging.links(t: t))
        }
        content.append(H.el("p", [], [H.a(SiteURL.feesCSV.link() + filter, t("rank.csv"), [("class", "button"), ("id", "collection-csv")])]))
        if let district = call.actor.grants.first(where: { $0.role == .districtAdmin })?.scopeId {
            let pct = try await service.vacantDiscount(district: district, on: service.db)
            content.append(H.el("h2", [], text: t("fees.settings")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.feesPage.link()), ("class", "inline-form"), ("id", "fee-settings")], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.el("label", [], [H.t(t("fees.vacantDiscount") + " "), H.void("input", [("type", "number"), ("name", "vacantDiscountPercent"), ("min", "0"), ("max", "100"),
                                                                                    ("value", String(pct)), ("required", nil)]), H.t(" %")]),
                H.el("button", [("type", "submit")], text: t("action.save")),
            ]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("fees.title"), crumbs: [Crumb(title: t("fees.title"), href: nil)], content: content))
    }

    /// Horizontal bars of rates (0–100%), as SVG.
    static func bars(_ items: [(String, Ratio)], label: String, id: String) -> N {
        let rowHeight = 22, labelWidth = 200, barWidth = 360
        var nodes: [N] = []
        for (i, (name, rate)) in items.enumerated() {
            let y = i * rowHeight + 5
            let bp = Int(rate.basisPoints ?? 0)
            let w = bp * barWidth / 10_000
            let short = name.count > 12 ? String(name.prefix(11)) + "…" : name
            nodes.append(H.el("text", [("x", String(labelWidth - 6)), ("y", String(y + 15)), ("text-anchor", "end"), ("class", "bar-label")], text: short))
            nodes.append(H.el("rect", [("x", String(labelWidth)), ("y", String(y + 3)), ("width", String(max(1, w))), ("height", "15"),
                                       ("class", bp >= 9000 ? "rank-bar good" : bp >= 7000 ? "rank-bar fair" : "rank-bar poor")], [H.el("title", [], text: "\(name) \(rate.percentText)")]))
            nodes.append(H.el("text", [("x", String(labelWidth + w + 4)), ("y", String(y + 15)), ("class", "bar-value")], text: rate.percentText))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(labelWidth + barWidth + 70) \(items.count * rowHeight + 10)"), ("role", "img"),
                         ("aria-label", label), ("id", id)], nodes),
            H.el("figcaption", [], text: label),
        ])
    }

    /// Twelve months of a compound's rate as a line of columns.
    static func trend(_ months: [(month: CivilDate, rate: CollectionRate)], label: String) -> N {
        let width = 40, height = 120
        var nodes: [N] = []
        for (i, m) in months.enumerated() {
            let bp = Int(m.rate.byAmount.basisPoints ?? 0)
            let h = bp * height / 10_000
            let x = i * width + 10
            nodes.append(H.el("rect", [("x", String(x)), ("y", String(height - h + 10)), ("width", String(width - 10)), ("height", String(max(h, m.rate.billed > 0 ? 1 : 0))),
                                       ("class", bp >= 9000 ? "rank-bar good" : bp >= 7000 ? "rank-bar fair" : "rank-bar poor")],
                              [H.el("title", [], text: "\(m.month.description.prefix(7)) \(m.rate.billed > 0 ? m.rate.byAmount.percentText : "—")")]))
            nodes.append(H.el("text", [("x", String(x + (width - 10) / 2)), ("y", String(height + 26)), ("text-anchor", "middle"), ("class", "bar-label")],
                              text: String(m.month.month)))
        }
        return H.el("figure", [("class", "chart")], [
            H.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(months.count * width + 20) \(height + 34)"), ("role", "img"),
                         ("aria-label", label), ("id", "collection-trend")], nodes),
            H.el("figcaption", [], text: label),
        ])
    }

    func compound(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compound = try call.id("compounds")
        let q = try Self.query(call)
        let arrears = try await service.arrears(call.access, compound: compound)
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let months = try await service.trend(call.access, compound: compound, through: q.month)
        let current = months.last?.rate ?? CollectionRate()
        let keeper = (try? await service.store.access.authorize(call.access, .create, "fees", inCompound: compound, on: service.db)) != nil
        let today = Timestamp.today(call.now)
        var content: [N] = [
            H.el("h1", [], text: "\(name) · \(t("fees.title"))"),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("fees.rateByAmount") + " · " + monthText(q.month), current.byAmount.percentText),
                RegistryPages.figure(t("fees.rateByRooms"), current.byRooms.percentText),
                RegistryPages.figure(t("fees.arrearsTotal"), FixedPoint2.grouped(arrears.reduce(0) { $0 + $1.outstanding })),
                RegistryPages.figure(t("fees.arrearsRooms"), String(arrears.count)),
            ]),
            Self.trend(months, label: t("fees.trend")),
            H.el("p", [], [H.a(SiteURL.compoundMeters.link(compound.text), t("fees.meters"), [("class", "button"), ("id", "meters-link")])]),
        ]
        if keeper {
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundFees.link(compound.text)), ("class", "inline-form"), ("id", "bill-form"),
                                         ("data-confirm", t("fees.confirmBills"))], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.el("label", [], [H.t(t("fees.billMonth") + " "), H.void("input", [("type", "month"), ("name", "month"), ("value", monthText(q.month)), ("required", nil)])]),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("fees.makeBills")),
            ]))
        }
        content.append(H.el("h2", [], text: t("fees.arrears")))
        content.append(arrears.isEmpty ? H.el("p", [("class", "empty")], text: t("fees.noArrears")) : H.el("div", [("id", "arrears")], [H.table(
            [t("resource.rooms"), t("fees.outstanding"), t("fees.bills"), t("fees.oldestDue"), t("fees.age"), t("fees.notice")],
            arrears.map { a in
                [H.a(SiteURL.roomBills.link(a.roomId.text), a.room), H.t(FixedPoint2.grouped(a.outstanding)), H.t("\(a.bills)"), H.t(a.oldestDue.description),
                 H.t(t("fees.days", max(0, Billing.days(from: a.oldestDue, through: today) - 1))),
                 H.a(SiteURL.roomNotice.link(a.roomId.text), t("fees.notice"), [("class", "notice-link")])]
            }, numericFrom: 1)]))
        let crumbs = [Crumb(title: t("fees.title"), href: SiteURL.feesPage.link()), Crumb(title: name, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: name, crumbs: crumbs, content: content))
    }

    func room(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let room = try call.id("rooms")
        let bills = try await service.bills(call.access, room: room, limit: 500)
        let payments = try await service.payments(call.access, room: room)
        // A room the caller sees in the registry but that has no bills yet shows so, rather than 404.
        try await service.store.access.authorize(call.access, .read, service.store.catalog["rooms"]!, id: room, on: service.db)
        guard let place = try await service.db.sql().raw("""
            SELECT b.compound_id, bd.number || ' ' || e.number || ' ' || r.number AS label FROM rooms r JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings bd ON bd.id = e.building_id JOIN buildings b ON b.id = bd.id WHERE r.id = \(bind: room)
            """).first() else { throw DomainError.notFound(entity: "rooms", id: room.text) }
        let first = (compoundId: try place.decode(column: "compound_id", as: UUID.self), roomLabel: try place.decode(column: "label", as: String.self))
        let keeper = (try? await service.store.access.authorize(call.access, .create, "fees", inCompound: first.compoundId, on: service.db)) != nil
        let holder = FeeScope.isHolder(call.actor)
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        let action = SiteURL.roomBills.link(room.text)
        let owed = bills.filter { $0.disputedAt == nil }.reduce(Int64(0)) { $0 + $1.outstanding }
        // Shared meters' bills name their meter.
        let meterNames = Dictionary(uniqueKeysWithValues: try await service.db.sql().raw("SELECT id, name FROM meters WHERE compound_id = \(bind: first.compoundId)").all()
            .map { ("meter:" + (try $0.decode(column: "id", as: UUID.self)).text, try $0.decode(column: "name", as: String.self)) })
        func itemLabel(_ item: String) -> String { meterNames[item].map { t("fees.item.shared") + " · " + $0 } ?? t("fees.item.property_fee") }
        var content: [N] = [
            H.el("h1", [], text: "\(first.roomLabel) · \(t("fees.roomBills"))"),
            H.el("div", [("class", "figures")], [RegistryPages.figure(t("fees.outstanding"), FixedPoint2.grouped(owed))]),
            bills.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "bills")], [H.table(
                [t("fees.period"), t("fees.item"), t("fees.company"), t("fees.amount"), t("fees.paid"), t("fees.outstanding"), t("fees.status")]
                    + (holder || keeper ? [t("list.actions")] : []),
                bills.map { b in
                    var cells: [N] = [H.t("\(b.periodStart) — \(b.periodEnd)"), H.t(itemLabel(b.item)), H.t(b.companyName), H.t(FixedPoint2.grouped(b.amount)), H.t(FixedPoint2.grouped(b.paid)),
                                      H.t(FixedPoint2.grouped(b.outstanding)),
                                      H.el("span", [("class", "badge status-\(b.status.rawValue)"), ("id", "status-\(b.id.text)")], text: t(b.status.labelKey))]
                    if holder || keeper {
                        var acts: [N] = []
                        if holder && b.disputedAt == nil && b.status != .paid {
                            acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "dispute-\(b.id.text)")], [
                                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "dispute")]),
                                H.void("input", [("type", "hidden"), ("name", "billId"), ("value", b.id.text)]),
                                H.void("input", [("type", "text"), ("name", "reason"), ("required", nil), ("placeholder", t("fees.disputeReason")), ("aria-label", t("fees.disputeReason"))]),
                                H.el("button", [("type", "submit")], text: t("fees.dispute")),
                            ]))
                        }
                        if keeper && b.disputedAt != nil {
                            acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form")], [
                                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "settle")]),
                                H.void("input", [("type", "hidden"), ("name", "billId"), ("value", b.id.text)]),
                                H.void("input", [("type", "text"), ("name", "note"), ("placeholder", t("fees.settleNote")), ("aria-label", t("fees.settleNote"))]),
                                H.el("button", [("type", "submit")], text: t("fees.settle")),
                            ]))
                        }
                        if let reason = b.disputeReason, b.disputedAt != nil { acts.append(H.el("p", [("class", "muted")], text: t("fees.disputed", reason))) }
                        cells.append(H.group(acts))
                    }
                    return cells
                }, numericFrom: 3)]),
        ]
        // When the room stood empty: billed at the district's discount for those days.
        let vacancies = try await service.vacancies(call.access, room: room)
        if keeper || !vacancies.isEmpty {
            content.append(H.el("h2", [], text: t("fees.vacancies")))
            content.append(vacancies.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ul", [("id", "vacancies")], vacancies.map { v in
                var nodes: [N] = [H.t("\(v.startsOn) — \(v.endsOn?.description ?? t("fees.untilNow"))" + (v.note.map { " · " + $0 } ?? ""))]
                if keeper && v.endsOn == nil {
                    nodes.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form")], [
                        csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "endVacancy")]), H.void("input", [("type", "hidden"), ("name", "vacancyId"), ("value", v.id.text)]),
                        H.void("input", [("type", "date"), ("name", "endsOn"), ("required", nil), ("aria-label", t("fees.vacancyEnds"))]),
                        H.el("button", [("type", "submit")], text: t("fees.endVacancy")),
                    ]))
                }
                return H.el("li", [], nodes)
            }))
            if keeper {
                content.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "vacancy-form")], [
                    csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "vacancy")]),
                    H.el("label", [], [H.t(t("fees.vacancyStarts") + " "), H.void("input", [("type", "date"), ("name", "startsOn"), ("required", nil)])]),
                    H.el("label", [], [H.t(t("fees.vacancyEnds") + " "), H.void("input", [("type", "date"), ("name", "endsOn")])]),
                    H.void("input", [("type", "text"), ("name", "note"), ("placeholder", t("fees.vacancyNote")), ("aria-label", t("fees.vacancyNote"))]),
                    H.el("button", [("type", "submit")], text: t("fees.addVacancy")),
                ]))
            }
        }
        if keeper && owed > 0 {
            content.append(H.el("h2", [], text: t("fees.recordPayment")))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "payment-form"), ("data-confirm", t("fees.confirmPayment"))], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "pay")]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-amount")], text: t("fees.amount")),
                    H.void("input", [("type", "text"), ("id", "f-amount"), ("name", "amount"), ("inputmode", "decimal"), ("required", nil), ("value", FixedPoint2.format(owed))])]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-method")], text: t("fees.method")),
                    H.el("select", [("id", "f-method"), ("name", "method")], PaymentMethod.allCases.map { H.el("option", [("value", $0.rawValue)], text: t($0.labelKey)) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-reference")], text: t("fees.reference")),
                    H.void("input", [("type", "text"), ("id", "f-reference"), ("name", "reference"), ("maxlength", "100")])]),
                H.el("p", [("class", "muted")], text: t("fees.payHint")),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("fees.record")),
            ]))
        }
        content.append(H.el("h2", [], text: t("fees.payments")))
        content.append(payments.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "payments")], [H.table(
            [t("fees.paidAt"), t("fees.method"), t("fees.amount"), t("fees.reference"), t("list.actions")],
            payments.map { p in
                var acts: [N] = [H.a(SiteURL.receipt.link(p.id.text), t("fees.receipt"), [("class", "button"), ("id", "receipt-\(p.id.text)")])]
                if keeper && p.amount > 0 {
                    acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("data-confirm", t("fees.confirmRefund"))], [
                        csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "refund")]),
                        H.void("input", [("type", "hidden"), ("name", "paymentId"), ("value", p.id.text)]),
                        H.void("input", [("type", "text"), ("name", "refundAmount"), ("inputmode", "decimal"), ("placeholder", t("fees.amount")), ("aria-label", t("fees.amount"))]),
                        H.void("input", [("type", "text"), ("name", "reason"), ("placeholder", t("fees.refundReason")), ("aria-label", t("fees.refundReason"))]),
                        H.el("button", [("type", "submit")], text: t("fees.refund")),
                    ]))
                }
                return [H.t(Timestamp.local(p.paidAt)), H.t(t(p.method.labelKey)), H.t(FixedPoint2.grouped(p.amount)),
                        H.t(p.reason.map { t("fees.refundOf") + "：" + $0 } ?? p.reference ?? ""), H.group(acts)]
            }, numericFrom: 2)]))
        let crumbs = [Crumb(title: t("fees.title"), href: SiteURL.compoundFees.link(first.compoundId.text)), Crumb(title: first.roomLabel, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: first.roomLabel, crumbs: crumbs, content: content))
    }

    /// The compound's shared meters: their last readings, a new meter, and readings typed or pasted as CSV.
    func meters(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let compound = try call.id("compounds")
        let meters = try await service.meters(call.access, compound: compound)
        let name = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let buildings = try await service.db.sql().raw("SELECT id, number FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: String.self)) }
        let keeper = (try? await service.store.access.authorize(call.access, .create, "fees", inCompound: compound, on: service.db)) != nil
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        var content: [N] = [
            H.el("h1", [], text: "\(name) · \(t("meters.title"))"),
            H.el("p", [("class", "hint")], text: t("meters.explain")),
            meters.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "meters")], [H.table(
                [t("meters.name"), t("meters.kind"), t("meters.scope"), t("meters.unitPrice"), t("meters.lastMonth"), t("meters.lastReading")],
                meters.map { m in
                    [H.t(m.name), H.t(t(m.kind.labelKey)), H.t(m.buildingId.flatMap { b in buildings.first { $0.0 == b }?.1 } ?? t("meters.wholeCompound")),
                     H.t(FixedPoint2.grouped(m.unitPrice)), H.t(m.lastMonth ?? "—"), H.t(m.lastReading.map(FixedPoint2.grouped) ?? "—")]
                }, numericFrom: 3)]),
        ]
        if keeper {
            content.append(H.el("h2", [], text: t("meters.readings")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMeters.link(compound.text)), ("class", "record-form"), ("id", "readings-form"),
                                         ("data-confirm", t("meters.confirmReadings"))], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "readings")]),
                H.el("div", [("class", "field")], [
                    H.el("label", [("for", "f-csv")], text: t("meters.csv")),
                    H.el("textarea", [("id", "f-csv"), ("name", "csv"), ("rows", "6"), ("required", nil), ("placeholder", "表名,月份,读数,换表\n1号楼电表,2026-11,12050.75,")], text: ""),
                    H.el("p", [("class", "muted")], text: t("meters.csvHint")),
                ]),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("meters.record")),
            ]))
            content.append(H.el("h2", [], text: t("meters.new")))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.compoundMeters.link(compound.text)), ("class", "record-form"), ("id", "meter-form")], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "meter")]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-name")], text: t("meters.name")),
                                                   H.void("input", [("type", "text"), ("id", "f-name"), ("name", "name"), ("maxlength", "100"), ("required", nil)])]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-kind")], text: t("meters.kind")),
                    H.el("select", [("id", "f-kind"), ("name", "kind")], MeterKind.allCases.map { H.el("option", [("value", $0.rawValue)], text: t($0.labelKey)) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-buildingId")], text: t("meters.scope")),
                    H.el("select", [("id", "f-buildingId"), ("name", "buildingId")],
                         [H.el("option", [("value", "")], text: t("meters.wholeCompound"))] + buildings.map { H.el("option", [("value", $0.0.text)], text: $0.1) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-unitPrice")], text: t("meters.unitPrice")),
                    H.void("input", [("type", "text"), ("id", "f-unitPrice"), ("name", "unitPrice"), ("inputmode", "decimal"), ("required", nil)])]),
                H.el("button", [("type", "submit")], text: t("meters.add")),
            ]))
        }
        let crumbs = [Crumb(title: name, href: SiteURL.compoundFees.link(compound.text)), Crumb(title: t("meters.title"), href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: t("meters.title"), crumbs: crumbs, content: content))
    }

    func roomAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let room = try call.id("rooms")
        var flash = "flash.saved"
        switch form["do"] {
        case "pay":
            let body = try FieldReader.decode(PaymentBody.self, from: ["method": .string(form["method"] ?? ""), "amount": .string(form["amount"] ?? ""),
                                                                        "reference": .string(form["reference"] ?? "")])
            let p = try await service.pay(call.access, room: room, method: body.method, reference: body.reference, amount: body.amount.fen, billIds: [])
            return .seeOther(to: SiteURL.receipt.link(p.id.text), flash: "flash.paymentRecorded")
        case "refund":
            guard let payment = UUID(uuidString: form["paymentId"] ?? "") else { throw DomainError.badRequest(message: "which payment?") }
            let body = try FieldReader.decode(RefundBody.self, from: ["amount": .string(form["refundAmount"] ?? ""), "reason": .string(form["reason"] ?? "")])
            _ = try await service.refund(call.access, payment: payment, amount: body.amount.fen, reason: body.reason)
        case "dispute":
            guard let bill = UUID(uuidString: form["billId"] ?? "") else { throw DomainError.badRequest(message: "which bill?") }
            _ = try await service.dispute(call.access, bill: bill, reason: form["reason"] ?? "")
            flash = "flash.billDisputed"
        case "vacancy":
            let body = try FieldReader.decode(VacancyBody.self, from: ["startsOn": .string(form["startsOn"] ?? ""),
                                                                        "endsOn": (form["endsOn"] ?? "").isEmpty ? .null : .string(form["endsOn"]!),
                                                                        "note": .string(form["note"] ?? "")])
            guard let starts = body.startsOn else { throw DomainError.invalid([FieldError(field: "startsOn", code: "required", message: "startsOn is required")]) }
            _ = try await service.addVacancy(call.access, room: room, startsOn: starts, endsOn: body.endsOn, note: body.note?.isEmpty == true ? nil : body.note)
        case "endVacancy":
            guard let vacancy = UUID(uuidString: form["vacancyId"] ?? "") else { throw DomainError.badRequest(message: "which vacancy?") }
            let body = try FieldReader.decode(VacancyBody.self, from: ["endsOn": .string(form["endsOn"] ?? "")])
            guard let ends = body.endsOn else { throw DomainError.invalid([FieldError(field: "endsOn", code: "required", message: "endsOn is required")]) }
            _ = try await service.endVacancy(call.access, vacancy, on: ends)
        case "settle":
            guard let bill = UUID(uuidString: form["billId"] ?? "") else { throw DomainError.badRequest(message: "which bill?") }
            _ = try await service.settle(call.access, bill: bill, note: form["note"] ?? "")
        default: throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.roomBills.link(room.text), flash: flash)
    }

    /// A reminder to pay (催缴通知) that prints on one page, to hand over or post at the door: what the
    /// room owes on bills already due, to whom, and how to raise a disagreement. No names.
    func notice(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let room = try call.id("rooms")
        let today = Timestamp.today(call.now)
        let due = try await service.bills(call.access, room: room, limit: 500).filter { $0.outstanding > 0 && $0.disputedAt == nil && $0.dueOn < today }
            .sorted { $0.periodStart < $1.periodStart }
        guard let first = due.first else { throw DomainError.notFound(entity: "arrears", id: room.text) }
        let compound = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: first.compoundId)").first()?.decode(column: "name", as: String.self) ?? ""
        let total = due.reduce(Int64(0)) { $0 + $1.outstanding }
        let companies = Array(Set(due.map(\.companyName))).sorted().joined(separator: "、")
        let content: [N] = [
            H.el("article", [("class", "receipt card"), ("id", "notice")], [
                H.el("h1", [], text: t("fees.noticeTitle")),
                H.el("p", [], text: t("fees.noticeTo", compound, first.roomLabel)),
                H.el("p", [], text: t("fees.noticeBody", due.count, FixedPoint2.grouped(total))),
                H.table([t("fees.period"), t("fees.dueOn"), t("fees.outstanding")], due.map {
                    [H.t("\($0.periodStart) — \($0.periodEnd)"), H.t($0.dueOn.description), H.t(FixedPoint2.grouped($0.outstanding))]
                }, numericFrom: 2),
                H.el("p", [], text: t("fees.noticeDispute")),
                H.el("p", [("class", "sign")], text: "\(companies) · \(today)"),
            ]),
            H.el("p", [("class", "no-print")], [H.el("button", [("type", "button"), ("data-print", ""), ("class", "primary")], text: t("fees.print")),
                                                 H.t(" "), H.a(SiteURL.roomBills.link(room.text), t("fees.roomBills"), [("class", "button")])]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("fees.noticeTitle"), content: content))
    }

    /// A receipt that prints on one page: who paid what, for which periods, recorded by whom.
    func receipt(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let p = try await service.payment(call.access, try call.id("payments"))
        let content: [N] = [
            H.el("article", [("class", "receipt card"), ("id", "receipt")], [
                H.el("h1", [], text: t(p.amount < 0 ? "fees.refundReceipt" : "fees.receiptTitle")),
                H.el("p", [("class", "muted")], text: t("fees.receiptNo") + " " + p.id.text.prefix(8).uppercased()),
                H.el("dl", [("class", "facts")], [
                    H.el("dt", [], text: t("fees.payee")), H.el("dd", [], text: p.companyName),
                    H.el("dt", [], text: t("resource.rooms")), H.el("dd", [], text: "\(p.compoundName) \(p.roomLabel)"),
                    H.el("dt", [], text: t("fees.amount")), H.el("dd", [("id", "receipt-amount")], text: FixedPoint2.grouped(p.amount) + " 元"),
                    H.el("dt", [], text: t("fees.method")), H.el("dd", [], text: t(p.method.labelKey) + (p.reference.map { " · " + $0 } ?? "")),
                    H.el("dt", [], text: t("fees.paidAt")), H.el("dd", [], text: Timestamp.local(p.paidAt)),
                    H.el("dt", [], text: t("fees.recordedBy")), H.el("dd", [], text: p.recordedBy),
                ] + (p.reason.map { [H.el("dt", [], text: t("fees.refundReason")), H.el("dd", [], text: $0)] } ?? [])),
                H.table([t("fees.period"), t("fees.amount")], p.allocations.map { [H.t($0.period), H.t(FixedPoint2.grouped($0.amount))] }, numericFrom: 1),
                H.el("p", [("class", "muted")], text: t("fees.receiptNote")),
            ]),
            H.el("p", [("class", "no-print")], [H.el("button", [("type", "button"), ("data-print", ""), ("class", "primary")], text: t("fees.print")),
                                                 H.t(" "), H.a(SiteURL.roomBills.link(p.roomId.text), t("fees.roomBills"), [("class", "button")])]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("fees.receiptTitle"), content: content))
    }
}
