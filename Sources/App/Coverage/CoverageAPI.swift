import Domain
import Foundation
import Hummingbird

/// `/api/v1/coverage` (a unit's three rates, its children's and the monthly trend) and
/// `/api/v1/coverage/compounds` (its compounds, or those missing one rate).
struct CoverageAPI: Sendable {
    let service: CoverageService

    func register(on routes: RouteTable) {
        routes.api(.get, SiteURL.apiCoverage, .signedIn,
                   OperationDoc("get-coverage", "The three rates (committee, service, party) of a district, street or community today, its streets' or communities', and the monthly trend",
                                tag: "coverage", parameters: CoverageQuery.parameters)) { call in
            let q = try CoverageQuery { call.query.get($0) }
            let u = try await service.unit(call.access, level: q.level, id: q.id)
            let o = try await service.overview(call.access, u)
            let history = try await service.history(call.access, u, current: o.total)
            return CoverageAnswer(level: u.level.table, id: u.id.text, name: u.name, day: o.day.description, total: CoverageTallyAnswer(o.total),
                                  children: o.children.map { CoverageChildAnswer(level: $0.level.table, id: $0.id.text, name: $0.name, tally: CoverageTallyAnswer($0.tally)) },
                                  history: history.map { CoverageMonthAnswer(month: $0.month, tally: CoverageTallyAnswer($0.tally)) })
        }
        routes.api(.get, SiteURL.apiCoverageCompounds, .signedIn,
                   OperationDoc("list-coverage-compounds", "A unit's compounds and which rates each meets today; with missing, those that miss that rate",
                                tag: "coverage", parameters: CoverageQuery.parameters + [.query("missing", .choice(CoverageRules.Rate.allCases.map(\.rawValue)), "only compounds missing this rate")])) { call in
            let q = try CoverageQuery { call.query.get($0) }
            let u = try await service.unit(call.access, level: q.level, id: q.id)
            return Items(items: try await service.compounds(call.access, u, missing: q.missing).map { CoverageCompoundAnswer($0.line, $0.coverage) })
        }
        routes.api(.get, SiteURL.apiCoverageSettings, .administer,
                   OperationDoc("get-coverage-settings", "What the district counts as served for the service coverage rate", tag: "coverage")) { call in
            let district = try call.id("districts")
            guard Policy.mayAdminister(call.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
            return CoverageSettingsAnswer(district: district, try await service.settings(district: district))
        }
        routes.api(.put, SiteURL.apiCoverageSettings, .administer,
                   OperationDoc("put-coverage-settings", "District admins choose whether the state-owned fallback and self-management count as served; this month's snapshot is rewritten",
                                tag: "coverage"), body: CoverageSettingsBody.self) { call, body in
            let district = try call.id("districts")
            try await service.saveSettings(call.access, district: district, body.settings)
            return CoverageSettingsAnswer(district: district, try await service.settings(district: district))
        }
    }
}
