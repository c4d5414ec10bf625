import Domain
import Foundation
import Hummingbird

/// `/api/v1/compounds/{compoundId}/decisions` and `/api/v1/decisions/{id}/…`.
struct DecisionAPI: Sendable {
    let service: DecisionService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        let states: [Int: String] = [409: "Not possible in this state"]
        routes.api(.post, SiteURL.apiCompoundDecisions, .resource("decisions", .create),
                   OperationDoc("create-decision", "Draft a decision", tag: "decisions"), body: CreateDecisionBody.self, status: .created) { call, body in
            DecisionAnswer(try await service.create(call.access, compound: try call.id("compounds"), body.decision))
        }
        routes.api(.get, SiteURL.apiCompoundDecisions, .resource("decisions", .read), OperationDoc("list-decisions", "Decisions of a compound", tag: "decisions")) { call in
            Items(items: try await service.list(call.access, compound: try call.id("compounds")).map(DecisionAnswer.init))
        }
        routes.api(.get, SiteURL.apiDecision, .resource("decisions", .read), OperationDoc("get-decision", "One decision", tag: "decisions")) { call in
            DecisionAnswer(try await service.get(call.access, try call.id("decisions")))
        }
        routes.api(.post, SiteURL.apiDecisionOpen, .resource("decisions", .update),
                   OperationDoc("open-decision", "Open voting and freeze the voter roll", tag: "decisions", errors: states)) { call in
            DecisionAnswer(try await service.open(call.access, try call.id("decisions")))
        }
        routes.api(.post, SiteURL.apiDecisionClose, .resource("decisions", .update),
                   OperationDoc("close-decision", "Close voting (before the window ends only with a reason)", tag: "decisions", errors: states),
                   body: CloseDecisionBody.self, optional: true) { call, body in
            DecisionAnswer(try await service.close(call.access, try call.id("decisions"), reason: body.reason))
        }
        routes.api(.post, SiteURL.apiDecisionPublish, .resource("decisions", .update),
                   OperationDoc("publish-decision", "Publish the result (公示)", tag: "decisions", errors: states)) { call in
            DecisionAnswer(try await service.publish(call.access, try call.id("decisions")))
        }
        routes.api(.post, SiteURL.apiDecisionBallots, .resource("decisions", .read),
                   OperationDoc("cast-ballot", "Cast one person's ballot (online by the owner, or paper by the organisers)", tag: "decisions",
                                errors: [409: "Already voted, or voting is not open"]),
                   body: CastBallotBody.self, status: .created) { call, body in
            let r = try await service.cast(call.access, try call.id("decisions"), body.ballot)
            return BallotReceiptAnswer(sequence: Int64(r.sequence), receipt: r.receipt, hash: r.hash)
        }
        routes.api(.get, SiteURL.apiDecisionResult, .resource("decisions", .read),
                   OperationDoc("decision-result", "The count by persons and by area", tag: "decisions")) { call in
            DecisionResultAnswer(try await service.result(call.access, try call.id("decisions")))
        }
        routes.api(.post, SiteURL.apiDecisionApply, .resource("decisions", .update),
                   OperationDoc("apply-decision", "Carry out a passed decision: hire (create the contract) or dismiss (end it), or install the elected committee",
                                tag: "decisions", errors: states),
                   body: ApplyDecisionBody.self, optional: true) { call, body in
            try await service.apply(call.access, try call.id("decisions"), monthlyFee: body.monthlyFeePerSqm, startsOn: body.startsOn, endsOn: body.endsOn)
        }
        routes.api(.get, SiteURL.apiDecisionVerify, .resource("decisions", .read),
                   OperationDoc("verify-decision", "Recompute the ballot hash chain; ?receipt= checks one ballot", tag: "decisions",
                                parameters: [.query("receipt", .string(maxLength: 64), "a voter's receipt code")])) { call in
            try await service.verify(call.access, try call.id("decisions"), receipt: call.query.get("receipt"))
        }
    }
}
