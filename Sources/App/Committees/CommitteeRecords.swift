import Domain
import Foundation
import SQLKit

/// A committee life cycle as stored, with its compound's name.
struct CycleRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, compoundName: String
    let trigger: CycleTrigger, triggeredOn: CivilDate, requestPersons: Int64?, requestArea: Int64?, stage: CycleStage
    let groupId: UUID?, groupFormedOn: CivilDate?, groupPostedOn: CivilDate?, leader: String?, decisionId: UUID?, electedOn: CivilDate?
    let committeeId: UUID?, filedOn: CivilDate?, abandonedReason: String?, createdBy: String

    static let select = "SELECT y.*, p.name AS compound_name FROM committee_cycles y JOIN compounds p ON p.id = y.compound_id"

    init(row: any SQLRow) throws {
        func date(_ c: String) throws -> CivilDate? { try row.decode(column: c, as: String?.self).flatMap { CivilDate($0) } }
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        compoundName = try row.decode(column: "compound_name", as: String.self)
        trigger = CycleTrigger(rawValue: try row.decode(column: "trigger", as: String.self)) ?? .developerReport
        triggeredOn = try date("triggered_on") ?? CivilDate(year: 1970, month: 1, day: 1)
        requestPersons = try row.decode(column: "request_persons", as: Int64?.self); requestArea = try row.decode(column: "request_area", as: Int64?.self)
        stage = CycleStage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .triggered
        groupId = try row.decode(column: "group_id", as: UUID?.self); groupFormedOn = try date("group_formed_on"); groupPostedOn = try date("group_posted_on")
        leader = try row.decode(column: "leader", as: String?.self); decisionId = try row.decode(column: "decision_id", as: UUID?.self)
        electedOn = try date("elected_on"); committeeId = try row.decode(column: "committee_id", as: UUID?.self); filedOn = try date("filed_on")
        abandonedReason = try row.decode(column: "abandoned_reason", as: String?.self); createdBy = try row.decode(column: "created_by", as: String.self)
    }

    var preparatoryDeadline: CivilDate { CommitteeRules.preparatoryDeadline(triggeredOn: triggeredOn) }
    func preparatoryOverdue(today: CivilDate) -> Bool {
        trigger != .termEnding && stage != .abandoned && CommitteeRules.isPreparatoryOverdue(triggeredOn: triggeredOn, formedOn: groupFormedOn, today: today)
    }
    var filingDeadline: CivilDate? { electedOn.map { CommitteeRules.filingDeadline(electedOn: $0) } }
    func filingOverdue(today: CivilDate) -> Bool { electedOn.map { CommitteeRules.isFilingOverdue(electedOn: $0, filedOn: filedOn, today: today) } ?? false }
}

/// A committee of the registry (preparatory group, owners' committee, 物管会) with its members.
struct CommitteeView: Sendable {
    struct Member: Sendable { let id: UUID, name: String, role: CommitteeRole }
    let id: UUID, compoundId: UUID, compoundName: String, kind: CommitteeKind, termStart: CivilDate, termEnd: CivilDate?
    let districtId: UUID, streetId: UUID, communityId: UUID
    let members: [Member]

    /// A 物管会 member's seat.
    static func seat(_ role: CommitteeRole) -> ManagementSeat {
        switch role {
        case .residentsCommitteeChair, .chair: .chair
        case .viceChair: .viceChair
        case .ownerRepresentative, .member: .ownerRepresentative
        case .other: .other
        }
    }

    static func role(_ seat: ManagementSeat) -> CommitteeRole {
        switch seat {
        case .chair: .residentsCommitteeChair
        case .viceChair: .viceChair
        case .ownerRepresentative: .ownerRepresentative
        case .other: .other
        }
    }
}

/// A 物管会 meeting as recorded.
struct ManagementMeeting: Sendable {
    struct Decision: Sendable { let text: String, signatures: Int64, passed: Bool }
    let id: UUID, heldOn: CivilDate, calledBy: String, requests: Int64, members: Int64, present: Int64, ownerReps: Int64, ownerRepsPresent: Int64
    let quorate: Bool, subject: String, minutes: String, postedOn: CivilDate, noticeId: UUID?, recordedBy: String
    var decisions: [Decision]
    var postedLate: Bool { ManagementCommitteeRules.isPostedLate(heldOn: heldOn, postedOn: postedOn) }
}

/// A duty work-list entry of a 物管会.
struct ManagementDutyEntry: Sendable {
    let id: UUID, kind: ManagementDuty, on: CivilDate, note: String, recordedBy: String
}

/// A committee whose term ends soon enough for a reminder.
struct TermReminder: Sendable {
    let committeeId: UUID, compoundId: UUID, compoundName: String, kind: CommitteeKind, termEnd: CivilDate, daysLeft: Int, reminder: Int
    /// A re-election cycle is already under way.
    let renewing: Bool
}
