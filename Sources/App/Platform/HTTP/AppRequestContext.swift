import Hummingbird
import Logging
import Domain

/// The request context every route sees: Hummingbird's core storage plus the request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// A short id that ties the request's log line to any error it caused.
    public var requestId: String
    /// The CSRF token of this browser (double-submit cookie), set by `WebSessionMiddleware`.
    public var csrfToken: String = ""
    /// A flash message key carried over from the previous response.
    public var flashKey: String?
    /// The page language.
    var language: Language = .zhHans
    /// Who is signed in (session cookie, bearer token or API key), set by `AuthMiddleware`.
    public var actor: Actor?
    /// The bearer token or session token the actor came with (to revoke it on logout).
    var credential: String?
    /// A device's key (`gzd_…`), for the device routes only; a device is never an actor.
    var deviceKey: String?
    /// The client's IP address.
    public var address: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress
        requestId = String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 36)
    }

}
