import FluentKit
import Foundation
import SQLKit

/// The month's request totals per unit, kept by the database as requests are written, so a
/// district's monthly ranking sums a few thousand cells instead of every request of the month.
///
/// One cell per (district, street, community, compound, month, handler kind, handler), where the
/// handler is the company or department for those kinds and none otherwise — the finest grouping
/// any ranking level needs. Each cell holds what never changes with the clock: requests filed,
/// responded, responded in time, rated, rated resolved, and the rating scores' sum, over the
/// requests not merged into another (a duplicate is counted once, by the one that carries on).
/// The clock-dependent counts (a response due now, overdue now) are read from the month's requests
/// already past a deadline without its step, through partial indexes (`RankingService.ranking`).
///
/// Triggers keep the cells (AFTER triggers on `requests`: insert adds a request's share, update
/// takes the old share away and adds the new one, delete takes it away; on PostgreSQL inserts are
/// summed per cell once per statement, `CountInsertsPerStatement`), so every write — filing,
/// transitions, transfers, merges, imports and whatever is added later — keeps them right inside
/// its own transaction. `rebuild` computes them from scratch (the migration, bulk seeding).
enum RankingTotals {
    static let table = "request_month_totals"
    static let key = "district_id, street_id, community_id, compound_id, month, handler_kind, handler_id"
    /// The counts of the first version (`KeepRankingTotals`): what never changes with the clock.
    static let fixedCounts = ["filed", "responded", "in_time", "rated", "resolved", "score"]
    /// The late counts (`KeepLateCounts`): requests the sweep found past a deadline without its step
    /// and still without it — unanswered, unresolved, both.
    static let lateCounts = ["late_unanswered", "late_unresolved", "late_both"]
    static let counts = fixedCounts + lateCounts
    static func counts(late: Bool) -> [String] { late ? counts : fixedCounts }
    /// The request columns a share depends on: an update of any other column leaves the cells alone.
    static let fixedWatched = ["district_id", "street_id", "community_id", "compound_id", "month", "handler_kind", "handler_company_id",
                               "handler_department_id", "responded_at", "responded_in_time", "rating_score", "rating_resolved", "merged_into"]
    static let watched = fixedWatched + ["respond_by", "resolve_by", "resolved_at", "swept_respond_by", "swept_resolve_by"]
    /// Stands for "no company or department" in the key (a key column must not be NULL for the upsert to find its cell).
    static let noHandler = "00000000-0000-0000-0000-000000000000"

    /// Partial indexes of the requests still waiting for a step, by deadline: (name, columns,
    /// predicate). A query for what is late reads only the late ones, from the deadline down.
    /// The board's (by street and district) find a street's overdue requests, merged duplicates
    /// left out as the board leaves them out.
    static let boardIndexes = [("ix_requests_street_unanswered", "street_id, respond_by", "responded_at IS NULL"),
                               ("ix_requests_street_unresolved", "street_id, resolve_by", "resolved_at IS NULL"),
                               ("ix_requests_district_unanswered", "district_id, respond_by", "responded_at IS NULL"),
                               ("ix_requests_district_unresolved", "district_id, resolve_by", "resolved_at IS NULL")]
    /// The first version's ranking indexes (by district and month), replaced by `unswept`.
    static let monthIndexes = [("ix_requests_unanswered", "district_id, month, respond_by", "responded_at IS NULL AND merged_into IS NULL"),
                               ("ix_requests_unresolved", "district_id, month, resolve_by", "resolved_at IS NULL AND merged_into IS NULL")]

    /// A request the sweep has not yet counted late on this deadline (it copies the deadline it
    /// found passed into `swept_…`; a deadline moved since is a deadline not yet swept).
    static func unswept(_ step: String, _ deadline: String, alias x: String = "", postgres: Bool) -> String {
        let p = x.isEmpty ? "" : x + "."
        return "\(p)\(step) IS NULL AND \(p)merged_into IS NULL AND \(p)swept_\(deadline) \(postgres ? "IS DISTINCT FROM" : "IS NOT") \(p)\(deadline)"
    }

