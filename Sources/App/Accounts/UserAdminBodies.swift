import Domain
import Foundation

/// `POST /api/v1/users`: a new account with its first role.
struct CreateUserBody: APIBody {
    let username: String
    let displayName: String
    let password: String
    let role: Role
    let scopeId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let username = r.text("username", required: true, max: 40, "username is required: 3–40 letters, digits, dots, dashes or underscores")
        let displayName = r.text("displayName", required: true, max: 100, "displayName is required (at most 100 characters)")
        let password = r.required("password", String.self, "password is required (at least 8 characters)")
        let role = r.choice("role", Role.self, required: true)
        let scope = r.id("scopeId", required: true, "scopeId must be an id (UUID)")
        if let username {
            r.check(AccountRules.validUsername(username),
                    "username", "invalid_format", "a username is 3–40 letters, digits, dots, dashes or underscores")
        }
        if let password { r.check(password.count >= 8, "password", "too_short", "a password needs at least 8 characters") }
        guard let username, let displayName, let password, let role, let scope else { throw r.failure }
        try r.finish()
        self.username = username
        self.displayName = displayName
        self.password = password
        self.role = role
        scopeId = scope
    }

    static var schema: Schema {
        .object([.req("username", .string(minLength: 3, maxLength: 40)), .req("displayName", .string(minLength: 1, maxLength: 100)),
                 .req("password", .string(minLength: 8, maxLength: 200)), .req("role", .choice(Role.self)), .req("scopeId", .uuid)])
    }
}

/// `POST /api/v1/users/{id}/grants`: one more role on one scope.
struct GrantBody: APIBody {
    let role: Role
    let scopeId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let role = r.choice("role", Role.self, required: true)
        let scope = r.id("scopeId", required: true, "scopeId must be an id (UUID)")
        guard let role, let scope else { throw r.failure }
        try r.finish()
        self.role = role
        scopeId = scope
    }

    static var schema: Schema { .object([.req("role", .choice(Role.self)), .req("scopeId", .uuid)]) }
}

/// `POST /api/v1/users/{id}/password`: a new password set by an admin.
struct ResetPasswordBody: APIBody {
    let password: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let password = r.required("password", String.self, "password is required (at least 8 characters)")
        if let password { r.check(password.count >= 8, "password", "too_short", "a password needs at least 8 characters") }
        guard let password else { throw r.failure }
        try r.finish()
        self.password = password
    }

    static var schema: Schema { .object([.req("password", .string(minLength: 8, maxLength: 200))]) }
}

/// An account as its district's admins see it.
struct AccountAnswer: APIAnswer {
    struct GrantItem: Codable, Sendable { let id: String, role: String, scopeId: String, scopeName: String }
    let id: String, username: String, displayName: String, disabled: Bool, partyMember: Bool, createdAt: String, lastLoginAt: String?
    let roles: [GrantItem]

    init(_ a: AccountRecord) {
        id = a.id.text; username = a.username; displayName = a.displayName; disabled = a.disabled; partyMember = a.partyMember
        createdAt = Timestamp.iso(a.createdAt); lastLoginAt = a.lastLoginAt.map(Timestamp.iso)
        roles = a.grants.map { GrantItem(id: $0.id.text, role: $0.role.rawValue, scopeId: $0.scopeId.text, scopeName: $0.scopeName) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("username", .string()), .req("displayName", .string()), .req("disabled", .boolean), .req("partyMember", .boolean), .req("createdAt", .dateTime),
                 .null("lastLoginAt", .dateTime),
                 .req("roles", .array(.object([.req("id", .uuid), .req("role", .choice(Role.self)), .req("scopeId", .uuid), .req("scopeName", .string())])))])
    }
}

/// `PUT /api/v1/users/{id}/party-member`.
struct PartyMemberBody: APIBody {
    let partyMember: Bool

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let flag = r.required("partyMember", Bool.self, "true or false")
        try r.finish()
        guard let flag else { throw r.failure }
        partyMember = flag
    }

    static var schema: Schema { .object([.req("partyMember", .boolean)]) }
}
