import HTTPTypes
import Hummingbird

/// The client's address: the connection's peer, or — only when the peer is a configured proxy —
/// the last address in `X-Forwarded-For` that is not itself one of the proxies.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.address = Self.client(peer: context.address, forwardedFor: request.headers[values: .xForwardedFor], trusted: trustedProxies)
        return try await next(request, context)
    }

    static func client(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? peer
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
