import Domain
import FluentKit
import Foundation
import SQLKit

/// Requests about one problem (`Duplicates`): the open ones a resident filing is offered to join,
/// joining one, and staff merging a duplicate into the request that carries on.
extension RequestService {
    /// Open requests of the compound and category from the last days that the caller could join
    /// instead of filing (their description and number only; never who filed them).
    func similar(_ ctx: AccessContext, compound: UUID, category: RequestCategory) async throws -> [RequestRecord] {
        try await store.access.authorize(ctx, .read, store.catalog["compounds"]!, id: compound, on: database.db)
        let since = ctx.now.addingTimeInterval(-Duplicates.window)
        let rows = try await database.db.sql().raw("""
            \(unsafeRaw: RequestRecord.select) WHERE r.compound_id = \(bind: compound) AND r.category = \(bind: category.rawValue)
            AND r.received_at >= \(bind: since) AND r.merged_into IS NULL AND r.status NOT IN ('resolved', 'rated', 'closed')
            ORDER BY r.received_at DESC LIMIT 20
            """).all().map { try RequestRecord(row: $0) }
        let offered = Set(Duplicates.offered(compound: compound, category: category, now: ctx.now, among: rows.map(\.candidate)).map(\.id))
        return rows.filter { offered.contains($0.id) && $0.reporterUserId != ctx.actor.id }
    }

    /// The caller (an owner or resident of the compound) joins an open request as a further reporter.
    func join(_ ctx: AccessContext, _ id: UUID) async throws -> RequestRecord {
        try await database.db.transaction { tx in
            let r = try await load(id, on: tx, lock: true)
            guard ctx.actor.kind == .user, let me = ctx.actor.id, ctx.actor.has(.owner) || ctx.actor.has(.resident) else {
                // Staff who see the request are told they may not; anyone else learns nothing of it.
                if try await standing(ctx, r, on: tx).sees { throw DomainError.forbidden(reason: "residents join requests about their own compound") }
                throw DomainError.notFound(entity: "requests", id: id.text)
            }
            // The compound must be one the caller lives in or owns in; another compound's request is not theirs to see.
            let compounds = try await tx.sql().raw("""
                SELECT DISTINCT b.compound_id FROM rooms rm JOIN entrances e ON e.id = rm.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE rm.id IN (SELECT o.room_id FROM ownerships o WHERE o.owner_id IN \(SQLIDs.list(ctx.actor.grants.filter { $0.role == .owner }.map(\.scopeId))))
                   OR rm.id IN (SELECT s.room_id FROM residents s WHERE s.id IN \(SQLIDs.list(ctx.actor.grants.filter { $0.role == .resident }.map(\.scopeId))))
                """).all().map { try $0.decode(column: "compound_id", as: UUID.self) }
            guard compounds.contains(r.compoundId) else { throw DomainError.notFound(entity: "requests", id: id.text) }
            guard Duplicates.open(r.status), r.mergedInto == nil else { throw DomainError.conflict(code: "not_open", message: "the request is no longer being worked") }
            guard r.reporterUserId != me else { throw DomainError.conflict(code: "already_following", message: "you reported this request") }
            if try await tx.sql().raw("SELECT 1 AS x FROM request_followers WHERE request_id = \(bind: id) AND user_id = \(bind: me)").first() != nil {
                throw DomainError.conflict(code: "already_following", message: "you follow this request already")
            }
            try await follow(id, user: me, via: "joined", now: ctx.now, on: tx)
            try await note(tx, ctx, r, .join, nil)
        }
        return try await load(id, on: database.db)
    }

    /// Closes `duplicate` as a copy of `survivor`: its reporter and followers follow the survivor
    /// (and rate it), both timelines say so, and rankings count the problem once.
    func merge(_ ctx: AccessContext, _ duplicate: UUID, into survivor: UUID, note text: String?) async throws -> RequestRecord {
        try await database.db.transaction { tx in
            let d = try await load(duplicate, on: tx, lock: true), s = try await load(survivor, on: tx, lock: true)
            for r in [d, s] {
                let standing = try await standing(ctx, r, on: tx)
                guard standing.sees else { throw DomainError.notFound(entity: "requests", id: r.id.text) }
                guard RequestRules.may(.merge, standing, reporterHasAccount: r.reporterUserId != nil) else {
                    throw DomainError.forbidden(reason: "only the community, street and district merge requests")
                }
            }
            if let refusal = Duplicates.mayMerge(d.candidate, into: s.candidate) {
                throw DomainError.conflict(code: refusal.rawValue, message: "\(d.number) cannot be merged into \(s.number): \(refusal.rawValue)")
            }
            let sequence = try await nextSequence(d.id, on: tx)
            try await tx.sql().raw("""
                UPDATE requests SET status = 'closed', closed_at = \(bind: ctx.now), merged_into = \(bind: s.id), version = version + 1, updated_at = \(bind: ctx.now)
                WHERE id = \(bind: d.id)
                """).run()
            try await event(tx, ctx, request: d.id, sequence: sequence, .merge, from: d.status, to: .closed,
                            note: "into:" + s.number + (text.map { " · " + $0 } ?? ""), at: ctx.now)
            // Whoever filed or followed the duplicate now follows the survivor.
            var people = try await tx.sql().raw("SELECT user_id FROM request_followers WHERE request_id = \(bind: d.id)").all()
                .map { try $0.decode(column: "user_id", as: UUID.self) }
            if let reporter = d.reporterUserId { people.append(reporter) }
            for person in Set(people) where person != s.reporterUserId {
                if try await tx.sql().raw("SELECT 1 AS x FROM request_followers WHERE request_id = \(bind: s.id) AND user_id = \(bind: person)").first() == nil {
                    try await follow(s.id, user: person, via: "merged", now: ctx.now, on: tx)
                }
            }
            try await note(tx, ctx, s, .merge, "in:" + d.number)
            try await audit.record(ctx, action: "merge", entity: "requests", entityId: d.id, districtId: d.districtId,
                                   before: .object(["status": .string(d.status.rawValue)]), after: .object(["mergedInto": .string(s.id.text)]), on: tx)
            return try await load(d.id, on: tx)
        }
    }

    func follow(_ request: UUID, user: UUID, via: String, now: Date, on tx: any Database) async throws {
        try await tx.sql().insert(into: "request_followers").columns("id", "request_id", "user_id", "via", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(request), Bind.uuid(user), Bind.text(via), Bind.date(now), Bind.date(now)]).run()
    }

    func nextSequence(_ request: UUID, on tx: any Database) async throws -> Int64 {
        (try await tx.sql().raw("SELECT MAX(sequence) AS s FROM request_events WHERE request_id = \(bind: request)").first()?.decode(column: "s", as: Int64?.self) ?? 0) + 1
    }

    /// An entry on the request's timeline that leaves its status (someone joined; a duplicate was merged in).
    func note(_ tx: any Database, _ ctx: AccessContext, _ r: RequestRecord, _ kind: RequestEventKind, _ text: String?) async throws {
        try await event(tx, ctx, request: r.id, sequence: try await nextSequence(r.id, on: tx), kind, from: r.status, to: r.status, note: text, at: ctx.now)
        try await tx.sql().raw("UPDATE requests SET version = version + 1, updated_at = \(bind: ctx.now) WHERE id = \(bind: r.id)").run()
    }
}
