import Domain
import Foundation
import FluentKit
import SQLKit

extension RequestService {
    /// The request's `escalate` transition, on the case's transaction.
    func applyEscalation(_ ctx: AccessContext, _ r: RequestRecord, caseNumber: String, on tx: any Database) async throws {
        guard let to = RequestLifecycle.next(r.status, .escalate) else {
            throw DomainError.conflict(code: "illegal_transition", message: "a \(r.status.rawValue) request cannot be escalated")
        }
        try await tx.sql().raw("UPDATE requests SET status = \(bind: to.rawValue), updated_at = \(bind: ctx.now), version = version + 1 WHERE id = \(bind: r.id)").run()
        let sequence = try await tx.sql().raw("SELECT COALESCE(MAX(sequence), 0) + 1 AS n FROM request_events WHERE request_id = \(bind: r.id)").first()?
            .decode(column: "n", as: Int64.self) ?? 1
        try await event(tx, ctx, request: r.id, sequence: sequence, .escalate, from: r.status, to: to, note: caseNumber, at: ctx.now)
        try await audit.record(ctx, action: "escalate", entity: "requests", entityId: r.id, districtId: r.districtId,
                               before: .object(["status": .string(r.status.rawValue)]), after: .object(["status": .string(to.rawValue), "case": .string(caseNumber)]), on: tx)
    }
}
