import Crypto
import Foundation

/// SHA-256 through swift-crypto: the ballot chain, receipts, upload checksums and token hashes
/// all use this one implementation.
public enum Checksum {
    /// The 32-byte digest of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Lower-case hex of the digest of `bytes`.
    public static func sha256Hex(bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { byte in
            let h = String(byte, radix: 16)
            return byte < 16 ? "0" + h : h
        }.joined()
    }

    /// Lower-case hex of the digest of the UTF-8 text.
    public static func sha256Hex(_ text: String) -> String { sha256Hex(bytes: Array(text.utf8)) }
}
