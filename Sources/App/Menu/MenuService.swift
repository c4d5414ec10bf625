import Domain
import FluentKit
import Foundation
import SQLKit

/// Menu services (大小物业): providers (a compound's big property, a building's small property, a
/// street's repair teams and listed vendors), each compound's rule of who serves which part, the
/// catalogue per compound and per street, and orders routed by `MenuRules.route`. Providers,
/// rules and the catalogue are kept by community, street and district staff (policy `menu`).
struct MenuService: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let requests: RequestService
    let audit = AuditLog()
    var db: any Database { database.db }

    struct ItemInput: Sendable {
        var streetId: UUID?
        var compoundId: UUID?
        var providerId: UUID?
        var part: ServicePart
        var name: String
        var description: String
        var priceMin: Int64
        var priceMax: Int64?
        var minutes: Int64
        var active: Bool
    }

    // MARK: - Who keeps what

    /// Whether the caller keeps the street's menu (its staff, the district's).
    func keepsStreet(_ ctx: AccessContext, street: UUID, on db: any Database) async throws -> UUID {
        guard let district = try await db.sql().raw("SELECT district_id FROM streets WHERE id = \(bind: street)").first()?.decode(column: "district_id", as: UUID.self) else {
            throw DomainError.invalid([FieldError(field: "streetId", code: "unknown_reference", message: "no street has id \(street.text)")])
        }
        let keeps = Policy.isStaffOver(ctx.actor, district: district, street: street, community: nil)
        guard keeps else {
            let sees = ctx.actor.grants.contains { $0.streetId == street || $0.districtId == district }
            if sees { throw DomainError.forbidden(reason: "the street's staff keep its menu") }
            throw DomainError.notFound(entity: "streets", id: street.text)
        }
        return district
    }

    /// The street and district of a compound.
    func place(compound: UUID, on db: any Database) async throws -> (district: UUID, street: UUID, community: UUID)? {
        guard let row = try await db.sql().raw("""
            SELECT p.community_id, cm.street_id, st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
            WHERE p.id = \(bind: compound)
            """).first() else { return nil }
        return (try row.decode(column: "district_id", as: UUID.self), try row.decode(column: "street_id", as: UUID.self), try row.decode(column: "community_id", as: UUID.self))
    }

    // MARK: - Providers

    func addProvider(_ ctx: AccessContext, street: UUID?, compound: UUID?, kind: ProviderKind, name: String, phone: String?, company: UUID?) async throws -> ProviderRecord {
        try await db.transaction { tx in
            var streetId = street, district: UUID
            if let compound {
                try await store.access.authorize(ctx, .create, "menu", inCompound: compound, on: tx)
                guard let p = try await place(compound: compound, on: tx) else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
                if let street, street != p.street {
                    throw DomainError.invalid([FieldError(field: "streetId", code: "mismatch", message: "the compound lies in another street")])
                }
                streetId = p.street; district = p.district
            } else if let street {
                district = try await keepsStreet(ctx, street: street, on: tx)
            } else {
                throw DomainError.invalid([FieldError(field: "streetId", code: "required", message: "a provider serves a street (repair teams, vendors) or a compound")])
            }
            var errors = FieldErrors()
            if [.bigProperty, .smallProperty].contains(kind) && compound == nil { errors.add("compoundId", "required", "a big or small property serves one compound") }
            if let company, try await tx.sql().raw("SELECT id FROM companies WHERE id = \(bind: company) AND district_id = \(bind: district)").first() == nil {
                errors.add("companyId", "unknown_reference", "a company of this district")
            }
            try errors.throwIfAny()
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "service_providers").columns("id", "district_id", "street_id", "compound_id", "kind", "name", "phone", "company_id", "active",
                                                                         "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(district), Bind.uuid(streetId!), Bind.uuid(compound), Bind.text(kind.rawValue), Bind.text(name), Bind.text(phone),
                         Bind.uuid(company), Bind.bool(true), now, now]).run()
            try await audit.record(ctx, action: "create", entity: "service-providers", entityId: id, districtId: district, before: nil,
                                   after: .object(["name": .string(name), "kind": .string(kind.rawValue)]), on: tx)
            return try await provider(id, on: tx)
        }
    }

    func provider(_ id: UUID, on db: any Database) async throws -> ProviderRecord {
        guard let row = try await db.sql().raw("SELECT * FROM service_providers WHERE id = \(bind: id)").first() else { throw DomainError.notFound(entity: "service-providers", id: id.text) }
        return try ProviderRecord(row: row)
    }

    /// Providers the caller sees: staff over their area, a provider itself, a company its own.
    static func visibleProviders(_ actor: Actor) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("sp.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("sp.street_id = \(bind: g.scopeId)")
            case .communityStaff: if let s = g.streetId { parts.append("sp.street_id = \(bind: s)") }
            case .serviceProvider: parts.append("sp.id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("sp.company_id = \(bind: g.scopeId)")
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    func providers(_ ctx: AccessContext, street: UUID? = nil, compound: UUID? = nil) async throws -> [ProviderRecord] {
        var filter = Self.visibleProviders(ctx.actor)
        if let street { filter = filter + " AND sp.street_id = \(bind: street)" }
        if let compound { filter = filter + " AND (sp.compound_id = \(bind: compound) OR sp.compound_id IS NULL)" }
        return try await db.sql().raw("SELECT sp.* FROM service_providers sp WHERE " + filter + " ORDER BY sp.kind, sp.name LIMIT 500").all().map { try ProviderRecord(row: $0) }
    }

    /// The providers that may serve a compound (its own and its street's), for its page and rule;
    /// the caller has been allowed to read the compound's catalogue.
    func providers(serving compound: UUID) async throws -> [ProviderRecord] {
        guard let p = try await place(compound: compound, on: db) else { return [] }
        return try await db.sql().raw("""
            SELECT * FROM service_providers WHERE street_id = \(bind: p.street) AND (compound_id IS NULL OR compound_id = \(bind: compound)) ORDER BY kind, name
            """).all().map { try ProviderRecord(row: $0) }
    }

    /// Whether the caller acts for the provider (its account, or staff of its company).
    static func actsFor(_ actor: Actor, providerId: UUID, companyId: UUID?) -> Bool {
        actor.grants.contains { ($0.role == .serviceProvider && $0.scopeId == providerId) || ($0.role == .companyStaff && companyId != nil && $0.scopeId == companyId) }
    }

    // MARK: - Routing

    /// The compound's rule: its big property, and each building's small property.
    func routing(compound: UUID, on db: any Database) async throws -> ServiceRouting {
        var rule = ServiceRouting(bigProperty: nil)
        for row in try await db.sql().raw("SELECT building_id, provider_id FROM service_assignments WHERE compound_id = \(bind: compound)").all() {
            let provider = try row.decode(column: "provider_id", as: UUID.self)
            if let b = try row.decode(column: "building_id", as: UUID?.self) { rule.smallProperty[b] = provider } else { rule.bigProperty = provider }
        }
        return rule
    }

    /// Sets the compound's rule whole: the big property and the small property of each building named.
    func setRouting(_ ctx: AccessContext, compound: UUID, big: UUID?, small: [UUID: UUID]) async throws -> ServiceRouting {
        try await db.transaction { tx in
            try await store.access.authorize(ctx, .update, "menu", inCompound: compound, on: tx)
            guard let p = try await place(compound: compound, on: tx) else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
            var errors = FieldErrors()
            func provider(_ id: UUID, _ field: String) async throws {
                let ok = try await tx.sql().raw("""
                    SELECT id FROM service_providers WHERE id = \(bind: id) AND street_id = \(bind: p.street) AND (compound_id IS NULL OR compound_id = \(bind: compound))
                    """).first() != nil
                if !ok { errors.add(field, "unknown_reference", "a provider of this compound or its street") }
            }
            if let big { try await provider(big, "bigPropertyId") }
            for (i, (building, providerId)) in small.sorted(by: { $0.key.uuidString < $1.key.uuidString }).enumerated() {
                if try await tx.sql().raw("SELECT id FROM buildings WHERE id = \(bind: building) AND compound_id = \(bind: compound)").first() == nil {
                    errors.add("buildings[\(i)].buildingId", "unknown_reference", "a building of the compound")
                }
                try await provider(providerId, "buildings[\(i)].providerId")
            }
            try errors.throwIfAny()
            try await tx.sql().raw("DELETE FROM service_assignments WHERE compound_id = \(bind: compound)").run()
            let now = Bind.date(ctx.now)
            var rows: [[any SQLExpression]] = []
            if let big { rows.append([Bind.uuid(UUID.random()), Bind.uuid(compound), SQLLiteral.null, Bind.uuid(big), now, now]) }
            for (b, s) in small { rows.append([Bind.uuid(UUID.random()), Bind.uuid(compound), Bind.uuid(b), Bind.uuid(s), now, now]) }
            if !rows.isEmpty {
                try await tx.sql().insert(into: "service_assignments").columns("id", "compound_id", "building_id", "provider_id", "created_at", "updated_at").rows(rows).run()
            }
            try await audit.record(ctx, action: "update", entity: "service-routing", entityId: compound, districtId: p.district, before: nil,
                                   after: .object(["bigProperty": big.map { .string($0.text) } ?? .null, "buildings": .int(Int64(small.count))]), on: tx)
            return try await routing(compound: compound, on: tx)
        }
    }

    // MARK: - Catalogue

    func saveItem(_ ctx: AccessContext, id existing: UUID?, _ input: ItemInput) async throws -> MenuItemRecord {
        try await db.transaction { tx in
            var input = input
            var old: MenuItemRecord?
            if let existing {
                guard let row = try await tx.sql().raw("\(unsafeRaw: MenuItemRecord.select) WHERE i.id = \(bind: existing)").first() else {
                    throw DomainError.notFound(entity: "menu-items", id: existing.text)
                }
                old = try MenuItemRecord(row: row)
                input.compoundId = old!.compoundId; input.streetId = old!.streetId
            }
            let street: UUID, district: UUID
            if let compound = input.compoundId {
                try await store.access.authorize(ctx, existing == nil ? .create : .update, "menu", inCompound: compound, on: tx)
                guard let p = try await place(compound: compound, on: tx) else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
                street = p.street; district = p.district
            } else if let s = input.streetId {
                district = try await keepsStreet(ctx, street: s, on: tx); street = s
            } else {
                throw DomainError.invalid([FieldError(field: "compoundId", code: "required", message: "a compound's item, or a street's (streetId)")])
            }
            var errors = FieldErrors()
            if input.name.isEmpty || input.name.count > 100 { errors.add("name", "required", "a name of at most 100 characters") }
            if !MenuRules.validPrice(min: input.priceMin, max: input.priceMax) { errors.add("priceMax", "invalid_range", "prices from 0 to 100000.00 yuan, the top not below the bottom") }
            if input.minutes < 1 || input.minutes > 7 * 24 * 60 { errors.add("minutes", "out_of_range", "1 minute to a week") }
            if let p = input.providerId {
                let ok = try await tx.sql().raw("""
                    SELECT id FROM service_providers WHERE id = \(bind: p) AND street_id = \(bind: street) AND (compound_id IS NULL OR compound_id = \(bind: input.compoundId))
                    """).first() != nil
                if !ok { errors.add("providerId", "unknown_reference", "a provider of this street or compound") }
            } else if input.compoundId == nil {
                errors.add("providerId", "required", "a street's item names its repair team or vendor")
            }
            try errors.throwIfAny()
            let id = existing ?? UUID.random(), now = Bind.date(ctx.now)
            if existing == nil {
                try await tx.sql().insert(into: "menu_items").columns("id", "street_id", "compound_id", "provider_id", "part", "name", "description", "price_min", "price_max",
                                                                      "minutes", "active", "created_at", "updated_at")
                    .values([Bind.uuid(id), Bind.uuid(street), Bind.uuid(input.compoundId), Bind.uuid(input.providerId), Bind.text(input.part.rawValue),
                             Bind.text(input.name), Bind.text(input.description), Bind.int(input.priceMin), Bind.int(input.priceMax), Bind.int(input.minutes),
                             Bind.bool(input.active), now, now]).run()
            } else {
                try await tx.sql().raw("""
                    UPDATE menu_items SET provider_id = \(bind: input.providerId), part = \(bind: input.part.rawValue), name = \(bind: input.name),
                    description = \(bind: input.description), price_min = \(bind: input.priceMin), price_max = \(bind: input.priceMax), minutes = \(bind: input.minutes),
                    active = \(bind: input.active), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                    """).run()
            }
            try await audit.record(ctx, action: existing == nil ? "create" : "update", entity: "menu-items", entityId: id, districtId: district,
                                   before: old.map { .object(["name": .string($0.name), "price": .string($0.priceText), "active": .bool($0.active)]) },
                                   after: .object(["name": .string(input.name), "priceMin": .string(FixedPoint2.format(input.priceMin)), "active": .bool(input.active)]), on: tx)
            guard let row = try await tx.sql().raw("\(unsafeRaw: MenuItemRecord.select) WHERE i.id = \(bind: id)").first() else { throw DomainError.notFound(entity: "menu-items", id: id.text) }
            return try MenuItemRecord(row: row)
        }
    }

    /// The catalogue a compound's residents order from: its own items and its street's, active ones
    /// only unless `all` (for those who keep it). Anyone who sees the compound may read it.
    func catalogue(_ ctx: AccessContext, compound: UUID, all: Bool = false) async throws -> [MenuItemRecord] {
        try await store.access.authorize(ctx, .read, store.catalog["compounds"]!, id: compound, on: db)
        guard let p = try await place(compound: compound, on: db) else { throw DomainError.notFound(entity: "compounds", id: compound.text) }
        return try await db.sql().raw("\(unsafeRaw: MenuItemRecord.select)" + " WHERE (i.compound_id = \(bind: compound) OR (i.compound_id IS NULL AND i.street_id = \(bind: p.street)))"
                                      + (all ? "" : " AND i.active = \(bind: true)") + " ORDER BY i.part, i.name").all().map { try MenuItemRecord(row: $0) }
    }
}
