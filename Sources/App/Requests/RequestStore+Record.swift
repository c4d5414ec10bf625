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
        id = try row.decode(column: "id", as: UUID.self)
        number = try row.decode(column: "number", as: String.self)
        channel = RequestChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .web
        category = RequestCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other
        urgency = Urgency(rawValue: try row.decode(column: "urgency", as: String.self)) ?? .general
        description = try row.decode(column: "description", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self)
        buildingId = try row.decode(column: "building_id", as: UUID?.self)
        roomId = try row.decode(column: "room_id", as: UUID?.self)
        reporterUserId = try row.decode(column: "reporter_user_id", as: UUID?.self)
        reporterName = try row.decode(column: "reporter_name", as: String?.self)
        reporterPhone = try row.decode(column: "reporter_phone", as: String?.self)
        status = RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .received
        let kind = try row.decode(column: "handler_kind", as: String?.self).flatMap(HandlerKind.init(rawValue:))
        handlerKind = kind
        handlerId = switch kind {
        case .company?: try row.decode(column: "handler_company_id", as: UUID?.self)
        case .community?: try row.decode(column: "handler_community_id", as: UUID?.self)
        case .department?: try row.decode(column: "handler_department_id", as: UUID?.self)
        case .street?: try row.decode(column: "handler_street_id", as: UUID?.self)
        case nil: nil
        }
        receivedAt = try row.decode(column: "received_at", as: Date.self)
        respondBy = try row.decode(column: "respond_by", as: Date.self)
        resolveBy = try row.decode(column: "resolve_by", as: Date.self)
        dispatchedAt = try row.decode(column: "dispatched_at", as: Date?.self)
        respondedAt = try row.decode(column: "responded_at", as: Date?.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Date?.self)
        ratedAt = try row.decode(column: "rated_at", as: Date?.self)
        closedAt = try row.decode(column: "closed_at", as: Date?.self)
        reply = try row.decode(column: "reply", as: String?.self)
        ratingResolved = try row.decode(column: "rating_resolved", as: Int64?.self).map { $0 == 1 }
        ratingSatisfaction = try row.decode(column: "rating_satisfaction", as: String?.self).flatMap(Satisfaction.init(rawValue:))
        reopenCount = try row.decode(column: "reopen_count", as: Int64.self)
        hotlineOrderNo = try row.decode(column: "hotline_order_no", as: String?.self)
        whistleCaseId = try row.decode(column: "whistle_case_id", as: UUID?.self)
        receptionId = try row.decode(column: "reception_id", as: UUID?.self)
        latitude = try row.decode(column: "latitude", as: Double?.self)
        longitude = try row.decode(column: "longitude", as: Double?.self)
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
