import Domain
import Foundation
import Hummingbird

/// `/api/v1/committee-cycles…`, `/api/v1/committee-reminders`, `/api/v1/management-committees…`.
struct CommitteeAPI: Sendable {
    let service: CommitteeService

    func register(on routes: RouteTable) {
        let stage: [Int: String] = [409: "Not at the stage this step follows"]
        routes.api(.post, SiteURL.apiCycles, .signedIn,
                   OperationDoc("trigger-committee-cycle", "Record what starts a committee's life cycle: the developer's report, owners holding a fifth asking, or a term ending",
                                tag: "committees", errors: [409: "A life cycle of the compound is under way"]),
                   body: TriggerBody.self, status: .created) { call, body in
            CycleAnswer(try await service.get(call.access, try await service.trigger(call.access, body.input)), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiCycles, .signedIn,
                   OperationDoc("list-committee-cycles", "Life cycles the caller sees, those under way first, with deadlines and whether they were missed", tag: "committees",
                                parameters: [.query("compoundId", .uuid, "one compound")])) { call in
            Items(items: try await service.list(call.access, compound: try MenuAPI.optionalId(call, "compoundId")).map { CycleAnswer($0, today: call.access.todayDate) })
        }
        routes.api(.get, SiteURL.apiCycle, .signedIn, OperationDoc("get-committee-cycle", "A life cycle", tag: "committees")) { call in
            CycleAnswer(try await service.get(call.access, try call.id("committee-cycles")), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiCycleGroup, .signedIn,
                   OperationDoc("form-preparatory-group", "The street forms the preparatory group (owners at least two thirds, its leader appointed); its member list is posted",
                                tag: "committees", errors: stage),
                   body: GroupBody.self) { call, body in
            let id = try await service.formGroup(call.access, try call.id("committee-cycles"), members: body.members, leader: body.leader, formedOn: body.formedOn)
            return CycleAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiCycleElection, .signedIn,
                   OperationDoc("link-committee-election", "The assembly elects through an elect_committee decision of the compound; applying it installs the committee",
                                tag: "committees", errors: stage),
                   body: ElectionBody.self) { call, body in
            let id = try await service.linkElection(call.access, try call.id("committee-cycles"), decision: body.decisionId)
            return CycleAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiCycleFiling, .signedIn,
                   OperationDoc("file-committee", "The street records the elected committee's filing (due within 30 days)", tag: "committees", errors: stage),
                   body: FilingBody.self) { call, body in
            let id = try await service.file(call.access, try call.id("committee-cycles"), on: body.filedOn)
            return CycleAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiCycleAbandon, .signedIn,
                   OperationDoc("abandon-committee-cycle", "The street gives a life cycle up before the election (a 物管会 may then be formed)", tag: "committees", errors: stage),
                   body: AbandonBody.self) { call, body in
            let id = try await service.abandon(call.access, try call.id("committee-cycles"), reason: body.reason)
            return CycleAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiCommitteeReminders, .signedIn,
                   OperationDoc("committee-reminders", "Owners' committees and 物管会s whose term ends within 90 days, with the reminder due (90 or 30)", tag: "committees")) { call in
            Items(items: try await service.reminders(call.access).map(ReminderAnswer.init))
        }
        routes.api(.post, SiteURL.apiManagementCommittees, .signedIn,
                   OperationDoc("form-management-committee", "The street forms a 物管会 where no owners' committee is in term: chaired by the residents' committee's representative",
                                tag: "committees", errors: [409: "An owners' committee or 物管会 is in term"]),
                   body: FormManagementBody.self, status: .created) { call, body in
            let id = try await service.formManagement(call.access, compound: body.compoundId, formedOn: body.formedOn, termEnd: body.termEnd, members: body.members)
            return try await management(call.access, id)
        }
        routes.api(.get, SiteURL.apiManagementCommittee, .signedIn,
                   OperationDoc("get-management-committee", "A 物管会 with its members, meetings and duty work lists", tag: "committees")) { call in
            try await management(call.access, try call.id("management-committees"))
        }
        routes.api(.post, SiteURL.apiManagementMeetings, .signedIn,
                   OperationDoc("record-management-meeting", "Record a 物管会 meeting: quorum (more than half of members and of owner representatives), decisions by signatures; minutes posted for 10 days",
                                tag: "committees", errors: [409: "Not a 物管会"]),
                   body: MeetingBody.self, status: .created) { call, body in
            let id = try call.id("management-committees")
            _ = try await service.meeting(call.access, committee: id, body.input)
            return try await management(call.access, id)
        }
        routes.api(.post, SiteURL.apiManagementDuties, .signedIn,
                   OperationDoc("record-management-duty", "Add a dated entry to a 物管会's duty work lists", tag: "committees", errors: [409: "Not a 物管会"]),
                   body: DutyBody.self, status: .created) { call, body in
            let id = try call.id("management-committees")
            _ = try await service.duty(call.access, committee: id, kind: body.kind, on: body.on, note: body.note)
            return try await management(call.access, id)
        }
    }

    func management(_ ctx: AccessContext, _ id: UUID) async throws -> ManagementAnswer {
        let k = try await service.committee(ctx, id, on: service.db)
        guard k.kind == .managementCommittee else { throw DomainError.notFound(entity: "management-committees", id: id.text) }
        return ManagementAnswer(k, meetings: try await service.meetings(id), duties: try await service.duties(id))
    }
}
