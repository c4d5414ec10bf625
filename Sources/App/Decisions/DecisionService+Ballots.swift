import Domain
import FluentKit
import Foundation
import SQLKit

extension DecisionService {
    /// The frozen roll of a decision.
    func roll(_ id: UUID, on db: any Database) async throws -> [Voter] {
        try await db.sql().raw("SELECT voter_key, area, room_ids, owner_ids FROM decision_voters WHERE decision_id = \(bind: id)").all().map { r in
            Voter(key: try r.decode(column: "voter_key", as: UUID.self),
                  roomIds: try r.decode(column: "room_ids", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) },
                  area: Area(hundredths: try r.decode(column: "area", as: Int64.self)),
                  ownerIds: try r.decode(column: "owner_ids", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
    }

    struct CastBallot {
        var ownerId: UUID
        var choice: Choice?
        var choices: [String: Choice]
        var channel: BallotChannel
        var paperNumber: String?
    }

    /// Casts an owner's own ballot online. Paper ballots go through `recordPaper`/`confirmPaper`.
    /// A second ballot for the same person is a conflict; ballots never change. A paper sheet
    /// recorded in the owner's name but not yet confirmed gives way to the owner's own vote.
    func cast(_ ctx: AccessContext, _ id: UUID, _ ballot: CastBallot) async throws -> (sequence: Int, receipt: String, hash: String) {
        let d = try await get(ctx, id)
        guard VotingWindow.accepts(d.status, now: ctx.now, opensAt: d.opensAt, closesAt: d.closesAt) else {
            throw DomainError.conflict(code: "not_open", message: "the decision is not open for voting now")
        }
        guard ballot.channel == .online else {
            throw DomainError.invalid([FieldError(field: "channel", code: "paper_elsewhere",
                                                  message: "paper ballots are recorded with their issued number at /api/v1/decisions/{id}/paper-ballots")])
        }
        guard ctx.actor.kind == .user, ctx.actor.grants.contains(where: { $0.role == .owner && $0.scopeId == ballot.ownerId }) else {
            throw DomainError.forbidden(reason: "an online ballot is cast by the owner themself")
        }
        let choiceText = try Self.choiceText(d, choice: ballot.choice, choices: ballot.choices)
        return try await database.db.transaction { tx in
            if database.isPostgres { try await tx.sql().raw("SELECT id FROM decisions WHERE id = \(bind: id) FOR UPDATE").run() }
            guard let voterKey = try await voterKey(decision: id, owner: ballot.ownerId, on: tx) else {
                throw DomainError.invalid([FieldError(field: "ownerId", code: "not_on_roll", message: "this owner is not on the decision's voter roll")])
            }
            try await tx.sql().raw("""
                UPDATE paper_ballots SET status = 'disputed', disputed_at = \(bind: ctx.now), dispute_reason = 'the owner voted online', updated_at = \(bind: ctx.now)
                WHERE decision_id = \(bind: id) AND voter_key = \(bind: voterKey) AND status = 'recorded'
                """).run()
            return try await appendBallot(ctx, d, voterKey: voterKey, owner: ballot.ownerId, choice: choiceText, channel: .online, paperNumber: nil, on: tx)
        }
    }

    /// The text a ballot's choice is chained as; every bad choice is a 422.
    static func choiceText(_ d: DecisionRecord, choice: Choice?, choices: [String: Choice]) throws -> String {
        if d.isElection {
            let unknown = choices.keys.filter { !d.candidates.contains($0) }
            if !unknown.isEmpty || choices.isEmpty {
                throw DomainError.invalid([FieldError(field: "choices", code: "invalid_choice", message: "give a choice for candidates of this election: \(d.candidates.joined(separator: ", "))")])
            }
            return BallotChain.electionChoice(choices, candidates: d.candidates)
        }
        guard let c = choice else {
            throw DomainError.invalid([FieldError(field: "choice", code: "invalid_choice", message: "choice must be yes, no or abstain")])
        }
        return c.rawValue
    }

    /// Appends one counted ballot to the decision's chain (on the caller's transaction, with the
    /// decision row locked on PostgreSQL).
    func appendBallot(_ ctx: AccessContext, _ d: DecisionRecord, voterKey: UUID, owner: UUID, choice choiceText: String, channel: BallotChannel,
                      paperNumber: String?, on tx: any Database) async throws -> (sequence: Int, receipt: String, hash: String) {
        let id = d.id
        if try await tx.sql().raw("SELECT id FROM ballots WHERE decision_id = \(bind: id) AND voter_key = \(bind: voterKey)").first() != nil {
            throw DomainError.conflict(code: "already_voted", message: "this owner's ballot (or a co-owner's) is already counted")
        }
        let last = try await tx.sql().raw("SELECT sequence, hash FROM ballots WHERE decision_id = \(bind: id) ORDER BY sequence DESC LIMIT 1").first()
        let sequence = (try last?.decode(column: "sequence", as: Int.self) ?? 0) + 1
        let previous = try last?.decode(column: "hash", as: String.self) ?? BallotChain.genesis
        let castAt = Timestamp.iso(ctx.now)
        let link = BallotLink(sequence: sequence, decisionId: id, voterKey: voterKey, ownerId: owner, choice: choiceText,
                              channel: channel, paperNumber: paperNumber, castAt: castAt, previousHash: previous)
        let hash = link.hash
        let now = Bind.date(ctx.now)
        try await tx.sql().insert(into: "ballots").columns("id", "decision_id", "sequence", "voter_key", "owner_id", "choice", "channel", "paper_number",
                                                            "recorded_by", "cast_at", "previous_hash", "hash", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.int(sequence), Bind.uuid(voterKey), Bind.uuid(owner), Bind.text(choiceText),
                     Bind.text(channel.rawValue), Bind.text(paperNumber), Bind.text(ctx.actor.label),
                     Bind.date(try Self.parseISO(castAt)), Bind.text(previous), Bind.text(hash), now, now]).run()
        try await audit.record(ctx, action: "vote", entity: "decisions", entityId: id,
                               districtId: try await store.access.district(compounds, id: d.compoundId, on: tx), before: nil,
                               after: .object(["sequence": .int(Int64(sequence)), "channel": .string(channel.rawValue),
                                               "choice": .string(choiceText), "hash": .string(hash)]), on: tx)
        return (sequence, BallotLink.receipt(forHash: hash), hash)
    }

    static func parseISO(_ s: String) throws -> Date {
        guard let d = Timestamp.parse(s) else { throw DomainError.badRequest(message: "bad time \(s)") }
        return d
    }

    /// The ballots in chain order, as links with their stored hashes.
    func chain(_ id: UUID, on db: any Database) async throws -> [(link: BallotLink, storedHash: String)] {
        try await db.sql().raw("""
            SELECT sequence, voter_key, owner_id, choice, channel, paper_number, cast_at, previous_hash, hash FROM ballots
            WHERE decision_id = \(bind: id) ORDER BY sequence
            """).all().map { r in
            (BallotLink(sequence: try r.decode(column: "sequence", as: Int.self), decisionId: id, voterKey: try r.decode(column: "voter_key", as: UUID.self),
                        ownerId: try r.decode(column: "owner_id", as: UUID.self), choice: try r.decode(column: "choice", as: String.self),
                        channel: BallotChannel(rawValue: try r.decode(column: "channel", as: String.self)) ?? .online,
                        paperNumber: try r.decode(column: "paper_number", as: String?.self),
                        castAt: Timestamp.iso(try r.decode(column: "cast_at", as: Date.self)),
                        previousHash: try r.decode(column: "previous_hash", as: String.self)),
             try r.decode(column: "hash", as: String.self))
        }
    }

    /// Counts the decision from its frozen roll and its ballots.
    func result(_ ctx: AccessContext, _ id: UUID) async throws -> DecisionResult {
        try await count(try await get(ctx, id), on: database.db)
    }

    /// Counts a decision the caller may see, on `db` (inside a transaction, its connection).
    func count(_ d: DecisionRecord, on db: any Database) async throws -> DecisionResult {
        let id = d.id
        let voters = try await roll(id, on: db)
        let setAside = try await setAside(id, on: db)
        let disputed = Set(setAside.compactMap(\.sequence))
        let ballots = try await chain(id, on: db).filter { !disputed.contains(Int64($0.link.sequence)) }
        if d.isElection {
            var choices: [UUID: [String: Choice]] = [:]
            for b in ballots { choices[b.link.voterKey] = BallotChain.parseElectionChoice(b.link.choice) }
            let e = Tally.election(roll: voters, candidates: d.candidates, seats: d.seats ?? 0, choices: choices)
            return DecisionResult(decision: d, tally: e.overall, candidates: e.candidates, ballots: ballots.count, setAside: setAside)
        }
        var choices: [UUID: Choice] = [:]
        for b in ballots { choices[b.link.voterKey] = Choice(rawValue: b.link.choice) }
        return DecisionResult(decision: d, tally: Tally.count(d.matter, roll: voters, choices: choices), candidates: [], ballots: ballots.count, setAside: setAside)
    }

    /// Recomputes the chain; with a receipt, says whether that ballot is in it.
    func verify(_ ctx: AccessContext, _ id: UUID, receipt: String?) async throws -> ChainVerificationAnswer {
        _ = try await get(ctx, id)
        let ballots = try await chain(id, on: database.db)
        let broken = BallotChain.firstBroken(ballots)
        return ChainVerificationAnswer(valid: broken == nil, ballots: Int64(ballots.count), firstBroken: broken.map(Int64.init),
                                       head: ballots.last?.storedHash ?? BallotChain.genesis,
                                       receiptFound: receipt.map { r in ballots.contains { BallotLink.receipt(forHash: $0.storedHash) == r.lowercased() } })
    }
}
