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
                   OperationDoc("cast-ballot", "An owner casts their own ballot online (paper sheets go to …/paper-ballots)", tag: "decisions",
                                errors: [409: "Already voted, or voting is not open"]),
                   body: CastBallotBody.self, status: .created) { call, body in
            let r = try await service.cast(call.access, try call.id("decisions"), body.ballot)
            return BallotReceiptAnswer(sequence: Int64(r.sequence), receipt: r.receipt, hash: r.hash)
        }
        routes.api(.get, SiteURL.apiPaperBallots, .resource("decisions", .read),
                   OperationDoc("paper-ballot-register", "The paper ballots issued when voting opened: all for organisers, an owner's own for an owner",
                                tag: "decisions")) { call in
            Items(items: try await service.paperRegister(call.access, try call.id("decisions")).map(PaperBallotAnswer.init))
        }
        routes.api(.post, SiteURL.apiPaperBallots, .resource("decisions", .update),
                   OperationDoc("record-paper-ballot", "Record a returned sheet (organisers): only with the number issued to that voter, once; it counts when another organiser confirms it",
                                tag: "decisions", errors: [409: "Unknown, used or someone else's number, or voting is not open"]),
                   body: RecordPaperBallotBody.self, status: .created) { call, body in
            PaperBallotAnswer(try await service.recordPaper(call.access, try call.id("decisions"), number: body.number, owner: body.ownerId,
                                                            choice: body.choice, choices: body.choices))
        }
        routes.api(.post, SiteURL.apiPaperBallotConfirm, .resource("decisions", .update),
                   OperationDoc("confirm-paper-ballot", "A second organiser or the community's witness confirms a recorded sheet; it is then counted",
                                tag: "decisions", errors: [409: "Not a recorded sheet, or voting is not open"])) { call in
            let (p, receipt) = try await service.confirmPaper(call.access, try call.id("decisions"), number: call.context.parameters.get("number") ?? "")
            var answer = PaperBallotAnswer(p)
            answer.receipt = receipt
            return answer
        }
        routes.api(.post, SiteURL.apiPaperBallotDispute, .resource("decisions", .read),
                   OperationDoc("dispute-paper-ballot", "The owner disputes a paper ballot recorded in their name; it is set aside and listed on the result",
                                tag: "decisions", errors: [409: "Nothing recorded to dispute, or voting has closed"]),
                   body: DisputePaperBallotBody.self, optional: true) { call, body in
            PaperBallotAnswer(try await service.disputePaper(call.access, try call.id("decisions"), number: call.context.parameters.get("number") ?? "",
                                                             reason: body.reason))
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
