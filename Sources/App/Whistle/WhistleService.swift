import Domain
import FluentKit
import Foundation
import SQLKit

/// Whistle-and-report cases (街乡吹哨、部门报到): the street opens a case (fresh or from a request),
/// summons departments and parties with report-by deadlines; each reports in with its response
/// and commitments; a log follows the case; it closes when all have reported and the street confirms.
struct WhistleService: Sendable {
    let database: AppDatabase
    let requests: RequestService
    let audit = AuditLog()

    struct PartyInput: Sendable {
        var kind: WhistlePartyKind
        var departmentId: UUID?
        var companyId: UUID?
        var name: String?
        var reportBy: Date
    }

    struct Commitment: Sendable {
        var task: String
        var amount: Money
        var dueOn: CivilDate
    }

    struct NewCase: Sendable {
        var streetId: UUID?
        var compoundId: UUID?
        var requestId: UUID?
        var title: String
        var description: String
        var parties: [PartyInput]
    }

    // MARK: - Access

    typealias CaseStanding = WhistleStanding

    /// How the caller stands towards the case (`WhistleRules.standing`).
    func standing(_ ctx: AccessContext, _ c: WhistleCaseRecord, parties: [WhistlePartyRecord]) -> WhistleStanding {
        WhistleRules.standing(ctx.actor, WhistleCasePlace(districtId: c.districtId, streetId: c.streetId, communityId: c.communityId, compoundId: c.compoundId,
                                                          parties: parties.map { .init(id: $0.id, kind: $0.kind, departmentId: $0.departmentId, companyId: $0.companyId) }))
    }

    // MARK: - Opening

    func open(_ ctx: AccessContext, _ input: NewCase) async throws -> UUID {
        try await database.db.transaction { tx in try await open(ctx, input, on: tx) }
    }

    /// Opens a case on the caller's transaction (a hotspot turned into a case records both at once).
    func open(_ ctx: AccessContext, _ input: NewCase, on tx: any Database) async throws -> UUID {
        do {
            var errors = FieldErrors()
            var request: RequestRecord?
            var compound = input.compoundId
            var street = input.streetId
            if let rid = input.requestId {
                let r = try await requests.load(rid, on: tx, lock: true)
                guard try await requests.standing(ctx, r, on: tx).sees else { throw DomainError.notFound(entity: "requests", id: rid.uuidString.lowercased()) }
                request = r
                compound = r.compoundId
                street = r.streetId
            } else if let p = compound {
                guard let place = try await requests.place(ofCompound: p, on: tx) else {
                    throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound has id \(p.uuidString.lowercased())")])
                }
                if let s = street, s != place.streetId { errors.add("streetId", "mismatch", "the compound lies in another street") }
                street = place.streetId
            }
            guard let streetId = street,
                  let srow = try await tx.sql().raw("SELECT district_id FROM streets WHERE id = \(bind: streetId)").first() else {
                throw DomainError.invalid([FieldError(field: "streetId", code: "required", message: "a case belongs to a street: give streetId, compoundId or requestId")])
            }
            let district = try srow.decode(column: "district_id", as: UUID.self)
            let runs = Policy.isStaffOver(ctx.actor, district: district, street: streetId, community: nil)
            guard runs else {
                if request != nil { throw DomainError.forbidden(reason: "only the street (or the district) blows the whistle") }
                throw DomainError.forbidden(reason: "only the street's staff may open a case there")
            }
            if input.title.isEmpty || input.title.count > 200 { errors.add("title", "required", "a title of at most 200 characters") }
            if input.parties.isEmpty { errors.add("parties", "required", "summon at least one department or party") }
            var names: [String] = []
            for (i, p) in input.parties.enumerated() {
                names.append(try await partyName(p, district: district, compound: compound, index: i, errors: &errors, on: tx))
                if p.reportBy <= ctx.now { errors.add("parties[\(i)].reportBy", "in_past", "the report-by must be in the future") }
            }
            try errors.throwIfAny()
            let id = UUID.random()
            let day = Timestamp.today(ctx.now)
            let seq = try await requests.nextSequence(day: "W" + day.description, now: ctx.now, on: tx)
            let number = "CS" + RequestNumber.make(day: day, sequence: seq).dropFirst(2)
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "whistle_cases").columns("id", "number", "district_id", "street_id", "compound_id", "request_id", "title", "description",
                                                                     "status", "opened_by", "opened_at", "closed_at", "closing_note", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(number), Bind.uuid(district), Bind.uuid(streetId), Bind.uuid(compound), Bind.uuid(input.requestId),
                         Bind.text(input.title), Bind.text(input.description), Bind.text(WhistleStatus.open.rawValue), Bind.text(ctx.actor.label), now,
                         SQLLiteral.null, SQLLiteral.null, now, now]).run()
            for (p, name) in zip(input.parties, names) {
                try await tx.sql().insert(into: "whistle_parties").columns("id", "case_id", "kind", "department_id", "company_id", "name", "report_by", "reported_at",
                                                                           "response", "reported_by", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(p.kind.rawValue), Bind.uuid(p.departmentId), Bind.uuid(p.companyId), Bind.text(name),
                             Bind.date(p.reportBy), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, now, now]).run()
            }
            try await log(tx, ctx, case: id, note: "opened: " + names.joined(separator: "、"))
            if let r = request {
                guard RequestLifecycle.next(r.status, .escalate) != nil else {
                    throw DomainError.conflict(code: "illegal_transition", message: "a \(r.status.rawValue) request cannot be escalated")
                }
                try await tx.sql().raw("UPDATE requests SET whistle_case_id = \(bind: id) WHERE id = \(bind: r.id)").run()
                try await requests.applyEscalation(ctx, r, caseNumber: number, on: tx)
            }
            try await audit.record(ctx, action: "open", entity: "whistle-cases", entityId: id, districtId: district, before: nil,
                                   after: .object(["number": .string(number), "title": .string(input.title), "parties": .array(names.map { .string($0) })]), on: tx)
            return id
        }
    }

    func partyName(_ p: PartyInput, district: UUID, compound: UUID?, index i: Int, errors: inout FieldErrors, on tx: any Database) async throws -> String {
        switch p.kind {
        case .department:
            if let d = p.departmentId, let row = try await tx.sql().raw("SELECT name FROM departments WHERE id = \(bind: d) AND district_id = \(bind: district)").first() {
                return try row.decode(column: "name", as: String.self)
            }
            errors.add("parties[\(i)].departmentId", "unknown_reference", "a department of this district")
        case .company:
            if let c = p.companyId, let row = try await tx.sql().raw("SELECT name FROM companies WHERE id = \(bind: c) AND district_id = \(bind: district)").first() {
                return try row.decode(column: "name", as: String.self)
            }
            errors.add("parties[\(i)].companyId", "unknown_reference", "a company of this district")
        case .committee:
            if compound == nil { errors.add("parties[\(i)].kind", "needs_compound", "a committee is summoned to a case about a compound") }
            return p.name?.nilIfEmpty ?? "业主委员会"
        case .developer:
            if let n = p.name?.trimmingCharacters(in: .whitespaces).nilIfEmpty { return n }
            errors.add("parties[\(i)].name", "required", "the developer's name")
        }
        return ""
    }

    func log(_ tx: any Database, _ ctx: AccessContext, case id: UUID, note: String) async throws {
        try await tx.sql().insert(into: "whistle_log").columns("id", "case_id", "actor_label", "at", "note", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.text(note), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
    }
}
