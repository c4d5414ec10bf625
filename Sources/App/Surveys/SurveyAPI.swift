import Domain
import Foundation
import Hummingbird

/// `/api/v1/surveys…`: asking, answering once, closing, and the results by persons and by area.
struct SurveyAPI: Sendable {
    let service: SurveyService

    func register(on routes: RouteTable) {
        routes.api(.post, SiteURL.apiSurveys, .signedIn,
                   OperationDoc("create-survey", "Ask a compound (or some of its buildings), owners only or all residents, until a set time, as the community, the committee or the company",
                                tag: "surveys"),
                   body: CreateSurveyBody.self, status: .created) { call, body in
            SurveyDetailAnswer(try await service.get(call.access, try await service.create(call.access, body.input)), now: call.access.now)
        }
        routes.api(.get, SiteURL.apiSurveys, .signedIn,
                   OperationDoc("list-surveys", "Surveys the caller sees, open ones first (owners and residents: those that ask them)", tag: "surveys",
                                parameters: [.query("compoundId", .uuid, "one compound"), .query("open", .boolean, "only those taking answers")])) { call in
            let open = call.request.uri.queryParameters.get("open") == "true"
            return Items(items: try await service.list(call.access, compound: try MenuAPI.optionalId(call, "compoundId"), open: open)
                .map { SurveySummaryAnswer($0.record, respondents: $0.respondents, answered: $0.answered, now: call.access.now) })
        }
        routes.api(.get, SiteURL.apiSurvey, .signedIn,
                   OperationDoc("get-survey", "A survey's questions and the caller's standing: whether they may answer, their own answers", tag: "surveys")) { call in
            SurveyDetailAnswer(try await service.get(call.access, try call.id("surveys")), now: call.access.now)
        }
        routes.api(.post, SiteURL.apiSurveyResponses, .signedIn,
                   OperationDoc("answer-survey", "The caller's one response: every choice question answered; an owner's carries the area of their rooms it reaches, each room once",
                                tag: "surveys", errors: [409: "Answered already, or the survey is closed"]),
                   body: RespondBody.self, status: .created) { call, body in
            let r = try await service.respond(call.access, try call.id("surveys"), answers: body.answers)
            return SurveyResponseAnswer(answeredAt: Timestamp.iso(r.at), area: r.area)
        }
        routes.api(.post, SiteURL.apiSurveyPaper, .signedIn,
                   OperationDoc("enter-paper-survey-response", "Enter the answers an owner (or, for a residents' survey, a resident) gave on paper; those who ran it only; once per person, online or on paper",
                                tag: "surveys", errors: [409: "This person has answered already, or the survey is closed"]),
                   body: PaperResponseBody.self, status: .created) { call, body in
            let r = try await service.paper(call.access, try call.id("surveys"), owner: body.owner, resident: body.resident, answers: body.answers)
            return SurveyResponseAnswer(answeredAt: Timestamp.iso(r.at), area: r.area)
        }
        routes.api(.post, SiteURL.apiSurveyClose, .signedIn,
                   OperationDoc("close-survey", "Stop taking answers before the set time (those who ran it)", tag: "surveys", errors: [409: "Closed already"])) { call in
            SurveyDetailAnswer(try await service.get(call.access, try await service.close(call.access, try call.id("surveys"))), now: call.access.now)
        }
        routes.api(.get, SiteURL.apiSurveyResults, .signedIn,
                   OperationDoc("survey-results", "The count by persons and by area, per question and option (those who run it at any time; everyone asked once it closes)",
                                tag: "surveys")) { call in
            let (v, r) = try await service.results(call.access, try call.id("surveys"))
            return SurveyResultsAnswer(v, r, now: call.access.now)
        }
    }
}
