import Domain
import Foundation
import Hummingbird

/// `/api/v1/disputes…`, `/api/v1/requests/{id}/dispute`, `/api/v1/dispute-figures` and the
/// communities' legal-awareness activities.
struct DisputeAPI: Sendable {
    let service: DisputeService

    /// `communityId`, `streetId`, `status` and `open` from a list's address.
    struct ListQuery: Sendable {
        var community: UUID?, street: UUID?, status: DisputeStatus?, open: Bool?

        init(_ call: SignedIn) throws {
            let q = call.query
            var errors = FieldErrors()
            func id(_ name: String) -> UUID? {
                guard let raw = q.get(name), !raw.isEmpty else { return nil }
                let id = UUID(uuidString: raw)
                if id == nil { errors.add(name, "invalid_id", "\(name) must be an id") }
                return id
            }
            community = id("communityId"); street = id("streetId")
            if let s = q.get("status"), !s.isEmpty { status = DisputeStatus(rawValue: s); if status == nil { errors.add("status", "invalid_choice", DisputeStatus.codes.joined(separator: ", ")) } }
            if let o = q.get("open"), !o.isEmpty { open = ["true", "1"].contains(o) ? true : ["false", "0"].contains(o) ? false : nil; if open == nil { errors.add("open", "invalid_type", "true or false") } }
            try errors.throwIfAny()
        }
    }

    /// The month a figures page ends with (default the current one).
    static func through(_ call: SignedIn) throws -> CivilDate {
        guard let raw = call.query.get("month"), !raw.isEmpty else { return Timestamp.today(call.now).firstOfMonth }
        guard let m = CivilDate(month: raw) else { throw DomainError.invalid([FieldError(field: "month", code: "invalid_format", message: "YYYY-MM")]) }
        return m
    }

    func register(on routes: RouteTable) {
        let refusals: [Int: String] = [409: "Not possible in this state (closed, or the request is a dispute already)"]
        routes.api(.post, SiteURL.apiDisputes, .signedIn,
                   OperationDoc("report-dispute", "Put a dispute on the branch's list (party members; community, street and district staff; mediators)", tag: "disputes"),
                   body: ReportDisputeBody.self, status: .created) { call, body in
            let id = try await service.report(call.access, body.dispute)
            return DisputeAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiRequestDispute, .signedIn,
                   OperationDoc("dispute-from-request", "Turn a request into a dispute in one step: its compound, text and room are taken over", tag: "disputes", errors: refusals),
                   body: ReportDisputeBody.self, status: .created) { call, body in
            var input = body.dispute
            input.requestId = try call.id("requests")
            let id = try await service.report(call.access, input)
            return DisputeAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiDisputes, .signedIn,
                   OperationDoc("list-disputes", "Disputes the caller sees, open ones first and oldest first, with their ages", tag: "disputes", parameters: [
                       .query("communityId", .uuid, "one community"), .query("streetId", .uuid, "one street"),
                       .query("status", .choice(DisputeStatus.self), "one state"), .query("open", .boolean, "open (true) or closed (false) only"),
                   ])) { call in
            let q = try ListQuery(call)
            let today = call.access.todayDate
            return Items(items: try await service.list(call.access, communityId: q.community, streetId: q.street, status: q.status, open: q.open)
                .map { DisputeSummaryAnswer($0, today: today) })
        }
        routes.api(.get, SiteURL.apiDispute, .signedIn, OperationDoc("get-dispute", "A dispute with its rooms, parties, mediators and history", tag: "disputes")) { call in
            DisputeAnswer(try await service.get(call.access, try call.id("disputes")), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiDisputeEvents, .signedIn,
                   OperationDoc("record-dispute-event", "Record a mediation session, the settlement plan, the outcome (closes it), a note or a company's improvement",
                                tag: "disputes", errors: refusals),
                   body: DisputeEventBody.self, status: .created) { call, body in
            DisputeAnswer(try await service.record(call.access, dispute: try call.id("disputes"), body.event), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiDisputeMediators, .signedIn,
                   OperationDoc("assign-mediator", "Assign a mediator of the dispute's street (the judge seated in the branch, a people's mediator …)", tag: "disputes",
                                errors: refusals),
                   body: AssignMediatorBody.self) { call, body in
            DisputeAnswer(try await service.assign(call.access, dispute: try call.id("disputes"), user: body.userId, kind: body.kind), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiDisputeFigures, .signedIn,
                   OperationDoc("dispute-figures", "Twelve months of a community's (or street's) disputes received, settled, referred, by kind, median days to settle, legal-awareness activities and company improvements",
                                tag: "disputes", parameters: [.query("communityId", .uuid, "a community"), .query("streetId", .uuid, "or a whole street"),
                                                              .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "the last month, YYYY-MM (default this month)")])) { call in
            let q = try ListQuery(call)
            guard q.community != nil || q.street != nil else {
                throw DomainError.invalid([FieldError(field: "communityId", code: "required", message: "communityId or streetId")])
            }
            return Items(items: try await service.figures(call.access, community: q.community, street: q.community == nil ? q.street : nil, through: try Self.through(call))
                .map(DisputeMonthAnswer.init))
        }
        routes.api(.get, SiteURL.apiLegalActivities, .signedIn,
                   OperationDoc("list-legal-activities", "A community's legal-awareness activities (普法), newest first", tag: "disputes")) { call in
            Items(items: try await service.activities(call.access, community: try call.id("communities")).map(LegalActivityAnswer.init))
        }
        routes.api(.post, SiteURL.apiLegalActivities, .signedIn,
                   OperationDoc("add-legal-activity", "Record a legal-awareness activity held in the community (date, topic, audience, attendance)", tag: "disputes"),
                   body: LegalActivityBody.self, status: .created) { call, body in
            LegalActivityAnswer(try await service.addActivity(call.access, community: try call.id("communities"), heldOn: body.heldOn, topic: body.topic,
                                                              audience: body.audience, attendance: body.attendance))
        }
    }
}

extension AccessContext {
    /// Today in Asia/Shanghai as a date.
    var todayDate: CivilDate { Timestamp.today(now) }
}