    /// The late ones not yet swept, by deadline: all the ranking reads of requests beside the cells,
    /// and all the sweep reads — both only what passed its deadline since the last sweep.
    static func unsweptIndexes(postgres: Bool) -> [(String, String, String)] {
        [("ix_requests_unswept_unanswered", "district_id, respond_by", unswept("responded_at", "respond_by", postgres: postgres)),
         ("ix_requests_unswept_unresolved", "district_id, resolve_by", unswept("resolved_at", "resolve_by", postgres: postgres))]
    }

    /// The handler part of the key, for row `x` (`NEW`, `OLD`, or a table alias).
    static func handler(_ x: String, postgres: Bool) -> String {
        let none = postgres ? "'\(noHandler)'::uuid" : "'\(noHandler)'"
        return "COALESCE(CASE \(x).handler_kind WHEN 'company' THEN \(x).handler_company_id WHEN 'department' THEN \(x).handler_department_id END, \(none))"
    }

    /// Row `x` is counted late on its response (or resolution) in the cells: the sweep found this
    /// very deadline passed, and the step has still not come.
    static func sweptLate(_ x: String, _ step: String, _ deadline: String) -> String {
        let p = x.isEmpty ? "" : x + "."
        return "\(p)\(step) IS NULL AND \(p)swept_\(deadline) = \(p)\(deadline)"
    }

    /// Row `x`'s key and share, negated when `sign` is "-".
    static func share(_ x: String, sign: String, postgres: Bool, late: Bool = true) -> String {
        var s = "\(x).district_id, \(x).street_id, \(x).community_id, \(x).compound_id, \(x).month, COALESCE(\(x).handler_kind, ''), \(handler(x, postgres: postgres)), "
            + "\(sign)1, \(sign)(CASE WHEN \(x).responded_at IS NOT NULL THEN 1 ELSE 0 END), \(sign)\(x).responded_in_time, "
            + "\(sign)(CASE WHEN \(x).rating_score IS NOT NULL THEN 1 ELSE 0 END), \(sign)COALESCE(\(x).rating_resolved, 0), \(sign)COALESCE(\(x).rating_score, 0)"
        if late {
            let a = sweptLate(x, "responded_at", "respond_by"), b = sweptLate(x, "resolved_at", "resolve_by")
            s += ", \(sign)(CASE WHEN \(a) THEN 1 ELSE 0 END), \(sign)(CASE WHEN \(b) THEN 1 ELSE 0 END), \(sign)(CASE WHEN \(a) AND \(b) THEN 1 ELSE 0 END)"
        }
        return s
    }

