import Domain
import Foundation
import SQLKit

/// A whistle case as stored, with its compound's community for scoping.
struct WhistleCaseRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID
    let compoundId: UUID?, communityId: UUID?, requestId: UUID?
    let title: String, description: String, status: WhistleStatus
    let openedBy: String, openedAt: Date, closedAt: Date?, closingNote: String?
    let streetName: String, compoundName: String?

    static let select = """
        SELECT w.*, p.community_id, s.name AS street_name, p.name AS compound_name FROM whistle_cases w JOIN streets s ON s.id = w.street_id
        LEFT JOIN compounds p ON p.id = w.compound_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID?.self)
        communityId = try row.decode(column: "community_id", as: UUID?.self)
        requestId = try row.decode(column: "request_id", as: UUID?.self)
        title = try row.decode(column: "title", as: String.self)
        description = try row.decode(column: "description", as: String.self)
        status = WhistleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        openedBy = try row.decode(column: "opened_by", as: String.self)
        openedAt = try row.decode(column: "opened_at", as: Date.self)
        closedAt = try row.decode(column: "closed_at", as: Date?.self)
        closingNote = try row.decode(column: "closing_note", as: String?.self)
        streetName = try row.decode(column: "street_name", as: String.self)
        compoundName = try row.decode(column: "compound_name", as: String?.self)
    }

    var json: JSONValue {
        func id(_ u: UUID?) -> JSONValue { u.map { .string($0.uuidString.lowercased()) } ?? .null }
        return .object(["id": id(self.id), "number": .string(number), "streetId": id(streetId), "streetName": .string(streetName),
                        "compoundId": id(compoundId), "compoundName": compoundName.map { .string($0) } ?? .null, "requestId": id(requestId),
                        "title": .string(title), "description": .string(description), "status": .string(status.rawValue), "openedBy": .string(openedBy),
                        "openedAt": .string(Timestamp.iso(openedAt)), "closedAt": closedAt.map { .string(Timestamp.iso($0)) } ?? .null,
                        "closingNote": closingNote.map { .string($0) } ?? .null])
    }
}

/// One summoned party and its report.
struct WhistlePartyRecord: Sendable {
    let id: UUID, kind: WhistlePartyKind, departmentId: UUID?, companyId: UUID?, name: String
    let reportBy: Date, reportedAt: Date?, response: String?, reportedBy: String?
    var commitments: [WhistleService.Commitment] = []
    /// Whether someone can sign in for the party (a liaison of the department, staff of the company).
    var hasAccount = true

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        kind = WhistlePartyKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .department
        departmentId = try row.decode(column: "department_id", as: UUID?.self)
        companyId = try row.decode(column: "company_id", as: UUID?.self)
        name = try row.decode(column: "name", as: String.self)
        reportBy = try row.decode(column: "report_by", as: Date.self)
        reportedAt = try row.decode(column: "reported_at", as: Date?.self)
        response = try row.decode(column: "response", as: String?.self)
        reportedBy = try row.decode(column: "reported_by", as: String?.self)
    }

    var rule: SummonedParty { SummonedParty(reportBy: reportBy, reportedAt: reportedAt) }

    func json(now: Date) -> JSONValue {
        func id(_ u: UUID?) -> JSONValue { u.map { .string($0.uuidString.lowercased()) } ?? .null }
        return .object(["id": id(self.id), "kind": .string(kind.rawValue), "departmentId": id(departmentId), "companyId": id(companyId), "name": .string(name),
                        "reportBy": .string(Timestamp.iso(reportBy)), "reportedAt": reportedAt.map { .string(Timestamp.iso($0)) } ?? .null,
                        "onTime": reportedAt == nil ? .null : .bool(rule.onTime), "late": .bool(rule.isLate(now: now)),
                        "response": response.map { .string($0) } ?? .null, "reportedBy": reportedBy.map { .string($0) } ?? .null,
                        "commitments": .array(commitments.map { c in
                            .object(["task": .string(c.task), "amount": .string(c.amount.description), "dueOn": .string(c.dueOn.description)])
                        })])
    }
}

/// One line of a case's progress log.
struct WhistleLogEntry: Sendable {
    let actor: String, at: Date, note: String
    var json: JSONValue { .object(["actor": .string(actor), "at": .string(Timestamp.iso(at)), "note": .string(note)]) }
}

/// A case with everything on its page.
struct WhistleCaseView: Sendable {
    let record: WhistleCaseRecord
    let parties: [WhistlePartyRecord]
    let log: [WhistleLogEntry]
    let standing: WhistleService.CaseStanding

    func json(now: Date) -> JSONValue {
        guard case .object(var o) = record.json else { return record.json }
        o["parties"] = .array(parties.map { $0.json(now: now) })
        o["log"] = .array(log.map(\.json))
        o["canClose"] = .bool(record.status == .open && WhistleRules.canClose(parties.map(\.rule)))
        return .object(o)
    }
}
