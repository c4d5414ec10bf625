import Domain
import FluentKit
import Foundation
import HummingbirdBcrypt
import NIOPosix
import SQLKit
import Synchronization

/// A user as the API shows it.
struct UserInfo: Sendable {
    let id: UUID
    let username: String
    let displayName: String
    let language: String
    let grants: [Grant]

    var json: JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "username": .string(username), "displayName": .string(displayName),
                 "language": .string(language),
                 "roles": .array(grants.map { .object(["role": .string($0.role.rawValue), "scopeId": .string($0.scopeId.uuidString.lowercased())]) })])
    }
}

/// Accounts, sessions, bearer tokens and integration keys.
public struct AuthService: Sendable {
    let database: AppDatabase
    let bcryptCost: UInt8
    let audit = AuditLog()
    /// Credentials resolved in the last few seconds, shared by every service on this database in this process.
    var sessions: SessionCache { database.sessions }

    /// Web sessions last a working day; API tokens a day.
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let tokenLifetime: TimeInterval = 24 * 3600
    public init(database: AppDatabase, bcryptCost: UInt8) {
        self.database = database
        self.bcryptCost = bcryptCost
    }

    // MARK: - Passwords

    func hash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func validatePassword(_ password: String, field: String = "password") throws {
        if password.count < 8 {
            throw DomainError.invalid([FieldError(field: field, code: "too_short", message: "a password needs at least 8 characters")])
        }
    }

    // MARK: - Login

    enum SessionKind: String { case web, api }

    /// What a successful login gives: the session, its user, and a known-device cookie to set
    /// when this browser is new to the account.
    struct LoginResult: Sendable {
        let token: String
        let expiresAt: Date
        let user: UserInfo
        let deviceCookie: String?
    }

