import Domain
import Foundation
import SQLKit

/// One row of `requests`, column for column: the only place its column list is written. Inserts
/// encode it (`insert(into:).model`), reads decode it (`decode(model:)`); a stored code that is
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
        try row.decode(model: RequestRow.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Inserts rows in statements sized under both databases' bind limits.
    static func insert(_ rows: [RequestRow], on db: any SQLDatabase) async throws {
        let perStatement = max(1, BulkWriter.maxBinds / 48)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            try await db.insert(into: "requests").models(Array(rows[start..<end]), keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            start = end
        }
    }
}
