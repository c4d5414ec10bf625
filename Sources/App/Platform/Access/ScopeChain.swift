import Domain
import SQLKit

/// A collection's way up the hierarchy: the record (`t0`) joined to its parent, its parent's
/// parent … up to the district, following each resource's parent field. Scope conditions are
/// written against these aliases.
struct ScopeChain: Sendable {
    let spec: ResourceSpec
    /// table → alias (`t0`, `t1`, …) of every table on the way up.
    let aliases: [String: String]
    /// `table t0 JOIN parent t1 ON t0.x_id = t1.id …`
    let from: String

    init(_ spec: ResourceSpec, catalog: ResourceCatalog) {
        self.spec = spec
        var aliases = [spec.table: "t0"]
        var from = "\(spec.table) t0"
        var current = spec
        var index = 0
        while let parentField = current.parentField, let field = current.field(parentField),
              let parentName = field.referencedResource, let parent = catalog[parentName], aliases[parent.table] == nil {
            index += 1
            from += " JOIN \(parent.table) t\(index) ON t\(index - 1).\(field.column) = t\(index).id"
            aliases[parent.table] = "t\(index)"
            current = parent
        }
        self.aliases = aliases
        self.from = from
    }

    func alias(_ table: String) -> String? { aliases[table] }
}

/// Turns grants into SQL: which rows each grant contains (may change, inside its scope) and
/// which it sees (may read). One place, used by lists, single-record checks and pages alike.
struct ScopeSQL: Sendable {
    let today: String

    /// Shared district information every signed-in role may read: the district, its companies
    /// and departments.
    static let directory: Set<String> = ["companies", "departments"]

    func contains(_ g: Grant, _ c: ScopeChain) -> SQLQueryString {
        let t = c.spec.table
        switch g.role {
        case .districtAdmin:
            guard let d = c.alias("districts") else { return "1=0" }
            return "\(unsafeRaw: d).id = \(bind: g.scopeId)"
        case .streetStaff:
            if let s = c.alias("streets") { return "\(unsafeRaw: s).id = \(bind: g.scopeId)" }
            if t == "owners" { return ownerIn(level: "streets", g.scopeId) }
            return "1=0"
        case .communityStaff:
            if let m = c.alias("communities") { return "\(unsafeRaw: m).id = \(bind: g.scopeId)" }
            if t == "party_organizations" { return "t0.community_id = \(bind: g.scopeId)" }
            if t == "owners" { return ownerIn(level: "communities", g.scopeId) }
            return "1=0"
        case .committeeMember:
            if let p = c.alias("compounds") { return "\(unsafeRaw: p).id = \(bind: g.scopeId)" }
            return "1=0"
        case .companyStaff:
            if t == "companies" { return "t0.id = \(bind: g.scopeId)" }
            if t == "contracts" { return "t0.company_id = \(bind: g.scopeId)" }
            if let p = c.alias("compounds") { return served(compound: p, by: g.scopeId) }
            return "1=0"
        case .departmentLiaison:
            return t == "departments" ? "t0.id = \(bind: g.scopeId)" : "1=0"
        case .owner, .resident, .mediator, .serviceProvider:
            return "1=0"
        }
    }

    func sees(_ g: Grant, _ c: ScopeChain) -> SQLQueryString {
        let t = c.spec.table
        var parts: [SQLQueryString] = [contains(g, c)]
        if t == "districts", let d = g.districtId { parts.append("t0.id = \(bind: d)") }
        if Self.directory.contains(t), let d = g.districtId, g.role != .owner, g.role != .resident {
            parts.append("t0.district_id = \(bind: d)")
        }
        if t == "streets", let s = g.streetId { parts.append("t0.id = \(bind: s)") }
        if t == "communities", let m = g.communityId { parts.append("t0.id = \(bind: m)") }
        switch g.role {
        case .companyStaff where t == "alliance_members":
            parts.append("t0.company_id = \(bind: g.scopeId)")
        case .owner:
            if let r = c.alias("rooms") {
                parts.append("EXISTS (SELECT 1 FROM ownerships ox WHERE ox.room_id = \(unsafeRaw: r).id AND ox.owner_id = \(bind: g.scopeId))")
            }
            if t == "owners" { parts.append("t0.id = \(bind: g.scopeId)") }
            if t == "compounds" { parts.append(compoundOf(owner: g.scopeId)) }
            if t == "buildings" || t == "entrances" { parts.append(placeOf(owner: g.scopeId, t)) }
        case .resident:
            if let r = c.alias("rooms") {
                parts.append("EXISTS (SELECT 1 FROM residents rx WHERE rx.room_id = \(unsafeRaw: r).id AND rx.id = \(bind: g.scopeId))")
            }
            if t == "compounds" { parts.append(compoundOf(resident: g.scopeId)) }
            if t == "buildings" || t == "entrances" { parts.append(placeOf(resident: g.scopeId, t)) }
        default:
            break
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Rows visible to any of the actor's grants (`1=1` for the system).
    func visible(_ actor: Actor, _ c: ScopeChain) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        guard !actor.grants.isEmpty else { return "1=0" }
        return "(" + actor.grants.map { sees($0, c) }.joined(separator: " OR ") + ")"
    }

    /// The compound (alias) is served today by the company.
    func served(compound alias: String, by company: UUID) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM contracts kx WHERE kx.compound_id = \(unsafeRaw: alias).id AND kx.company_id = \(bind: company) AND kx.starts_on <= \(bind: today) AND (kx.ends_on IS NULL OR kx.ends_on >= \(bind: today)))"
    }

    /// The owner (t0) holds a room under the street or community.
    func ownerIn(level: String, _ id: UUID) -> SQLQueryString {
        let column = level == "streets" ? "cmx.street_id" : "cmx.id"
        return """
            EXISTS (SELECT 1 FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            JOIN buildings bx ON bx.id = ex.building_id JOIN compounds px ON px.id = bx.compound_id JOIN communities cmx ON cmx.id = px.community_id
            WHERE ox.owner_id = t0.id AND \(unsafeRaw: column) = \(bind: id))
            """
    }

    func compoundOf(owner: UUID) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
        JOIN buildings bx ON bx.id = ex.building_id WHERE ox.owner_id = \(bind: owner) AND bx.compound_id = t0.id)
        """
    }

    /// The building or entrance (t0) holds a room of the owner: an owner sees where they live.
    func placeOf(owner: UUID, _ table: String) -> SQLQueryString {
        let column = table == "buildings" ? "ex.building_id" : "ex.id"
        return """
            EXISTS (SELECT 1 FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            WHERE ox.owner_id = \(bind: owner) AND \(unsafeRaw: column) = t0.id)
            """
    }

    func placeOf(resident: UUID, _ table: String) -> SQLQueryString {
        let column = table == "buildings" ? "ex.building_id" : "ex.id"
        return """
            EXISTS (SELECT 1 FROM residents sx JOIN rooms rx ON rx.id = sx.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            WHERE sx.id = \(bind: resident) AND \(unsafeRaw: column) = t0.id)
            """
    }

    func compoundOf(resident: UUID) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM residents sx JOIN rooms rx ON rx.id = sx.room_id JOIN entrances ex ON ex.id = rx.entrance_id
        JOIN buildings bx ON bx.id = ex.building_id WHERE sx.id = \(bind: resident) AND bx.compound_id = t0.id)
        """
    }
}

import Foundation
