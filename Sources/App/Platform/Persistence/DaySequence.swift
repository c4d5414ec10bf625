import Domain
import FluentKit
import Foundation
import SQLKit

/// Numbers that restart each day (GZ… requests, YS… meetings, GS… notices, ZX… surveys): one row
/// per prefix and day, bumped inside the caller's transaction so two servers never hand out the
/// same number.
enum DaySequence {
    /// Takes the day's next `count` numbers and answers the last of them (the first is `last - count + 1`).
    static func next(_ day: String, count: Int = 1, now: Date, on tx: any Database) async throws -> Int {
        let row = try await tx.sql().raw(statement(day, count: count, now: now)).first()
        return try row?.decode(column: "last", as: Int.self) ?? count
    }

    /// The bump itself, answering one row: `last`, the day's last number now taken.
    static func statement(_ day: String, count: Int, now: Date) -> SQLQueryString {
        """
        INSERT INTO request_sequences (id, day, last, created_at, updated_at) VALUES (\(bind: UUID.random()), \(bind: day), \(bind: count), \(bind: now), \(bind: now))
        ON CONFLICT (day) DO UPDATE SET last = request_sequences.last + \(bind: count), updated_at = \(bind: now) RETURNING last
        """
    }

    /// `prefix` + the Beijing day + a four-digit sequence, like the request numbers.
    static func number(_ prefix: String, now: Date, on tx: any Database) async throws -> String {
        let today = Timestamp.today(now)
        let seq = try await next(prefix + today.description, now: now, on: tx)
        return prefix + RequestNumber.make(day: today, sequence: seq).dropFirst(2)
    }
}
