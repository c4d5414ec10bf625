import Domain
import Foundation
import SQLKit

/// A decision as stored.
struct DecisionRecord: Sendable {
    let id: UUID
    let compoundId: UUID
    let title: String
    let matter: Matter
    let description: String?
    let opensAt: Date
    let closesAt: Date
    var status: DecisionStatus
    let candidates: [String]
    let seats: Int?
    let companyId: UUID?
    let contractId: UUID?
    let openedAt: Date?
    let closedAt: Date?
    let closeReason: String?
    let publishedAt: Date?
    let appliedAt: Date?
    let createdBy: String
    /// The money involved, in fen, if the matter has an amount.
    let amount: Int64?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        amount = try row.decode(column: "amount", as: Int64?.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self)
        title = try row.decode(column: "title", as: String.self)
        matter = Matter(rawValue: try row.decode(column: "matter", as: String.self)) ?? .otherMajor
        description = try row.decode(column: "description", as: String?.self)
        opensAt = try row.decode(column: "opens_at", as: Date.self)
        closesAt = try row.decode(column: "closes_at", as: Date.self)
        status = DecisionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
        candidates = (try row.decode(column: "candidates", as: String?.self) ?? "").split(separator: "\n").map(String.init)
        seats = try row.decode(column: "seats", as: Int?.self)
        companyId = try row.decode(column: "company_id", as: UUID?.self)
        contractId = try row.decode(column: "contract_id", as: UUID?.self)
        openedAt = try row.decode(column: "opened_at", as: Date?.self)
        closedAt = try row.decode(column: "closed_at", as: Date?.self)
        closeReason = try row.decode(column: "close_reason", as: String?.self)
        publishedAt = try row.decode(column: "published_at", as: Date?.self)
        appliedAt = try row.decode(column: "applied_at", as: Date?.self)
        createdBy = try row.decode(column: "created_by", as: String.self)
    }

    var isElection: Bool { matter == .electCommittee }

    var json: JSONValue {
        func time(_ d: Date?) -> JSONValue { d.map { .string(Timestamp.iso($0)) } ?? .null }
        return .object([
            "id": .string(id.uuidString.lowercased()), "compoundId": .string(compoundId.uuidString.lowercased()), "title": .string(title),
            "matter": .string(matter.rawValue), "article278Item": .int(Int64(matter.item)), "rule": .string(matter.rule.rawValue),
            "description": description.map { .string($0) } ?? .null, "opensAt": time(opensAt), "closesAt": time(closesAt),
            "status": .string(status.rawValue), "candidates": .array(candidates.map { .string($0) }), "seats": seats.map { .int(Int64($0)) } ?? .null,
            "companyId": companyId.map { .string($0.uuidString.lowercased()) } ?? .null,
            "contractId": contractId.map { .string($0.uuidString.lowercased()) } ?? .null,
            "openedAt": time(openedAt), "closedAt": time(closedAt), "closeReason": closeReason.map { .string($0) } ?? .null,
            "publishedAt": time(publishedAt), "appliedAt": time(appliedAt), "createdBy": .string(createdBy),
        ])
    }
}

/// The counted result in the API's agreed shape.
struct DecisionResult: Sendable {
    let decision: DecisionRecord
    let tally: TallyResult
    let candidates: [CandidateResult]
    let ballots: Int
    /// Paper ballots their owners disputed: not counted, listed with the result.
    var setAside: [DecisionService.PaperBallot] = []

    var json: JSONValue {
        func counts(_ c: Counts, area: Bool) -> JSONValue {
            func v(_ x: Int64) -> JSONValue { area ? .string(FixedPoint2.format(x)) : .int(x) }
            return .object(["total": v(c.total), "participating": v(c.participating), "yes": v(c.yes), "no": v(c.no), "abstain": v(c.abstain)])
        }
        var o: [String: JSONValue] = [
            "matter": .string(tally.matter.rawValue), "rule": .string(tally.rule.rawValue),
            "persons": counts(tally.persons, area: false), "area": counts(tally.area, area: true),
            "quorumMet": .bool(tally.quorumMet), "passed": .bool(tally.passed), "status": .string(decision.status.rawValue),
            "ballots": .int(Int64(ballots)),
        ]
        if decision.isElection {
            o["candidates"] = .array(candidates.map { c in
                .object(["name": .string(c.candidate), "persons": counts(c.persons, area: false), "area": counts(c.area, area: true),
                         "approved": .bool(c.approved), "elected": .bool(c.elected)])
            })
        }
        return .object(o)
    }
}
