import Domain
import Foundation

/// `POST/GET /api/v1/receptions`: record a reception day or walkabout with its requests in one
/// transaction, and list those of the caller's communities.
struct ReceptionAPI: Sendable {
    let service: ReceptionService

    func register(on routes: RouteTable) {
        routes.api(.post, SiteURL.apiReceptions, .signedIn,
                   OperationDoc("record-reception", "Record a reception day or visit (communityId, kind, heldOn, place, attendees) and file its requests in one go",
                                tag: "receptions"),
                   body: RecordReceptionBody.self, status: .created) { call, body in
            let result = try await service.record(call.access, body.reception)
            return ReceptionRecordedAnswer(id: result.id.text, requestIds: result.requestIds.map(\.text))
        }
        routes.api(.get, SiteURL.apiReceptions, .signedIn,
                   OperationDoc("list-receptions", "Reception days and walkabout visits of the caller's communities", tag: "receptions")) { call in
            Items(items: try await service.list(call.access).map(ReceptionAnswer.init))
        }
    }
}
