import Domain
import Hummingbird
import NIOCore

/// The largest body each kind of route reads: the one place these limits are set. A body over
/// its limit is a 413 with the error shape (`Request.readBody`), never a 500.
enum BodyLimits {
    /// JSON bodies of the API and Open311's form posts.
    static let json = 1024 * 1024
    /// Web forms without files.
    static let form = 1024 * 1024
    /// A request's photo.
    static let photo = 5 * 1024 * 1024
    /// A decision's attachment (minutes, notices, plans).
    static let attachment = 10 * 1024 * 1024
    /// CSV imports (registry, 12345 orders).
    static let `import` = 32 * 1024 * 1024
    /// The most any route reads (what `IdempotencyMiddleware` may hold to fingerprint a request).
    static let largest = max(json, form, photo + 64 * 1024, attachment, `import`)
}

extension Request {
    /// The whole body, or 413 when it is over `limit` bytes.
    func readBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "The body may be at most \(BodyLimits.describe(limit)).")
        }
    }
}

extension BodyLimits {
    static func describe(_ bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes / 1024) KiB"
    }
}
