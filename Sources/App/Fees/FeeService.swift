import Domain
import FluentKit
import Foundation
import SQLKit

/// A bill as stored, with what has been paid against it.
struct BillRecord: Sendable {
    let id: UUID, roomId: UUID, compoundId: UUID, companyId: UUID, contractId: UUID
    let item: String, periodStart: CivilDate, periodEnd: CivilDate, dueOn: CivilDate
    let area: Int64, rate: Int64, amount: Int64, paid: Int64
    let disputedAt: Date?, disputeReason: String?
    let roomLabel: String, companyName: String

    var status: BillStatus { Billing.status(amount: amount, paid: paid, disputed: disputedAt != nil) }
    var outstanding: Int64 { max(0, amount - paid) }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); roomId = try row.decode(column: "room_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self); companyId = try row.decode(column: "company_id", as: UUID.self)
        contractId = try row.decode(column: "contract_id", as: UUID.self); item = try row.decode(column: "item", as: String.self)
        periodStart = CivilDate(try row.decode(column: "period_start", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        periodEnd = CivilDate(try row.decode(column: "period_end", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        dueOn = CivilDate(try row.decode(column: "due_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        area = try row.decode(column: "area", as: Int64.self); rate = try row.decode(column: "rate", as: Int64.self)
        amount = try row.decode(column: "amount", as: Int64.self); paid = try row.decode(column: "paid", as: Int64?.self) ?? 0
        disputedAt = try row.decode(column: "disputed_at", as: Date?.self); disputeReason = try row.decode(column: "dispute_reason", as: String?.self)
        roomLabel = try row.decode(column: "room_label", as: String.self); companyName = try row.decode(column: "company_name", as: String.self)
    }
}

/// A payment (a refund is a negative one) with the bills it went to.
struct PaymentRecord: Sendable {
    let id: UUID, roomId: UUID, compoundId: UUID, companyId: UUID
    let method: PaymentMethod, reference: String?, amount: Int64, paidAt: Date, reason: String?, refundOf: UUID?, recordedBy: String
    var allocations: [(billId: UUID, amount: Int64, period: String)] = []
    var roomLabel = "", compoundName = "", companyName = ""
}

/// Property fees: bills made from the contracts covering each day, payments recorded against
/// them, refunds, disputes by owners, arrears, and the collection rate (收缴率) rolled up
/// compound → community → street and per company. Who sees which bill is `FeeScope`; writes are
/// for the company serving the compound and the district (policy `fees`); all audited.
struct FeeService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let audit = AuditLog()
    var db: any Database { database.db }

    static let billColumns = """
        b.*, (SELECT CAST(COALESCE(SUM(a.amount), 0) AS BIGINT) FROM payment_allocations a WHERE a.bill_id = b.id) AS paid,
        bd.number || ' ' || e.number || ' ' || r.number AS room_label, c.name AS company_name
        FROM bills b JOIN rooms r ON r.id = b.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
        JOIN companies c ON c.id = b.company_id
        """

    func district(compound: UUID, on db: any Database) async throws -> UUID? {
        try await store.access.district(store.catalog["compounds"]!, id: compound, on: db)
    }

    /// Makes the bills of every room of the compound for the period containing `month`'s first day,
    /// by each contract's own cycle and days; bills already made are left as they are.
    func generate(_ ctx: AccessContext, compound: UUID, month: CivilDate) async throws -> (created: Int, amount: Int64) {
        try await db.transaction { tx in
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            let contracts = try await tx.sql().raw("""
                SELECT id, company_id, starts_on, ends_on, monthly_fee_per_sqm, billing_cycle FROM contracts WHERE compound_id = \(bind: compound) ORDER BY starts_on
                """).all()
            let rooms = try await tx.sql().raw("""
                SELECT r.id, r.area FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
                """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "area", as: Int64.self)) }
            // Rooms declared empty are billed at the district's discount for those days.
            var discount: Int64 = 0
            if let d = try await district(compound: compound, on: tx) { discount = try await vacantDiscount(district: d, on: tx) }
            var vacant: [UUID: [(from: CivilDate, through: CivilDate?)]] = [:]
            for v in try await tx.sql().raw("SELECT * FROM room_vacancies WHERE compound_id = \(bind: compound)").all().map(Self.vacancy) {
                vacant[v.roomId, default: []].append((v.startsOn, v.endsOn))
            }
            var rows: [[any SQLExpression]] = []
            let now = Bind.date(ctx.now)
            for c in contracts {
                let id = try c.decode(column: "id", as: UUID.self), company = try c.decode(column: "company_id", as: UUID.self)
                let rate = try c.decode(column: "monthly_fee_per_sqm", as: Int64.self)
                let cycle = BillingCycle(rawValue: try c.decode(column: "billing_cycle", as: String?.self) ?? "") ?? .monthly
                guard let starts = CivilDate(try c.decode(column: "starts_on", as: String.self)) else { continue }
                let ends = try c.decode(column: "ends_on", as: String?.self).flatMap { CivilDate($0) }
                let period = Billing.period(containing: month, cycle: cycle)
                for segment in Billing.segments(period: period, contracts: [(id, rate, starts, ends)]) {
                    for (room, area) in rooms {
                        let amount = Billing.amount(area: area, rate: rate, from: segment.from, through: segment.through,
                                                    vacant: vacant[room] ?? [], discountPercent: discount)
                        guard amount > 0 else { continue }
                        guard amount <= Billing.maximumBill else {
                            throw DomainError.conflict(code: "amount_too_large", message: "a room's bill would pass \(FixedPoint2.format(Billing.maximumBill)) yuan: check the rooms' areas and the contract's rate")
                        }
                        rows.append([Bind.uuid(UUID.random()), Bind.uuid(room), Bind.uuid(compound), Bind.uuid(company), Bind.uuid(id), Bind.text("property_fee"),
                                     Bind.text(segment.from.description), Bind.text(segment.through.description), Bind.text(period.end.description),
                                     Bind.int(area), Bind.int(rate), Bind.int(amount), now, now])
                    }
                }
            }
            var created = 0, made: Int64 = 0
            // Made once: a bill for the same room, contract, item and start is never made twice.
            for chunk in stride(from: 0, to: rows.count, by: 500) {
                let inserted = try await tx.sql().insert(into: "bills")
                    .columns("id", "room_id", "compound_id", "company_id", "contract_id", "item", "period_start", "period_end", "due_on", "area", "rate", "amount",
                             "created_at", "updated_at")
                    .rows(Array(rows[chunk..<min(chunk + 500, rows.count)]))
                    .ignoringConflicts(with: ["room_id", "contract_id", "item", "period_start"])
                    .returning("amount").all()
                created += inserted.count
                made += try inserted.reduce(Int64(0)) { $0 + (try $1.decode(column: "amount", as: Int64.self)) }
            }
            try await audit.record(ctx, action: "bill", entity: "fees", entityId: compound, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["period": .string(month.description), "created": .int(Int64(created)), "amount": .string(FixedPoint2.format(made))]), on: tx)
            return (created, made)
        }
    }

    /// Bills the caller may see, newest period first, filtered.
    func bills(_ ctx: AccessContext, compound: UUID? = nil, room: UUID? = nil, status: BillStatus? = nil, month: CivilDate? = nil,
               limit: Int = 200, on db: (any Database)? = nil) async throws -> [BillRecord] {
        var filter: SQLQueryString = FeeScope.visible(ctx.actor, alias: "b")
        if let compound { filter = filter + " AND b.compound_id = \(bind: compound)" }
        if let room { filter = filter + " AND b.room_id = \(bind: room)" }
        if let month {
            let end = CivilDate(year: month.year, month: month.month, day: CivilDate.daysIn(month: month.month, year: month.year))
            filter = filter + " AND b.period_start >= \(bind: month.description) AND b.period_start <= \(bind: end.description)"
        }
        let rows = try await (db ?? self.db).sql().raw("SELECT \(unsafeRaw: Self.billColumns)" + " WHERE " + filter
                                          + " ORDER BY b.period_start DESC, room_label LIMIT \(bind: limit)").all()
        let all = try rows.map { try BillRecord(row: $0) }
        return status.map { s in all.filter { $0.status == s } } ?? all
    }

    func bill(_ ctx: AccessContext, _ id: UUID, on db: (any Database)? = nil) async throws -> BillRecord {
        guard let row = try await (db ?? self.db).sql().raw("SELECT \(unsafeRaw: Self.billColumns)" + " WHERE b.id = \(bind: id) AND "
                                                            + FeeScope.visible(ctx.actor, alias: "b")).first() else {
            throw DomainError.notFound(entity: "bills", id: id.text)
        }
        return try BillRecord(row: row)
    }

    /// Records a payment for a room against the given bills (oldest first when none are named),
    /// each taking at most what it still owes; the payment may not exceed what they owe.
    func pay(_ ctx: AccessContext, room: UUID, method: PaymentMethod, reference: String?, amount: Int64, billIds: [UUID]) async throws -> PaymentRecord {
        try await db.transaction { tx in
            guard let compound = try await tx.sql().raw("""
                SELECT b.compound_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE r.id = \(bind: room)
                """).first()?.decode(column: "compound_id", as: UUID.self) else { throw DomainError.notFound(entity: "rooms", id: room.text) }
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            let owed = try await bills(ctx, room: room, limit: 1000, on: tx).filter { $0.outstanding > 0 && $0.disputedAt == nil }
                .sorted { ($0.periodStart, $0.id.uuidString) < ($1.periodStart, $1.id.uuidString) }
            let chosen = billIds.isEmpty ? owed : try billIds.map { id in
                guard let b = owed.first(where: { $0.id == id }) else {
                    throw DomainError.invalid([FieldError(field: "billIds", code: "unknown_reference", message: "bill \(id.text) is not an unpaid bill of this room")])
                }
                return b
            }
            guard amount > 0 else { throw DomainError.invalid([FieldError(field: "amount", code: "out_of_range", message: "amount must be more than 0")]) }
            let due = chosen.reduce(Int64(0)) { $0 + $1.outstanding }
            guard !chosen.isEmpty else { throw DomainError.conflict(code: "nothing_owed", message: "the room owes nothing") }
            guard amount <= due else {
                throw DomainError.invalid([FieldError(field: "amount", code: "more_than_owed", message: "the bills owe \(FixedPoint2.format(due)) yuan")])
            }
            // One company per payment: the bills are owed to whoever served those days.
            let companies = Set(chosen.map(\.companyId))
            guard companies.count == 1, let company = companies.first else {
                throw DomainError.invalid([FieldError(field: "billIds", code: "several_companies", message: "pay each company's bills apart")])
            }
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "payments").columns("id", "room_id", "compound_id", "company_id", "method", "reference", "amount", "paid_at", "reason",
                                                                 "refund_of", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(room), Bind.uuid(compound), Bind.uuid(company), Bind.text(method.rawValue), Bind.text(reference), Bind.int(amount),
                         now, SQLLiteral.null, SQLLiteral.null, Bind.text(ctx.actor.label), now, now]).run()
            var left = amount
            for b in chosen where left > 0 {
                let part = min(left, b.outstanding)
                left -= part
                try await tx.sql().insert(into: "payment_allocations").columns("id", "payment_id", "bill_id", "amount", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.uuid(b.id), Bind.int(part), now, now]).run()
            }
            try await audit.record(ctx, action: "pay", entity: "payments", entityId: id, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["room": .string(room.text), "amount": .string(FixedPoint2.format(amount)), "method": .string(method.rawValue)]), on: tx)
            return try await payment(ctx, id, on: tx)
        }
    }

    /// Refunds part or all of a payment with a reason, taken back from its bills, latest first.
    func refund(_ ctx: AccessContext, payment id: UUID, amount: Int64, reason: String) async throws -> PaymentRecord {
        try await db.transaction { tx in
            let p = try await payment(ctx, id, on: tx)
            try await store.access.authorize(ctx, .create, "fees", inCompound: p.compoundId, on: tx)
            guard p.refundOf == nil, p.amount > 0 else { throw DomainError.conflict(code: "not_refundable", message: "a refund is not refunded") }
            var errors = FieldErrors()
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("reason", "required", "a refund needs a reason") }
            let refunded = try await tx.sql().raw("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS s FROM payments WHERE refund_of = \(bind: id)").first()?.decode(column: "s", as: Int64.self) ?? 0
            if amount <= 0 || amount > p.amount + refunded {
                errors.add("amount", "out_of_range", "at most \(FixedPoint2.format(p.amount + refunded)) yuan of this payment is left to refund")
            }
            try errors.throwIfAny()
            let refundId = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "payments").columns("id", "room_id", "compound_id", "company_id", "method", "reference", "amount", "paid_at", "reason",
                                                                 "refund_of", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(refundId), Bind.uuid(p.roomId), Bind.uuid(p.compoundId), Bind.uuid(p.companyId), Bind.text(p.method.rawValue), Bind.text(p.reference),
                         Bind.int(-amount), now, Bind.text(reason), Bind.uuid(id), Bind.text(ctx.actor.label), now, now]).run()
            // Taken back from what this payment still holds on each bill, latest period first.
            let held = try await tx.sql().raw("""
                SELECT a.bill_id, CAST(SUM(a.amount) AS BIGINT) AS held, MIN(b.period_start) AS period FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
                JOIN bills b ON b.id = a.bill_id WHERE p.id = \(bind: id) OR p.refund_of = \(bind: id) GROUP BY a.bill_id ORDER BY MIN(b.period_start) DESC
                """).all()
            var left = amount
            for h in held where left > 0 {
                let part = min(left, try h.decode(column: "held", as: Int64.self))
                guard part > 0 else { continue }
                left -= part
                try await tx.sql().insert(into: "payment_allocations").columns("id", "payment_id", "bill_id", "amount", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(refundId), Bind.uuid(try h.decode(column: "bill_id", as: UUID.self)), Bind.int(-part), now, now]).run()
            }
            try await audit.record(ctx, action: "refund", entity: "payments", entityId: id, districtId: try await district(compound: p.compoundId, on: tx), before: nil,
                                   after: .object(["amount": .string(FixedPoint2.format(amount)), "reason": .string(reason)]), on: tx)
            return try await payment(ctx, refundId, on: tx)
        }
    }

    func payment(_ ctx: AccessContext, _ id: UUID, on db: (any Database)? = nil) async throws -> PaymentRecord {
        let db = db ?? self.db
        guard let row = try await db.sql().raw("""
            SELECT p.*, bd.number || ' ' || e.number || ' ' || r.number AS room_label, cp.name AS compound_name, c.name AS company_name
            FROM payments p JOIN rooms r ON r.id = p.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
            JOIN compounds cp ON cp.id = p.compound_id JOIN companies c ON c.id = p.company_id
            WHERE p.id = \(bind: id) AND
            """ + " " + FeeScope.visible(ctx.actor, alias: "p")).first() else { throw DomainError.notFound(entity: "payments", id: id.text) }
        var p = PaymentRecord(id: id, roomId: try row.decode(column: "room_id", as: UUID.self), compoundId: try row.decode(column: "compound_id", as: UUID.self),
                              companyId: try row.decode(column: "company_id", as: UUID.self),
                              method: PaymentMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .cash,
                              reference: try row.decode(column: "reference", as: String?.self), amount: try row.decode(column: "amount", as: Int64.self),
                              paidAt: try row.decode(column: "paid_at", as: Date.self), reason: try row.decode(column: "reason", as: String?.self),
                              refundOf: try row.decode(column: "refund_of", as: UUID?.self), recordedBy: try row.decode(column: "recorded_by", as: String.self))
        p.roomLabel = try row.decode(column: "room_label", as: String.self)
        p.compoundName = try row.decode(column: "compound_name", as: String.self)
        p.companyName = try row.decode(column: "company_name", as: String.self)
        p.allocations = try await db.sql().raw("""
            SELECT a.bill_id, a.amount, b.period_start || ' — ' || b.period_end AS period FROM payment_allocations a JOIN bills b ON b.id = a.bill_id
            WHERE a.payment_id = \(bind: id) ORDER BY b.period_start
            """).all().map { (try $0.decode(column: "bill_id", as: UUID.self), try $0.decode(column: "amount", as: Int64.self), try $0.decode(column: "period", as: String.self)) }
        return p
    }

    /// Payments of a room the caller may see, newest first.
    func payments(_ ctx: AccessContext, room: UUID) async throws -> [PaymentRecord] {
        var out: [PaymentRecord] = []
        for row in try await db.sql().raw("SELECT p.id FROM payments p WHERE p.room_id = \(bind: room) AND " + FeeScope.visible(ctx.actor, alias: "p")
                                          + " ORDER BY p.paid_at DESC, p.id").all() {
            out.append(try await payment(ctx, try row.decode(column: "id", as: UUID.self)))
        }
        return out
    }

    /// The owner (or a resident) disputes a bill with a reason; it leaves the arrears and the reminders until settled.
    func dispute(_ ctx: AccessContext, bill id: UUID, reason: String) async throws -> BillRecord {
        try await db.transaction { tx in
            let b = try await bill(ctx, id, on: tx)
            guard FeeScope.isHolder(ctx.actor) else { throw DomainError.forbidden(reason: "the room's owner disputes its bills") }
            guard b.disputedAt == nil else { throw DomainError.conflict(code: "already_disputed", message: "the bill is disputed already") }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.invalid([FieldError(field: "reason", code: "required", message: "say what is wrong")]) }
            try await tx.sql().raw("UPDATE bills SET disputed_at = \(bind: ctx.now), dispute_reason = \(bind: reason), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "dispute", entity: "bills", entityId: id, districtId: try await district(compound: b.compoundId, on: tx), before: nil,
                                   after: .object(["reason": .string(reason)]), on: tx)
            return try await bill(ctx, id, on: tx)
        }
    }

    /// The company settles a dispute: the bill counts again (amended by a refund or not).
    func settle(_ ctx: AccessContext, bill id: UUID, note: String) async throws -> BillRecord {
        try await db.transaction { tx in
            let b = try await bill(ctx, id, on: tx)
            try await store.access.authorize(ctx, .update, "fees", inCompound: b.compoundId, on: tx)
            guard b.disputedAt != nil else { throw DomainError.conflict(code: "not_disputed", message: "the bill is not disputed") }
            try await tx.sql().raw("UPDATE bills SET disputed_at = NULL, updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "settle", entity: "bills", entityId: id, districtId: try await district(compound: b.compoundId, on: tx),
                                   before: .object(["reason": .string(b.disputeReason ?? "")]), after: .object(["note": .string(note)]), on: tx)
            return try await bill(ctx, id, on: tx)
        }
    }
}
