import Domain
import Foundation
import SQLKit

/// A street's assessment settings: its checklist, the weights of a score's four parts and its list rules.
struct AssessmentSettings: Sendable, Hashable {
    var checklist: [ChecklistItem]
    var weights: ScoreWeights
    var rules: ListRules

    static let standard = AssessmentSettings(checklist: InspectionRules.standard, weights: .standard, rules: .standard)
}

/// One inspection as stored, with the names of its place and company.
struct InspectionRecord: Sendable {
    static let select = """
        SELECT i.*, p.name AS compound_name, cm.name AS community_name, co.name AS company_name FROM inspections i JOIN compounds p ON p.id = i.compound_id
        JOIN communities cm ON cm.id = i.community_id LEFT JOIN companies co ON co.id = i.company_id
        """
    enum Status: String, RegistryCode { case draft, submitted, answered }

    let id: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, companyId: UUID?
    let compoundName: String, communityName: String, companyName: String?
    let inspectedOn: CivilDate, month: String, status: Status, inspector: String, inspectorUserId: UUID?
    let serviceEarned: Int64, serviceWeight: Int64, partyEarned: Int64, partyWeight: Int64, score: Int64
    let submittedAt: Date?, answer: String?, answeredBy: String?, answeredAt: Date?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); communityId = try row.decode(column: "community_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self); companyId = try row.decode(column: "company_id", as: UUID?.self)
        compoundName = try row.decode(column: "compound_name", as: String.self); communityName = try row.decode(column: "community_name", as: String.self)
        companyName = try row.decode(column: "company_name", as: String?.self)
        inspectedOn = CivilDate(try row.decode(column: "inspected_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        month = try row.decode(column: "month", as: String.self)
        status = Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
        inspector = try row.decode(column: "inspector", as: String.self); inspectorUserId = try row.decode(column: "inspector_user_id", as: UUID?.self)
        serviceEarned = try row.decode(column: "service_earned", as: Int64.self); serviceWeight = try row.decode(column: "service_weight", as: Int64.self)
        partyEarned = try row.decode(column: "party_earned", as: Int64.self); partyWeight = try row.decode(column: "party_weight", as: Int64.self)
        score = try row.decode(column: "score", as: Int64.self); submittedAt = try row.decode(column: "submitted_at", as: Date?.self)
        answer = try row.decode(column: "answer", as: String?.self); answeredBy = try row.decode(column: "answered_by", as: String?.self)
        answeredAt = try row.decode(column: "answered_at", as: Date?.self)
    }
}

/// One checklist item of an inspection and what was found against it.
struct InspectionLineRecord: Sendable {
    static let select = "SELECT l.*, r.number AS request_number FROM inspection_lines l LEFT JOIN requests r ON r.id = l.request_id"
    let id: UUID, inspectionId: UUID, position: Int64, item: ChecklistItem, findings: Int64, deducted: Int64, note: String?, hazard: HazardMark
    let requestId: UUID?, requestNumber: String?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); inspectionId = try row.decode(column: "inspection_id", as: UUID.self)
        position = try row.decode(column: "position", as: Int64.self)
        item = ChecklistItem(code: try row.decode(column: "code", as: String.self),
                             section: InspectionSection(rawValue: try row.decode(column: "section", as: String.self)) ?? .basic,
                             text: try row.decode(column: "text", as: String.self), weight: try row.decode(column: "weight", as: Int64.self),
                             deduction: try row.decode(column: "deduction", as: Int64.self))
        findings = try row.decode(column: "findings", as: Int64.self); deducted = try row.decode(column: "deducted", as: Int64.self)
        note = try row.decode(column: "note", as: String?.self)
        hazard = HazardMark(rawValue: try row.decode(column: "hazard", as: String.self)) ?? .none
        requestId = try row.decode(column: "request_id", as: UUID?.self); requestNumber = try row.decode(column: "request_number", as: String?.self)
    }
}

/// A published placing on a street's red or black list, with its company's name.
struct PlacingRecord: Sendable {
    static let select = """
        SELECT pl.*, co.name AS company_name, st.name AS street_name FROM placings pl JOIN companies co ON co.id = pl.company_id JOIN streets st ON st.id = pl.street_id
        """
    let id: UUID, districtId: UUID, streetId: UUID, streetName: String, period: String, companyId: UUID, companyName: String
    let list: ListKind, score: Int64?, rank: Int64?, triggers: [(code: String, detail: String)], publishedBy: String, publishedAt: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); streetName = try row.decode(column: "street_name", as: String.self)
        period = try row.decode(column: "period", as: String.self); companyId = try row.decode(column: "company_id", as: UUID.self)
        companyName = try row.decode(column: "company_name", as: String.self)
        list = ListKind(rawValue: try row.decode(column: "list", as: String.self)) ?? .black
        score = try row.decode(column: "score", as: Int64?.self); rank = try row.decode(column: "rank", as: Int64?.self)
        triggers = try row.decode(column: "triggers", as: String.self).split(separator: ";").map { part in
            let kv = part.split(separator: ":", maxSplits: 1)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        }
        publishedBy = try row.decode(column: "published_by", as: String.self); publishedAt = try row.decode(column: "created_at", as: Date.self)
    }

    static func triggerText(_ triggers: [BlackTrigger]) -> String { triggers.map { $0.code + ":" + $0.detail }.joined(separator: ";") }
}

/// A consequence recorded against a placing.
struct PlacingActionRecord: Sendable {
    let id: UUID, placingId: UUID, kind: ConsequenceKind, note: String, dueOn: String?, compoundId: UUID?, decisionId: UUID?, recordedBy: String, at: Date

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); placingId = try row.decode(column: "placing_id", as: UUID.self)
        kind = ConsequenceKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .warning
        note = try row.decode(column: "note", as: String.self); dueOn = try row.decode(column: "due_on", as: String?.self)
        compoundId = try row.decode(column: "compound_id", as: UUID?.self); decisionId = try row.decode(column: "decision_id", as: UUID?.self)
        recordedBy = try row.decode(column: "recorded_by", as: String.self); at = try row.decode(column: "created_at", as: Date.self)
    }
}
