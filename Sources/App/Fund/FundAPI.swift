import Domain
import Foundation
import Hummingbird

/// `/api/v1/compounds/{id}/fund…`, `/api/v1/fund-plans/{id}/…` and the fund statement page.
struct FundAPI: Sendable {
    let service: FundService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        let rules: [Int: String] = [409: "Refused by the fund's rules"]
        routes.api(.get, SiteURL.apiFund, .resource("fund", .read),
                   OperationDoc("fund-statement", "The compound's fund: totals, room accounts, plans", tag: "fund")) { call in
            let s = try await service.statement(call.access, compound: try call.id("compounds"))
            return FundStatementAnswer(balance: FixedPoint2.format(s.ledger.totalBalance), deposited: FixedPoint2.format(s.ledger.totalDeposited),
                                       bank: FixedPoint2.format(s.ledger.bank), balanced: s.ledger.isConsistent, needsTopUp: s.ledger.needsTopUp,
                                       rooms: s.rooms.map { .init(roomId: $0.id.text, room: $0.label, area: FixedPoint2.format($0.area),
                                                                  balance: FixedPoint2.format(s.ledger.balances[$0.id] ?? 0)) },
                                       plans: s.plans.map(FundPlanAnswer.init))
        }
        routes.api(.post, SiteURL.apiFundDeposits, .resource("fund", .create),
                   OperationDoc("fund-deposit", "Deposit at a rate per m² for every room, or an amount for one room", tag: "fund", errors: rules),
                   body: FundDepositBody.self, status: .created) { call, body in
            let total = try await service.deposit(call.access, compound: try call.id("compounds"), ratePerSqm: body.ratePerSqm, room: body.roomId,
                                                  amount: body.amount?.fen)
            return FundCreditedAnswer(deposited: FixedPoint2.format(total))
        }
        routes.api(.post, SiteURL.apiFundInterest, .resource("fund", .create),
                   OperationDoc("fund-interest", "Credit interest to the rooms by balance", tag: "fund", errors: rules),
                   body: FundInterestBody.self, status: .created) { call, body in
            try await service.interest(call.access, compound: try call.id("compounds"), amount: body.amount.fen)
            return FundCreditedAnswer(deposited: FixedPoint2.format(body.amount.fen))
        }
        routes.api(.post, SiteURL.apiFundPlans, .resource("fund", .create),
                   OperationDoc("fund-plan", "Plan a spending shared by area (against a decision, or an emergency)", tag: "fund", errors: rules),
                   body: FundPlanBody.self, status: .created) { call, body in
            let (plan, shares) = try await service.plan(call.access, compound: try call.id("compounds"), project: body.project, amount: body.amount.fen,
                                                        roomIds: body.roomIds, buildingIds: body.buildingIds, emergency: body.emergency, decision: body.decisionId)
            var answer = FundPlanAnswer(plan)
            answer.shares = Dictionary(uniqueKeysWithValues: shares.map { ($0.key.text, FixedPoint2.format($0.value)) })
            return answer
        }
        routes.api(.post, SiteURL.apiFundPlanNotice, .resource("fund", .update),
                   OperationDoc("fund-plan-notice", "Publish the notice an emergency payment needs first", tag: "fund", errors: rules)) { call in
            FundPlanAnswer(try await service.publishNotice(call.access, plan: try call.id("fund-plans")))
        }
        routes.api(.post, SiteURL.apiFundPlanPay, .resource("fund", .update),
                   OperationDoc("fund-plan-pay", "Pay a plan from the rooms' accounts", tag: "fund", errors: rules)) { call in
            FundPlanAnswer(try await service.pay(call.access, plan: try call.id("fund-plans")))
        }
        routes.api(.post, SiteURL.apiFundPlanReport, .resource("fund", .update),
                   OperationDoc("fund-plan-report", "Report a paid emergency spending to the owners", tag: "fund", errors: rules),
                   body: FundReportBody.self) { call, body in
            FundPlanAnswer(try await service.report(call.access, plan: try call.id("fund-plans"), text: body.report))
        }
    }
}
