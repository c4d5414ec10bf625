import Domain
import FluentKit
import Foundation
import SQLKit

/// Secrets made once per installation and kept in the database, so every server sharing it
/// agrees on them: the first server to start writes one, the others read it.
enum SiteSecrets {
    /// The key that binds form tokens to sessions (32 random bytes).
    static func csrfKey(_ database: AppDatabase, now: Date) async throws -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        let fresh = (0..<4).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
        try await database.db.sql().raw("""
            INSERT INTO site_secrets (id, name, value, created_at, updated_at)
            VALUES (\(bind: UUID.random()), 'csrf', \(bind: fresh), \(bind: now), \(bind: now)) ON CONFLICT (name) DO NOTHING
            """).run()
        let hex = try await database.db.sql().raw("SELECT value FROM site_secrets WHERE name = 'csrf'").first()?.decode(column: "value", as: String.self) ?? fresh
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), let byte = UInt8(hex[index..<next], radix: 16) {
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
