import Domain
import FluentKit
import Foundation
import SQLKit

extension DecisionService {
    /// Carries out a passed decision once: a `hire_or_dismiss_manager` decision creates the service
    /// contract with the company it names (or ends the contract it names); an `elect_committee`
    /// decision installs the elected owners' committee. Both go through the registry store, so the
    /// caller's own rights over contracts and committees apply.
    func apply(_ ctx: AccessContext, _ id: UUID, monthlyFee: Money?, startsOn: CivilDate?, endsOn: CivilDate?) async throws -> DecisionAppliedAnswer {
        let d = try await get(ctx, id)
        guard d.appliedAt == nil else { throw DomainError.conflict(code: "already_applied", message: "this decision has already been carried out") }
        guard d.status == .closed || d.status == .published else { throw DomainError.conflict(code: "not_closed", message: "voting has not ended") }
        let result = try await result(ctx, id)
        guard result.tally.passed else { throw DomainError.conflict(code: "not_passed", message: "the decision did not pass") }
        let today = Timestamp.today(ctx.now)
        return try await database.db.transaction { tx in
            var out = DecisionAppliedAnswer()
            switch d.matter {
            case .hireOrDismissManager:
                if let company = d.companyId {
                    guard let fee = monthlyFee else {
                        throw DomainError.invalid([FieldError(field: "monthlyFeePerSqm", code: "required", message: "the new contract's monthly fee per m² is required")])
                    }
                    let contract = try await store.create(ctx, store.catalog["contracts"]!, values: [
                        "companyId": .uuid(company), "compoundId": .uuid(d.compoundId), "startsOn": .text((startsOn ?? today).description),
                        "endsOn": endsOn.map { .text($0.description) } ?? .null, "monthlyFeePerSqm": .integer(fee.fen),
                    ], on: tx)
                    out.contractId = contract.id.text
                } else if let contract = d.contractId {
                    let end = endsOn ?? today
                    let updated = try await store.update(ctx, store.catalog["contracts"]!, id: contract, changes: ["endsOn": .text(end.description)], on: tx)
                    out.contractId = updated.id.text
                    out.endsOn = end.description
                } else {
                    throw DomainError.conflict(code: "nothing_named", message: "the decision names neither a company nor a contract")
                }
            case .electCommittee:
                let elected = result.candidates.filter(\.elected).map(\.candidate)
                // The longest term the regulations allow (`CommitteeSettings.maxTermYears`); the assembly's rules may shorten it on the registry.
                let end = CivilDate(year: today.year + CommitteeSettings.beijing.maxTermYears, month: today.month, day: min(today.day, 28)).dayBefore
                let committee = try await store.create(ctx, store.catalog["committees"]!, values: [
                    "compoundId": .uuid(d.compoundId), "kind": .text(CommitteeKind.ownersCommittee.rawValue),
                    "termStart": .text(today.description), "termEnd": .text(end.description),
                ], on: tx)
                for (i, name) in elected.enumerated() {
                    _ = try await store.create(ctx, store.catalog["committee-members"]!, values: [
                        "committeeId": .uuid(committee.id), "name": .text(name), "role": .text(i == 0 ? CommitteeRole.chair.rawValue : CommitteeRole.member.rawValue),
                    ], on: tx)
                }
                // A life cycle electing through this decision is now elected (5–11 members, odd) and its preparatory group's work ends.
                try await CommitteeService.installed(tx, decision: id, committee: committee.id, members: elected.count, today: today, now: ctx.now)
                out.committeeId = committee.id.text
                out.members = elected
            default:
                throw DomainError.conflict(code: "no_consequence", message: "\(d.matter.rawValue) decisions have no registry consequence to apply")
            }
            try await tx.sql().raw("UPDATE decisions SET applied_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "apply", entity: "decisions", entityId: id, districtId: nil, before: nil, after: try JSONValue.of(out), on: tx)
            return out
        }
    }
}
