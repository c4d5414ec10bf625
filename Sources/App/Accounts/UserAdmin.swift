import Domain
import FluentKit
import Foundation
import SQLKit

/// An account as a district admin sees it: its roles with the names of their scopes.
struct AccountRecord: Sendable {
    struct GrantRecord: Sendable {
        let id: UUID
        let role: Role
        let scopeId: UUID
        let scopeName: String
        let districtId: UUID?
    }

    let id: UUID
    let username: String
    let displayName: String
    let disabled: Bool
    /// Flagged a party member (党员): may put neighbours' disputes on the branch's list.
    var partyMember = false
    let createdAt: Date
    let lastLoginAt: Date?
    let grants: [GrantRecord]
}

/// Accounts managed by a district's admins, on pages and in the API: list and find, create with a
/// role, disable and re-enable, reset a password, add and remove roles. An admin sees an account
/// when one of its roles lies in their district and manages it when all do (`AccountRules`);
/// every change is audited on its own transaction and ends sessions where it must.
struct UserAdmin: Sendable {
    let auth: AuthService
    let audit = AuditLog()
    var db: any Database { auth.database.db }

    static func districts(_ ctx: AccessContext) -> Set<UUID> {
        Set(ctx.actor.grants.filter { $0.role == .districtAdmin }.map(\.scopeId))
    }

