import FluentKit
import Foundation
import SQLKit

/// Installs `RankingTotals` (issue: speed, a city's year of requests).
struct KeepRankingTotals: AsyncMigration {
    var name: String { "KeepRankingTotals" }
    func prepare(on database: any Database) async throws { try await RankingTotals.install(on: database) }
    func revert(on database: any Database) async throws { try await RankingTotals.uninstall(on: database) }
}

/// Late counts kept in the cells too (issue: speed, item 7): each request records the deadline the
/// sweep found passed without its step (`swept_respond_by`, `swept_resolve_by`), the cells count
/// those still without it, and the ranking reads from the requests only what passed since the
/// last sweep. The ranking's indexes by district and month give way to indexes of the unswept.
struct KeepLateCounts: AsyncMigration {
    var name: String { "KeepLateCounts" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql()
        let postgres = sql.dialect.name == "postgresql"
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("requests").field("swept_respond_by", .datetime).update()
        try await database.schema("requests").field("swept_resolve_by", .datetime).update()
        for column in RankingTotals.lateCounts {
            try await sql.raw(SQLQueryString("ALTER TABLE \(RankingTotals.table) ADD COLUMN \(column) \(postgres ? "bigint" : "INTEGER") NOT NULL DEFAULT 0")).run()
        }
        try await RankingTotals.dropTriggers(on: sql)
        try await RankingTotals.installTriggers(on: sql, late: true)
        try await RankingTotals.dropIndexes(RankingTotals.monthIndexes, on: sql)
        try await RankingTotals.createIndexes(RankingTotals.unsweptIndexes(postgres: postgres), on: sql)
        try await RankingTotals.rebuild(on: sql)
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql()
        let postgres = sql.dialect.name == "postgresql"
        try await RankingTotals.dropIndexes(RankingTotals.unsweptIndexes(postgres: postgres), on: sql)
        try await RankingTotals.createIndexes(RankingTotals.monthIndexes, on: sql)
        try await RankingTotals.dropTriggers(on: sql)
        try await RankingTotals.installTriggers(on: sql, late: false)
        for column in RankingTotals.lateCounts {
            try await sql.raw(SQLQueryString("ALTER TABLE \(RankingTotals.table) DROP COLUMN \(column)")).run()
        }
        try await database.schema("requests").deleteField("swept_respond_by").update()
        try await database.schema("requests").deleteField("swept_resolve_by").update()
    }
}

/// Inserts into the ranking's cells counted once per statement on PostgreSQL (issue: speed, item 1):
/// the row trigger's function and upsert cost a filing 30 µs of PostgreSQL's time per request
/// (`EXPLAIN ANALYZE` of a 200-row insert: 6.0 ms in the trigger). The cells stay as they are:
/// the same counts, summed per cell before they are added. SQLite keeps its row triggers (it has
/// no statement triggers); there they cost a few µs.
struct CountInsertsPerStatement: AsyncMigration {
    var name: String { "CountInsertsPerStatement" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await RankingTotals.dropTriggers(on: sql)
        try await RankingTotals.installTriggers(on: sql, late: true, perStatement: true)
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await RankingTotals.dropTriggers(on: sql)
        try await RankingTotals.installTriggers(on: sql, late: true)
    }
}

/// A street's overdue requests found without reading them all (issue: speed, item 7): its late
/// cells by street, and its swept-late requests in received order (a board's newest fifty).
struct IndexLateByStreet: AsyncMigration {
    var name: String { "IndexLateByStreet" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql()
        try await sql.raw(SQLQueryString("CREATE INDEX ix_month_totals_street_late ON \(RankingTotals.table) (street_id) WHERE \(RankingTotals.lateCell(""))")).run()
        try await sql.raw(SQLQueryString("CREATE INDEX ix_requests_street_swept_late ON requests (street_id, received_at, id) WHERE \(RankingTotals.sweptOverdue(""))")).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql()
        try await sql.raw("DROP INDEX IF EXISTS ix_month_totals_street_late").run()
        try await sql.raw("DROP INDEX IF EXISTS ix_requests_street_swept_late").run()
    }
}