    static func upsert(late: Bool) -> String {
        "ON CONFLICT (\(key)) DO UPDATE SET " + counts(late: late).map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    static func insertInto(late: Bool) -> String { "INSERT INTO \(table) (\(key), \(counts(late: late).joined(separator: ", ")))" }

    /// Creates the table, its triggers and the partial indexes by deadline, and fills the cells
    /// (the first version, `KeepRankingTotals`; `KeepLateCounts` brings it to the present one).
    static func install(on database: any Database) async throws {
        let sql = database.sql()
        let postgres = sql.dialect.name == "postgresql"
        let uuid = postgres ? "uuid" : "BLOB"
        let bigint = postgres ? "bigint" : "INTEGER"
        try await sql.raw(SQLQueryString(
            "CREATE TABLE \(table) (district_id \(uuid) NOT NULL, street_id \(uuid) NOT NULL, community_id \(uuid) NOT NULL, compound_id \(uuid) NOT NULL, "
                + "month TEXT NOT NULL, handler_kind TEXT NOT NULL, handler_id \(uuid) NOT NULL, "
                + fixedCounts.map { "\($0) \(bigint) NOT NULL" }.joined(separator: ", ")
                + ", PRIMARY KEY (district_id, month, street_id, community_id, compound_id, handler_kind, handler_id))")).run()
        try await installTriggers(on: sql, late: false)
        // The ranking's clock-dependent counts, and a board's overdue list and count, read only
        // what is past its deadline: unanswered requests by respond-by, unresolved ones by resolve-by.
        try await createIndexes(boardIndexes + monthIndexes, on: sql)
        try await rebuild(on: sql, late: false)
    }

    static func uninstall(on database: any Database) async throws {
        let sql = database.sql()
        try await dropIndexes(boardIndexes + monthIndexes, on: sql)
        try await dropTriggers(on: sql)
        try await sql.raw(SQLQueryString("DROP TABLE IF EXISTS \(table)")).run()
    }

    static func createIndexes(_ indexes: [(String, String, String)], on sql: any SQLDatabase) async throws {
        for (name, columns, predicate) in indexes {
            try await sql.raw(SQLQueryString("CREATE INDEX \(name) ON requests (\(columns)) WHERE \(predicate)")).run()
        }
    }

    static func dropIndexes(_ indexes: [(String, String, String)], on sql: any SQLDatabase) async throws {
        for (name, _, _) in indexes { try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS \(name)")).run() }
    }

    /// The triggers that keep the cells: with or without the late counts. With `perStatement`
    /// (PostgreSQL, `CountInsertsPerStatement`) inserts are counted once per statement, from its
    /// new rows (a transition table): a batch of filings or an import adds one sum per cell in one
    /// upsert, where a row trigger ran its function and an upsert for every row (30 µs a row).
    static func installTriggers(on sql: any SQLDatabase, late: Bool, perStatement: Bool = false) async throws {
        let postgres = sql.dialect.name == "postgresql"
        let watched = (late ? watched : fixedWatched).joined(separator: ", ")
        let insertInto = insertInto(late: late), upsert = upsert(late: late)
        if postgres, perStatement {
            let names = counts(late: late).joined(separator: ", ")
            let sums = counts(late: late).map { "SUM(\($0))" }.joined(separator: ", ")
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION \(table)_add() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  \(insertInto) SELECT \(key), \(sums)
                  FROM (SELECT \(share("n", sign: "", postgres: true, late: late)) FROM \(table)_added n WHERE n.merged_into IS NULL) s (\(key), \(names))
                  GROUP BY \(key) \(upsert);
                  RETURN NULL;
                END $$
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(table)_add AFTER INSERT ON requests REFERENCING NEW TABLE AS \(table)_added
                FOR EACH STATEMENT EXECUTE FUNCTION \(table)_add()
                """)).run()
        }
        if postgres {
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION \(table)_keep() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP <> 'INSERT' AND OLD.merged_into IS NULL THEN
                    \(insertInto) VALUES (\(share("OLD", sign: "-", postgres: true, late: late))) \(upsert);
                  END IF;
                  IF TG_OP <> 'DELETE' AND NEW.merged_into IS NULL THEN
                    \(insertInto) VALUES (\(share("NEW", sign: "", postgres: true, late: late))) \(upsert);
                  END IF;
                  RETURN NULL;
                END $$
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(table)_keep AFTER \(perStatement ? "" : "INSERT OR ")DELETE OR UPDATE OF \(watched) ON requests
                FOR EACH ROW EXECUTE FUNCTION \(table)_keep()
                """)).run()
        } else {
            // SQLite: one trigger per kind of write; `WHERE` after the SELECT keeps the upsert unambiguous.
            let add = "\(insertInto) SELECT \(share("NEW", sign: "", postgres: false, late: late)) WHERE NEW.merged_into IS NULL \(upsert);"
            let remove = "\(insertInto) SELECT \(share("OLD", sign: "-", postgres: false, late: late)) WHERE OLD.merged_into IS NULL \(upsert);"
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_insert AFTER INSERT ON requests BEGIN \(add) END")).run()
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_update AFTER UPDATE OF \(watched) ON requests BEGIN \(remove) \(add) END")).run()
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_delete AFTER DELETE ON requests BEGIN \(remove) END")).run()
        }
    }

    static func dropTriggers(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            for kind in ["keep", "add"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(table)_\(kind) ON requests")).run()
                try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(table)_\(kind)()")).run()
            }
        } else {
            for kind in ["insert", "update", "delete"] { try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(table)_\(kind)")).run() }
        }
    }

