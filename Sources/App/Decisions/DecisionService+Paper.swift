import Domain
import FluentKit
import Foundation
import SQLKit

/// Paper ballots (书面表决): issued when voting opens, recorded by one organiser, counted only
/// when a second confirms, and set aside when the owner disputes them.
extension DecisionService {
    /// One issued paper ballot and what became of it.
    struct PaperBallot: Sendable {
        let number: String
        let voterKey: UUID
        let status: PaperBallotStatus
        let choice: String?
        let ownerId: UUID?
        let recordedBy: String?, recordedAt: Date?
        let confirmedBy: String?, confirmedAt: Date?
        let disputedAt: Date?, disputeReason: String?
        let sequence: Int64?
        /// The voter's rooms, for the printed register.
        var rooms: [UUID] = []

        init(row: any SQLRow) throws {
            number = try row.decode(column: "number", as: String.self)
            voterKey = try row.decode(column: "voter_key", as: UUID.self)
            status = try PaperBallotStatus(rawValue: row.decode(column: "status", as: String.self)).orThrow("paper ballot status")
            choice = try row.decode(column: "choice", as: String?.self)
            ownerId = try row.decode(column: "owner_id", as: UUID?.self)
            recordedBy = try row.decode(column: "recorded_by", as: String?.self)
            recordedAt = try row.decode(column: "recorded_at", as: Date?.self)
            confirmedBy = try row.decode(column: "confirmed_by", as: String?.self)
            confirmedAt = try row.decode(column: "confirmed_at", as: Date?.self)
            disputedAt = try row.decode(column: "disputed_at", as: Date?.self)
            disputeReason = try row.decode(column: "dispute_reason", as: String?.self)
            sequence = try row.decode(column: "ballot_sequence", as: Int64?.self)
        }
    }

    /// Issues one number to every voter on the frozen roll (inside the opening transaction).
    func issuePaperBallots(_ roll: [Voter], decision: UUID, now: Date, on tx: any Database) async throws {
        var rng = SystemRandomNumberGenerator()
        let numbers = PaperBallotRules.numbers(count: roll.count, using: &rng)
        try await BulkWriter(db: tx).insert("paper_ballots", columns: ["id", "decision_id", "voter_key", "number", "status", "created_at", "updated_at"],
                                             rows: zip(roll, numbers).map { v, n in
            [Bind.uuid(UUID.random()), Bind.uuid(decision), Bind.uuid(v.key), Bind.text(n), Bind.text(PaperBallotStatus.issued.rawValue), Bind.date(now), Bind.date(now)]
        })
    }

    /// The voter an owner belongs to on the decision's roll.
    func voterKey(decision: UUID, owner: UUID, on db: any Database) async throws -> UUID? {
        try await db.sql().raw("""
            SELECT voter_key FROM decision_voters WHERE decision_id = \(bind: decision) AND owner_ids LIKE \(bind: "%" + owner.text + "%")
            """).first()?.decode(column: "voter_key", as: UUID.self)
    }

    /// The register: every issued ballot for organisers; an owner sees only their own.
    func paperRegister(_ ctx: AccessContext, _ id: UUID) async throws -> [PaperBallot] {
        let d = try await get(ctx, id)
        let db = database.db
        let organiser = (try? await authorize(ctx, .update, compound: d.compoundId, on: db)) != nil
        var keys: Set<UUID>?
        if !organiser {
            keys = []
            for g in ctx.actor.grants where g.role == .owner {
                if let k = try await voterKey(decision: id, owner: g.scopeId, on: db) { keys?.insert(k) }
            }
        }
        let rooms = Dictionary(uniqueKeysWithValues: try await roll(id, on: db).map { ($0.key, $0.roomIds) })
        return try await db.sql().raw("SELECT * FROM paper_ballots WHERE decision_id = \(bind: id) ORDER BY number").all()
            .map { row -> PaperBallot in
                var p = try PaperBallot(row: row)
                p.rooms = rooms[p.voterKey] ?? []
                return p
            }
            .filter { keys == nil || keys!.contains($0.voterKey) }
    }

    func paperBallot(_ id: UUID, number: String, on db: any Database) async throws -> PaperBallot {
        guard let row = try await db.sql().raw("SELECT * FROM paper_ballots WHERE decision_id = \(bind: id) AND number = \(bind: number)").first() else {
            throw DomainError.notFound(entity: "paper-ballots", id: number)
        }
        return try PaperBallot(row: row)
    }

    /// An organiser records a returned sheet: only with the number issued to that voter, once.
    func recordPaper(_ ctx: AccessContext, _ id: UUID, number: String, owner: UUID, choice: Choice?, choices: [String: Choice]) async throws -> PaperBallot {
        let d = try await get(ctx, id)
        try await authorize(ctx, .update, compound: d.compoundId, on: database.db)
        guard VotingWindow.accepts(d.status, now: ctx.now, opensAt: d.opensAt, closesAt: d.closesAt) else {
            throw DomainError.conflict(code: "not_open", message: "the decision is not open for voting now")
        }
        let choiceText = try Self.choiceText(d, choice: choice, choices: choices)
        return try await database.db.transaction { tx in
            if database.isPostgres { try await tx.sql().raw("SELECT id FROM decisions WHERE id = \(bind: id) FOR UPDATE").run() }
            guard let voter = try await voterKey(decision: id, owner: owner, on: tx) else {
                throw DomainError.invalid([FieldError(field: "ownerId", code: "not_on_roll", message: "this owner is not on the decision's voter roll")])
            }
            let row = try await tx.sql().raw("SELECT * FROM paper_ballots WHERE decision_id = \(bind: id) AND number = \(bind: number)").first()
            let issued = try row.map(PaperBallot.init(row:))
            if let refusal = PaperBallotRules.refusal(toRecord: number, issuedTo: issued?.voterKey, status: issued?.status, voter: voter) {
                throw DomainError.conflict(code: refusal.code, message: refusal.message)
            }
            if try await tx.sql().raw("SELECT id FROM ballots WHERE decision_id = \(bind: id) AND voter_key = \(bind: voter)").first() != nil {
                throw DomainError.conflict(code: "already_voted", message: "this owner's ballot (or a co-owner's) is already counted")
            }
            try await tx.sql().raw("""
                UPDATE paper_ballots SET status = 'recorded', choice = \(bind: choiceText), owner_id = \(bind: owner), recorded_by_id = \(bind: ctx.actor.id),
                recorded_by = \(bind: ctx.actor.label), recorded_at = \(bind: ctx.now), updated_at = \(bind: ctx.now)
                WHERE decision_id = \(bind: id) AND number = \(bind: number) AND status = 'issued'
                """).run()
            try await audit.record(ctx, action: "record_paper", entity: "decisions", entityId: id, districtId: nil, before: nil,
                                   after: .object(["number": .string(number), "choice": .string(choiceText)]), on: tx)
            return try await paperBallot(id, number: number, on: tx)
        }
    }