    /// Checks the password and opens a session. Throttled by `LoginThrottle` (429 with the seconds
    /// to wait); an unknown or disabled username costs the same bcrypt work as a known one, so the
    /// answer's timing does not tell which usernames exist.
    func login(username: String, password: String, address: String?, kind: SessionKind, device: String? = nil, now: Date) async throws -> LoginResult {
        let db = database.db
        let throttle = LoginThrottleStore(database: database)
        let known = try await throttle.knownDevice(cookie: device, username: username)
        let buckets = LoginThrottle.buckets(username: username, address: address, knownDevice: known)
        if let wait = try await throttle.reserve(buckets, now: now) { throw AuthError.tooManyAttempts(retryAfter: wait) }
        let row = try await db.sql().raw("SELECT id, password_hash, disabled FROM users WHERE username = \(bind: username)").first()
        let stored = try row.map { try $0.decode(column: "password_hash", as: String.self) }
        let cost = bcryptCost
        let hash = try await stored.asyncOr { try await NIOThreadPool.singleton.runIfActive { DummyHash.for(cost: cost) } }
        let verified = try await verify(password, hash: hash)
        guard verified, let row, try !row.decode(column: "disabled", as: Bool.self) else { throw DomainError.unauthorized }
        try await throttle.succeeded(buckets, now: now)
        let userId = try row.decode(column: "id", as: UUID.self)
        let token = Credentials.newSecret(prefix: "gzs_")
        let expires = now.addingTimeInterval(kind == .web ? Self.sessionLifetime : Self.tokenLifetime)
        let user = try await userInfo(userId, on: db)
        let ctx = AccessContext(actor: Actor(kind: .user, id: userId, label: username, grants: user.grants), source: kind.rawValue, address: address, now: now)
        try await db.transaction { tx in
            try await tx.sql().insert(into: "sessions").columns("id", "user_id", "token_hash", "kind", "expires_at", "revoked_at", "address", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(userId), Bind.text(Credentials.hash(token)), Bind.text(kind.rawValue), Bind.date(expires),
                         SQLLiteral.null, Bind.text(address), Bind.date(now), Bind.date(now)]).run()
            try await audit.record(ctx, action: "login", entity: "users", entityId: userId, districtId: user.grants.first?.districtId,
                                   before: nil, after: nil, on: tx)
        }
        let cookie = kind == .web ? try await throttle.remember(cookie: device, known: known, userId: userId, now: now) : nil
        return LoginResult(token: token, expiresAt: expires, user: user, deviceCookie: cookie)
    }

    /// The actor behind a credential, or nil when it is unknown, expired, revoked, its user is
    /// disabled, or it came by the wrong door: a session cookie is a web session, a bearer token
    /// an API token or an integration key — neither works as the other.
    func actor(forSecret secret: String, as kind: SessionKind, now: Date) async throws -> Actor? {
        let db = database.db
        let hash = Credentials.hash(secret)
        let key = kind.rawValue + ":" + hash
        if let known = sessions.actor(key, now: now) { return known }
        if secret.hasPrefix("gzk_") {
            guard kind == .api else { return nil }
            guard let row = try await db.sql().raw("""
                SELECT id, name, role, scope_id FROM api_keys WHERE key_hash = \(bind: hash) AND revoked_at IS NULL
                """).first(),
                let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
                // A key made before keys were refused persons' roles still acts for no one.
                PaperBallotRules.keyMayCarry(role)
            else { return nil }
            let id = try row.decode(column: "id", as: UUID.self)
            // Noted when the key is looked up, so at most once per cache lifetime.
            try await db.sql().raw("UPDATE api_keys SET last_used_at = \(bind: now) WHERE id = \(bind: id)").run()
            let grant = try await resolve(Grant(role: role, scopeId: try row.decode(column: "scope_id", as: UUID.self)), on: db)
            let actor = Actor(kind: .apiKey, id: id, label: "key:" + (try row.decode(column: "name", as: String.self)), grants: grant.map { [$0] } ?? [])
            sessions.remember(key, actor, now: now, expiresAt: nil)
            return actor
        }
        guard let row = try await db.sql().raw("""
            SELECT s.user_id, s.expires_at, u.username FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: hash) AND s.kind = \(bind: kind.rawValue) AND s.revoked_at IS NULL AND s.expires_at > \(bind: now)
            AND u.disabled = \(bind: false)
            """).first()
        else { return nil }
        let userId = try row.decode(column: "user_id", as: UUID.self)
        let info = try await userInfo(userId, on: db)
        let actor = Actor(kind: .user, id: userId, label: try row.decode(column: "username", as: String.self), grants: info.grants)
        sessions.remember(key, actor, now: now, expiresAt: try row.decode(column: "expires_at", as: Date.self))
        return actor
    }

    /// Revokes one session token.
    func revoke(token: String, now: Date) async throws {
        try await database.db.sql().raw("UPDATE sessions SET revoked_at = \(bind: now) WHERE token_hash = \(bind: Credentials.hash(token))").run()
        sessions.clear()
    }

    // MARK: - Users

    func userInfo(_ id: UUID, on db: any Database) async throws -> UserInfo {
        guard let row = try await db.sql().raw("SELECT username, display_name, language FROM users WHERE id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "users", id: id.uuidString.lowercased())
        }
        var grants: [Grant] = []
        for g in try await db.sql().raw("SELECT role, scope_id FROM role_grants WHERE user_id = \(bind: id) ORDER BY role").all() {
            guard let role = Role(rawValue: try g.decode(column: "role", as: String.self)) else { continue }
            if let resolved = try await resolve(Grant(role: role, scopeId: try g.decode(column: "scope_id", as: UUID.self)), on: db) {
                grants.append(resolved)
            }
        }
        return UserInfo(id: id, username: try row.decode(column: "username", as: String.self),
                        displayName: try row.decode(column: "display_name", as: String.self),
                        language: try row.decode(column: "language", as: String.self), grants: grants)
    }

    /// Fills in the district, street and community above a grant's scope; nil when the scope is gone.
    func resolve(_ grant: Grant, on db: any Database) async throws -> Grant? {
        var g = grant
        let id = grant.scopeId
        let query: SQLQueryString
        switch grant.role.scopeKind {
        case .district: query = "SELECT id AS d, NULL AS s, NULL AS c FROM districts WHERE id = \(bind: id)"
        case .street: query = "SELECT district_id AS d, id AS s, NULL AS c FROM streets WHERE id = \(bind: id)"
        case .community: query = "SELECT st.district_id AS d, st.id AS s, cm.id AS c FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = \(bind: id)"
        case .compound:
            query = "SELECT st.district_id AS d, st.id AS s, cm.id AS c FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE p.id = \(bind: id)"
        case .company: query = "SELECT district_id AS d, NULL AS s, NULL AS c FROM companies WHERE id = \(bind: id)"
        case .department: query = "SELECT district_id AS d, NULL AS s, NULL AS c FROM departments WHERE id = \(bind: id)"
        case .provider: query = "SELECT district_id AS d, street_id AS s, NULL AS c FROM service_providers WHERE id = \(bind: id)"
        case .owner: query = "SELECT district_id AS d, NULL AS s, NULL AS c FROM owners WHERE id = \(bind: id)"
        case .resident:
            query = """
                SELECT st.district_id AS d, NULL AS s, NULL AS c FROM residents r JOIN rooms rm ON rm.id = r.room_id JOIN entrances e ON e.id = rm.entrance_id
                JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id JOIN communities cm ON cm.id = p.community_id
                JOIN streets st ON st.id = cm.street_id WHERE r.id = \(bind: id)
                """
        }
        guard let row = try await db.sql().raw(query).first() else { return nil }
        g.districtId = try row.decode(column: "d", as: UUID?.self)
        g.streetId = try row.decode(column: "s", as: UUID?.self)
        g.communityId = try row.decode(column: "c", as: UUID?.self)
        return g
    }

    /// Creates a user with one role grant; the scope must exist and be of the role's kind.
    func createUser(_ ctx: AccessContext, username: String, password: String, displayName: String, role: Role, scopeId: UUID) async throws -> UUID {
        var errors = FieldErrors()
        let name = username.trimmingCharacters(in: .whitespaces)
        if !AccountRules.validUsername(name) {
            errors.add("username", "invalid_format", "a username is 3–40 letters, digits, dots, dashes or underscores")
        }
        if password.count < 8 { errors.add("password", "too_short", "a password needs at least 8 characters") }
        try errors.throwIfAny()
        let hashed = try await hash(password)
        let id = UUID.random()
        try await database.db.transaction { tx in
            if try await tx.sql().raw("SELECT id FROM users WHERE username = \(bind: name)").first() != nil {
                throw DomainError.conflict(code: "username_taken", message: "the username \(name) is taken")
            }
            guard let grant = try await resolve(Grant(role: role, scopeId: scopeId), on: tx) else {
                throw DomainError.invalid([FieldError(field: "scopeId", code: "unknown_reference", message: "no \(role.scopeKind.rawValue) has id \(scopeId.uuidString.lowercased())")])
            }
            if !Policy.mayAdminister(ctx.actor, district: grant.districtId) {
                throw DomainError.forbidden(reason: "only the district's admins may add its users")
            }
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "users").columns("id", "username", "password_hash", "display_name", "language", "disabled",
                                                              "password_changed_count", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(name), Bind.text(hashed), Bind.text(displayName), Bind.text("zh-Hans"), Bind.bool(false),
                         Bind.int(0), now, now]).run()
            try await tx.sql().insert(into: "role_grants").columns("id", "user_id", "role", "scope_id", "district_id", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(role.rawValue), Bind.uuid(scopeId), Bind.uuid(grant.districtId), now, now]).run()
            try await audit.record(ctx, action: "create", entity: "users", entityId: id, districtId: grant.districtId, before: nil,
                                   after: .object(["username": .string(name), "displayName": .string(displayName),
                                                   "role": .string(role.rawValue), "scopeId": .string(scopeId.uuidString.lowercased())]), on: tx)
        }
        return id
    }

    /// Sets a new password (after checking the current one unless `current` is nil, as for an admin reset)
    /// and ends the user's other sessions.
    func setPassword(_ ctx: AccessContext, userId: UUID, current: String?, new: String) async throws {
        try Self.validatePassword(new, field: "newPassword")
        let db = database.db
        guard let row = try await db.sql().raw("SELECT password_hash FROM users WHERE id = \(bind: userId)").first() else {
            throw DomainError.notFound(entity: "users", id: userId.uuidString.lowercased())
        }
        if let current, try !(await verify(current, hash: try row.decode(column: "password_hash", as: String.self))) {
            throw DomainError.invalid([FieldError(field: "currentPassword", code: "wrong_password", message: "the current password is wrong")])
        }
        let hashed = try await hash(new)
        try await db.transaction { tx in
            try await tx.sql().raw("""
                UPDATE users SET password_hash = \(bind: hashed), password_changed_count = password_changed_count + 1, updated_at = \(bind: ctx.now)
                WHERE id = \(bind: userId)
                """).run()
            try await tx.sql().raw("UPDATE sessions SET revoked_at = \(bind: ctx.now) WHERE user_id = \(bind: userId) AND revoked_at IS NULL").run()
            try await audit.record(ctx, action: "password", entity: "users", entityId: userId, districtId: nil, before: nil, after: nil, on: tx)
        }
        sessions.clear()
    }

    /// Disables or re-enables a user; disabling ends every session.
    func setDisabled(_ ctx: AccessContext, username: String, disabled: Bool) async throws {
        let db = database.db
        guard let row = try await db.sql().raw("SELECT id FROM users WHERE username = \(bind: username)").first() else {
            throw DomainError.notFound(entity: "users", id: username)
        }
        let id = try row.decode(column: "id", as: UUID.self)
        try await db.transaction { tx in
            try await tx.sql().raw("UPDATE users SET disabled = \(bind: disabled), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            if disabled { try await tx.sql().raw("UPDATE sessions SET revoked_at = \(bind: ctx.now) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run() }
            try await audit.record(ctx, action: disabled ? "disable" : "enable", entity: "users", entityId: id, districtId: nil,
                                   before: nil, after: .object(["disabled": .bool(disabled)]), on: tx)
        }
        sessions.clear()
    }

    /// Every user with their grants, for `gongzhi user list`.
    func listUsers() async throws -> [(username: String, displayName: String, disabled: Bool, grants: [(String, String)])] {
        let db = database.db
        var out: [(String, String, Bool, [(String, String)])] = []
        for u in try await db.sql().raw("SELECT id, username, display_name, disabled FROM users ORDER BY username").all() {
            let id = try u.decode(column: "id", as: UUID.self)
            let grants = try await db.sql().raw("SELECT role, scope_id FROM role_grants WHERE user_id = \(bind: id)").all().map {
                (try $0.decode(column: "role", as: String.self), try $0.decode(column: "scope_id", as: UUID.self).uuidString.lowercased())
            }
            out.append((try u.decode(column: "username", as: String.self), try u.decode(column: "display_name", as: String.self),
                        try u.decode(column: "disabled", as: Bool.self), grants))
        }
        return out
    }

    func userId(username: String) async throws -> UUID {
        guard let row = try await database.db.sql().raw("SELECT id FROM users WHERE username = \(bind: username)").first() else {
            throw DomainError.notFound(entity: "users", id: username)
        }
        return try row.decode(column: "id", as: UUID.self)
    }

    /// Remembers a user's page language.
    func setLanguage(userId: UUID, _ language: String) async throws {
        try await database.db.sql().raw("UPDATE users SET language = \(bind: language) WHERE id = \(bind: userId)").run()
    }
}

extension Optional where Wrapped: Sendable {
    /// The value, or the one `fallback` makes.
    func asyncOr(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await fallback()
    }
}

/// Authentication failures that are not plain domain errors.
enum AuthError: Error {
    /// Too many failed logins for the account, the address or the device (429): wait this many seconds.
    case tooManyAttempts(retryAfter: Int)
}

/// A bcrypt hash of nothing anyone knows, made once per cost: an unknown username is checked
/// against it so that it takes as long as a known one.
enum DummyHash {
    private static let hashes = Mutex<[UInt8: String]>([:])

    static func `for`(cost: UInt8) -> String {
        if let h = hashes.withLock({ $0[cost] }) { return h }
        let h = Bcrypt.hash(Credentials.newSecret(prefix: "dummy_"), cost: cost)
        hashes.withLock { $0[cost] = h }
        return h
    }
}
