import Domain
import Foundation
import SQLKit

/// A resident's request as stored, with its compound's and handler's names: the row's columns
/// are read through it (`record.status`), so they are declared once, in `RequestRow`.
@dynamicMemberLookup
struct RequestRecord: Sendable {
    let row: RequestRow
    /// Joined for display: the compound's and the handler's names.
    let compoundName: String
    let handlerName: String?

    subscript<T>(dynamicMember path: KeyPath<RequestRow, T>) -> T { row[keyPath: path] }

    /// The reporter's answer to "was it resolved?", as stored 0/1.
    var ratingResolved: Bool? { row.ratingResolved.map { $0 == 1 } }

    /// Every column a record needs, with the compound's and handler's names.
    /// The names are looked up per row, not joined: with five joins PostgreSQL spent about 9 ms
    /// planning each list (its execution took 1 ms); the look-ups plan in under one.
    static let select = """
        SELECT r.*, (SELECT p.name FROM compounds p WHERE p.id = r.compound_id) AS compound_name,
          COALESCE((SELECT hc.name FROM companies hc WHERE hc.id = r.handler_company_id), (SELECT hm.name FROM communities hm WHERE hm.id = r.handler_community_id),
                   (SELECT hd.name FROM departments hd WHERE hd.id = r.handler_department_id), (SELECT hs.name FROM streets hs WHERE hs.id = r.handler_street_id)) AS handler_name
        FROM requests r
        """

    init(row: RequestRow, compoundName: String, handlerName: String?) {
        self.row = row
        self.compoundName = compoundName
        self.handlerName = handlerName
    }

    init(row: any SQLRow) throws {
        try self.init(source: .sql(row))
    }

    init(source: RowSource) throws {
        row = try RequestRow(reading: source)
        compoundName = (try? source.string("compound_name")) ?? ""
        handlerName = (try? source.isNull("handler_name")) == false ? try? source.string("handler_name") : nil
    }

    var place: RequestPlace {
        RequestPlace(districtId: row.districtId, streetId: row.streetId, communityId: row.communityId, compoundId: row.compoundId,
                     reporterUserId: row.reporterUserId, handlerKind: row.handlerKind, handlerId: row.handlerId)
    }

    var candidate: Duplicates.Candidate {
        .init(id: row.id, compoundId: row.compoundId, category: row.category, status: row.status, receivedAt: row.receivedAt, mergedInto: row.mergedInto)
    }

    /// Past a deadline without the step it bounds; never a duplicate merged into another.
    func isOverdue(now: Date) -> Bool {
        row.mergedInto == nil && DeadlinePolicy.isOverdue(respondBy: row.respondBy, resolveBy: row.resolveBy, respondedAt: row.respondedAt, resolvedAt: row.resolvedAt, now: now)
    }
}

/// One entry of a request's timeline.
struct TimelineEntry: Sendable {
    let sequence: Int64
    let event: RequestEventKind
    let fromStatus: RequestStatus?
    let toStatus: RequestStatus
    let actorLabel: String
    let at: Date
    let note: String?

    init(sequence: Int64, event: RequestEventKind, from: RequestStatus?, to: RequestStatus, actor: String, at: Date, note: String?) {
        self.sequence = sequence; self.event = event; fromStatus = from; toStatus = to; actorLabel = actor; self.at = at; self.note = note
    }

    init(row: any SQLRow) throws {
        sequence = try row.decode(column: "sequence", as: Int64.self)
        event = RequestEventKind(rawValue: try row.decode(column: "event", as: String.self)) ?? .note
        fromStatus = try row.decode(column: "from_status", as: String?.self).flatMap(RequestStatus.init(rawValue:))
        toStatus = RequestStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .received
        actorLabel = try row.decode(column: "actor_label", as: String.self)
        at = try row.decode(column: "at", as: Date.self)
        note = try row.decode(column: "note", as: String?.self)
    }

    var json: JSONValue {
        .object(["sequence": .int(sequence), "event": .string(event.rawValue), "from": fromStatus.map { .string($0.rawValue) } ?? .null,
                 "to": .string(toStatus.rawValue), "actor": .string(actorLabel), "at": .string(Timestamp.iso(at)),
                 "note": note.map { .string($0) } ?? .null])
    }
}
