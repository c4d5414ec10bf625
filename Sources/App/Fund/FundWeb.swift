import Domain
import Foundation
import Hummingbird
import SQLKit

/// The fund page `/compounds/{id}/fund`: the statement every owner of the compound sees (their
/// own rooms marked), and for those who keep the fund (district, street, community, committee)
/// the forms for deposits, interest, spending plans and each plan's notice, payment and report.
/// Every form is read by the API's own body type, so the page and the API apply one set of rules.
struct FundWeb: Sendable {
    let service: FundService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.fundPage, .resource("fund", .read)) { call in try await page(call) }
        routes.page(.post, SiteURL.fundDeposits, .resource("fund", .create)) { call in try await deposit(call) }
        routes.page(.post, SiteURL.fundInterest, .resource("fund", .create)) { call in try await interest(call) }
        routes.page(.post, SiteURL.fundPlans, .resource("fund", .create)) { call in try await plan(call) }
        routes.page(.post, SiteURL.fundPlan, .resource("fund", .update)) { call in try await act(call) }
    }

    /// The compound's fund statement, public to its owners: totals, plans, each room's balance.
    func page(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let compound = try call.id("compounds")
        let s = try await service.statement(ctx, compound: compound)
        let db = service.database.db
        let keeper = (try? await service.authorize(ctx, .create, compound: compound, on: db)) != nil
        let name = try await db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        let mine = try await ownRooms(ctx, compound: compound)
        let l = s.ledger
        let idText = compound.text
        var content: [N] = [
            H.el("h1", [], text: "\(name) · \(t("fund.title"))"),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("fund.balance"), FixedPoint2.grouped(l.totalBalance)),
                RegistryPages.figure(t("fund.deposited"), FixedPoint2.grouped(l.totalDeposited)),
                RegistryPages.figure(t("fund.ratio"), Ratio(l.totalBalance, l.totalDeposited).percentText),
            ]),
        ]
        if l.needsTopUp { content.append(H.el("p", [("class", "warn"), ("id", "top-up")], text: t("fund.topUp"))) }
        if !mine.isEmpty {
            let own = s.rooms.filter { mine.contains($0.id) }
            content.append(H.el("p", [("id", "my-fund")], text: t("fund.mine", own.count, FixedPoint2.grouped(own.reduce(0) { $0 + (l.balances[$1.id] ?? 0) }))))
        }
        content.append(H.el("h2", [], text: t("fund.plans")))
        content.append(s.plans.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty"))
                       : H.table([t("fund.project"), t("fund.basis"), t("fund.amount"), t("fund.rooms"), t("decision.status")] + (keeper ? [t("list.actions")] : []),
                                 s.plans.map { p in
                                     [H.t(p.project), H.t(p.emergency.map { t("enum.emergency_category.\($0.rawValue)") } ?? t("fund.byDecision")),
                                      H.t(FixedPoint2.grouped(p.amount)), H.t(String(p.roomIds.count)), planStatus(p, t: t)]
                                         + (keeper ? [planActions(p, csrf: page.csrfToken, t: t)] : [])
                                 }, numericFrom: 2))
        if keeper {
            content.append(try await planForm(compound: compound, rooms: s.rooms, csrf: page.csrfToken, t: t))
            content.append(H.el("h2", [], text: t("fund.depositsTitle")))
            content.append(H.el("div", [("class", "form-row")], [
                H.el("form", [("method", "post"), ("action", SiteURL.fundDeposits.link(idText)), ("class", "record-form"), ("id", "deposit-rate-form"),
                              ("data-confirm", t("fund.confirmDeposit"))], [
                    csrfField(page.csrfToken), H.void("input", [("type", "hidden"), ("name", "mode"), ("value", "rate")]),
                    field("ratePerSqm", t("fund.ratePerSqm"), money: true, required: true),
                    H.el("button", [("type", "submit"), ("class", "primary")], text: t("fund.depositAll")),
                ]),
                H.el("form", [("method", "post"), ("action", SiteURL.fundDeposits.link(idText)), ("class", "record-form"), ("id", "deposit-room-form"),
                              ("data-confirm", t("fund.confirmDeposit"))], [
                    csrfField(page.csrfToken), H.void("input", [("type", "hidden"), ("name", "mode"), ("value", "room")]),
                    H.el("div", [("class", "field")], [
                        H.el("label", [("for", "f-roomId")], text: t("resource.rooms")),
                        H.el("select", [("id", "f-roomId"), ("name", "roomId"), ("required", nil)],
                             [H.el("option", [("value", "")], text: t("form.choose"))] + s.rooms.map { H.el("option", [("value", $0.id.text)], text: $0.label) }),
                    ]),
                    field("amount", t("fund.amount"), money: true, required: true),
                    H.el("button", [("type", "submit")], text: t("fund.depositRoom")),
                ]),
                H.el("form", [("method", "post"), ("action", SiteURL.fundInterest.link(idText)), ("class", "record-form"), ("id", "interest-form"),
                              ("data-confirm", t("fund.confirmInterest"))], [
                    csrfField(page.csrfToken), field("amount", t("fund.interestAmount"), money: true, required: true),
                    H.el("button", [("type", "submit")], text: t("fund.creditInterest")),
                ]),
            ]))
        }
        content.append(H.el("h2", [], text: t("fund.roomBalances")))
        if !mine.isEmpty { content.append(H.el("p", [("class", "muted")], text: t("fund.mineMarked"))) }
        content.append(H.table([t("resource.rooms"), t("field.area"), t("fund.balance")], s.rooms.map { r in
            [H.t(r.label + (mine.contains(r.id) ? " · " + t("fund.myRoom") : "")), H.t(FixedPoint2.grouped(r.area)), H.t(FixedPoint2.grouped(l.balances[r.id] ?? 0))]
        }, numericFrom: 1, rowAttributes: s.rooms.map { mine.contains($0.id) ? [("class", "mine")] : [] }))
        return .html(Layout.render(page, actor: ctx.actor, title: t("fund.title"),
                                   crumbs: [Crumb(title: name, href: SiteURL.compound.link(idText)), Crumb(title: t("fund.title"), href: nil)],
                                   content: content))
    }

    /// The rooms of the compound the caller owns.
    func ownRooms(_ ctx: AccessContext, compound: UUID) async throws -> Set<UUID> {
        let owners = ctx.actor.grants.filter { $0.role == .owner }.map(\.scopeId)
        guard !owners.isEmpty else { return [] }
        let rows = try await service.database.db.sql().select().column(SQLColumn("room_id", table: "o")).from(SQLAlias(SQLIdentifier("ownerships"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier("rooms"), as: SQLIdentifier("r")), on: SQLColumn("id", table: "r"), .equal, SQLColumn("room_id", table: "o"))
            .join(SQLAlias(SQLIdentifier("entrances"), as: SQLIdentifier("e")), on: SQLColumn("id", table: "e"), .equal, SQLColumn("entrance_id", table: "r"))
            .join(SQLAlias(SQLIdentifier("buildings"), as: SQLIdentifier("b")), on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "e"))
            .where(SQLColumn("compound_id", table: "b"), .equal, SQLBind(compound))
            .where(SQLColumn("owner_id", table: "o"), .in, SQLBind.group(owners))
            .all()
        return Set(try rows.map { try $0.decode(column: "room_id", as: UUID.self) })
    }

    func planStatus(_ p: SpendingPlanRecord, t: Localizer) -> N {
        var text = t("enum.spending_status.\(p.status.rawValue)")
        if p.emergency != nil && p.status == .planned { text += " · " + t(p.noticePublishedAt == nil ? "fund.noticeMissing" : "fund.noticePublished") }
        if let paid = p.paidAt { text += " · " + Timestamp.local(paid) }
        var nodes: [N] = [H.t(text)]
        if let report = p.report { nodes.append(H.el("p", [("class", "muted")], text: report)) }
        return H.group(nodes)
    }

    /// What a keeper can do to a plan now: publish the emergency notice, pay, report a paid emergency.
    func planActions(_ p: SpendingPlanRecord, csrf: String, t: Localizer) -> N {
        let action = SiteURL.fundPlan.link(p.id.text)
        func button(_ value: String, _ label: String, confirm: String) -> N {
            H.el("form", [("method", "post"), ("action", action), ("class", "inline"), ("data-confirm", confirm)], [
                csrfField(csrf), H.el("button", [("type", "submit"), ("name", "do"), ("value", value), ("id", "\(value)-\(p.id.text)")], text: label),
            ])
        }
        var nodes: [N] = []
        if p.emergency != nil && p.noticePublishedAt == nil && p.status == .planned {
            nodes.append(button("notice", t("fund.publishNotice"), confirm: t("fund.confirmNotice")))
        }
        if p.status == .planned { nodes.append(button("pay", t("fund.pay"), confirm: t("fund.confirmPay", p.project, FixedPoint2.grouped(p.amount), p.roomIds.count))) }
        if p.emergency != nil && p.status == .paid {
            nodes.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "report-\(p.id.text)")], [
                csrfField(csrf), H.void("input", [("type", "hidden"), ("name", "do"), ("value", "report")]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "report-text-\(p.id.text)")], text: t("fund.report")),
                                                   H.el("textarea", [("id", "report-text-\(p.id.text)"), ("name", "report"), ("rows", "3"), ("required", nil)], text: "")]),
                H.el("button", [("type", "submit")], text: t("fund.sendReport")),
            ]))
        }
        return H.group(nodes)
    }

    /// The new plan: project, amount, its basis (a fund decision or an emergency) and who bears it,
    /// whole buildings or single rooms.
    func planForm(compound: UUID, rooms: [(id: UUID, label: String, area: Int64)], csrf: String, t: Localizer) async throws -> N {
        let db = service.database.db.sql()
        let decisions = try await db.raw("""
            SELECT id, title FROM decisions WHERE compound_id = \(bind: compound) AND matter = \(bind: Matter.useMaintenanceFund.rawValue) ORDER BY created_at DESC
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self)) }
        let buildings = try await db.raw("""
            SELECT b.id, b.number, COUNT(r.id) AS n FROM buildings b JOIN entrances e ON e.building_id = b.id JOIN rooms r ON r.entrance_id = e.id
            WHERE b.compound_id = \(bind: compound) GROUP BY b.id, b.number ORDER BY b.number
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: String.self), try $0.decode(column: "n", as: Int64.self)) }
        let roomBuilding = try await Dictionary(uniqueKeysWithValues: db.raw("""
            SELECT r.id, e.building_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "building_id", as: UUID.self)) })
        var bearers: [N] = [H.el("legend", [], text: t("fund.bearers")), H.el("p", [("class", "muted")], text: t("fund.bearersHint"))]
        for (id, number, count) in buildings {
            let own = rooms.filter { roomBuilding[$0.id] == id }
            bearers.append(H.el("details", [("class", "building-rooms")], [
                H.el("summary", [], [H.el("label", [("class", "check")], [
                    H.void("input", [("type", "checkbox"), ("name", "building:\(id.text)"), ("value", "1")]),
                    H.t(" " + t("fund.wholeBuilding", number, count)),
                ])]),
                H.el("div", [("class", "room-checks")], own.map { r in
                    H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "room:\(r.id.text)"), ("value", "1")]),
                                                         H.t(" " + r.label + " (" + FixedPoint2.grouped(r.area) + " ㎡)")])
                }),
            ]))
        }
        return H.group([
            H.el("h2", [], text: t("fund.newPlan")),
            H.el("form", [("method", "post"), ("action", SiteURL.fundPlans.link(compound.text)), ("class", "record-form"), ("id", "plan-form"),
                          ("data-confirm", t("fund.confirmPlan"))], [
                csrfField(csrf),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-project")], text: t("fund.project")),
                                                   H.void("input", [("type", "text"), ("id", "f-project"), ("name", "project"), ("maxlength", "200"), ("required", nil)])]),
                field("amount", t("fund.amount"), money: true, required: true),
                H.el("div", [("class", "field")], [
                    H.el("label", [("for", "f-decisionId")], text: t("fund.decision")),
                    H.el("select", [("id", "f-decisionId"), ("name", "decisionId")],
                         [H.el("option", [("value", "")], text: t("fund.noDecision"))] + decisions.map { H.el("option", [("value", $0.0.text)], text: $0.1) }),
                ]),
                H.el("div", [("class", "field")], [
                    H.el("label", [("for", "f-emergency")], text: t("fund.emergency")),
                    H.el("select", [("id", "f-emergency"), ("name", "emergency")],
                         [H.el("option", [("value", "")], text: t("fund.notEmergency"))]
                         + EmergencyCategory.allCases.map { H.el("option", [("value", $0.rawValue)], text: t("enum.emergency_category.\($0.rawValue)")) }),
                ]),
                H.el("fieldset", [("name", "roomIds"), ("class", "bearers")], bearers),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("fund.makePlan")),
            ]),
        ])
    }

    func csrfField(_ token: String) -> N { H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", token)]) }

    func field(_ name: String, _ label: String, money: Bool, required: Bool) -> N {
        H.el("div", [("class", "field")], [
            H.el("label", [("for", "f-\(name)")], text: label),
            H.void("input", [("type", "text"), ("id", "f-\(name)"), ("name", name)] + (money ? [("inputmode", "decimal"), ("placeholder", "0.00")] : [])
                   + (required ? [("required", nil)] : [])),
        ])
    }

    func deposit(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = try call.id("compounds")
        var o: [String: JSONValue] = [:]
        if form["mode"] == "room" {
            o["roomId"] = .string(form["roomId"] ?? "")
            o["amount"] = .string(form["amount"] ?? "")
            guard form["roomId"]?.isEmpty == false else { throw DomainError.invalid([FieldError(field: "roomId", code: "required", message: "choose a room")]) }
            guard form["amount"]?.isEmpty == false else { throw DomainError.invalid([FieldError(field: "amount", code: "required", message: "amount is required")]) }
        } else {
            guard form["ratePerSqm"]?.isEmpty == false else { throw DomainError.invalid([FieldError(field: "ratePerSqm", code: "required", message: "rate is required")]) }
            o["ratePerSqm"] = .string(form["ratePerSqm"] ?? "")
        }
        let body = try FieldReader.decode(FundDepositBody.self, from: o)
        _ = try await service.deposit(call.access, compound: compound, ratePerSqm: body.ratePerSqm, room: body.roomId, amount: body.amount?.fen)
        return .seeOther(to: SiteURL.fundPage.link(compound.text), flash: "flash.saved")
    }

    func interest(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = try call.id("compounds")
        let body = try FieldReader.decode(FundInterestBody.self, from: ["amount": .string(form["amount"] ?? "")])
        try await service.interest(call.access, compound: compound, amount: body.amount.fen)
        return .seeOther(to: SiteURL.fundPage.link(compound.text), flash: "flash.saved")
    }

    func plan(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let compound = try call.id("compounds")
        func ids(_ prefix: String) -> JSONValue {
            .array(form.fields.filter { $0.key.hasPrefix(prefix) && $0.value == "1" }.keys.sorted().map { .string(String($0.dropFirst(prefix.count))) })
        }
        var o: [String: JSONValue] = ["project": .string(form["project"] ?? ""), "amount": .string(form["amount"] ?? ""),
                                      "roomIds": ids("room:"), "buildingIds": ids("building:")]
        if let e = form["emergency"]?.nilIfEmpty { o["emergency"] = .string(e) }
        if let d = form["decisionId"]?.nilIfEmpty { o["decisionId"] = .string(d) }
        if form["amount"]?.isEmpty != false { throw DomainError.invalid([FieldError(field: "amount", code: "required", message: "amount is required")]) }
        let body = try FieldReader.decode(FundPlanBody.self, from: o)
        _ = try await service.plan(call.access, compound: compound, project: body.project, amount: body.amount.fen, roomIds: body.roomIds,
                                   buildingIds: body.buildingIds, emergency: body.emergency, decision: body.decisionId)
        return .seeOther(to: SiteURL.fundPage.link(compound.text), flash: "flash.saved")
    }

    func act(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let id = try call.id("fund-plans")
        let p: SpendingPlanRecord
        switch form["do"] {
        case "notice": p = try await service.publishNotice(call.access, plan: id)
        case "pay": p = try await service.pay(call.access, plan: id)
        case "report":
            let body = try FieldReader.decode(FundReportBody.self, from: ["report": .string(form["report"] ?? "")])
            p = try await service.report(call.access, plan: id, text: body.report)
        default: throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.fundPage.link(p.compoundId.text), flash: "flash.saved")
    }
}
