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
/// Triggers keep the cells (an AFTER trigger on `requests`: insert adds a request's share, update
/// takes the old share away and adds the new one, delete takes it away), so every write — filing,
/// transitions, transfers, merges, imports and whatever is added later — keeps them right inside
/// its own transaction. `rebuild` computes them from scratch (the migration, bulk seeding).
enum RankingTotals {
    static let table = "request_month_totals"
    static let key = "district_id, street_id, community_id, compound_id, month, handler_kind, handler_id"
    static let counts = ["filed", "responded", "in_time", "rated", "resolved", "score"]
    /// The request columns a share depends on: an update of any other column leaves the cells alone.
    static let watched = ["district_id", "street_id", "community_id", "compound_id", "month", "handler_kind", "handler_company_id",
                          "handler_department_id", "responded_at", "responded_in_time", "rating_score", "rating_resolved", "merged_into"]
    /// Stands for "no company or department" in the key (a key column must not be NULL for the upsert to find its cell).
    static let noHandler = "00000000-0000-0000-0000-000000000000"

    /// Partial indexes of the requests still waiting for a step, by deadline: (name, columns,
    /// predicate). A query for what is late reads only the late ones, from the deadline down.
    /// The ranking's (by district and month) leave merged duplicates out, as the ranking does —
    /// which also keeps PostgreSQL from mixing them into a street's or district's board.
    static let indexes = [("ix_requests_unanswered", "district_id, month, respond_by", "responded_at IS NULL AND merged_into IS NULL"),
                          ("ix_requests_unresolved", "district_id, month, resolve_by", "resolved_at IS NULL AND merged_into IS NULL"),
                          ("ix_requests_street_unanswered", "street_id, respond_by", "responded_at IS NULL"),
                          ("ix_requests_street_unresolved", "street_id, resolve_by", "resolved_at IS NULL"),
                          ("ix_requests_district_unanswered", "district_id, respond_by", "responded_at IS NULL"),
                          ("ix_requests_district_unresolved", "district_id, resolve_by", "resolved_at IS NULL")]

    /// The handler part of the key, for row `x` (`NEW`, `OLD`, or a table alias).
    static func handler(_ x: String, postgres: Bool) -> String {
        let none = postgres ? "'\(noHandler)'::uuid" : "'\(noHandler)'"
        return "COALESCE(CASE \(x).handler_kind WHEN 'company' THEN \(x).handler_company_id WHEN 'department' THEN \(x).handler_department_id END, \(none))"
    }

    /// Row `x`'s key and share, negated when `sign` is "-".
    static func share(_ x: String, sign: String, postgres: Bool) -> String {
        "\(x).district_id, \(x).street_id, \(x).community_id, \(x).compound_id, \(x).month, COALESCE(\(x).handler_kind, ''), \(handler(x, postgres: postgres)), "
            + "\(sign)1, \(sign)(CASE WHEN \(x).responded_at IS NOT NULL THEN 1 ELSE 0 END), \(sign)\(x).responded_in_time, "
            + "\(sign)(CASE WHEN \(x).rating_score IS NOT NULL THEN 1 ELSE 0 END), \(sign)COALESCE(\(x).rating_resolved, 0), \(sign)COALESCE(\(x).rating_score, 0)"
    }

