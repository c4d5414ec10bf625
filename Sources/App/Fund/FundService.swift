import Domain
import FluentKit
import Foundation
import SQLKit

/// A spending plan as stored.
struct SpendingPlanRecord: Sendable {
    let id: UUID
    let compoundId: UUID
    let project: String
    let amount: Int64
    let roomIds: [UUID]
    let emergency: EmergencyCategory?
    let decisionId: UUID?
    let status: SpendingStatus
    let noticePublishedAt: Date?
    let paidAt: Date?
    let reportedAt: Date?
    let report: String?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self)
        project = try row.decode(column: "project", as: String.self)
        amount = try row.decode(column: "amount", as: Int64.self)
        roomIds = try row.decode(column: "room_ids", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) }
        emergency = try row.decode(column: "emergency", as: String?.self).flatMap(EmergencyCategory.init(rawValue:))
        decisionId = try row.decode(column: "decision_id", as: UUID?.self)
        status = SpendingStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned
        noticePublishedAt = try row.decode(column: "notice_published_at", as: Date?.self)
        paidAt = try row.decode(column: "paid_at", as: Date?.self)
        reportedAt = try row.decode(column: "reported_at", as: Date?.self)
        report = try row.decode(column: "report", as: String?.self)
    }
}

/// The maintenance fund of a compound: deposits by area, interest, spending plans apportioned by
/// area and paid only as the rules allow; the ledger is replayed and checked before every write.
struct FundService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let decisions: DecisionService
    let audit = AuditLog()

    func authorize(_ ctx: AccessContext, _ action: Action, compound: UUID, on db: any Database) async throws {
        try await store.access.authorize(ctx, action, "fund", inCompound: compound, on: db)
    }

    /// The compound's ledger, replayed from its postings.
    func ledger(_ compound: UUID, on db: any Database) async throws -> FundLedger {
        let rows = try await db.sql().raw("""
            SELECT t.id, t.kind, p.room_id, p.amount FROM fund_transactions t JOIN fund_postings p ON p.transaction_id = t.id
            WHERE t.compound_id = \(bind: compound) ORDER BY t.created_at, t.id
            """).all()
        var transactions: [FundTransaction] = []
        var current: UUID?
        for r in rows {
            let id = try r.decode(column: "id", as: UUID.self)
            if id != current {
                transactions.append(FundTransaction(kind: FundTransactionKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .deposit, postings: []))
                current = id
            }
            let room = try r.decode(column: "room_id", as: UUID?.self)
            transactions[transactions.count - 1].postings.append(Posting(room.map { .room($0) } ?? .bank, try r.decode(column: "amount", as: Int64.self)))
        }
        do { return try FundLedger.replay(transactions) } catch {
            throw DomainError.conflict(code: "ledger_inconsistent", message: "the stored ledger does not replay: \(error)")
        }
    }

    /// Rooms of the compound with their areas.
    func rooms(_ compound: UUID, on db: any Database) async throws -> [(id: UUID, area: Int64)] {
        try await db.sql().raw("""
            SELECT r.id, r.area FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE b.compound_id = \(bind: compound) ORDER BY r.id
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "area", as: Int64.self)) }
    }

    /// Applies transactions to the replayed ledger (refusing any that break it) and stores them.
    func post(_ ctx: AccessContext, compound: UUID, _ transactions: [FundTransaction], memo: String, plan: UUID? = nil, on tx: any Database) async throws {
        var ledger = try await ledger(compound, on: tx)
        for t in transactions {
            do { try ledger.apply(t) } catch .insufficient(let room, let short) {
                throw DomainError.conflict(code: "insufficient_balance", message: "room \(room.uuidString.lowercased()) lacks \(FixedPoint2.format(short)) yuan")
            } catch .tooLarge {
                throw DomainError.invalid([FieldError(field: "amount", code: "out_of_range", message: "the fund's totals would grow too large to hold")])
            } catch {
                throw DomainError.invalid([FieldError(field: "amount", code: "invalid_amount", message: "the amount must be positive")])
            }
        }
        var txRows: [[any SQLExpression]] = [], postingRows: [[any SQLExpression]] = []
        let now = Bind.date(ctx.now)
        for t in transactions {
            let id = UUID.random()
            txRows.append([Bind.uuid(id), Bind.uuid(compound), Bind.text(t.kind.rawValue), Bind.text(memo), Bind.uuid(plan), now, now])
            for p in t.postings {
                let room: UUID? = if case .room(let r) = p.account { r } else { nil }
                postingRows.append([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(compound), Bind.uuid(room), Bind.int(p.amount), now, now])
            }
        }
        let w = BulkWriter(db: tx)
        try await w.insert("fund_transactions", columns: ["id", "compound_id", "kind", "memo", "plan_id", "created_at", "updated_at"], rows: txRows)
        try await w.insert("fund_postings", columns: ["id", "transaction_id", "compound_id", "room_id", "amount", "created_at", "updated_at"], rows: postingRows)
    }

    /// Deposits at a rate per m² for every room of the compound (or one room with a fixed amount).
    func deposit(_ ctx: AccessContext, compound: UUID, ratePerSqm: Money?, room: UUID?, amount: Int64?) async throws -> Int64 {
        try await database.db.transaction { tx in
            try await authorize(ctx, .create, compound: compound, on: tx)
            let all = try await rooms(compound, on: tx)
            var transactions: [FundTransaction] = []
            if let room, let amount {
                guard all.contains(where: { $0.id == room }) else {
                    throw DomainError.invalid([FieldError(field: "roomId", code: "unknown_reference", message: "the room is not in this compound")])
                }
                transactions.append(try Self.wrap { try FundLedger.deposit(room: room, amount: amount) })
            } else if let rate = ratePerSqm {
                for r in all {
                    guard let a = FundLedger.depositAmount(area: Area(hundredths: r.area), ratePerSqm: rate) else {
                        throw DomainError.invalid([FieldError(field: "ratePerSqm", code: "out_of_range", message: "the rate gives a deposit too large to hold")])
                    }
                    if a > 0 { transactions.append(try Self.wrap { try FundLedger.deposit(room: r.id, amount: a) }) }
                }
            }
            guard !transactions.isEmpty else { throw DomainError.invalid([FieldError(field: "amount", code: "required", message: "give ratePerSqm, or roomId and amount")]) }
            try await post(ctx, compound: compound, transactions, memo: "deposit", on: tx)
            let total = transactions.reduce(Int64(0)) { $0 + $1.postings.filter { $0.account == .bank }.reduce(0) { $0 + $1.amount } }
            try await audit.record(ctx, action: "deposit", entity: "fund", entityId: compound, districtId: try await store.access.district(store.catalog["compounds"]!, id: compound, on: tx),
                                   before: nil, after: .object(["rooms": .int(Int64(transactions.count)), "amount": .string(FixedPoint2.format(total))]), on: tx)
            return total
        }
    }

    func interest(_ ctx: AccessContext, compound: UUID, amount: Int64) async throws {
        try await database.db.transaction { tx in
            try await authorize(ctx, .create, compound: compound, on: tx)
            let l = try await ledger(compound, on: tx)
            guard l.totalBalance > 0 else { throw DomainError.conflict(code: "empty_fund", message: "there is no balance to earn interest") }
            try await post(ctx, compound: compound, [try Self.wrap { try l.interest(amount) }], memo: "interest", on: tx)
            try await audit.record(ctx, action: "interest", entity: "fund", entityId: compound, districtId: nil, before: nil,
                                   after: .object(["amount": .string(FixedPoint2.format(amount))]), on: tx)
        }
    }

    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch FundError.tooLarge {
            throw DomainError.invalid([FieldError(field: "amount", code: "out_of_range", message: "the amount is too large to hold")])
        } catch {
            throw DomainError.invalid([FieldError(field: "amount", code: "invalid_amount", message: "the amount must be positive")])
        }
    }
}