    /// Every cell computed afresh from the requests (one GROUP BY): after a bulk load that bypassed the triggers.
    static func rebuild(on sql: any SQLDatabase, late: Bool = true) async throws {
        let postgres = sql.dialect.name == "postgresql"
        try await sql.raw(SQLQueryString("DELETE FROM \(table)")).run()
        var sums = "COUNT(*), SUM(CASE WHEN r.responded_at IS NOT NULL THEN 1 ELSE 0 END), SUM(r.responded_in_time), "
            + "SUM(CASE WHEN r.rating_score IS NOT NULL THEN 1 ELSE 0 END), SUM(COALESCE(r.rating_resolved, 0)), SUM(COALESCE(r.rating_score, 0))"
        if late {
            let a = sweptLate("r", "responded_at", "respond_by"), b = sweptLate("r", "resolved_at", "resolve_by")
            sums += ", SUM(CASE WHEN \(a) THEN 1 ELSE 0 END), SUM(CASE WHEN \(b) THEN 1 ELSE 0 END), SUM(CASE WHEN \(a) AND \(b) THEN 1 ELSE 0 END)"
        }
        try await sql.raw(SQLQueryString("""
            \(insertInto(late: late)) SELECT r.district_id, r.street_id, r.community_id, r.compound_id, r.month, COALESCE(r.handler_kind, ''), \(handler("r", postgres: postgres)),
              \(sums)
            FROM requests r WHERE r.merged_into IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7
            """)).run()
    }

    /// Requests past a deadline without its step, per unit: past respond-by without a response
    /// (A), past resolve-by without a resolution (B), both; overdue is A ∪ B = |A| + |B| − |A ∩ B|.
    struct Late: Sendable, Equatable {
        var a: Int64 = 0, b: Int64 = 0, both: Int64 = 0
        var overdue: Int64 { a + b - both }
    }

    /// What passed its deadline since the last sweep (the cells hold the rest), per `group` column,
    /// among the requests matching `filter` (on alias `r`): each deadline read from its unswept
    /// index. A request in both A and B is counted in the intersection once: by the cells when both
    /// its deadlines were swept, here by the A query when its response was not, else by the B query.
    /// `filter` should name the district (`r.district_id = …`) so the indexes can answer it.
    static func sinceSweep(_ filter: SQLQueryString, group: String, now: Date, on sql: any SQLDatabase) async throws -> [UUID: Late] {
        let postgres = sql.dialect.name == "postgresql"
        let unanswered: SQLQueryString = """
            SELECT r.\(unsafeRaw: group) AS k, COUNT(*) AS late,
              CAST(SUM(CASE WHEN r.resolved_at IS NULL AND r.resolve_by < \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS both_late
            FROM requests r WHERE \(filter) AND \(unsafeRaw: unswept("responded_at", "respond_by", alias: "r", postgres: postgres)) AND r.respond_by < \(bind: now)
            GROUP BY r.\(unsafeRaw: group)
            """
        let unresolved: SQLQueryString = """
            SELECT r.\(unsafeRaw: group) AS k, COUNT(*) AS late,
              CAST(SUM(CASE WHEN \(unsafeRaw: sweptLate("r", "responded_at", "respond_by")) THEN 1 ELSE 0 END) AS BIGINT) AS both_late
            FROM requests r WHERE \(filter) AND \(unsafeRaw: unswept("resolved_at", "resolve_by", alias: "r", postgres: postgres)) AND r.resolve_by < \(bind: now)
            GROUP BY r.\(unsafeRaw: group)
            """
        var out: [UUID: Late] = [:]
        for row in try await sql.raw(unanswered).all() {
            guard let k = try row.decode(column: "k", as: UUID?.self) else { continue }
            out[k, default: Late()].a += try RankingService.int(row, "late")
            out[k, default: Late()].both += try RankingService.int(row, "both_late")
        }
        for row in try await sql.raw(unresolved).all() {
            guard let k = try row.decode(column: "k", as: UUID?.self) else { continue }
            out[k, default: Late()].b += try RankingService.int(row, "late")
            out[k, default: Late()].both += try RankingService.int(row, "both_late")
        }
        return out
    }

