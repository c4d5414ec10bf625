import Domain
import Foundation
import Hummingbird

/// `/api/v1/compounds/{id}/fund…`, `/api/v1/fund-plans/{id}/…` and the fund statement page.
struct FundAPI: Sendable {
    let service: FundService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.apiFund, .resource("fund", .read)) { _, context in
            let s = try await service.statement(try context.access("api", now: clock()), compound: try uuid(context))
            return .json(.object([
                "balance": .string(FixedPoint2.format(s.ledger.totalBalance)), "deposited": .string(FixedPoint2.format(s.ledger.totalDeposited)),
                "bank": .string(FixedPoint2.format(s.ledger.bank)), "balanced": .bool(s.ledger.isConsistent), "needsTopUp": .bool(s.ledger.needsTopUp),
                "rooms": .array(s.rooms.map { r in .object(["roomId": .string(r.id.uuidString.lowercased()), "room": .string(r.label),
                                                            "area": .string(FixedPoint2.format(r.area)),
                                                            "balance": .string(FixedPoint2.format(s.ledger.balances[r.id] ?? 0))]) }),
                "plans": .array(s.plans.map(\.json)),
            ]))
        }
        routes.add(.post, SiteURL.apiFundDeposits, .resource("fund", .create)) { request, context in
            let body = try await JSONBody.object(request, context)
            let rate = try money(body, "ratePerSqm")
            let amount = try money(body, "amount")
            let room = body.optionalString("roomId").flatMap(UUID.init(uuidString:))
            let total = try await service.deposit(try context.access("api", now: clock()), compound: try uuid(context), ratePerSqm: rate,
                                                  room: room, amount: amount?.fen)
            return .json(.object(["deposited": .string(FixedPoint2.format(total))]), status: .created)
        }
        routes.add(.post, SiteURL.apiFundInterest, .resource("fund", .create)) { request, context in
            let body = try await JSONBody.object(request, context)
            guard let amount = try money(body, "amount") else { throw DomainError.invalid([FieldError(field: "amount", code: "required", message: "amount is required")]) }
            try await service.interest(try context.access("api", now: clock()), compound: try uuid(context), amount: amount.fen)
            return Response(status: .created)
        }
        routes.add(.post, SiteURL.apiFundPlans, .resource("fund", .create)) { request, context in
            let body = try await JSONBody.object(request, context)
            func ids(_ name: String) -> [UUID] {
                if case .array(let a)? = body.object[name] { return a.compactMap { if case .string(let s) = $0 { UUID(uuidString: s) } else { nil } } }
                return []
            }
            let emergency = body.optionalString("emergency")
            if let e = emergency, EmergencyCategory(rawValue: e) == nil {
                throw DomainError.invalid([FieldError(field: "emergency", code: "invalid_choice", message: "emergency must be one of \(EmergencyCategory.codes.joined(separator: ", "))")])
            }
            let (plan, shares) = try await service.plan(try context.access("api", now: clock()), compound: try uuid(context),
                                                        project: (body.optionalString("project") ?? "").trimmingCharacters(in: .whitespaces),
                                                        amount: try money(body, "amount")?.fen ?? 0, roomIds: ids("roomIds"), buildingIds: ids("buildingIds"),
                                                        emergency: emergency.flatMap(EmergencyCategory.init(rawValue:)),
                                                        decision: body.optionalString("decisionId").flatMap(UUID.init(uuidString:)))
            var json = plan.json
            if case .object(var o) = json {
                o["shares"] = .object(Dictionary(uniqueKeysWithValues: shares.map { ($0.key.uuidString.lowercased(), JSONValue.string(FixedPoint2.format($0.value))) }))
                json = .object(o)
            }
            return .json(json, status: .created)
        }
        routes.add(.post, SiteURL.apiFundPlanNotice, .resource("fund", .update)) { _, context in
            .json(try await service.publishNotice(try context.access("api", now: clock()), plan: try uuid(context)).json)
        }
        routes.add(.post, SiteURL.apiFundPlanPay, .resource("fund", .update)) { _, context in
            .json(try await service.pay(try context.access("api", now: clock()), plan: try uuid(context)).json)
        }
        routes.add(.post, SiteURL.apiFundPlanReport, .resource("fund", .update)) { request, context in
            let body = try await JSONBody.object(request, context)
            return .json(try await service.report(try context.access("api", now: clock()), plan: try uuid(context), text: body.optionalString("report") ?? "").json)
        }
        routes.add(.get, SiteURL.fundPage, .resource("fund", .read)) { request, context in try await page(request, context) }
    }

    func money(_ body: JSONBody, _ name: String) throws -> Money? {
        guard let text = body.optionalString(name) else { return nil }
        do { return try Money(parsing: text) } catch {
            throw DomainError.invalid([FieldError(field: name, code: "invalid_format", message: "\(name) must be yuan with at most two decimals, e.g. \"200.00\"")])
        }
    }

    func uuid(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "compounds", id: context.parameters.get("id") ?? "") }
        return id
    }

    /// The compound's fund statement, public to its owners: totals, plans, each room's balance.
    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("web", now: clock())
        let page = context.page(request), t = page.t
        let compound = try uuid(context)
        let s = try await service.statement(ctx, compound: compound)
        let l = s.ledger
        var content: [N] = [
            H.el("h1", [], text: t("fund.title")),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("fund.balance"), FixedPoint2.format(l.totalBalance)),
                RegistryPages.figure(t("fund.deposited"), FixedPoint2.format(l.totalDeposited)),
                RegistryPages.figure(t("fund.ratio"), Ratio(l.totalBalance, l.totalDeposited).percentText),
            ]),
        ]
        if l.needsTopUp { content.append(H.el("p", [("class", "warn"), ("id", "top-up")], text: t("fund.topUp"))) }
        content.append(H.el("h2", [], text: t("fund.plans")))
        content.append(s.plans.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty"))
                       : H.table([t("fund.project"), t("fund.amount"), t("fund.rooms"), t("decision.status")], s.plans.map { p in
                           [H.t(p.project + (p.emergency.map { " · " + t("enum.emergency_category.\($0.rawValue)") } ?? "")), H.t(FixedPoint2.format(p.amount)),
                            H.t(String(p.roomIds.count)), H.t(t("enum.spending_status.\(p.status.rawValue)"))]
                       }, numericFrom: 1))
        content.append(H.el("h2", [], text: t("fund.roomBalances")))
        content.append(H.table([t("resource.rooms"), t("field.area"), t("fund.balance")], s.rooms.map { r in
            [H.t(r.label), H.t(FixedPoint2.format(r.area)), H.t(FixedPoint2.format(l.balances[r.id] ?? 0))]
        }, numericFrom: 1))
        return .html(Layout.render(page, actor: ctx.actor, title: t("fund.title"),
                                   crumbs: [Crumb(title: t("resource.compounds"), href: SiteURL.compound.link(compound.uuidString.lowercased())), Crumb(title: t("fund.title"), href: nil)],
                                   content: content))
    }
}
