import Domain
import Foundation

/// `POST /api/v1/auth/login`.
struct LoginBody: APIBody {
    let username: String
    let password: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let username = r.required("username", String.self, "username is required (a string)")
        let password = r.required("password", String.self, "password is required (a string)")
        guard let username, let password else { throw r.failure }
        self.username = username
        self.password = password
    }

    static var schema: Schema { .object([.req("username", .string(maxLength: 200)), .req("password", .string(maxLength: 200))]) }
}

/// `POST /api/v1/auth/password`.
struct PasswordChangeBody: APIBody {
    let currentPassword: String
    let newPassword: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let current = r.required("currentPassword", String.self, "currentPassword is required (a string)")
        let new = r.required("newPassword", String.self, "newPassword is required (a string)")
        guard let current, let new else { throw r.failure }
        currentPassword = current
        newPassword = new
    }

    static var schema: Schema { .object([.req("currentPassword", .string()), .req("newPassword", .string(minLength: 8))]) }
}

/// `POST /api/v1/api-keys`.
struct CreateApiKeyBody: APIBody {
    let name: String
    let role: Role
    let scopeId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let name = r.text("name", required: true, max: 100, "name is required (at most 100 characters)")
        let role = r.choice("role", Role.self, required: true)
        let scope = r.id("scopeId", required: true, "scopeId must be an id (UUID)")
        guard let name, let role, let scope else { throw r.failure }
        self.name = name
        self.role = role
        scopeId = scope
    }

    static var schema: Schema {
        .object([.req("name", .string(minLength: 1, maxLength: 100)), .req("role", .choice(Role.self)), .req("scopeId", .uuid)])
    }
}

/// One role a user or key holds, and where.
struct GrantAnswer: APIAnswer {
    let role: String
    let scopeId: String
    init(_ grant: Grant) { role = grant.role.rawValue; scopeId = grant.scopeId.text }
    static var schema: Schema { .object([.req("role", .choice(Role.self)), .req("scopeId", .uuid)]) }
}

/// A user as the API shows it.
struct UserAnswer: APIAnswer {
    let id: String
    let username: String
    let displayName: String
    let language: String
    let roles: [GrantAnswer]

    init(_ user: UserInfo) {
        id = user.id.text
        username = user.username
        displayName = user.displayName
        language = user.language
        roles = user.grants.map(GrantAnswer.init)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("username", .string()), .req("displayName", .string()), .req("language", .string()),
                 .req("roles", .array(.named(GrantAnswer.self)))])
    }
}

/// A bearer token, for `Authorization: Bearer …`.
struct SessionAnswer: APIAnswer {
    let token: String
    let expiresAt: String
    let user: UserAnswer
    static var schema: Schema { .object([.req("token", .string()), .req("expiresAt", .dateTime), .req("user", .named(UserAnswer.self))]) }
}

/// Who the caller is.
struct CallerAnswer: APIAnswer {
    let kind: String
    let label: String
    let roles: [GrantAnswer]
    static var schema: Schema {
        .object([.req("kind", .choice(["user", "api_key", "system"])), .req("label", .string()), .req("roles", .array(.named(GrantAnswer.self)))])
    }
}

/// A new integration key, shown this once.
struct ApiKeyCreatedAnswer: APIAnswer {
    let id: String
    let key: String
    static var schema: Schema { .object([.req("id", .uuid), .req("key", .string(description: "shown once; only its hash is kept"))]) }
}

/// An integration key (never the key itself).
struct ApiKeyAnswer: APIAnswer {
    let id: String
    let name: String
    let role: String
    let scopeId: String
    let createdAt: String
    let revokedAt: String?
    let lastUsedAt: String?
    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("role", .choice(Role.self)), .req("scopeId", .uuid), .req("createdAt", .dateTime),
                 .null("revokedAt", .dateTime), .null("lastUsedAt", .dateTime)])
    }
}

/// One audit event.
struct AuditEventAnswer: APIAnswer {
    let id: String
    let at: String
    let actorKind: String
    let actor: String
    let source: String
    let address: String?
    let action: String
    let entity: String
    let entityId: String
    let before: JSONValue?
    let after: JSONValue?

    init(_ e: AuditEvent) {
        id = e.id.text; at = Timestamp.iso(e.at); actorKind = e.actorKind; actor = e.actorLabel; source = e.source; address = e.address
        action = e.action; entity = e.entity; entityId = e.entityId.text; before = e.before; after = e.after
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("at", .dateTime), .req("actorKind", .string()), .req("actor", .string()), .req("source", .string()),
                 .null("address", .string()), .req("action", .string()), .req("entity", .string()), .req("entityId", .uuid),
                 .req("before", .any), .req("after", .any)])
    }
}

/// A page of the audit log.
struct AuditPageAnswer: APIAnswer {
    let items: [AuditEventAnswer]
    let nextCursor: String?
    static var schema: Schema { .object([.req("items", .array(.named(AuditEventAnswer.self))), .null("nextCursor", .uuid)]) }
}
