import Domain
import Foundation
import Hummingbird

/// `/api/v1/consultations…`, `/api/v1/action-items…`, `/api/v1/disputes/{id}/agenda` and
/// `/api/v1/consultation-figures`: five-party consultations.
struct ConsultationAPI: Sendable {
    let service: ConsultationService

    func register(on routes: RouteTable) {
        let held: [Int: String] = [409: "Not possible in the meeting's state (held, published, not held)"]
        routes.api(.post, SiteURL.apiConsultations, .signedIn,
                   OperationDoc("convene-consultation", "Convene a meeting for compounds of a community, with seats by party and an agenda; repeatMonthly makes the series", tag: "consultations"),
                   body: ConveneBody.self, status: .created) { call, body in
            ConsultationAnswer(try await service.get(call.access, try await service.convene(call.access, body.input)), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiConsultations, .signedIn,
                   OperationDoc("list-consultations", "Meetings the caller sees (owners and residents: the published ones of their compounds), newest first", tag: "consultations",
                                parameters: [.query("communityId", .uuid, "one community"), .query("streetId", .uuid, "one street")])) { call in
            Items(items: try await service.list(call.access, community: try MenuAPI.optionalId(call, "communityId"), street: try MenuAPI.optionalId(call, "streetId"))
                .map(ConsultationSummaryAnswer.init))
        }
        routes.api(.get, SiteURL.apiConsultation, .signedIn, OperationDoc("get-consultation", "A meeting: seats, attendance, agenda, minutes, resolutions", tag: "consultations")) { call in
            ConsultationAnswer(try await service.get(call.access, try call.id("consultations")), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiConsultationAgenda, .signedIn,
                   OperationDoc("add-agenda-item", "Add an agenda item: text, or a request, whistle case, decision, dispute or action item by id", tag: "consultations", errors: held),
                   body: AgendaBody.self, status: .created) { call, body in
            ConsultationAnswer(try await service.addAgenda(call.access, consultation: try call.id("consultations"), body.item), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiConsultationAttendance, .signedIn,
                   OperationDoc("record-attendance", "Record the seats whose holders signed in (a meeting without the five parties is marked so)", tag: "consultations", errors: held),
                   body: AttendanceBody.self) { call, body in
            ConsultationAnswer(try await service.attendance(call.access, consultation: try call.id("consultations"), attended: body.seatIds), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiConsultationMinutes, .signedIn,
                   OperationDoc("record-minutes", "Record the minutes and resolutions; each resolution becomes an action item carried to the next meeting until done",
                                tag: "consultations", errors: held),
                   body: MinutesBody.self) { call, body in
            ConsultationAnswer(try await service.minutes(call.access, consultation: try call.id("consultations"), minutes: body.minutes, resolutions: body.resolutions),
                               today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiConsultationPublish, .signedIn,
                   OperationDoc("publish-consultation", "Publish the summary to the compounds' residents (no names)", tag: "consultations", errors: held),
                   body: SummaryBody.self) { call, body in
            ConsultationAnswer(try await service.publish(call.access, consultation: try call.id("consultations"), summary: body.summary), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiActionItems, .signedIn,
                   OperationDoc("list-action-items", "Open action items of the meetings the caller runs, soonest due first", tag: "consultations",
                                parameters: [.query("communityId", .uuid, "one community")])) { call in
            let today = call.access.todayDate
            return Items(items: try await service.openItems(call.access, community: try MenuAPI.optionalId(call, "communityId")).map { ActionItemAnswer($0, today: today) })
        }
        routes.api(.post, SiteURL.apiActionItemProgress, .signedIn,
                   OperationDoc("action-item-progress", "A progress note on an action item; done closes it", tag: "consultations", errors: [409: "The item is done"]),
                   body: ProgressBody.self, status: .created) { call, body in
            ActionItemAnswer(try await service.progress(call.access, actionItem: try call.id("action-items"), note: body.note, done: body.done), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiDisputeAgenda, .signedIn,
                   OperationDoc("dispute-to-agenda", "Put a dispute on a consultation's agenda in one step", tag: "consultations", errors: held),
                   body: ToAgendaBody.self, status: .created) { call, body in
            let dispute = try call.id("disputes")
            let title = try await service.disputeTitle(call.access, dispute)
            return ConsultationAnswer(try await service.addAgenda(call.access, consultation: body.consultationId, .init(kind: .dispute, title: title, refId: dispute)),
                                      today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiConsultationFigures, .signedIn,
                   OperationDoc("consultation-figures", "Meetings held per month over twelve months, and how many had all five parties", tag: "consultations",
                                parameters: [.query("communityId", .uuid, "one community"), .query("streetId", .uuid, "one street"),
                                             .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "the last month (default this month)")])) { call in
            let rows = try await service.figures(call.access, community: try MenuAPI.optionalId(call, "communityId"), street: try MenuAPI.optionalId(call, "streetId"),
                                                 through: try DisputeAPI.through(call))
            return Items(items: rows.map { ConsultationMonthAnswer(month: $0.month.monthText, held: Int64($0.held), fiveParty: Int64($0.fiveParty)) })
        }
    }
}
