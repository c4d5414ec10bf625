import Domain
import Foundation

/// `GET /api/v1/rankings`: the month's three rates and composite per unit, best first.
struct RankingAPI: Sendable {
    let service: RankingService

    func register(on routes: RouteTable) {
        routes.api(.get, SiteURL.apiRankings, .signedIn,
                   OperationDoc("rankings", "The month's three rates and composite per unit: ranked units best first (ties share a rank), then those with too few ratings", tag: "rankings", parameters: [
                       .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (default the last complete month)"),
                       .query("level", .choice(RankingService.Level.self), "what to rank (default company)"),
                       .query("streetId", .uuid, "one street (default the district)"),
                   ])) { call in
            let q = try RankingWeb.query(call.request, call.access)
            let (settings, rows) = try await service.ranking(district: q.district, month: q.month, level: q.level, streetId: q.streetId, now: call.now)
            return RankingAnswer(month: q.month, level: q.level.rawValue, streetId: q.streetId?.text,
                                 weights: ["response": settings.weights.response, "resolution": settings.weights.resolution, "satisfaction": settings.weights.satisfaction],
                                 minimumRated: settings.minimumRated, items: rows.map(RankingRowAnswer.init))
        }
    }
}
