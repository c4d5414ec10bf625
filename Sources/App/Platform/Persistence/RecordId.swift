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
}
