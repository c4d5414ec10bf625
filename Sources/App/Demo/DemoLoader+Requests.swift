import Domain
import FluentKit
import Foundation
import SQLKit

/// The demo's requests: numbered by their day of receipt across the whole district, with their
/// timelines, written with the street they belong to.
struct DemoRequestWriter {
    var sequences: [String: Int] = [:]

    /// Rows for `requests` and `request_events`, numbering as it goes.
    mutating func rows(_ requests: [DemoRequest], districtId: UUID, streetId: UUID, now: Date)
        -> (requests: [RequestRow], events: [[any SQLExpression]]) {
        let ts = Bind.date(now)
        var reqRows: [RequestRow] = [], eventRows: [[any SQLExpression]] = []
        for r in requests.sorted(by: { $0.receivedAt < $1.receivedAt }) {
            let day = Timestamp.today(r.receivedAt)
            let seq = (sequences[day.description] ?? 0) + 1
            sequences[day.description] = seq
            let status = r.status
            let reopened = status == .dispatched && r.rating != nil
            let score: Int64? = r.rating.map { RateWeights.standard.scores[$0.satisfaction] ?? 0 }
            let inTime = r.respondedAt.map { $0 <= r.respondBy } ?? false
            let dispatchedAt = reopened ? r.rating!.at : r.receivedAt
            var row = RequestRow(id: r.id, number: RequestNumber.make(day: day, sequence: seq), channel: r.channel, category: r.category, urgency: r.urgency,
                                 description: r.description, districtId: districtId, streetId: streetId, communityId: r.communityId, compoundId: r.compoundId,
                                 reporterName: r.channel.reporterIsContact ? "市民" : "业主",
                                 reporterPhone: "13" + String(format: "%09d", (Int(r.id.uuid.1) << 16 | Int(r.id.uuid.2) << 8 | Int(r.id.uuid.3)) % 1_000_000_000),
                                 status: status, receivedAt: r.receivedAt, month: String(day.description.prefix(7)), respondBy: r.respondBy, resolveBy: r.resolveBy,
                                 dispatchedAt: dispatchedAt, respondedAt: r.respondedAt, resolvedAt: reopened ? nil : r.resolvedAt, ratedAt: r.rating?.at,
                                 closedAt: r.closedAt, respondedInTime: inTime ? 1 : 0, reply: r.reply, ratingResolved: r.rating.map { $0.resolved ? 1 : 0 },
                                 ratingSatisfaction: r.rating?.satisfaction, ratingScore: score, reopenCount: reopened ? 1 : 0, hotlineOrderNo: r.hotlineOrderNo,
                                 version: 1, createdAt: now, updatedAt: now)
            row.setHandler(r.handler.kind, r.handler.id)
            reqRows.append(row)
            var steps: [(RequestEventKind, RequestStatus?, RequestStatus, Date, String?)] = [(.receive, nil, .received, r.receivedAt, r.channel.rawValue),
                                                                                             (.dispatch, .received, .dispatched, r.receivedAt, r.handler.kind.rawValue)]
            if let t = r.respondedAt { steps.append((.respond, .dispatched, .responded, t, nil)) }
            if let t = r.resolvedAt { steps.append((.resolve, .responded, .resolved, t, r.reply)) }
            if let rating = r.rating { steps.append((.rate, .resolved, reopened ? .dispatched : .rated, rating.at, "\(rating.resolved ? "resolved" : "unresolved") · \(rating.satisfaction.rawValue)")) }
            if let t = r.closedAt { steps.append((.close, .rated, .closed, t, nil)) }
            for (i, s) in steps.enumerated() {
                eventRows.append([Bind.uuid(UUID.random()), Bind.uuid(r.id), Bind.int(i + 1), Bind.text(s.0.rawValue), Bind.text(s.1?.rawValue), Bind.text(s.2.rawValue),
                                  Bind.text("system"), Bind.text("demo"), Bind.date(s.3), Bind.text(s.4), SQLLiteral.null, ts, ts])
            }
        }
        return (reqRows, eventRows)
    }

    static func write(_ rows: (requests: [RequestRow], events: [[any SQLExpression]]), on db: any Database) async throws {
        let w = BulkWriter(db: db)
        try await RequestRow.insert(rows.requests, on: db)
        try await w.insert("request_events", columns: ["id", "request_id", "sequence", "event", "from_status", "to_status", "actor_kind", "actor_label",
                                                       "at", "note", "data", "created_at", "updated_at"], rows: rows.events)
    }

    /// The day counters, so numbers filed later carry on after the demo's.
    func writeSequences(now: Date, on db: any Database) async throws {
        try await BulkWriter(db: db).insert("request_sequences", columns: ["id", "day", "last", "created_at", "updated_at"],
                                            rows: sequences.map { [Bind.uuid(UUID.random()), Bind.text($0.key), Bind.int($0.value), Bind.date(now), Bind.date(now)] })
    }
}