    /// A street's overdue requests now, of every month (merged duplicates left out): its late
    /// cells (`ix_month_totals_street_late` finds them) and what passed since the last sweep.
    static func overdue(street: UUID, now: Date, on sql: any SQLDatabase) async throws -> Int64 {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(t.late_unanswered + t.late_unresolved - t.late_both), 0) AS BIGINT) AS n FROM \(unsafeRaw: table) t
            WHERE t.street_id = \(bind: street) AND \(unsafeRaw: lateCell("t"))
            """).first()
        let cells = try row.map { try RankingService.int($0, "n") } ?? 0
        let since = try await sinceSweep("r.district_id IN (SELECT d.id FROM districts d) AND r.street_id = \(bind: street)", group: "street_id", now: now, on: sql)
        return cells + (since[street]?.overdue ?? 0)
    }

    /// A cell holding a late request (the predicate of its street index).
    static func lateCell(_ x: String) -> String {
        let p = x.isEmpty ? "" : x + "."
        return "(\(p)late_unanswered <> 0 OR \(p)late_unresolved <> 0)"
    }

    /// Overdue as swept: past a deadline the sweep found passed, still without its step. Always
    /// overdue now (a sweep marks only what has passed); the predicate of the street's index of
    /// them in received order, so a board reads its newest fifty and stops.
    static func sweptOverdue(_ x: String) -> String {
        "(\(x.isEmpty ? "" : x + ".")merged_into IS NULL AND ((\(sweptLate(x, "responded_at", "respond_by"))) OR (\(sweptLate(x, "resolved_at", "resolve_by")))))"
    }

    /// Overdue since the last sweep: read from the unswept indexes (through each district: the
    /// indexes lead with it), a minute's worth of deadlines at most.
    static func overdueSinceSweep(_ x: String, now: Date, postgres: Bool) -> SQLQueryString {
        """
        (\(unsafeRaw: x).district_id IN (SELECT d.id FROM districts d) AND ((\(unsafeRaw: unswept("responded_at", "respond_by", alias: x, postgres: postgres)) AND \(unsafeRaw: x).respond_by < \(bind: now))
          OR (\(unsafeRaw: unswept("resolved_at", "resolve_by", alias: x, postgres: postgres)) AND \(unsafeRaw: x).resolve_by < \(bind: now))))
        """
    }

    /// Each deadline with the step that meets it.
    static let deadlines = [("responded_at", "respond_by"), ("resolved_at", "resolve_by")]

    /// A district's requests whose `deadline` passed since the last sweep without `step`: what the
    /// sweep marks, read through the unswept index of that deadline.
    static func passedUnswept(_ step: String, _ deadline: String, district: UUID, now: Date, postgres: Bool) -> SQLQueryString {
        "district_id = \(bind: district) AND \(unsafeRaw: unswept(step, deadline, postgres: postgres)) AND \(unsafeRaw: deadline) < \(bind: now)"
    }

    /// The requests overdue since the last sweep: the sweep's own reading, without marking. A
    /// minute's deadlines between sweeps; nil if there are more than `limit` (sweeps failing for
    /// a while), and the caller reads them its own way.
    static func lateSinceSweep(now: Date, on sql: any SQLDatabase, limit: Int = 2_000) async throws -> [UUID]? {
        let postgres = sql.dialect.name == "postgresql"
        var ids = Set<UUID>()
        for district in try await sql.raw("SELECT id FROM districts").all().map({ try $0.decode(column: "id", as: UUID.self) }) {
            for (step, deadline) in deadlines {
                let rows = try await sql.raw("SELECT id FROM requests WHERE " + passedUnswept(step, deadline, district: district, now: now, postgres: postgres)
                                             + " LIMIT \(unsafeRaw: String(limit + 1))").all()
                for row in rows { ids.insert(try row.decode(column: "id", as: UUID.self)) }
                if ids.count > limit { return nil }
            }
        }
        return ids.sorted { $0.uuidString < $1.uuidString }
    }

    /// Counts into the cells every request whose deadline passed since the last sweep without its
    /// step (run every minute by the server, and by anything that bulk-loads requests): marks the
    /// deadline swept on the request, and the triggers move the request's share. Only what passed
    /// since the last sweep is read (`unsweptIndexes`), per district. Idempotent; several servers
    /// may sweep at once (a row updated by another transaction meanwhile is checked again and left).
    /// Returns how many deadlines were marked.
    @discardableResult
    static func sweep(now: Date, on sql: any SQLDatabase) async throws -> Int {
        let postgres = sql.dialect.name == "postgresql"
        var marked = 0
        for district in try await sql.raw("SELECT id FROM districts").all().map({ try $0.decode(column: "id", as: UUID.self) }) {
            for (step, deadline) in deadlines {
                marked += try await sql.raw("UPDATE requests SET \(unsafeRaw: "swept_\(deadline) = \(deadline)") WHERE "
                                            + passedUnswept(step, deadline, district: district, now: now, postgres: postgres) + " RETURNING id").all().count
            }
        }
        return marked
    }
}
