import Domain
import Foundation
import Hummingbird

/// `/api/v1/hotspots…`: flags of weeks well above their baseline, and the street's decisions on them.
struct HotspotAPI: Sendable {
    let service: HotspotService

    func register(on routes: RouteTable) {
        let states: [Int: String] = [409: "The flag has been decided already"]
        routes.api(.get, SiteURL.apiHotspots, .signedIn,
                   OperationDoc("list-hotspots", "Flags the caller sees, open ones first", tag: "hotspots",
                                parameters: [.query("status", .choice(HotspotStatus.self), "only flags in this state")])) { call in
            let raw = call.query.get("status").flatMap { $0.isEmpty ? nil : $0 }
            let status = raw.flatMap(HotspotStatus.init(rawValue:))
            if raw != nil && status == nil { throw DomainError.invalid([FieldError(field: "status", code: "invalid_choice", message: "open, whistled, monthly or dismissed")]) }
            return Items(items: try await service.list(call.access, status: status).map(HotspotAnswer.init))
        }
        routes.api(.post, SiteURL.apiHotspotScan, .signedIn,
                   OperationDoc("scan-hotspots", "Street and district staff run the detector over their district now (it also runs every hour)", tag: "hotspots")) { call in
            HotspotScanAnswer(raised: Int64(try await service.scan(call.access)))
        }
        routes.api(.get, SiteURL.apiHotspot, .signedIn, OperationDoc("get-hotspot", "A flag with the requests behind it and its progress notes", tag: "hotspots")) { call in
            try await detail(call.access, try call.id("hotspots"))
        }
        routes.api(.post, SiteURL.apiHotspotWhistle, .signedIn,
                   OperationDoc("whistle-hotspot", "The street opens a whistle case about the compound from the flag", tag: "hotspots", errors: states),
                   body: HotspotWhistleBody.self) { call, body in
            let id = try call.id("hotspots")
            _ = try await service.whistle(call.access, id, parties: body.parties)
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiHotspotMonthly, .signedIn,
                   OperationDoc("make-monthly-problem", "The street makes the flag the month's problem (每月一题) with its plan", tag: "hotspots", errors: states),
                   body: HotspotPlanBody.self) { call, body in
            let id = try call.id("hotspots")
            try await service.monthly(call.access, id, plan: body.plan)
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiHotspotDismiss, .signedIn,
                   OperationDoc("dismiss-hotspot", "The street dismisses the flag with a reason", tag: "hotspots", errors: states), body: HotspotDismissBody.self) { call, body in
            let id = try call.id("hotspots")
            try await service.dismiss(call.access, id, reason: body.reason)
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiHotspotProgress, .signedIn,
                   OperationDoc("hotspot-progress", "A progress note on the month's problem", tag: "hotspots", errors: [409: "Not the month's problem"]),
                   body: NoteBody.self, status: .created) { call, body in
            let id = try call.id("hotspots")
            try await service.progress(call.access, id, note: body.note)
            return try await detail(call.access, id)
        }
    }

    func detail(_ ctx: AccessContext, _ id: UUID) async throws -> HotspotAnswer {
        var answer = HotspotAnswer(try await service.get(ctx, id))
        let h = try await service.get(ctx, id)
        answer.requests = try await service.requests(h).map { .init(id: $0.id.text, number: $0.number, receivedAt: Timestamp.iso($0.receivedAt), status: $0.status) }
        answer.notes = try await service.notes(id).map { .init(note: $0.note, recordedBy: $0.by, at: Timestamp.iso($0.at)) }
        return answer
    }
}
