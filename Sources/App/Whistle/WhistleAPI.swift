import Domain
import Foundation
import Hummingbird

/// `/api/v1/whistle-cases…`: open, list, read, report in, log, close.
struct WhistleAPI: Sendable {
    let service: WhistleService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.api(.post, SiteURL.apiWhistleCases, .signedIn,
                   OperationDoc("open-whistle-case", "Open a case (streetId or compoundId, or requestId to escalate a request) summoning parties with report-by deadlines",
                                tag: "whistle", errors: [409: "Not possible in this state"]),
                   body: OpenWhistleCaseBody.self, status: .created) { call, body in
            let id = try await service.open(call.access, body.newCase(requestId: nil))
            return WhistleCaseAnswer(try await service.get(call.access, id), now: call.now)
        }
        routes.api(.get, SiteURL.apiWhistleCases, .signedIn,
                   OperationDoc("list-whistle-cases", "Cases the caller runs or is summoned to", tag: "whistle",
                                parameters: [.query("status", .choice(WhistleStatus.self), "open or closed"), .query("streetId", .uuid, "one street")])) { call in
            var errors = FieldErrors()
            let status = call.query.get("status").flatMap { $0.isEmpty ? nil : $0 }.map { WhistleStatus(rawValue: $0) }
            if status == .some(nil) { errors.add("status", "invalid_choice", "open or closed") }
            let street = call.query.get("streetId").flatMap { $0.isEmpty ? nil : $0 }.map { UUID(uuidString: $0) }
            if street == .some(nil) { errors.add("streetId", "invalid_id", "streetId must be an id") }
            try errors.throwIfAny()
            return Items(items: try await service.list(call.access, status: status ?? nil, streetId: street ?? nil).map(WhistleCaseAnswer.init))
        }
        routes.api(.get, SiteURL.apiWhistleCase, .signedIn, OperationDoc("get-whistle-case", "A case with parties, reports, commitments and log", tag: "whistle")) { call in
            WhistleCaseAnswer(try await service.get(call.access, try call.id("whistle-cases")), now: call.now)
        }
        routes.api(.post, SiteURL.apiWhistleReports, .signedIn,
                   OperationDoc("report-in", "A summoned party reports in (partyId, response, commitments: task, amount, dueOn)", tag: "whistle",
                                errors: [409: "Already reported, or the case is closed"]),
                   body: ReportInBody.self, status: .created) { call, body in
            let id = try call.id("whistle-cases")
            try await service.report(call.access, case: id, party: body.partyId, response: body.response, commitments: body.commitments)
            return WhistleCaseAnswer(try await service.get(call.access, id), now: call.now)
        }
        routes.api(.post, SiteURL.apiWhistleLog, .signedIn, OperationDoc("whistle-log", "Add a progress note", tag: "whistle", errors: [409: "The case is closed"]),
                   body: NoteBody.self, status: .created) { call, body in
            let id = try call.id("whistle-cases")
            try await service.addLog(call.access, case: id, note: body.note)
            return WhistleCaseAnswer(try await service.get(call.access, id), now: call.now)
        }
        routes.api(.post, SiteURL.apiWhistleClose, .signedIn,
                   OperationDoc("close-whistle-case", "The street confirms and closes the case (every party has reported)", tag: "whistle",
                                errors: [409: "Someone has not reported yet, or it is closed"]),
                   body: NoteBody.self) { call, body in
            let id = try call.id("whistle-cases")
            try await service.close(call.access, case: id, note: body.note)
            return WhistleCaseAnswer(try await service.get(call.access, id), now: call.now)
        }
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "whistle-cases", id: context.parameters.get("id") ?? "") }
        return id
    }
}
