import Domain
import Foundation
import SQLKit

/// One flag as stored, with its compound's name.
struct HotspotRecord: Sendable {
    static let select = """
        SELECT h.*, p.name AS compound_name, cm.name AS community_name, c.number AS case_number FROM hotspots h JOIN compounds p ON p.id = h.compound_id
        JOIN communities cm ON cm.id = h.community_id LEFT JOIN whistle_cases c ON c.id = h.case_id
        """
    let id: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, compoundName: String, communityName: String
    let category: String, weekStart: CivilDate, count: Int64, expected: Int64, threshold: Int64, status: HotspotStatus
    let caseId: UUID?, caseNumber: String?, month: String?, plan: String?, reason: String?, decidedBy: String?, decidedAt: Date?, createdAt: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); communityId = try row.decode(column: "community_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self); compoundName = try row.decode(column: "compound_name", as: String.self)
        communityName = try row.decode(column: "community_name", as: String.self); category = try row.decode(column: "category", as: String.self)
        weekStart = CivilDate(try row.decode(column: "week_start", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        count = try row.decode(column: "count", as: Int64.self); expected = try row.decode(column: "expected", as: Int64.self)
        threshold = try row.decode(column: "threshold", as: Int64.self)
        status = HotspotStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        caseId = try row.decode(column: "case_id", as: UUID?.self); caseNumber = try row.decode(column: "case_number", as: String?.self)
        month = try row.decode(column: "month", as: String?.self); plan = try row.decode(column: "plan", as: String?.self)
        reason = try row.decode(column: "reason", as: String?.self); decidedBy = try row.decode(column: "decided_by", as: String?.self)
        decidedAt = try row.decode(column: "decided_at", as: Date?.self); createdAt = try row.decode(column: "created_at", as: Date.self)
    }
}
