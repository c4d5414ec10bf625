import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension UUID {
    /// A new random (version 4) id for a record. Foundation's `UUID()` opens, reads and closes
    /// /dev/urandom for every id on Linux (2.8 µs, three system calls; a filing makes four ids);
    /// `arc4random_buf` takes the bytes from the C library's generator, seeded by the kernel
    /// (0.3 µs). The ids are the same kind: 122 random bits, version 4, RFC 4122 variant.
    static func random() -> UUID {
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &id) { bytes in
            arc4random_buf(bytes.baseAddress!, 16)
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
        }
        return UUID(uuid: id)
    }

    /// A new id that sorts by when it was made (version 7, RFC 9562): 48 bits of Unix milliseconds,
    /// then 74 random bits. For rows written many a second into tables keyed by id (requests,
    /// their timeline, the audit log): each new key lands beside the last in every index on it,
    /// instead of on a random page of each — a filing dirtied a page per random key, and SQLite
    /// wrote every one to its log and copied it back. Still unguessable (74 random bits); never a secret.
    static func timeOrdered(now: Date = Date()) -> UUID {
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        withUnsafeMutableBytes(of: &id) { bytes in
            arc4random_buf(bytes.baseAddress! + 6, 10)
            for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * UInt64(i))) }
            bytes[6] = bytes[6] & 0x0F | 0x70
            bytes[8] = bytes[8] & 0x3F | 0x80
        }
        return UUID(uuid: id)
    }
}
