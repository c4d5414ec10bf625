import Domain
import FluentKit
import Foundation
import SQLKit

/// Assessment (六里屯《物业考核办法》): the street's inspections (日查) against its checklist, scorecards
/// by month, quarter and year combining inspections, requests, ratings and party building, and the
/// red and black lists published from them with their consequences. Every write is audited.
struct AssessmentService: Sendable {
    let database: AppDatabase
    let requests: RequestService
    let decisions: DecisionService
    let uploads: UploadStore
    let audit = AuditLog()
    var db: any Database { database.db }

    // MARK: - Settings

    /// The street's settings, or the standard ones until it saves its own.
    func settings(street: UUID, on given: (any Database)? = nil) async throws -> AssessmentSettings {
        guard let row = try await (given ?? db).sql().raw("SELECT * FROM assessment_settings WHERE street_id = \(bind: street)").first() else { return .standard }
        let checklist = try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8))
        return AssessmentSettings(
            checklist: checklist,
            weights: ScoreWeights(inspection: try row.decode(column: "weight_inspection", as: Int64.self), requests: try row.decode(column: "weight_requests", as: Int64.self),
                                  residents: try row.decode(column: "weight_residents", as: Int64.self), party: try row.decode(column: "weight_party", as: Int64.self)),
            rules: ListRules(redTop: try row.decode(column: "red_top", as: Int64.self), redMinimum: try row.decode(column: "red_minimum", as: Int64.self),
                             blackBelow: try row.decode(column: "black_below", as: Int64.self), monthFloor: try row.decode(column: "month_floor", as: Int64.self)))
    }

    /// Street staff over the street (or its district's admin) set its checklist, weights and list rules.
    func saveSettings(_ ctx: AccessContext, street: UUID, _ s: AssessmentSettings) async throws -> AssessmentSettings {
        let place = try await streetPlace(ctx, street)
        guard Policy.isStaffOver(ctx.actor, district: place.district, street: street, community: nil) else {
            throw DomainError.forbidden(reason: "the street sets its assessment rules")
        }
        // The body's flat names: checklist[2].weight, weightParty, redTop.
        let problems = InspectionRules.problems(s.checklist).map { FieldError(field: "checklist" + $0.field.dropFirst("items".count), code: $0.code, message: $0.message) }
            + s.weights.problems.map { FieldError(field: "weight" + $0.field.prefix(1).uppercased() + $0.field.dropFirst(), code: $0.code, message: $0.message) }
            + s.rules.problems
        if !problems.isEmpty { throw DomainError.invalid(problems) }
        let json = String(decoding: try JSONEncoder().encode(s.checklist), as: UTF8.self)
        try await db.transaction { tx in
            let before = try await settings(street: street, on: tx)
            try await tx.sql().raw("DELETE FROM assessment_settings WHERE street_id = \(bind: street)").run()
            try await tx.sql().insert(into: "assessment_settings").columns("id", "district_id", "street_id", "checklist", "weight_inspection", "weight_requests",
                                                                           "weight_residents", "weight_party", "red_top", "red_minimum", "black_below", "month_floor",
                                                                           "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(place.district), Bind.uuid(street), Bind.text(json), Bind.int(s.weights.inspection), Bind.int(s.weights.requests),
                         Bind.int(s.weights.residents), Bind.int(s.weights.party), Bind.int(s.rules.redTop), Bind.int(s.rules.redMinimum),
                         Bind.int(s.rules.blackBelow), Bind.int(s.rules.monthFloor), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: "update", entity: "assessment-settings", entityId: street, districtId: place.district,
                                   before: Self.json(before), after: Self.json(s), on: tx)
        }
        return s
    }

    static func json(_ s: AssessmentSettings) -> JSONValue {
        .object(["items": .int(Int64(s.checklist.count)),
                 "weights": .string("\(s.weights.inspection)/\(s.weights.requests)/\(s.weights.residents)/\(s.weights.party)"),
                 "rules": .string("top \(s.rules.redTop) ≥\(s.rules.redMinimum) black<\(s.rules.blackBelow) floor \(s.rules.monthFloor)")])
    }

    /// The street's district and name, if the caller may see the street at all (staff of it, its
    /// district, a community in it, or a company or committee working in it).
    func streetPlace(_ ctx: AccessContext, _ street: UUID) async throws -> (district: UUID, name: String) {
        guard let row = try await db.sql().raw("SELECT district_id, name FROM streets WHERE id = \(bind: street)").first() else {
            throw DomainError.notFound(entity: "streets", id: street.text)
        }
        let district = try row.decode(column: "district_id", as: UUID.self)
        let sees = ctx.actor.isSystem || ctx.actor.grants.contains { g in
            switch g.role {
            case .districtAdmin: g.scopeId == district
            case .streetStaff: g.scopeId == street
            case .communityStaff, .companyStaff, .committeeMember, .departmentLiaison: g.districtId == district
            default: false
            }
        }
        guard sees else { throw DomainError.notFound(entity: "streets", id: street.text) }
        return (district, try row.decode(column: "name", as: String.self))
    }

    static func requireText(_ field: String, _ text: String, max: Int = 2_000, _ message: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || t.count > max { throw DomainError.invalid([FieldError(field: field, code: "required", message: message)]) }
        return t
    }
}
