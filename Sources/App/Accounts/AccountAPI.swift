import Domain
import Foundation
import Hummingbird

/// `/api/v1/auth/…` and `/api/v1/api-keys`: tokens for people, keys for integrations.
struct AccountAPI: Sendable {
    let auth: AuthService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.post, SiteURL.apiLogin, .open) { request, context in try await login(request, context) }
        routes.add(.post, SiteURL.apiLogout, .signedIn) { _, context in try await logout(context) }
        routes.add(.get, SiteURL.apiMe, .signedIn) { _, context in try await me(context) }
        routes.add(.post, SiteURL.apiPassword, .signedIn) { request, context in try await password(request, context) }
        routes.add(.get, SiteURL.apiKeys, .administer) { _, context in
            .json(.object(["items": .array(try await auth.listApiKeys(try context.access("api", now: clock())))]))
        }
        routes.add(.post, SiteURL.apiKeys, .administer) { request, context in try await createKey(request, context) }
        routes.add(.delete, SiteURL.apiKey, .administer) { _, context in try await revokeKey(context) }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.object(request, context)
        let username = try body.string("username"), password = try body.string("password")
        do {
            let session = try await auth.login(username: username, password: password, address: context.address, kind: .api, now: clock())
            return .json(.object(["token": .string(session.token), "expiresAt": .string(Timestamp.iso(session.expiresAt)), "user": session.user.json]))
        } catch AuthError.tooManyAttempts {
            return .json(HTTPFailure(.tooManyRequests, "too_many_attempts", "too many failed logins; try again in a minute", []).json,
                         status: .tooManyRequests, headers: [.retryAfter: "60"])
        }
    }

    func logout(_ context: AppRequestContext) async throws -> Response {
        guard let token = context.credential, token.hasPrefix("gzs_") else {
            throw DomainError.conflict(code: "not_a_session", message: "integration keys are revoked at /api/v1/api-keys")
        }
        try await auth.revoke(token: token, now: clock())
        return Response(status: .noContent)
    }

    func me(_ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return .json(.object(["kind": .string(actor.kind.rawValue), "label": .string(actor.label),
                              "roles": .array(actor.grants.map { .object(["role": .string($0.role.rawValue), "scopeId": .string($0.scopeId.uuidString.lowercased())]) })]))
    }

    func password(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("api", now: clock())
        guard ctx.actor.kind == .user, let id = ctx.actor.id else { throw DomainError.forbidden(reason: "only people have passwords") }
        let body = try await JSONBody.object(request, context)
        try await auth.setPassword(ctx, userId: id, current: try body.string("currentPassword"), new: try body.string("newPassword"))
        return Response(status: .noContent)
    }

    func createKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("api", now: clock())
        let body = try await JSONBody.object(request, context)
        var errors = FieldErrors()
        let name = body.optionalString("name") ?? ""
        let role = body.optionalString("role").flatMap(Role.init(rawValue:))
        let scope = body.optionalString("scopeId").flatMap(UUID.init(uuidString:))
        if role == nil { errors.add("role", "invalid_choice", "role must be one of \(Role.codes.joined(separator: ", "))") }
        if scope == nil { errors.add("scopeId", "invalid_id", "scopeId must be an id (UUID)") }
        if name.isEmpty { errors.add("name", "required", "name is required") }
        try errors.throwIfAny()
        let key = try await auth.createApiKey(ctx, name: name, role: role!, scopeId: scope!)
        return .json(.object(["id": .string(key.id.uuidString.lowercased()), "key": .string(key.key)]), status: .created)
    }

    func revokeKey(_ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("api", now: clock())
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "api-keys", id: "") }
        try await auth.revokeApiKey(ctx, id: id)
        return Response(status: .noContent)
    }
}
