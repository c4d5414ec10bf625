import Domain
import FluentKit
import Foundation
import SQLKit

extension FeeService {
    /// What a collection rate is grouped by.
    enum Level: String, CaseIterable, Sendable {
        case compound, community, street, company
        static var codes: [String] { allCases.map(\.rawValue) }
    }

    struct RateRow: Sendable {
        let id: UUID
        let name: String
        var rate: CollectionRate
    }

    /// The collection rate of the bills whose period starts in `month`, per unit of `level`, among
    /// the bills the caller sees (optionally one street's), lowest rate first. Paid is what has been
    /// paid against those bills by now; a room counts as paid when its bills are paid in full.
    func rates(_ ctx: AccessContext, month: CivilDate, level: Level, streetId: UUID? = nil, compoundId: UUID? = nil) async throws -> [RateRow] {
        let end = CivilDate(year: month.year, month: month.month, day: CivilDate.daysIn(month: month.month, year: month.year))
        var filter: SQLQueryString = FeeScope.visible(ctx.actor, alias: "b") + " AND b.period_start >= \(bind: month.description) AND b.period_start <= \(bind: end.description)"
        if let streetId { filter = filter + " AND cm.street_id = \(bind: streetId)" }
        if let compoundId { filter = filter + " AND b.compound_id = \(bind: compoundId)" }
        let key: String, name: String, join: String
        switch level {
        case .compound: (key, name, join) = ("r.compound_id", "p.name", "compounds p ON p.id = r.compound_id")
        case .community: (key, name, join) = ("r.community_id", "p.name", "communities p ON p.id = r.community_id")
        case .street: (key, name, join) = ("r.street_id", "p.name", "streets p ON p.id = r.street_id")
        case .company: (key, name, join) = ("r.company_id", "p.name", "companies p ON p.id = r.company_id")
        }
        let rows = try await db.sql().raw("""
            SELECT \(unsafeRaw: key) AS id, \(unsafeRaw: name) AS name, CAST(SUM(r.billed) AS BIGINT) AS billed,
              CAST(SUM(CASE WHEN r.paid < r.billed THEN r.paid ELSE r.billed END) AS BIGINT) AS collected, COUNT(*) AS rooms,
              CAST(SUM(CASE WHEN r.paid >= r.billed THEN 1 ELSE 0 END) AS BIGINT) AS rooms_paid
            FROM (SELECT bb.room_id, bb.compound_id, bb.company_id, bb.community_id, bb.street_id, CAST(SUM(bb.amount) AS BIGINT) AS billed, CAST(SUM(bb.paid) AS BIGINT) AS paid
                  FROM (SELECT b.room_id, b.compound_id, b.company_id, b.amount, cp.community_id, cm.street_id,
                          CAST(COALESCE((SELECT SUM(a.amount) FROM payment_allocations a WHERE a.bill_id = b.id), 0) AS BIGINT) AS paid
                        FROM bills b JOIN compounds cp ON cp.id = b.compound_id JOIN communities cm ON cm.id = cp.community_id
                        WHERE
            """ + " " + filter + """
            ) bb GROUP BY bb.room_id, bb.compound_id, bb.company_id, bb.community_id, bb.street_id) r
            JOIN \(unsafeRaw: join) GROUP BY \(unsafeRaw: key), \(unsafeRaw: name)
            """).all()
        return try rows.map { row in
            var rate = CollectionRate()
            rate.billed = try row.decode(column: "billed", as: Int64.self)
            rate.collected = try row.decode(column: "collected", as: Int64.self)
            rate.rooms = try row.decode(column: "rooms", as: Int.self)
            rate.roomsPaid = try row.decode(column: "rooms_paid", as: Int.self)
            return RateRow(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self), rate: rate)
        }.sorted { a, b in
            b.rate.byAmount.isMoreThan(a.rate.byAmount) || (!a.rate.byAmount.isMoreThan(b.rate.byAmount) && a.name < b.name)
        }
    }

    /// The rate of one compound (or all the caller sees) for each of the `count` months up to `month`.
    func trend(_ ctx: AccessContext, compound: UUID?, through month: CivilDate, count: Int = 12) async throws -> [(month: CivilDate, rate: CollectionRate)] {
        var out: [(CivilDate, CollectionRate)] = []
        var m = month
        for _ in 0..<count {
            let rows = try await rates(ctx, month: m, level: .compound, compoundId: compound)
            var total = CollectionRate()
            for r in rows {
                total.billed += r.rate.billed; total.collected += r.rate.collected; total.rooms += r.rate.rooms; total.roomsPaid += r.rate.roomsPaid
            }
            out.append((m, total))
            m = m.month == 1 ? CivilDate(year: m.year - 1, month: 12, day: 1) : CivilDate(year: m.year, month: m.month - 1, day: 1)
        }
        return out.reversed()
    }

    struct ArrearsRow: Sendable {
        let roomId: UUID
        let room: String
        let outstanding: Int64
        let bills: Int
        let oldestDue: CivilDate
    }

    /// Rooms of a compound owing on bills already due (disputed ones apart), most owed first.
    func arrears(_ ctx: AccessContext, compound: UUID) async throws -> [ArrearsRow] {
        try await store.access.authorize(ctx, .read, "fees", inCompound: compound, on: db)
        let rows = try await db.sql().raw("""
            SELECT x.room_id, x.room_label, CAST(SUM(x.amount - x.paid) AS BIGINT) AS outstanding, COUNT(*) AS bills, MIN(x.due_on) AS oldest FROM (
              SELECT b.room_id, b.amount, b.due_on, bd.number || ' ' || e.number || ' ' || r.number AS room_label,
                CAST(COALESCE((SELECT SUM(a.amount) FROM payment_allocations a WHERE a.bill_id = b.id), 0) AS BIGINT) AS paid
              FROM bills b JOIN rooms r ON r.id = b.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
              WHERE b.compound_id = \(bind: compound) AND b.disputed_at IS NULL AND b.due_on < \(bind: ctx.today) AND
            """ + " " + FeeScope.visible(ctx.actor, alias: "b") + """
            ) x WHERE x.paid < x.amount GROUP BY x.room_id, x.room_label ORDER BY SUM(x.amount - x.paid) DESC, x.room_label
            """).all()
        return try rows.map {
            ArrearsRow(roomId: try $0.decode(column: "room_id", as: UUID.self), room: try $0.decode(column: "room_label", as: String.self),
                       outstanding: try $0.decode(column: "outstanding", as: Int64.self), bills: try $0.decode(column: "bills", as: Int.self),
                       oldestDue: CivilDate(try $0.decode(column: "oldest", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1))
        }
    }

    /// What the owner's (or resident's) rooms owe now, for the start page.
    func owed(_ ctx: AccessContext) async throws -> (amount: Int64, bills: Int, oldestDue: CivilDate?) {
        guard FeeScope.isHolder(ctx.actor) else { return (0, 0, nil) }
        let row = try await db.sql().raw("""
            SELECT CAST(COALESCE(SUM(x.amount - x.paid), 0) AS BIGINT) AS owed, COUNT(*) AS n, MIN(x.due_on) AS oldest FROM (
              SELECT b.amount, b.due_on, CAST(COALESCE((SELECT SUM(a.amount) FROM payment_allocations a WHERE a.bill_id = b.id), 0) AS BIGINT) AS paid
              FROM bills b WHERE b.disputed_at IS NULL AND
            """ + " " + FeeScope.visible(ctx.actor, alias: "b") + ") x WHERE x.paid < x.amount").first()
        return (try row?.decode(column: "owed", as: Int64.self) ?? 0, try row?.decode(column: "n", as: Int.self) ?? 0,
                try row?.decode(column: "oldest", as: String?.self).flatMap { CivilDate($0) })
    }
}
