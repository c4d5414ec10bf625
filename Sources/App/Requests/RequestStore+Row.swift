import Domain
import FluentKit
import Foundation
import SQLKit

/// One row of `requests`, column for column: the only place its column list is written. Inserts
/// bind it value by value (`binds`), reads take it column by column (`init(reading:)`); a stored code that is
/// not one of its enum's values fails the read instead of turning into a default.
struct RequestRow: Codable, Sendable {
    var id: UUID
    var number: String
    var channel: RequestChannel
    var category: RequestCategory
    var urgency: Urgency
    var description: String
    var districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID
    var buildingId: UUID?, roomId: UUID?
    var reporterUserId: UUID?
    var reporterName: String?
    var reporterPhone: String?
    var status: RequestStatus
    var handlerKind: HandlerKind?
    var handlerCompanyId: UUID?, handlerCommunityId: UUID?, handlerDepartmentId: UUID?, handlerStreetId: UUID?
    var receivedAt: Date
    /// `YYYY-MM` of receipt in Beijing, for monthly rankings.
    var month: String
    var respondBy: Date, resolveBy: Date
    var dispatchedAt: Date?, respondedAt: Date?, resolvedAt: Date?, ratedAt: Date?, closedAt: Date?
    /// 1 when the first contact came by the respond-by.
    var respondedInTime: Int64
    var reply: String?
    var ratingResolved: Int64?
    var ratingSatisfaction: Satisfaction?
    var ratingScore: Int64?
    var reopenCount: Int64
    var hotlineOrderNo: String?
    var whistleCaseId: UUID?, receptionId: UUID?
    var latitude: Double?, longitude: Double?
    var version: Int64
    var createdAt: Date, updatedAt: Date
    /// Set when the request was closed as a duplicate of this one (which counts the problem once).
    var mergedInto: UUID? = nil

    /// Each property's column: written out, so reading and writing a row convert no names.
    enum CodingKeys: String, CodingKey {
        case id, number, channel, category, urgency, description, districtId = "district_id", streetId = "street_id", communityId = "community_id"
        case compoundId = "compound_id", buildingId = "building_id", roomId = "room_id", reporterUserId = "reporter_user_id"
        case reporterName = "reporter_name", reporterPhone = "reporter_phone", status, handlerKind = "handler_kind"
        case handlerCompanyId = "handler_company_id", handlerCommunityId = "handler_community_id", handlerDepartmentId = "handler_department_id"
        case handlerStreetId = "handler_street_id", receivedAt = "received_at", month, respondBy = "respond_by", resolveBy = "resolve_by"
        case dispatchedAt = "dispatched_at", respondedAt = "responded_at", resolvedAt = "resolved_at", ratedAt = "rated_at", closedAt = "closed_at"
        case respondedInTime = "responded_in_time", reply, ratingResolved = "rating_resolved", ratingSatisfaction = "rating_satisfaction"
        case ratingScore = "rating_score", reopenCount = "reopen_count", hotlineOrderNo = "hotline_order_no", whistleCaseId = "whistle_case_id"
        case receptionId = "reception_id", latitude, longitude, version, createdAt = "created_at", updatedAt = "updated_at"
        case mergedInto = "merged_into"
    }

    /// The handler's id, from the column its kind uses.
    var handlerId: UUID? {
        switch handlerKind {
        case .company?: handlerCompanyId
        case .community?: handlerCommunityId
        case .department?: handlerDepartmentId
        case .street?: handlerStreetId
        case nil: nil
        }
    }

    mutating func setHandler(_ kind: HandlerKind, _ id: UUID) {
        handlerKind = kind
        handlerCompanyId = kind == .company ? id : nil
        handlerCommunityId = kind == .community ? id : nil
        handlerDepartmentId = kind == .department ? id : nil
        handlerStreetId = kind == .street ? id : nil
    }

    static func read(_ row: any SQLRow) throws -> RequestRow {
        try RequestRow(reading: .sql(row))
    }

    /// Inserts rows with multi-row statements (`BulkWriter`), each value bound as itself: no
    /// `Encoder` between the row and its binds (through SQLKit's model encoder this was a tenth
    /// of a filing's CPU). `FilingSpeedTests.rowBinds` holds it to the model encoder's columns.
    static func insert(_ rows: [RequestRow], on db: any Database) async throws {
        try await BulkWriter(db: db).insert("requests", columns: columns, rows: rows.map(\.binds))
    }

