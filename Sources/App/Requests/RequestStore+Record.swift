import Domain
import Foundation
import SQLKit

/// A resident's request as stored.
struct RequestRecord: Sendable {
    let id: UUID
    let number: String
    let channel: RequestChannel
    let category: RequestCategory
    let urgency: Urgency
    let description: String
    let districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID
    let buildingId: UUID?, roomId: UUID?
    let reporterUserId: UUID?
    let reporterName: String?
    let reporterPhone: String?
    let status: RequestStatus
    let handlerKind: HandlerKind?
    let handlerId: UUID?
    let receivedAt: Date, respondBy: Date, resolveBy: Date
    let dispatchedAt: Date?, respondedAt: Date?, resolvedAt: Date?, ratedAt: Date?, closedAt: Date?
    let reply: String?
    let ratingResolved: Bool?
    let ratingSatisfaction: Satisfaction?
    let reopenCount: Int64
    let hotlineOrderNo: String?
    let whistleCaseId: UUID?
    let receptionId: UUID?
    let latitude: Double?, longitude: Double?
    /// Joined for display: the compound's and the handler's names.
    let compoundName: String
    let handlerName: String?

    /// Every column a record needs, with the compound's and handler's names.
    static let select = """
        SELECT r.*, p.name AS compound_name, COALESCE(hc.name, hm.name, hd.name, hs.name) AS handler_name FROM requests r
        JOIN compounds p ON p.id = r.compound_id LEFT JOIN companies hc ON hc.id = r.handler_company_id
        LEFT JOIN communities hm ON hm.id = r.handler_community_id LEFT JOIN departments hd ON hd.id = r.handler_department_id
        LEFT JOIN streets hs ON hs.id = r.handler_street_id
        """

    init(row: any SQLRow) throws {
        let r = try RequestRow.read(row)
        id = r.id; number = r.number; channel = r.channel; category = r.category; urgency = r.urgency; description = r.description
        districtId = r.districtId; streetId = r.streetId; communityId = r.communityId; compoundId = r.compoundId
        buildingId = r.buildingId; roomId = r.roomId
        reporterUserId = r.reporterUserId; reporterName = r.reporterName; reporterPhone = r.reporterPhone
        status = r.status; handlerKind = r.handlerKind; handlerId = r.handlerId
        receivedAt = r.receivedAt; respondBy = r.respondBy; resolveBy = r.resolveBy
        dispatchedAt = r.dispatchedAt; respondedAt = r.respondedAt; resolvedAt = r.resolvedAt; ratedAt = r.ratedAt; closedAt = r.closedAt
        reply = r.reply; ratingResolved = r.ratingResolved.map { $0 == 1 }; ratingSatisfaction = r.ratingSatisfaction; reopenCount = r.reopenCount
        hotlineOrderNo = r.hotlineOrderNo; whistleCaseId = r.whistleCaseId; receptionId = r.receptionId
        latitude = r.latitude; longitude = r.longitude
        compoundName = (try? row.decode(column: "compound_name", as: String.self)) ?? ""
        handlerName = try? row.decode(column: "handler_name", as: String?.self)
    }

    var place: RequestPlace {
        RequestPlace(districtId: districtId, streetId: streetId, communityId: communityId, compoundId: compoundId, reporterUserId: reporterUserId,
                     handlerKind: handlerKind, handlerId: handlerId)
    }

    /// Past a deadline without the step it bounds.
    func isOverdue(now: Date) -> Bool {
        DeadlinePolicy.isOverdue(respondBy: respondBy, resolveBy: resolveBy, respondedAt: respondedAt, resolvedAt: resolvedAt, now: now)
    }

    /// The reporter without their full phone (pages and lists); the API gives the full phone only to overseers.
    func json(now: Date, fullPhone: Bool = false) -> JSONValue {
        func time(_ d: Date?) -> JSONValue { d.map { .string(Timestamp.iso($0)) } ?? .null }
        func id(_ u: UUID?) -> JSONValue { u.map { .string($0.uuidString.lowercased()) } ?? .null }
        let phone = reporterPhone.map { fullPhone ? $0 : RequestRules.maskPhone($0) }
        return .object([
            "id": id(self.id), "number": .string(number), "channel": .string(channel.rawValue), "category": .string(category.rawValue),
            "urgency": .string(urgency.rawValue), "description": .string(description), "status": .string(status.rawValue),
            "streetId": id(streetId), "communityId": id(communityId), "compoundId": id(compoundId), "compoundName": .string(compoundName),
            "buildingId": id(buildingId), "roomId": id(roomId),
            "reporter": .object(["userId": id(reporterUserId), "name": reporterName.map { .string($0) } ?? .null, "phone": phone.map { .string($0) } ?? .null]),
            "handler": handlerKind.map { .object(["kind": .string($0.rawValue), "id": id(handlerId), "name": handlerName.map { .string($0) } ?? .null]) } ?? .null,
            "receivedAt": time(receivedAt), "respondBy": time(respondBy), "resolveBy": time(resolveBy), "dispatchedAt": time(dispatchedAt),
            "respondedAt": time(respondedAt), "resolvedAt": time(resolvedAt), "ratedAt": time(ratedAt), "closedAt": time(closedAt),
            "reply": reply.map { .string($0) } ?? .null,
            "rating": ratingSatisfaction.map { .object(["resolved": .bool(ratingResolved ?? false), "satisfaction": .string($0.rawValue)]) } ?? .null,
            "reopenCount": .int(reopenCount), "overdue": .bool(isOverdue(now: now)), "hotlineOrderNo": hotlineOrderNo.map { .string($0) } ?? .null,
            "whistleCaseId": id(whistleCaseId), "receptionId": id(receptionId),
            "latitude": latitude.map { .double($0) } ?? .null, "longitude": longitude.map { .double($0) } ?? .null,
        ])
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