    static var upsert: String {
        "ON CONFLICT (\(key)) DO UPDATE SET " + counts.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    static var insertInto: String { "INSERT INTO \(table) (\(key), \(counts.joined(separator: ", ")))" }

    /// Creates the table, its triggers and the partial indexes by deadline, and fills the cells.
    static func install(on database: any Database) async throws {
        let sql = database.sql()
        let postgres = sql.dialect.name == "postgresql"
        let uuid = postgres ? "uuid" : "BLOB"
        let bigint = postgres ? "bigint" : "INTEGER"
        try await sql.raw(SQLQueryString(
            "CREATE TABLE \(table) (district_id \(uuid) NOT NULL, street_id \(uuid) NOT NULL, community_id \(uuid) NOT NULL, compound_id \(uuid) NOT NULL, "
                + "month TEXT NOT NULL, handler_kind TEXT NOT NULL, handler_id \(uuid) NOT NULL, "
                + counts.map { "\($0) \(bigint) NOT NULL" }.joined(separator: ", ")
                + ", PRIMARY KEY (district_id, month, street_id, community_id, compound_id, handler_kind, handler_id))")).run()
        if postgres {
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION \(table)_keep() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP <> 'INSERT' AND OLD.merged_into IS NULL THEN
                    \(insertInto) VALUES (\(share("OLD", sign: "-", postgres: true))) \(upsert);
                  END IF;
                  IF TG_OP <> 'DELETE' AND NEW.merged_into IS NULL THEN
                    \(insertInto) VALUES (\(share("NEW", sign: "", postgres: true))) \(upsert);
                  END IF;
                  RETURN NULL;
                END $$
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(table)_keep AFTER INSERT OR DELETE OR UPDATE OF \(watched.joined(separator: ", ")) ON requests
                FOR EACH ROW EXECUTE FUNCTION \(table)_keep()
                """)).run()
        } else {
            // SQLite: one trigger per kind of write; `WHERE` after the SELECT keeps the upsert unambiguous.
            let add = "\(insertInto) SELECT \(share("NEW", sign: "", postgres: false)) WHERE NEW.merged_into IS NULL \(upsert);"
            let remove = "\(insertInto) SELECT \(share("OLD", sign: "-", postgres: false)) WHERE OLD.merged_into IS NULL \(upsert);"
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_insert AFTER INSERT ON requests BEGIN \(add) END")).run()
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_update AFTER UPDATE OF \(watched.joined(separator: ", ")) ON requests BEGIN \(remove) \(add) END")).run()
            try await sql.raw(SQLQueryString("CREATE TRIGGER \(table)_delete AFTER DELETE ON requests BEGIN \(remove) END")).run()
        }
        // The ranking's clock-dependent counts, and a board's overdue list and count, read only
        // what is past its deadline: unanswered requests by respond-by, unresolved ones by resolve-by.
        for (name, columns, predicate) in indexes {
            try await sql.raw(SQLQueryString("CREATE INDEX \(name) ON requests (\(columns)) WHERE \(predicate)")).run()
        }
        try await rebuild(on: sql)
    }

    static func uninstall(on database: any Database) async throws {
        let sql = database.sql()
        for (name, _, _) in indexes { try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS \(name)")).run() }
        if sql.dialect.name == "postgresql" {
            try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(table)_keep ON requests")).run()
            try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(table)_keep()")).run()
        } else {
            for kind in ["insert", "update", "delete"] { try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(table)_\(kind)")).run() }
        }
        try await sql.raw(SQLQueryString("DROP TABLE IF EXISTS \(table)")).run()
    }

    /// Every cell computed afresh from the requests (one GROUP BY): after a bulk load that bypassed the triggers.
    static func rebuild(on sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        try await sql.raw(SQLQueryString("DELETE FROM \(table)")).run()
        try await sql.raw(SQLQueryString("""
            \(insertInto) SELECT r.district_id, r.street_id, r.community_id, r.compound_id, r.month, COALESCE(r.handler_kind, ''), \(handler("r", postgres: postgres)),
              COUNT(*), SUM(CASE WHEN r.responded_at IS NOT NULL THEN 1 ELSE 0 END), SUM(r.responded_in_time),
              SUM(CASE WHEN r.rating_score IS NOT NULL THEN 1 ELSE 0 END), SUM(COALESCE(r.rating_resolved, 0)), SUM(COALESCE(r.rating_score, 0))
            FROM requests r WHERE r.merged_into IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7
            """)).run()
    }
}

/// Installs `RankingTotals` (issue: speed, a city's year of requests).
struct KeepRankingTotals: AsyncMigration {
    var name: String { "KeepRankingTotals" }
    func prepare(on database: any Database) async throws { try await RankingTotals.install(on: database) }
    func revert(on database: any Database) async throws { try await RankingTotals.uninstall(on: database) }
}