    /// Every column, in `binds` order.
    static let columns: [String] = [
        CodingKeys.id, .number, .channel, .category, .urgency, .description, .districtId, .streetId, .communityId, .compoundId, .buildingId, .roomId,
        .reporterUserId, .reporterName, .reporterPhone, .status, .handlerKind, .handlerCompanyId, .handlerCommunityId, .handlerDepartmentId,
        .handlerStreetId, .receivedAt, .month, .respondBy, .resolveBy, .dispatchedAt, .respondedAt, .resolvedAt, .ratedAt, .closedAt,
        .respondedInTime, .reply, .ratingResolved, .ratingSatisfaction, .ratingScore, .reopenCount, .hotlineOrderNo, .whistleCaseId, .receptionId,
        .latitude, .longitude, .version, .createdAt, .updatedAt, .mergedInto,
    ].map(\.stringValue)

    /// The row's values, in `columns` order.
    var binds: [any SQLExpression] {
        [Bind.uuid(id), Bind.text(number), Bind.text(channel.rawValue), Bind.text(category.rawValue), Bind.text(urgency.rawValue), Bind.text(description),
         Bind.uuid(districtId), Bind.uuid(streetId), Bind.uuid(communityId), Bind.uuid(compoundId), Bind.uuid(buildingId), Bind.uuid(roomId),
         Bind.uuid(reporterUserId), Bind.text(reporterName), Bind.text(reporterPhone), Bind.text(status.rawValue), Bind.text(handlerKind?.rawValue),
         Bind.uuid(handlerCompanyId), Bind.uuid(handlerCommunityId), Bind.uuid(handlerDepartmentId), Bind.uuid(handlerStreetId), Bind.date(receivedAt),
         Bind.text(month), Bind.date(respondBy), Bind.date(resolveBy), Bind.date(dispatchedAt), Bind.date(respondedAt), Bind.date(resolvedAt),
         Bind.date(ratedAt), Bind.date(closedAt), Bind.int(respondedInTime), Bind.text(reply), Bind.int(ratingResolved), Bind.text(ratingSatisfaction?.rawValue),
         Bind.int(ratingScore), Bind.int(reopenCount), Bind.text(hotlineOrderNo), Bind.uuid(whistleCaseId), Bind.uuid(receptionId), Bind.real(latitude),
         Bind.real(longitude), Bind.int(version), Bind.date(createdAt), Bind.date(updatedAt), Bind.uuid(mergedInto)]
    }
}

extension RequestRow {
    /// Reads a row column by column, by its `CodingKeys`; a stored code that is no case of its enum
    /// fails the read. Written out rather than through `Decoder`: a list reads 50 rows of 48
    /// columns a call, and the generic containers cost twice the reading itself (`perf`).
    /// `Decodable` (SQLKit's `decode(model:)`) reads the same values; a test holds them equal.
    init(reading r: RowSource) throws {
        typealias K = CodingKeys
        id = try r.uuid(K.id); number = try r.string(K.number)
        channel = try r.code(K.channel); category = try r.code(K.category); urgency = try r.code(K.urgency)
        description = try r.string(K.description)
        districtId = try r.uuid(K.districtId); streetId = try r.uuid(K.streetId); communityId = try r.uuid(K.communityId); compoundId = try r.uuid(K.compoundId)
        buildingId = try r.uuid(K.buildingId); roomId = try r.uuid(K.roomId); reporterUserId = try r.uuid(K.reporterUserId)
        reporterName = try r.string(K.reporterName); reporterPhone = try r.string(K.reporterPhone)
        status = try r.code(K.status); handlerKind = try r.code(K.handlerKind)
        handlerCompanyId = try r.uuid(K.handlerCompanyId); handlerCommunityId = try r.uuid(K.handlerCommunityId)
        handlerDepartmentId = try r.uuid(K.handlerDepartmentId); handlerStreetId = try r.uuid(K.handlerStreetId)
        receivedAt = try r.date(K.receivedAt); month = try r.string(K.month); respondBy = try r.date(K.respondBy); resolveBy = try r.date(K.resolveBy)
        dispatchedAt = try r.date(K.dispatchedAt); respondedAt = try r.date(K.respondedAt); resolvedAt = try r.date(K.resolvedAt)
        ratedAt = try r.date(K.ratedAt); closedAt = try r.date(K.closedAt)
        respondedInTime = try r.int64(K.respondedInTime); reply = try r.string(K.reply); ratingResolved = try r.int64(K.ratingResolved)
        ratingSatisfaction = try r.code(K.ratingSatisfaction); ratingScore = try r.int64(K.ratingScore); reopenCount = try r.int64(K.reopenCount)
        hotlineOrderNo = try r.string(K.hotlineOrderNo); whistleCaseId = try r.uuid(K.whistleCaseId); receptionId = try r.uuid(K.receptionId)
        latitude = try r.double(K.latitude); longitude = try r.double(K.longitude)
        version = try r.int64(K.version); createdAt = try r.date(K.createdAt); updatedAt = try r.date(K.updatedAt)
        mergedInto = try r.uuid(K.mergedInto)
    }
}
