import Crypto
import Domain
import FluentKit
import Foundation
import SQLKit

/// Smart property (智慧物业): devices at gates and entrances with their own keys, the events they
/// send (idempotent by the device's event id), alerts raised by `AlertRules` onto the command
/// centres' boards, access records, and visitors' passes. Devices are kept by staff over the
/// compound and its company (policy `devices`); alerts are read and acted on by staff over it
/// (`Policy.watchers`); persons appear only as keyed hashes.
struct SmartService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let requests: RequestService
    let whistle: WhistleService
    /// The installation's secret; persons' references are hashed with it (`person:` + reference).
    let key: [UInt8]
    let audit = AuditLog()
    var db: any Database { database.db }

    struct DeviceInput: Sendable {
        var kind: DeviceKind
        var name: String
        var place: String
        var buildingId: UUID?
        var vendor: String
        var model: String
    }

    /// The keyed hash of a person's reference: the same person hashes the same in one installation,
    /// and nothing leads back from it without the key.
    func personHash(_ reference: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("person:" + reference).utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The district, street and community of a compound.
    func place(compound: UUID, on db: any Database) async throws -> (district: UUID, street: UUID, community: UUID) {
        guard let row = try await db.sql().raw("""
            SELECT p.community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
            WHERE p.id = \(bind: compound)
            """).first() else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
        return (try row.decode(column: "district_id", as: UUID.self), try row.decode(column: "street_id", as: UUID.self), try row.decode(column: "community_id", as: UUID.self))
    }

    // MARK: - Settings

    func settings(district: UUID, on db: any Database) async throws -> SmartSettings {
        guard let row = try await db.sql().raw("SELECT * FROM smart_settings WHERE district_id = \(bind: district)").first() else { return .standard }
        func int(_ c: String) throws -> Int { Int(try row.decode(column: c, as: Int64.self)) }
        return SmartSettings(feverTenths: try int("fever_tenths"), confirmMinutes: try int("confirm_minutes"), offlineMinutes: try int("offline_minutes"),
                             denialCount: try int("denial_count"), denialWindowMinutes: try int("denial_window_minutes"), retentionDays: try int("retention_days"))
    }

    /// The district's settings, for anyone working in it.
    func settings(_ ctx: AccessContext, district: UUID) async throws -> SmartSettings {
        guard ctx.actor.isSystem || ctx.actor.grants.contains(where: { $0.districtId == district || ($0.role == .districtAdmin && $0.scopeId == district) }) else {
            throw DomainError.notFound(entity: "districts", id: district.text)
        }
        return try await settings(district: district, on: db)
    }

    func setSettings(_ ctx: AccessContext, district: UUID, _ s: SmartSettings) async throws -> SmartSettings {
        _ = try await settings(ctx, district: district)
        guard Policy.mayAdminister(ctx.actor, district: district) else { throw DomainError.forbidden(reason: "the district's admins set its thresholds") }
        let problems = s.problems()
        if !problems.isEmpty { throw DomainError.invalid(problems) }
        return try await db.transaction { tx in
            let before = try await settings(district: district, on: tx)
            try await tx.sql().raw("DELETE FROM smart_settings WHERE district_id = \(bind: district)").run()
            let now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "smart_settings").columns("id", "district_id", "fever_tenths", "confirm_minutes", "offline_minutes", "denial_count",
                                                                      "denial_window_minutes", "retention_days", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(district), Bind.int(s.feverTenths), Bind.int(s.confirmMinutes), Bind.int(s.offlineMinutes), Bind.int(s.denialCount),
                         Bind.int(s.denialWindowMinutes), Bind.int(s.retentionDays), now, now]).run()
            func json(_ s: SmartSettings) -> JSONValue {
                .object(["feverTenths": .int(Int64(s.feverTenths)), "confirmMinutes": .int(Int64(s.confirmMinutes)), "offlineMinutes": .int(Int64(s.offlineMinutes)),
                         "denialCount": .int(Int64(s.denialCount)), "denialWindowMinutes": .int(Int64(s.denialWindowMinutes)), "retentionDays": .int(Int64(s.retentionDays))])
            }
            try await audit.record(ctx, action: "update", entity: "smart-settings", entityId: district, districtId: district, before: json(before), after: json(s), on: tx)
            return s
        }
    }

    // MARK: - Devices

    func register(_ ctx: AccessContext, compound: UUID, _ input: DeviceInput) async throws -> (DeviceRecord, key: String) {
        let key = Credentials.newSecret(prefix: "gzd_")
        let record = try await db.transaction { tx in
            try await store.access.authorize(ctx, .create, "devices", inCompound: compound, on: tx)
            let p = try await place(compound: compound, on: tx)
            try await check(input, compound: compound, on: tx)
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "devices").columns("id", "district_id", "street_id", "community_id", "compound_id", "building_id", "kind", "name", "place",
                                                                "vendor", "model", "key_hash", "key_issued_at", "revoked_at", "last_seen_at", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(p.district), Bind.uuid(p.street), Bind.uuid(p.community), Bind.uuid(compound), Bind.uuid(input.buildingId),
                         Bind.text(input.kind.rawValue), Bind.text(input.name), Bind.text(input.place), Bind.text(input.vendor), Bind.text(input.model),
                         Bind.text(Credentials.hash(key)), now, SQLLiteral.null, SQLLiteral.null, now, now]).run()
            try await audit.record(ctx, action: "create", entity: "devices", entityId: id, districtId: p.district, before: nil,
                                   after: .object(["name": .string(input.name), "kind": .string(input.kind.rawValue), "place": .string(input.place)]), on: tx)
            return try await device(id, on: tx)
        }
        return (record, key)
    }

    func check(_ input: DeviceInput, compound: UUID, on db: any Database) async throws {
        var errors = FieldErrors()
        if input.name.trimmingCharacters(in: .whitespaces).isEmpty || input.name.count > 100 { errors.add("name", "required", "a name of at most 100 characters") }
        if input.place.trimmingCharacters(in: .whitespaces).isEmpty || input.place.count > 100 { errors.add("place", "required", "where it is (东门, 3号楼1单元), at most 100 characters") }
        if input.vendor.count > 100 { errors.add("vendor", "too_long", "at most 100 characters") }
        if input.model.count > 100 { errors.add("model", "too_long", "at most 100 characters") }
        if let b = input.buildingId, try await db.sql().raw("SELECT id FROM buildings WHERE id = \(bind: b) AND compound_id = \(bind: compound)").first() == nil {
            errors.add("buildingId", "unknown_reference", "a building of the compound")
        }
        try errors.throwIfAny()
    }

    func device(_ id: UUID, on db: any Database) async throws -> DeviceRecord {
        guard let row = try await db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE d.id = \(bind: id)").first() else { throw DomainError.notFound(entity: "devices", id: id.text) }
        return try DeviceRecord(row: row)
    }

    /// One device, for whoever sees its compound's devices.
    func device(_ ctx: AccessContext, id: UUID) async throws -> DeviceRecord {
        let d = try await device(id, on: db)
        do { try await store.access.authorizeWatch(ctx, "access-records", inCompound: d.compoundId, on: db) } catch { throw DomainError.notFound(entity: "devices", id: id.text) }
        return d
    }

    /// A compound's devices: staff over it and its company.
    func devices(_ ctx: AccessContext, compound: UUID) async throws -> [DeviceRecord] {
        try await store.access.authorizeWatch(ctx, "access-records", inCompound: compound, on: db)
        return try await db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE d.compound_id = \(bind: compound) ORDER BY d.place, d.name").all().map { try DeviceRecord(row: $0) }
    }

    /// The devices of every compound the caller watches (the first 2,000, by compound and place).
    func devices(_ ctx: AccessContext) async throws -> [DeviceRecord] {
        try await db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE " + Self.watched(ctx, "access-records", alias: "d") + " ORDER BY p.name, d.place, d.name LIMIT 2000")
            .all().map { try DeviceRecord(row: $0) }
    }

    func update(_ ctx: AccessContext, id: UUID, _ input: DeviceInput) async throws -> DeviceRecord {
        try await db.transaction { tx in
            let old = try await device(id, on: tx)
            try await keep(ctx, old, on: tx)
            if input.kind != old.kind { throw DomainError.invalid([FieldError(field: "kind", code: "immutable", message: "a device's kind does not change; register the new one")]) }
            try await check(input, compound: old.compoundId, on: tx)
            try await tx.sql().raw("""
                UPDATE devices SET name = \(bind: input.name), place = \(bind: input.place), building_id = \(bind: input.buildingId), vendor = \(bind: input.vendor),
                model = \(bind: input.model), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "update", entity: "devices", entityId: id, districtId: old.districtId,
                                   before: .object(["name": .string(old.name), "place": .string(old.place)]), after: .object(["name": .string(input.name), "place": .string(input.place)]), on: tx)
            return try await device(id, on: tx)
        }
    }

    /// Allows changing a device (its details, its key): 404 when its compound's devices are not the caller's to see, 403 when only seen.
    func keep(_ ctx: AccessContext, _ d: DeviceRecord, on db: any Database) async throws {
        do { try await store.access.authorizeWatch(ctx, "access-records", inCompound: d.compoundId, on: db) } catch { throw DomainError.notFound(entity: "devices", id: d.id.text) }
        try await store.access.authorize(ctx, .update, "devices", inCompound: d.compoundId, on: db)
    }

    /// A new key for the device (the old one stops working at once); shown once.
    func reissueKey(_ ctx: AccessContext, id: UUID) async throws -> (DeviceRecord, key: String) {
        let key = Credentials.newSecret(prefix: "gzd_")
        let d = try await db.transaction { tx in
            let d = try await device(id, on: tx)
            try await keep(ctx, d, on: tx)
            try await tx.sql().raw("""
                UPDATE devices SET key_hash = \(bind: Credentials.hash(key)), key_issued_at = \(bind: ctx.now), revoked_at = NULL, updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "reissue-key", entity: "devices", entityId: id, districtId: d.districtId, before: nil, after: nil, on: tx)
            return try await device(id, on: tx)
        }
        return (d, key)
    }

    /// Revokes the device's key: its batches are refused (401) from now on; its records stay.
    func revokeKey(_ ctx: AccessContext, id: UUID) async throws -> DeviceRecord {
        try await db.transaction { tx in
            let d = try await device(id, on: tx)
            try await keep(ctx, d, on: tx)
            if d.revokedAt != nil { throw DomainError.conflict(code: "already_revoked", message: "the device's key is already revoked") }
            try await tx.sql().raw("UPDATE devices SET revoked_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "revoke-key", entity: "devices", entityId: id, districtId: d.districtId, before: nil, after: nil, on: tx)
            return try await device(id, on: tx)
        }
    }

    /// The device a key belongs to, unless revoked.
    func device(key: String) async throws -> DeviceRecord? {
        guard key.hasPrefix("gzd_") else { return nil }
        guard let row = try await db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE d.key_hash = \(bind: Credentials.hash(key)) AND d.revoked_at IS NULL").first() else { return nil }
        return try DeviceRecord(row: row)
    }

    // MARK: - Scope

    /// The rows (alias with district_id, street_id, community_id, compound_id) inside the caller's watch of `collection`.
    static func watched(_ ctx: AccessContext, _ collection: String, alias a: String) -> SQLQueryString {
        if ctx.actor.isSystem { return "1=1" }
        let roles = Policy.watchers[collection] ?? []
        var parts: [SQLQueryString] = []
        for g in ctx.actor.grants where roles.contains(g.role) {
            switch g.role {
            case .districtAdmin: parts.append("\(unsafeRaw: a).district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("\(unsafeRaw: a).street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("\(unsafeRaw: a).community_id = \(bind: g.scopeId)")
            case .companyStaff:
                parts.append("""
                    \(unsafeRaw: a).compound_id IN (SELECT kx.compound_id FROM contracts kx WHERE kx.company_id = \(bind: g.scopeId) AND kx.starts_on <= \(bind: ctx.today)
                    AND (kx.ends_on IS NULL OR kx.ends_on >= \(bind: ctx.today)))
                    """)
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }
}
