import Domain
import Foundation
import SQLKit

/// A notice as stored, with the names of where it is posted.
struct NoticeRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, compoundName: String
    let buildingId: UUID?, buildingNumber: String?, entranceId: UUID?, entranceNumber: String?
    let author: NoticeAuthor, companyId: UUID?, title: String, body: String, validFrom: CivilDate, validUntil: CivilDate
    let systemKind: SystemNoticeKind?, refId: UUID?, createdBy: String, createdAt: Date, withdrawnAt: Date?

    static let select = """
        SELECT n.*, p.name AS compound_name, b.number AS building_number, e.number AS entrance_number FROM notices n
        JOIN compounds p ON p.id = n.compound_id LEFT JOIN buildings b ON b.id = n.building_id LEFT JOIN entrances e ON e.id = n.entrance_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        compoundName = try row.decode(column: "compound_name", as: String.self)
        buildingId = try row.decode(column: "building_id", as: UUID?.self); buildingNumber = try row.decode(column: "building_number", as: String?.self)
        entranceId = try row.decode(column: "entrance_id", as: UUID?.self); entranceNumber = try row.decode(column: "entrance_number", as: String?.self)
        author = NoticeAuthor(rawValue: try row.decode(column: "author", as: String.self)) ?? .community
        companyId = try row.decode(column: "company_id", as: UUID?.self)
        title = try row.decode(column: "title", as: String.self); body = try row.decode(column: "body", as: String.self)
        validFrom = CivilDate(try row.decode(column: "valid_from", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        validUntil = CivilDate(try row.decode(column: "valid_until", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        systemKind = try row.decode(column: "system_kind", as: String?.self).flatMap(SystemNoticeKind.init(rawValue:))
        refId = try row.decode(column: "ref_id", as: UUID?.self); createdBy = try row.decode(column: "created_by", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Date.self); withdrawnAt = try row.decode(column: "withdrawn_at", as: Date?.self)
    }

    var place: NoticePlace { NoticePlace(districtId: districtId, streetId: streetId, communityId: communityId, compoundId: compoundId, servingCompany: nil) }

    func isCurrent(today: CivilDate) -> Bool { NoticeRules.isCurrent(from: validFrom, until: validUntil, withdrawn: withdrawnAt != nil, today: today) }
}

/// A file attached to a notice.
struct NoticeAttachment: Sendable {
    let id: UUID, name: String, contentType: String, size: Int64, storedName: String
}

/// Who read a notice, per building.
struct NoticeReadCount: Sendable {
    let buildingId: UUID?, building: String, rooms: Int64, readers: Int64
}

/// A notice with what its page shows.
struct NoticeView: Sendable {
    let record: NoticeRecord
    let attachments: [NoticeAttachment]
    let readers: Int64
    /// The caller may change or withdraw it.
    let editable: Bool
    /// The caller may see who read it, per building (its authors and the staff over it).
    let seesReads: Bool
    /// The caller's own reading, when they are an owner or resident it reaches.
    let readAt: Date?
}
