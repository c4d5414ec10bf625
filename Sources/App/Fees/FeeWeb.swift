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
        let month = CivilDate(month: text)
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
        let streets = try await service.db.sql().raw("SELECT id, name FROM streets WHERE district_id IN " + SQLIDs.list(Set(districts)) + " ORDER BY name").all().map {
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
            content.append(FeePages.bars(rows.prefix(30).map { ($0.name, $0.rate.byAmount) }, label: t("fees.lowest"), id: "collection-chart"))
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
            FeePages.trend(months, label: t("fees.trend")),
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
                 H.t(t("fees.days", Billing.daysOverdue(due: a.oldestDue, today: today))),
                 H.a(SiteURL.roomNotice.link(a.roomId.text), t("fees.notice"), [("class", "notice-link")])]
            }, numericFrom: 1)]))
        let crumbs = [Crumb(title: t("fees.title"), href: SiteURL.feesPage.link()), Crumb(title: name, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: name, crumbs: crumbs, content: content))
    }

}