    /// A second organiser (or the community's witness) confirms a recorded sheet; it is then counted.
    func confirmPaper(_ ctx: AccessContext, _ id: UUID, number: String) async throws -> (PaperBallot, receipt: String) {
        let d = try await get(ctx, id)
        try await authorize(ctx, .update, compound: d.compoundId, on: database.db)
        guard VotingWindow.accepts(d.status, now: ctx.now, opensAt: d.opensAt, closesAt: d.closesAt) else {
            throw DomainError.conflict(code: "not_open", message: "the decision is not open for voting now")
        }
        return try await database.db.transaction { tx in
            if database.isPostgres { try await tx.sql().raw("SELECT id FROM decisions WHERE id = \(bind: id) FOR UPDATE").run() }
            let p = try await paperBallot(id, number: number, on: tx)
            guard p.status == .recorded, let owner = p.ownerId, let choice = p.choice else {
                throw DomainError.conflict(code: "not_recorded", message: "only a recorded, unconfirmed paper ballot can be confirmed")
            }
            let recorder = try await tx.sql().raw("SELECT recorded_by_id FROM paper_ballots WHERE decision_id = \(bind: id) AND number = \(bind: number)").first()?
                .decode(column: "recorded_by_id", as: UUID?.self)
            guard PaperBallotRules.mayConfirm(recordedBy: recorder, confirmer: ctx.actor.id, confirmerIsOrganiser: true, confirmerIsWitness: false) else {
                throw DomainError.forbidden(reason: "a paper ballot is confirmed by someone other than who recorded it")
            }
            let counted = try await appendBallot(ctx, d, voterKey: p.voterKey, owner: owner, choice: choice, channel: .paper, paperNumber: number, on: tx)
            try await tx.sql().raw("""
                UPDATE paper_ballots SET status = 'confirmed', confirmed_by_id = \(bind: ctx.actor.id), confirmed_by = \(bind: ctx.actor.label),
                confirmed_at = \(bind: ctx.now), ballot_sequence = \(bind: Int64(counted.sequence)), updated_at = \(bind: ctx.now)
                WHERE decision_id = \(bind: id) AND number = \(bind: number)
                """).run()
            return (try await paperBallot(id, number: number, on: tx), counted.receipt)
        }
    }

    /// The owner disputes a paper ballot recorded in their name before voting closes: it is set
    /// aside (not counted) and listed on the result.
    func disputePaper(_ ctx: AccessContext, _ id: UUID, number: String, reason: String) async throws -> PaperBallot {
        let d = try await get(ctx, id)
        return try await database.db.transaction { tx in
            let p = try await paperBallot(id, number: number, on: tx)
            var mine = false
            for g in ctx.actor.grants where g.role == .owner {
                if try await voterKey(decision: id, owner: g.scopeId, on: tx) == p.voterKey { mine = true }
            }
            guard mine else { throw DomainError.notFound(entity: "paper-ballots", id: number) }
            let open = VotingWindow.accepts(d.status, now: ctx.now, opensAt: d.opensAt, closesAt: d.closesAt)
            guard PaperBallotRules.mayDispute(p.status, votingOpen: open) else {
                throw DomainError.conflict(code: "not_disputable", message: "only a paper ballot recorded in your name can be disputed, and only while voting is open")
            }
            try await tx.sql().raw("""
                UPDATE paper_ballots SET status = 'disputed', disputed_at = \(bind: ctx.now), dispute_reason = \(bind: reason), updated_at = \(bind: ctx.now)
                WHERE decision_id = \(bind: id) AND number = \(bind: number)
                """).run()
            try await audit.record(ctx, action: "dispute_paper", entity: "decisions", entityId: id, districtId: nil,
                                   before: .object(["status": .string(p.status.rawValue)]),
                                   after: .object(["number": .string(number), "status": .string("disputed"), "reason": .string(reason)]), on: tx)
            return try await paperBallot(id, number: number, on: tx)
        }
    }

    /// The sequences of counted ballots that their owners disputed: set aside from the count.
    func setAside(_ id: UUID, on db: any Database) async throws -> [PaperBallot] {
        try await db.sql().raw("SELECT * FROM paper_ballots WHERE decision_id = \(bind: id) AND status = 'disputed' ORDER BY number").all()
            .map(PaperBallot.init(row:))
    }
}

extension Optional {
    /// The value, or a failure naming what was missing (a stored code no enum case names).
    func orThrow(_ what: String) throws -> Wrapped {
        guard let self else { throw DomainError.conflict(code: "corrupt_row", message: "an unknown \(what) is stored") }
        return self
    }
}
