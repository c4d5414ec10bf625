import Domain
import FluentKit
import Foundation
import SQLKit

/// The demo's requests: numbered by their day of receipt across the whole district, with their
/// timelines, written with the street they belong to.
struct DemoRequestWriter {
    var sequences: [String: Int] = [:]

    /// Rows for `requests` and `request_events`, numbering as it goes.
    mutating func rows(_ requests: [DemoRequest], districtId: UUID, streetId: UUID, ts: any SQLExpression)
        -> (requests: [[any SQLExpression]], events: [[any SQLExpression]]) {
        var reqRows: [[any SQLExpression]] = [], eventRows: [[any SQLExpression]] = []
        for r in requests.sorted(by: { $0.receivedAt < $1.receivedAt }) {
            let day = Timestamp.today(r.receivedAt)
            let seq = (sequences[day.description] ?? 0) + 1
            sequences[day.description] = seq
            let status = r.status
            let reopened = status == .dispatched && r.rating != nil
            let score: Int64? = r.rating.map { RateWeights.standard.scores[$0.satisfaction] ?? 0 }
            let inTime = r.respondedAt.map { $0 <= r.respondBy } ?? false
            let dispatchedAt = reopened ? r.rating!.at : r.receivedAt
            reqRows.append([
                Bind.uuid(r.id), Bind.text(RequestNumber.make(day: day, sequence: seq)), Bind.text(r.channel.rawValue), Bind.text(r.category.rawValue),
                Bind.text(r.urgency.rawValue), Bind.text(r.description), Bind.uuid(districtId), Bind.uuid(streetId), Bind.uuid(r.communityId), Bind.uuid(r.compoundId),
                Bind.text(r.channel.reporterIsContact ? "市民" : "业主"), Bind.text("13" + String(format: "%09d", (Int(r.id.uuid.1) << 16 | Int(r.id.uuid.2) << 8 | Int(r.id.uuid.3)) % 1_000_000_000)),
                Bind.text(status.rawValue), Bind.text(r.handler.kind.rawValue), Bind.uuid(r.handler.kind == .company ? r.handler.id : nil),
                Bind.uuid(r.handler.kind == .community ? r.handler.id : nil), Bind.date(r.receivedAt), Bind.text(String(day.description.prefix(7))),
                Bind.date(r.respondBy), Bind.date(r.resolveBy), Bind.date(dispatchedAt), r.respondedAt.map { Bind.date($0) } ?? SQLLiteral.null,
                (reopened ? nil : r.resolvedAt).map { Bind.date($0) } ?? SQLLiteral.null, r.rating.map { Bind.date($0.at) } ?? SQLLiteral.null,
                r.closedAt.map { Bind.date($0) } ?? SQLLiteral.null, Bind.int(inTime ? 1 : 0), Bind.text(r.reply),
                r.rating.map { Bind.int($0.resolved ? 1 : 0) } ?? SQLLiteral.null, Bind.text(r.rating?.satisfaction.rawValue), score.map { Bind.int($0) } ?? SQLLiteral.null,
                Bind.int(reopened ? 1 : 0), Bind.text(r.hotlineOrderNo), Bind.int(1), ts, ts,
            ])
            var steps: [(RequestEventKind, RequestStatus?, RequestStatus, Date, String?)] = [(.receive, nil, .received, r.receivedAt, r.channel.rawValue),
                                                                                             (.dispatch, .received, .dispatched, r.receivedAt, r.handler.kind.rawValue)]
            if let t = r.respondedAt { steps.append((.respond, .dispatched, .responded, t, nil)) }
            if let t = r.resolvedAt { steps.append((.resolve, .responded, .resolved, t, r.reply)) }
            if let rating = r.rating { steps.append((.rate, .resolved, reopened ? .dispatched : .rated, rating.at, "\(rating.resolved ? "resolved" : "unresolved") · \(rating.satisfaction.rawValue)")) }
            if let t = r.closedAt { steps.append((.close, .rated, .closed, t, nil)) }
            for (i, s) in steps.enumerated() {
                eventRows.append([Bind.uuid(UUID()), Bind.uuid(r.id), Bind.int(i + 1), Bind.text(s.0.rawValue), Bind.text(s.1?.rawValue), Bind.text(s.2.rawValue),
                                  Bind.text("system"), Bind.text("demo"), Bind.date(s.3), Bind.text(s.4), SQLLiteral.null, ts, ts])
            }
        }
        return (reqRows, eventRows)
    }

    static func write(_ rows: (requests: [[any SQLExpression]], events: [[any SQLExpression]]), on db: any Database) async throws {
        let w = BulkWriter(db: db)
        try await w.insert("requests", columns: [
            "id", "number", "channel", "category", "urgency", "description", "district_id", "street_id", "community_id", "compound_id",
            "reporter_name", "reporter_phone", "status", "handler_kind", "handler_company_id", "handler_community_id", "received_at", "month",
            "respond_by", "resolve_by", "dispatched_at", "responded_at", "resolved_at", "rated_at", "closed_at", "responded_in_time", "reply",
            "rating_resolved", "rating_satisfaction", "rating_score", "reopen_count", "hotline_order_no", "version", "created_at", "updated_at",
        ], rows: rows.requests)
        try await w.insert("request_events", columns: ["id", "request_id", "sequence", "event", "from_status", "to_status", "actor_kind", "actor_label",
                                                       "at", "note", "data", "created_at", "updated_at"], rows: rows.events)
    }

    /// The day counters, so numbers filed later carry on after the demo's.
    func writeSequences(now: Date, on db: any Database) async throws {
        try await BulkWriter(db: db).insert("request_sequences", columns: ["id", "day", "last", "created_at", "updated_at"],
                                            rows: sequences.map { [Bind.uuid(UUID()), Bind.text($0.key), Bind.int($0.value), Bind.date(now), Bind.date(now)] })
    }
}
