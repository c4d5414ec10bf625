import Domain
import Foundation
import SQLKit

/// One row of `requests`, column for column: the only place its column list is written. Inserts
/// encode it (`insert(into:).model`), reads decode it (`RowReader`); a stored code that is
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
        try RowReader.read(RequestRow.self, from: row)
    }

    /// Inserts rows in statements sized under both databases' bind limits.
    static func insert(_ rows: [RequestRow], on db: any SQLDatabase) async throws {
        let perStatement = max(1, BulkWriter.maxBinds / 48)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            try await db.insert(into: "requests").models(Array(rows[start..<end]), nilEncodingStrategy: .asNil).run()
            start = end
        }
    }
}
