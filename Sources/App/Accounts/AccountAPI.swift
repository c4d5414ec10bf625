import Domain
import Foundation
import Hummingbird

/// `/api/v1/auth/…` and `/api/v1/api-keys`: tokens for people, keys for integrations.
struct AccountAPI: Sendable {
    let auth: AuthService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.openAPI(.post, SiteURL.apiLogin, OperationDoc("login", "Exchange a username and password for a bearer token", tag: "auth",
                                                             errors: [401: "Wrong username or password", 429: "Too many failed logins: wait the seconds in Retry-After"]),
                       body: LoginBody.self, answer: SessionAnswer.self, login)
        routes.api(.post, SiteURL.apiLogout, .signedIn, OperationDoc("logout", "Revoke the token of this request", tag: "auth",
                                                                     errors: [409: "An integration key is revoked at /api/v1/api-keys"]), logout)
        routes.api(.get, SiteURL.apiMe, .signedIn, OperationDoc("me", "Who the caller is, with roles and scopes", tag: "auth"), me)
        routes.api(.post, SiteURL.apiPassword, .signedIn, OperationDoc("change-password", "Change one's password (ends other sessions)", tag: "auth"),
                   body: PasswordChangeBody.self, password)
        routes.api(.get, SiteURL.apiKeys, .administer, OperationDoc("list-api-keys", "Integration keys of the admin's district (never the keys themselves)", tag: "api-keys"),
                   listKeys)
        routes.api(.post, SiteURL.apiKeys, .administer, OperationDoc("create-api-key", "Issue an integration key; the key is shown once", tag: "api-keys"),
                   body: CreateApiKeyBody.self, status: .created, createKey)
        routes.api(.delete, SiteURL.apiKey, .administer, OperationDoc("revoke-api-key", "Revoke an integration key", tag: "api-keys"), revokeKey)
    }

    @Sendable func login(_ call: OpenCall, _ body: LoginBody) async throws -> Response {
        do {
            let session = try await auth.login(username: body.username, password: body.password, address: call.context.address, kind: .api, now: call.now)
            return try RouteTable.encode(SessionAnswer(token: session.token, expiresAt: Timestamp.iso(session.expiresAt), user: UserAnswer(session.user)), status: .ok)
        } catch AuthError.tooManyAttempts(let wait) {
            return .json(HTTPFailure(.tooManyRequests, "too_many_attempts", "too many failed logins; try again in \(wait) s", []).json,
                         status: .tooManyRequests, headers: [.retryAfter: String(wait)])
        }
    }

    @Sendable func logout(_ call: SignedIn) async throws -> NoContent {
        guard let token = call.context.credential, token.hasPrefix("gzs_") else {
            throw DomainError.conflict(code: "not_a_session", message: "integration keys are revoked at /api/v1/api-keys")
        }
        try await auth.revoke(token: token, now: call.now)
        return NoContent()
    }

    @Sendable func me(_ call: SignedIn) async throws -> CallerAnswer {
        CallerAnswer(kind: call.actor.kind.rawValue, label: call.actor.label, roles: call.actor.grants.map(GrantAnswer.init))
    }

    @Sendable func password(_ call: SignedIn, _ body: PasswordChangeBody) async throws -> NoContent {
        guard call.actor.kind == .user, let id = call.actor.id else { throw DomainError.forbidden(reason: "only people have passwords") }
        try await auth.setPassword(call.access, userId: id, current: body.currentPassword, new: body.newPassword)
        return NoContent()
    }

    @Sendable func listKeys(_ call: SignedIn) async throws -> Items<ApiKeyAnswer> {
        Items(items: try await auth.listApiKeys(call.access))
    }

    @Sendable func createKey(_ call: SignedIn, _ body: CreateApiKeyBody) async throws -> ApiKeyCreatedAnswer {
        let key = try await auth.createApiKey(call.access, name: body.name, role: body.role, scopeId: body.scopeId)
        return ApiKeyCreatedAnswer(id: key.id.text, key: key.key)
    }

    @Sendable func revokeKey(_ call: SignedIn) async throws -> NoContent {
        try await auth.revokeApiKey(call.access, id: try call.id("api-keys"))
        return NoContent()
    }
}
