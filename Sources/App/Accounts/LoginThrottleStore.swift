import Domain
import FluentKit
import Foundation
import SQLKit

/// The buckets of `LoginThrottle` in the database, shared by every server on it. An attempt is
/// reserved with one conditional `UPDATE … RETURNING` per bucket inside a transaction, so the
/// count and the wait move together and concurrent attempts are counted one by one.
struct LoginThrottleStore: Sendable {
    let database: AppDatabase

    /// Counts an attempt against each bucket; the seconds to wait when any of them is waiting
    /// (then nothing is counted), nil when the attempt may go ahead.
    func reserve(_ buckets: [(kind: LoginThrottle.Kind, key: String)], now: Date) async throws -> Int? {
        do {
            try await database.db.transaction { tx in
                for bucket in buckets {
                    try await tx.sql().raw("""
                        INSERT INTO login_buckets (id, bucket, failures, created_at, updated_at)
                        VALUES (\(bind: UUID.random()), \(bind: bucket.key), 0, \(bind: now), \(bind: now)) ON CONFLICT (bucket) DO NOTHING
                        """).run()
                    let counted = try await tx.sql().raw(Self.countAttempt(bucket.kind, key: bucket.key, now: now)).first()
                    if counted == nil { throw Waiting(bucket: bucket.key) }
                }
            }
            return nil
        } catch let waiting as Waiting {
            let row = try await database.db.sql().raw("SELECT blocked_until FROM login_buckets WHERE bucket = \(bind: waiting.bucket)").first()
            let until = try row?.decode(column: "blocked_until", as: Date?.self) ?? now
            return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        }
    }

    /// A successful login: the account's and device's buckets start again; the address gets its attempt back.
    func succeeded(_ buckets: [(kind: LoginThrottle.Kind, key: String)], now: Date) async throws {
        for bucket in buckets {
            switch bucket.kind {
            case .account, .device:
                try await database.db.sql().raw("""
                    UPDATE login_buckets SET failures = 0, last_failure_at = NULL, blocked_until = NULL, updated_at = \(bind: now)
                    WHERE bucket = \(bind: bucket.key)
                    """).run()
            case .address:
                let free = LoginThrottle.freeAttempts(.address)
                try await database.db.sql().raw("""
                    UPDATE login_buckets SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
                    blocked_until = CASE WHEN failures - 1 < \(literal: free) THEN NULL ELSE blocked_until END, updated_at = \(bind: now)
                    WHERE bucket = \(bind: bucket.key)
                    """).run()
            }
        }
    }

    /// One bucket's atomic step: refuse while it waits; otherwise count the failure-to-be and set
    /// the wait that follows it (a bucket silent for a day starts from one).
    static func countAttempt(_ kind: LoginThrottle.Kind, key: String, now: Date) -> SQLQueryString {
        let forget = now.addingTimeInterval(-LoginThrottle.forgetAfter)
        let steps = LoginThrottle.steps(kind)
        func until(_ n: Int) -> SQLQueryString {
            let d = LoginThrottle.delay(afterFailures: n, kind)
            return d == 0 ? "NULL" : "\(bind: now.addingTimeInterval(TimeInterval(d)))"
        }
        let fresh: SQLQueryString = "(last_failure_at IS NULL OR last_failure_at < \(bind: forget))"
        var sql: SQLQueryString = "UPDATE login_buckets SET failures = CASE WHEN "
        sql += fresh
        sql += " THEN 1 ELSE failures + 1 END, last_failure_at = \(bind: now), updated_at = \(bind: now), blocked_until = CASE WHEN "
        sql += fresh
        sql += " THEN "
        sql += until(1)
        sql += " WHEN failures + 1 < \(literal: steps.lowerBound) THEN NULL"
        for n in steps {
            sql += " WHEN failures + 1 = \(literal: n) THEN "
            sql += until(n)
        }
        sql += " ELSE "
        sql += until(steps.upperBound)
        sql += " END WHERE bucket = \(bind: key) AND (blocked_until IS NULL OR blocked_until <= \(bind: now)) RETURNING failures"
        return sql
    }

    private struct Waiting: Error { let bucket: String }

    // MARK: - Known devices

    /// The device's hash when `cookie` names a browser that signed in to `username` before.
    func knownDevice(cookie: String?, username: String) async throws -> String? {
        guard let cookie, cookie.hasPrefix("gzd_") else { return nil }
        let hash = Credentials.hash(cookie)
        let row = try await database.db.sql().raw("""
            SELECT d.token_hash FROM known_devices d JOIN users u ON u.id = d.user_id
            WHERE d.token_hash = \(bind: hash) AND u.username = \(bind: username)
            """).first()
        return row == nil ? nil : hash
    }

    /// Remembers this browser for the user (a browser keeps one cookie for every account signed
    /// in from it); the cookie to set when the browser had none.
    func remember(cookie: String?, known: String?, userId: UUID, now: Date) async throws -> String? {
        if let known {
            try await database.db.sql().raw("UPDATE known_devices SET last_used_at = \(bind: now), updated_at = \(bind: now) WHERE token_hash = \(bind: known) AND user_id = \(bind: userId)").run()
            return nil
        }
        let existing = cookie.flatMap { $0.hasPrefix("gzd_") && $0.count == 52 ? $0 : nil }
        let value = existing ?? Credentials.newSecret(prefix: "gzd_")
        try await database.db.sql().raw("""
            INSERT INTO known_devices (id, user_id, token_hash, last_used_at, created_at, updated_at)
            VALUES (\(bind: UUID.random()), \(bind: userId), \(bind: Credentials.hash(value)), \(bind: now), \(bind: now), \(bind: now))
            ON CONFLICT (token_hash, user_id) DO NOTHING
            """).run()
        return existing == nil ? value : nil
    }
}