    /// Accounts with a role in the admin's districts whose username or name contains `q`, by username.
    func list(_ ctx: AccessContext, q: String?, limit: Int, offset: Int) async throws -> (items: [AccountRecord], total: Int) {
        let districts = Self.districts(ctx)
        guard !districts.isEmpty else { throw DomainError.forbidden(reason: "only district admins manage accounts") }
        var filter: SQLQueryString = "g.district_id IN " + SQLIDs.list(districts)
        if let q = q?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            filter = filter + " AND (" + SQLSearch.contains("u.username", q) + " OR " + SQLSearch.contains("u.display_name", q) + ")"
        }
        let total = try await db.sql().raw("SELECT COUNT(DISTINCT u.id) AS n FROM users u JOIN role_grants g ON g.user_id = u.id WHERE " + filter)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let ids = try await db.sql().raw("""
            SELECT u.id, u.username FROM users u WHERE u.id IN (SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE
            """ + " " + filter + ") ORDER BY u.username LIMIT \(bind: limit) OFFSET \(bind: offset)").all().map { try $0.decode(column: "id", as: UUID.self) }
        var items: [AccountRecord] = []
        for id in ids { items.append(try await load(id, on: db)) }
        return (items, total)
    }

    /// One account, if the admin sees it (else 404).
    func get(_ ctx: AccessContext, _ id: UUID, on db: (any Database)? = nil) async throws -> AccountRecord {
        let record = try await load(id, on: db ?? self.db)
        guard record.grants.contains(where: { $0.districtId.map(Self.districts(ctx).contains) ?? false }) else {
            throw DomainError.notFound(entity: "users", id: id.text)
        }
        return record
    }

    func load(_ id: UUID, on db: any Database) async throws -> AccountRecord {
        guard let u = try await db.sql().raw("SELECT username, display_name, disabled, party_member, created_at FROM users WHERE id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "users", id: id.text)
        }
        var grants: [AccountRecord.GrantRecord] = []
        for g in try await db.sql().raw("SELECT id, role, scope_id, district_id FROM role_grants WHERE user_id = \(bind: id) ORDER BY created_at, id").all() {
            guard let role = Role(rawValue: try g.decode(column: "role", as: String.self)) else { continue }
            let scope = try g.decode(column: "scope_id", as: UUID.self)
            grants.append(.init(id: try g.decode(column: "id", as: UUID.self), role: role, scopeId: scope,
                                scopeName: try await scopeName(role, scope, on: db), districtId: try g.decode(column: "district_id", as: UUID?.self)))
        }
        let login = try await db.sql().raw("SELECT MAX(created_at) AS t FROM sessions WHERE user_id = \(bind: id)").first()?.decode(column: "t", as: Date?.self)
        return AccountRecord(id: id, username: try u.decode(column: "username", as: String.self), displayName: try u.decode(column: "display_name", as: String.self),
                             disabled: try u.decode(column: "disabled", as: Bool.self), partyMember: try u.decode(column: "party_member", as: Bool?.self) ?? false,
                             createdAt: try u.decode(column: "created_at", as: Date.self), lastLoginAt: login, grants: grants)
    }

    /// The name of what a role is granted on, as a person reads it.
    func scopeName(_ role: Role, _ id: UUID, on db: any Database) async throws -> String {
        let query: SQLQueryString = switch role.scopeKind {
        case .district: "SELECT name FROM districts WHERE id = \(bind: id)"
        case .street: "SELECT name FROM streets WHERE id = \(bind: id)"
        case .community: "SELECT st.name || ' · ' || cm.name AS name FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = \(bind: id)"
        case .compound: "SELECT cm.name || ' · ' || p.name AS name FROM compounds p JOIN communities cm ON cm.id = p.community_id WHERE p.id = \(bind: id)"
        case .company: "SELECT name FROM companies WHERE id = \(bind: id)"
        case .department: "SELECT name FROM departments WHERE id = \(bind: id)"
        case .owner: "SELECT name FROM owners WHERE id = \(bind: id)"
        case .resident: "SELECT name FROM residents WHERE id = \(bind: id)"
        case .provider: "SELECT name FROM service_providers WHERE id = \(bind: id)"
        }
        return try await db.sql().raw(query).first()?.decode(column: "name", as: String.self) ?? id.text
    }

    /// Up to 50 scopes of the admin's districts a role could be granted on, matching `find`
    /// (a name; for owners and residents also a phone), with their names.
    func scopeOptions(_ ctx: AccessContext, role: Role, find: String?) async throws -> [(id: UUID, label: String)] {
        let districts = SQLIDs.list(Self.districts(ctx))
        let words = find?.trimmingCharacters(in: .whitespaces) ?? ""
        func match(_ columns: String...) -> SQLQueryString {
            words.isEmpty ? "1=1" : "(" + columns.map { SQLSearch.contains($0, words) }.joined(separator: " OR ") + ")"
        }
        let query: SQLQueryString = switch role.scopeKind {
        case .district: "SELECT id, name AS label FROM districts WHERE id IN " + districts + " ORDER BY name"
        case .street: "SELECT id, name AS label FROM streets WHERE district_id IN " + districts + " AND " + match("name") + " ORDER BY name"
        case .community:
            "SELECT cm.id, st.name || ' · ' || cm.name AS label FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE st.district_id IN " + districts
                + " AND " + match("cm.name", "st.name") + " ORDER BY st.name, cm.name"
        case .compound:
            "SELECT p.id, cm.name || ' · ' || p.name AS label FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE st.district_id IN "
                + districts + " AND " + match("p.name", "p.address", "cm.name") + " ORDER BY cm.name, p.name"
        case .company: "SELECT id, name AS label FROM companies WHERE district_id IN " + districts + " AND " + match("name") + " ORDER BY name"
        case .department: "SELECT id, name AS label FROM departments WHERE district_id IN " + districts + " AND " + match("name") + " ORDER BY name"
        case .owner:
            "SELECT id, name || COALESCE(' · ' || phone, '') AS label FROM owners WHERE district_id IN " + districts + " AND " + match("name", "phone") + " ORDER BY name"
        case .resident:
            """
            SELECT r.id, r.name || ' · ' || p.name || ' ' || b.number || ' ' || e.number || ' ' || rm.number AS label FROM residents r
            JOIN rooms rm ON rm.id = r.room_id JOIN entrances e ON e.id = rm.entrance_id JOIN buildings b ON b.id = e.building_id
            JOIN compounds p ON p.id = b.compound_id JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
            WHERE st.district_id IN
            """ + " " + districts + " AND " + match("r.name", "r.phone") + " ORDER BY r.name"
        case .provider: "SELECT id, name AS label FROM service_providers WHERE district_id IN " + districts + " AND " + match("name") + " ORDER BY name"
        }
        // Owners and residents are found, never listed whole.
        if [.owner, .resident].contains(role.scopeKind) && words.isEmpty { return [] }
        return try await db.sql().raw(query + " LIMIT 50").all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "label", as: String.self)) }
    }

    func create(_ ctx: AccessContext, username: String, displayName: String, password: String, role: Role, scopeId: UUID) async throws -> AccountRecord {
        var errors = FieldErrors()
        if displayName.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("displayName", "required", "the person's name is required") }
        try errors.throwIfAny()
        let id = try await auth.createUser(ctx, username: username, password: password, displayName: displayName.trimmingCharacters(in: .whitespaces),
                                           role: role, scopeId: scopeId)
        return try await load(id, on: db)
    }

    static func refuse(_ refusal: AccountRules.Refusal) -> DomainError {
        switch refusal {
        case .ownAccount: .conflict(code: refusal.rawValue, message: "you may not disable your own account")
        case .lastGrant: .conflict(code: refusal.rawValue, message: "an account keeps at least one role; disable it instead")
        case .duplicateGrant: .conflict(code: refusal.rawValue, message: "the account has this role on this scope already")
        case .otherDistrict: .forbidden(reason: "the account has roles in another district: its admins manage it with you")
        case .unchanged: .conflict(code: refusal.rawValue, message: "the account is already so")
        }
    }

    /// Disables (ending every session) or re-enables an account.
    func setDisabled(_ ctx: AccessContext, _ id: UUID, disabled: Bool) async throws -> AccountRecord {
        // Whoever was signed in on this account is looked up afresh on their next call.
        defer { auth.sessions.clear() }
        return try await db.transaction { tx in
            let user = try await get(ctx, id, on: tx)
            if let refusal = AccountRules.maySetDisabled(admin: ctx.actor.id, target: id, disabled: disabled, isDisabled: user.disabled,
                                                         targetDistricts: user.grants.map(\.districtId), adminDistricts: Self.districts(ctx)) {
                throw Self.refuse(refusal)
            }
            try await tx.sql().raw("UPDATE users SET disabled = \(bind: disabled), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            if disabled { try await tx.sql().raw("UPDATE sessions SET revoked_at = \(bind: ctx.now) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run() }
            try await audit.record(ctx, action: disabled ? "disable" : "enable", entity: "users", entityId: id, districtId: user.grants.first?.districtId,
                                   before: .object(["disabled": .bool(user.disabled)]), after: .object(["disabled": .bool(disabled)]), on: tx)
            return try await load(id, on: tx)
        }
    }

    /// Flags the account a party member (党员) or not; the disputes capability reads the flag.
    func setPartyMember(_ ctx: AccessContext, _ id: UUID, _ flag: Bool) async throws -> AccountRecord {
        // Whoever was signed in on this account is looked up afresh on their next call.
        defer { auth.sessions.clear() }
        return try await db.transaction { tx in
            let user = try await get(ctx, id, on: tx)
            if let refusal = AccountRules.mayManage(targetDistricts: user.grants.map(\.districtId), adminDistricts: Self.districts(ctx)) { throw Self.refuse(refusal) }
            try await tx.sql().raw("UPDATE users SET party_member = \(bind: flag), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "update", entity: "users", entityId: id, districtId: user.grants.first?.districtId,
                                   before: .object(["partyMember": .bool(user.partyMember)]), after: .object(["partyMember": .bool(flag)]), on: tx)
            return try await load(id, on: tx)
        }
    }

    /// Sets a new password chosen by the admin (to hand over in person) and ends the account's sessions.
    func resetPassword(_ ctx: AccessContext, _ id: UUID, password: String) async throws {
        // Whoever was signed in on this account is looked up afresh on their next call.
        defer { auth.sessions.clear() }
        try AuthService.validatePassword(password, field: "password")
        let hashed = try await auth.hash(password)
        try await db.transaction { tx in
            let user = try await get(ctx, id, on: tx)
            if let refusal = AccountRules.mayManage(targetDistricts: user.grants.map(\.districtId), adminDistricts: Self.districts(ctx)) { throw Self.refuse(refusal) }
            try await tx.sql().raw("""
                UPDATE users SET password_hash = \(bind: hashed), password_changed_count = password_changed_count + 1, updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await tx.sql().raw("UPDATE sessions SET revoked_at = \(bind: ctx.now) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run()
            try await audit.record(ctx, action: "reset-password", entity: "users", entityId: id, districtId: user.grants.first?.districtId,
                                   before: nil, after: nil, on: tx)
        }
    }

    /// Adds a role on a scope of the admin's district to an account the admin sees.
    func grant(_ ctx: AccessContext, _ id: UUID, role: Role, scopeId: UUID) async throws -> AccountRecord {
        // Whoever was signed in on this account is looked up afresh on their next call.
        defer { auth.sessions.clear() }
        return try await db.transaction { tx in
            let user = try await get(ctx, id, on: tx)
            guard let grant = try await auth.resolve(Grant(role: role, scopeId: scopeId), on: tx) else {
                throw DomainError.invalid([FieldError(field: "scopeId", code: "unknown_reference", message: "no \(role.scopeKind.rawValue) has id \(scopeId.text)")])
            }
            guard let district = grant.districtId, Self.districts(ctx).contains(district) else {
                throw DomainError.invalid([FieldError(field: "scopeId", code: "unknown_reference", message: "the scope is not in your district")])
            }
            if user.grants.contains(where: { $0.role == role && $0.scopeId == scopeId }) { throw Self.refuse(.duplicateGrant) }
            let grantId = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "role_grants").columns("id", "user_id", "role", "scope_id", "district_id", "created_at", "updated_at")
                .values([Bind.uuid(grantId), Bind.uuid(id), Bind.text(role.rawValue), Bind.uuid(scopeId), Bind.uuid(district), now, now]).run()
            try await audit.record(ctx, action: "grant", entity: "users", entityId: id, districtId: district, before: nil,
                                   after: .object(["role": .string(role.rawValue), "scopeId": .string(scopeId.text)]), on: tx)
            return try await load(id, on: tx)
        }
    }

    /// Removes one role (never the last) that lies in the admin's district.
    func revoke(_ ctx: AccessContext, grant grantId: UUID) async throws -> AccountRecord {
        // Whoever was signed in on this account is looked up afresh on their next call.
        defer { auth.sessions.clear() }
        return try await db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT user_id, role, scope_id, district_id FROM role_grants WHERE id = \(bind: grantId)").first(),
                  let district = try row.decode(column: "district_id", as: UUID?.self), Self.districts(ctx).contains(district)
            else { throw DomainError.notFound(entity: "role-grants", id: grantId.text) }
            let userId = try row.decode(column: "user_id", as: UUID.self)
            let count = try await tx.sql().raw("SELECT COUNT(*) AS n FROM role_grants WHERE user_id = \(bind: userId)").first()?.decode(column: "n", as: Int.self) ?? 0
            if let refusal = AccountRules.mayRevoke(grantCount: count) { throw Self.refuse(refusal) }
            try await tx.sql().raw("DELETE FROM role_grants WHERE id = \(bind: grantId)").run()
            try await audit.record(ctx, action: "revoke", entity: "users", entityId: userId, districtId: district,
                                   before: .object(["role": .string(try row.decode(column: "role", as: String.self)),
                                                    "scopeId": .string(try row.decode(column: "scope_id", as: UUID.self).text)]), after: nil, on: tx)
            return try await load(userId, on: tx)
        }
    }
}
