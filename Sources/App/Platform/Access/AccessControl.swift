import Domain
import FluentKit
import Foundation
import SQLKit

/// Applies the one policy to records: finds how each of the actor's grants reaches a record
/// (through `ScopeSQL`) and asks `Policy.decide`. Throws `notFound` or `forbidden` accordingly.
struct AccessControl: Sendable {
    let catalog: ResourceCatalog
    let chains: [String: ScopeChain]

    init(catalog: ResourceCatalog) {
        self.catalog = catalog
        var chains: [String: ScopeChain] = [:]
        for spec in catalog.all { chains[spec.name] = ScopeChain(spec, catalog: catalog) }
        self.chains = chains
    }

    func chain(_ spec: ResourceSpec) -> ScopeChain { chains[spec.name]! }

    /// How each grant reaches the record, or nil when it does not exist at all.
    func reach(_ ctx: AccessContext, _ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> [GrantReach]? {
        let query: SQLQueryString = "SELECT " + reachColumns(ctx, spec) + " FROM \(unsafeRaw: chain(spec).from) WHERE t0.id = \(bind: id)"
        guard let row = try await db.sql().raw(query).first() else { return nil }
        return try reach(ctx, row: row)
    }

    /// The columns saying how each grant reaches the record `t0` of a query over `chain(spec).from`
    /// (`c0`, `s0`, `c1` …), for a query that reads other facts of the record in the same statement.
    func reachColumns(_ ctx: AccessContext, _ spec: ResourceSpec) -> SQLQueryString {
        let c = chain(spec)
        var columns: [SQLQueryString] = ["t0.id AS id"]
        for (i, g) in ctx.actor.grants.enumerated() {
            columns.append("CASE WHEN \(ctx.scope.contains(g, c)) THEN 1 ELSE 0 END AS \(unsafeRaw: "c\(i)")")
            columns.append("CASE WHEN \(ctx.scope.sees(g, c)) THEN 1 ELSE 0 END AS \(unsafeRaw: "s\(i)")")
        }
        return columns.joined(separator: ", ")
    }

    /// How each grant reaches the record, from a row holding `reachColumns`.
    func reach(_ ctx: AccessContext, row: any SQLRow) throws -> [GrantReach] {
        try ctx.actor.grants.enumerated().map { i, g in
            GrantReach(grant: g, contains: try row.decode(column: "c\(i)", as: Int.self) == 1, sees: try row.decode(column: "s\(i)", as: Int.self) == 1)
        }
    }

    /// Allows `action` on an existing record or throws: 404 when it does not exist or cannot be
    /// seen, 403 when it can be seen but not changed.
    func authorize(_ ctx: AccessContext, _ action: Action, _ spec: ResourceSpec, id: UUID, on db: any Database) async throws {
        if ctx.actor.isSystem { return }
        guard let reach = try await reach(ctx, spec, id: id, on: db) else {
            throw DomainError.notFound(entity: spec.name, id: id.uuidString.lowercased())
        }
        try enforce(Policy.decide(ctx.actor, action, spec.name, reach: reach), spec, id)
    }

    /// Allows placing a record under its parent (create, or moving on update): the parent must lie
    /// inside the scope of a grant whose role may write the collection.
    func authorizePlacement(_ ctx: AccessContext, _ action: Action, _ spec: ResourceSpec, values: [String: FieldValue], on db: any Database) async throws {
        if ctx.actor.isSystem { return }
        guard let parentField = spec.parentField, let parentName = spec.field(parentField)?.referencedResource,
              let parentSpec = catalog[parentName], let parentId = values[parentField]?.uuid
        else {
            throw DomainError.forbidden(reason: "\(spec.name) cannot be created here")
        }
        guard let parentReach = try await reach(ctx, parentSpec, id: parentId, on: db) else {
            throw DomainError.invalid([FieldError(field: parentField, code: "unknown_reference", message: "no \(parentName) has id \(parentId.uuidString.lowercased())")])
        }
        let reach = Policy.placementReach(spec.name, parentId: parentId, reach: parentReach)
        // The record itself is judged by the policy on the collection, reached through its parent.
        switch Policy.decide(ctx.actor, action, spec.name, reach: reach) {
        case .allow: return
        case .notFound:
            throw DomainError.invalid([FieldError(field: parentField, code: "unknown_reference", message: "no \(parentName) has id \(parentId.uuidString.lowercased())")])
        case .forbidden:
            throw DomainError.forbidden(reason: "you may not add \(spec.name) there")
        }
    }

    /// Allows an action on something that belongs to a compound (its decisions, its fund): the policy
    /// decides from how the actor's grants reach the compound. 404 when the compound cannot be seen.
    func authorize(_ ctx: AccessContext, _ action: Action, _ collection: String, inCompound compound: UUID, on db: any Database) async throws {
        if ctx.actor.isSystem { return }
        guard let reach = try await reach(ctx, catalog["compounds"]!, id: compound, on: db) else {
            throw DomainError.notFound(entity: "compounds", id: compound.uuidString.lowercased())
        }
        switch Policy.decide(ctx.actor, action, collection, reach: reach) {
        case .allow: return
        case .notFound: throw DomainError.notFound(entity: "compounds", id: compound.uuidString.lowercased())
        case .forbidden: throw DomainError.forbidden(reason: "only the compound's committee and its community, street and district staff may do this")
        }
    }

    /// Allows reading a compound's people-related records (`Policy.watchers`): 404 to everyone else,
    /// so whether the compound has such records is not told either.
    func authorizeWatch(_ ctx: AccessContext, _ collection: String, inCompound compound: UUID, on db: any Database) async throws {
        if ctx.actor.isSystem { return }
        guard let reach = try await reach(ctx, catalog["compounds"]!, id: compound, on: db), Policy.mayWatch(ctx.actor, collection, reach: reach) else {
            throw DomainError.notFound(entity: "compounds", id: compound.uuidString.lowercased())
        }
    }

    /// Checks that every referenced record exists and is visible to the actor; reports all that are not.
    func checkReferences(_ ctx: AccessContext, _ spec: ResourceSpec, values: [String: FieldValue], on db: any Database) async throws {
        var errors = FieldErrors()
        for field in spec.fields {
            guard let target = field.referencedResource, let id = values[field.name]?.uuid, let targetSpec = catalog[target] else { continue }
            let c = chain(targetSpec)
            let query: SQLQueryString = "SELECT t0.id FROM \(unsafeRaw: c.from) WHERE t0.id = \(bind: id) AND \(ctx.scope.visible(ctx.actor, c))"
            if try await db.sql().raw(query).first() == nil {
                errors.add(field.name, "unknown_reference", "no \(target) has id \(id.uuidString.lowercased())")
            }
        }
        for error in spec.check(values) { errors.add(error) }
        try errors.throwIfAny()
    }

    func enforce(_ decision: Decision, _ spec: ResourceSpec, _ id: UUID) throws {
        switch decision {
        case .allow: return
        case .notFound: throw DomainError.notFound(entity: spec.name, id: id.uuidString.lowercased())
        case .forbidden: throw DomainError.forbidden(reason: "you may not change this \(spec.name)")
        }
    }

    /// The district a record lies in (for the audit log), when it has one.
    func district(_ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> UUID? {
        let c = chain(spec)
        guard let d = c.alias("districts") else { return nil }
        return try await db.sql().raw("SELECT \(unsafeRaw: d).id AS d FROM \(unsafeRaw: c.from) WHERE t0.id = \(bind: id)").first()?
            .decode(column: "d", as: UUID.self)
    }
}
