import Domain
import FluentKit
import Foundation
import SQLKit

/// Long-lived keys for integrations (the 12345 import, Open311 clients, devices): shown once,
/// stored as a hash, listed and revoked by the district's admins.
extension AuthService {
    func createApiKey(_ ctx: AccessContext, name: String, role: Role, scopeId: UUID) async throws -> (id: UUID, key: String) {
        var errors = FieldErrors()
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.count > 100 { errors.add("name", "required", "name is required (at most 100 characters)") }
        if !PaperBallotRules.keyMayCarry(role) { errors.add("role", "person_role", "integration keys act for systems; owners, residents and committee members sign in themselves") }
        try errors.throwIfAny()
        let key = Credentials.newSecret(prefix: "gzk_")
        let id = UUID.random()
        try await database.db.transaction { tx in
            guard let grant = try await resolve(Grant(role: role, scopeId: scopeId), on: tx) else {
                throw DomainError.invalid([FieldError(field: "scopeId", code: "unknown_reference", message: "no \(role.scopeKind.rawValue) has id \(scopeId.uuidString.lowercased())")])
            }
            guard Policy.mayAdminister(ctx.actor, district: grant.districtId) else {
                throw DomainError.forbidden(reason: "only the district's admins may issue its keys")
            }
            try await tx.sql().insert(into: "api_keys").columns("id", "name", "key_hash", "role", "scope_id", "created_by", "revoked_at", "last_used_at",
                                                                 "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(trimmed), Bind.text(Credentials.hash(key)), Bind.text(role.rawValue), Bind.uuid(scopeId),
                         Bind.uuid(ctx.actor.kind == .user ? ctx.actor.id : nil), SQLLiteral.null, SQLLiteral.null, Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: "create", entity: "api-keys", entityId: id, districtId: grant.districtId, before: nil,
                                   after: .object(["name": .string(trimmed), "role": .string(role.rawValue), "scopeId": .string(scopeId.uuidString.lowercased())]),
                                   on: tx)
        }
        return (id, key)
    }

    /// Keys whose scope lies in a district the actor administers (never the key itself).
    func listApiKeys(_ ctx: AccessContext) async throws -> [ApiKeyAnswer] {
        var out: [ApiKeyAnswer] = []
        for row in try await database.db.sql().raw("SELECT id, name, role, scope_id, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at").all() {
            guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
                  let grant = try await resolve(Grant(role: role, scopeId: try row.decode(column: "scope_id", as: UUID.self)), on: database.db),
                  Policy.mayAdminister(ctx.actor, district: grant.districtId)
            else { continue }
            let revoked = try row.decode(column: "revoked_at", as: Date?.self)
            let used = try row.decode(column: "last_used_at", as: Date?.self)
            out.append(ApiKeyAnswer(id: try row.decode(column: "id", as: UUID.self).text, name: try row.decode(column: "name", as: String.self),
                                    role: role.rawValue, scopeId: grant.scopeId.text,
                                    createdAt: Timestamp.iso(try row.decode(column: "created_at", as: Date.self)),
                                    revokedAt: revoked.map(Timestamp.iso), lastUsedAt: used.map(Timestamp.iso)))
        }
        return out
    }

    func revokeApiKey(_ ctx: AccessContext, id: UUID) async throws {
        try await database.db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT role, scope_id, revoked_at FROM api_keys WHERE id = \(bind: id)").first(),
                  let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
                  let grant = try await resolve(Grant(role: role, scopeId: try row.decode(column: "scope_id", as: UUID.self)), on: tx),
                  Policy.mayAdminister(ctx.actor, district: grant.districtId)
            else { throw DomainError.notFound(entity: "api-keys", id: id.uuidString.lowercased()) }
            if try row.decode(column: "revoked_at", as: Date?.self) != nil {
                throw DomainError.conflict(code: "already_revoked", message: "the key is already revoked")
            }
            try await tx.sql().raw("UPDATE api_keys SET revoked_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "revoke", entity: "api-keys", entityId: id, districtId: grant.districtId, before: nil, after: nil, on: tx)
        }
        sessions.clear()
    }
}
