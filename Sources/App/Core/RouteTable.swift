import Domain
import Hummingbird

/// What a route requires before its handler runs. Every route has one; the role × route test
/// reads them from the table.
enum RouteAccess: Sendable, Equatable {
    /// Anyone (health, OpenAPI, login, language).
    case open
    /// Any signed-in actor; the handler's data is scoped by the policy.
    case signedIn
    /// A collection action, decided per record by `Policy` inside the store.
    case resource(String, Action)
    /// District administration (audit log, integration keys).
    case administer
}

/// One registered route with its access rule.
struct RouteEntry: Sendable {
    let method: HTTPRequest.Method
    let pattern: String
    let access: RouteAccess
}

/// The route table: the only way routes are added, so none can be added without an access rule.
final class RouteTable: @unchecked Sendable {
    let router: Router<AppRequestContext>
    private(set) var entries: [RouteEntry] = []

    init(router: Router<AppRequestContext>) { self.router = router }

    func add(_ method: HTTPRequest.Method, _ url: SiteURL, _ access: RouteAccess,
             _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access, handler)
    }

    func add(_ method: HTTPRequest.Method, _ pattern: String, _ access: RouteAccess,
             _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        entries.append(RouteEntry(method: method, pattern: pattern, access: access))
        router.on(RouterPath(pattern), method: method) { request, context in
            switch access {
            case .open:
                break
            case .signedIn, .resource:
                _ = try context.requireActor()
            case .administer:
                let actor = try context.requireActor()
                guard Policy.mayAdminister(actor, district: nil) else { throw DomainError.forbidden(reason: "only district admins may do this") }
            }
            return try await handler(request, context)
        }
    }
}
