import Domain
import Foundation
import SQLKit

/// A dispute as stored, with the names of its places.
struct DisputeRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID
    let kind: DisputeKind, source: DisputeSource, title: String, description: String, requestId: UUID?
    let status: DisputeStatus, plan: String?, outcome: DisputeOutcome?, outcomeOn: CivilDate?, outcomeNote: String?
    let receivedOn: CivilDate, reportedBy: String, reporterUserId: UUID?
    let compoundName: String, communityName: String

    static let select = """
        SELECT d.*, p.name AS compound_name, cm.name AS community_name FROM disputes d JOIN compounds p ON p.id = d.compound_id
        JOIN communities cm ON cm.id = d.community_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        kind = DisputeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other
        source = DisputeSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .partyMember
        title = try row.decode(column: "title", as: String.self); description = try row.decode(column: "description", as: String.self)
        requestId = try row.decode(column: "request_id", as: UUID?.self)
        status = DisputeStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .received
        plan = try row.decode(column: "plan", as: String?.self)
        outcome = try row.decode(column: "outcome", as: String?.self).flatMap(DisputeOutcome.init(rawValue:))
        outcomeOn = try row.decode(column: "outcome_on", as: String?.self).flatMap { CivilDate($0) }
        outcomeNote = try row.decode(column: "outcome_note", as: String?.self)
        receivedOn = CivilDate(try row.decode(column: "received_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        reportedBy = try row.decode(column: "reported_by", as: String.self); reporterUserId = try row.decode(column: "reporter_user_id", as: UUID?.self)
        compoundName = try row.decode(column: "compound_name", as: String.self); communityName = try row.decode(column: "community_name", as: String.self)
    }

    func age(today: CivilDate) -> Int { DisputeRules.ageDays(receivedOn: receivedOn, closedOn: outcomeOn, today: today) }
}

/// A party to a dispute.
struct DisputePartyRecord: Sendable {
    let kind: DisputePartyKind, name: String, companyId: UUID?
}

/// A mediator assigned to a dispute.
struct DisputeMediatorRecord: Sendable {
    let userId: UUID, kind: MediatorKind, name: String
}

/// One entry of a dispute's history.
struct DisputeEventRecord: Sendable {
    let kind: DisputeEventKind, on: CivilDate, mediatorKind: MediatorKind?, mediatorName: String?, note: String, companyId: UUID?, companyName: String?
    let actor: String, at: Date
}

/// A dispute with everything on its page.
struct DisputeView: Sendable {
    let record: DisputeRecord
    let rooms: [(id: UUID, label: String)]
    let parties: [DisputePartyRecord]
    let mediators: [DisputeMediatorRecord]
    let events: [DisputeEventRecord]
    let standing: DisputeStanding
}

/// A legal-awareness activity (普法活动) of a community.
struct LegalActivityRecord: Sendable {
    let id: UUID, communityId: UUID, heldOn: CivilDate, topic: String, audience: String, attendance: Int64, recordedBy: String
}

/// A community's or street's month of source governance, with the activities and improvements counted.
struct DisputeMonthRow: Sendable {
    let month: CivilDate
    let figures: DisputeMonth
    let activities: Int
    let attendance: Int64
    let improvements: Int
}
