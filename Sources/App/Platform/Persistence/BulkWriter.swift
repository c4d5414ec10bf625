import FluentKit
import Foundation
import SQLKit

/// Inserts many rows with multi-row INSERTs, sized to stay under both databases' bind limits.
struct BulkWriter: Sendable {
    let db: any Database

    /// SQLite allows 32,766 binds per statement and PostgreSQL 65,535; stay well below both.
    static let maxBinds = 30_000

    func insert(_ table: String, columns: [String], rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, min(1_000, Self.maxBinds / max(1, columns.count)))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            try await db.sql().insert(into: table).columns(columns).rows(rows[start..<end].map { $0 }).run()
            start = end
        }
    }
}

/// Binds for common column values.
enum Bind {
    static func uuid(_ u: UUID) -> any SQLExpression { SQLBind(u) }
    static func uuid(_ u: UUID?) -> any SQLExpression { u.map { SQLBind($0) } ?? SQLLiteral.null }
    static func text(_ s: String) -> any SQLExpression { SQLBind(s) }
    static func text(_ s: String?) -> any SQLExpression { s.map { SQLBind($0) } ?? SQLLiteral.null }
    static func int(_ i: Int64) -> any SQLExpression { SQLBind(i) }
    static func int(_ i: Int) -> any SQLExpression { SQLBind(Int64(i)) }
    static func int(_ i: Int64?) -> any SQLExpression { i.map { SQLBind($0) } ?? SQLLiteral.null }
    static func date(_ d: Date?) -> any SQLExpression { d.map { SQLBind($0) } ?? SQLLiteral.null }
    static func bool(_ b: Bool) -> any SQLExpression { SQLBind(b) }
    static func real(_ d: Double?) -> any SQLExpression { d.map { SQLBind($0) } ?? SQLLiteral.null }
    static func date(_ d: Date) -> any SQLExpression { SQLBind(d) }
}
