import Domain
import Foundation

/// Random secrets and their stored form: only a SHA-256 hash of a token or key is ever stored.
enum Credentials {
    /// A new secret with a recognisable prefix (`gzs_` sessions, `gzk_` integration keys).
    static func newSecret(prefix: String) -> String {
        var g = SystemRandomNumberGenerator()
        return prefix + (0..<3).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
    }

    static func hash(_ secret: String) -> String {
        Checksum.sha256Hex(secret)
    }
}
