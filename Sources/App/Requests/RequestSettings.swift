import Domain
import FluentKit
import Foundation
import SQLKit

/// A district's request rules: deadlines per urgency class, composite weights and satisfaction
/// scores. Districts without a row use the standard ones.
struct RequestSettings: Sendable, Hashable {
    var deadlines: DeadlinePolicy = .standard
    var weights: RateWeights = .standard
    /// Rated requests a unit needs in a month to be ranked (`RankOrder`); kept with the weights.
    var minimumRated: Int64 = RankOrder.defaultMinimumRated

    static func load(district: UUID, on db: any Database) async throws -> RequestSettings {
        guard let row = try await db.sql().raw("SELECT * FROM request_settings WHERE district_id = \(bind: district)").first() else { return RequestSettings() }
        return try RequestSettings(row: row)
    }
}

extension RequestSettings {
    /// From a row holding `respond_within`, `resolve_within`, `weights` and `scores` (a joined
    /// query's); the defaults when they are null (the district has not set its own).
    init(row: any SQLRow) throws {
        self.init()
        guard try row.decode(column: "respond_within", as: String?.self) != nil else { return }
        func map(_ column: String) throws -> [String: Int64] {
            guard case .object(let o) = try JSONValue.parse(Data(try row.decode(column: column, as: String.self).utf8)) else { return [:] }
            return o.compactMapValues { if case .int(let i) = $0 { i } else { nil } }
        }
        let respond = try map("respond_within"), resolve = try map("resolve_within"), w = try map("weights"), scores = try map("scores")
        for u in Urgency.allCases {
            if let v = respond[u.rawValue] { deadlines.respondWithin[u] = Int(v) }
            if let v = resolve[u.rawValue] { deadlines.resolveWithin[u] = Int(v) }
        }
        weights.response = w["response"] ?? 30
        weights.resolution = w["resolution"] ?? 35
        weights.satisfaction = w["satisfaction"] ?? 35
        minimumRated = w["minimumRated"] ?? RankOrder.defaultMinimumRated
        for level in Satisfaction.allCases { if let v = scores[level.rawValue] { weights.scores[level] = v } }
    }

    var json: JSONValue {
        .object([
            "respondWithinSeconds": .object(Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, .int(Int64(deadlines.respondWithin[$0] ?? 0))) })),
            "resolveWithinSeconds": .object(Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, .int(Int64(deadlines.resolveWithin[$0] ?? 0))) })),
            "weights": .object(["response": .int(weights.response), "resolution": .int(weights.resolution), "satisfaction": .int(weights.satisfaction)]),
            "scores": .object(Dictionary(uniqueKeysWithValues: Satisfaction.allCases.map { ($0.rawValue, .int(weights.scores[$0] ?? 0)) })),
        ])
    }

    func save(district: UUID, now: Date, on db: any Database) async throws {
        func text(_ d: [String: JSONValue]) -> String { String(decoding: JSONValue.object(d).encoded(), as: UTF8.self) }
        let respond = text(Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, .int(Int64(deadlines.respondWithin[$0] ?? 0))) }))
        let resolve = text(Dictionary(uniqueKeysWithValues: Urgency.allCases.map { ($0.rawValue, .int(Int64(deadlines.resolveWithin[$0] ?? 0))) }))
        let w = text(["response": .int(weights.response), "resolution": .int(weights.resolution), "satisfaction": .int(weights.satisfaction),
                      "minimumRated": .int(minimumRated)])
        let sc = text(Dictionary(uniqueKeysWithValues: Satisfaction.allCases.map { ($0.rawValue, .int(weights.scores[$0] ?? 0)) }))
        try await db.sql().raw("DELETE FROM request_settings WHERE district_id = \(bind: district)").run()
        try await db.sql().insert(into: "request_settings").columns("id", "district_id", "respond_within", "resolve_within", "weights", "scores", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(district), Bind.text(respond), Bind.text(resolve), Bind.text(w), Bind.text(sc), Bind.date(now), Bind.date(now)]).run()
    }
}
