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

    func contains(_ g: Grant, _ c: ScopeChain) -> SQLQueryString { containing(g, c) ?? "1=0" }

    /// Which rows the grant contains, or nil for none. Conditions are written as indexed lookups
    /// (`x.id IN (SELECT …)`), never as a test per row, and a grant that reaches nothing adds no
    /// `OR 1=0` term: either would make the database walk the whole district to fill a page.
    func containing(_ g: Grant, _ c: ScopeChain) -> SQLQueryString? {
        let t = c.spec.table
        switch g.role {
        case .districtAdmin:
            guard let d = c.alias("districts") else { return nil }
            // A district holds all or most of a table: walk the rows in id order (the page's order)
            // and look each one's district up, stopping at the page, rather than gather the whole
            // district down the chain and sort it. COALESCE keeps either database from starting at
            // the district's key (SQLite has no statistics to know the district is everything).
            if d == "t0" { return "t0.id = \(bind: g.scopeId)" }
            return "COALESCE(\(unsafeRaw: d).id, \(unsafeRaw: d).id) = \(bind: g.scopeId)"
        case .streetStaff:
            if let s = c.alias("streets") { return "\(unsafeRaw: s).id = \(bind: g.scopeId)" }
            if t == "owners" { return ownerIn(level: "streets", g.scopeId) }
            return nil
        case .communityStaff:
            if let m = c.alias("communities") { return "\(unsafeRaw: m).id = \(bind: g.scopeId)" }
            if t == "party_organizations" { return "t0.community_id = \(bind: g.scopeId)" }
            if t == "owners" { return ownerIn(level: "communities", g.scopeId) }
            return nil
        case .committeeMember:
            if let p = c.alias("compounds") { return "\(unsafeRaw: p).id = \(bind: g.scopeId)" }
            return nil
        case .companyStaff:
            if t == "companies" { return "t0.id = \(bind: g.scopeId)" }
            if t == "contracts" { return "t0.company_id = \(bind: g.scopeId)" }
            if let p = c.alias("compounds") { return served(compound: p, by: g.scopeId) }
            return nil
        case .departmentLiaison:
            return t == "departments" ? "t0.id = \(bind: g.scopeId)" : nil
        case .owner, .resident, .mediator, .serviceProvider:
            return nil
        }
    }

    func sees(_ g: Grant, _ c: ScopeChain) -> SQLQueryString { seeing(g, c) ?? "1=0" }

    /// Which rows the grant sees, or nil for none.
    func seeing(_ g: Grant, _ c: ScopeChain) -> SQLQueryString? {
        let t = c.spec.table
        var parts: [SQLQueryString] = containing(g, c).map { [$0] } ?? []
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
                parts.append("\(unsafeRaw: r).id IN (SELECT ox.room_id FROM ownerships ox WHERE ox.owner_id = \(bind: g.scopeId))")
            }
            if t == "owners" { parts.append("t0.id = \(bind: g.scopeId)") }
            if t == "compounds" { parts.append(compoundOf(owner: g.scopeId)) }
            if t == "buildings" || t == "entrances" { parts.append(placeOf(owner: g.scopeId, t)) }
        case .resident:
            if let r = c.alias("rooms") {
                parts.append("\(unsafeRaw: r).id IN (SELECT rx.room_id FROM residents rx WHERE rx.id = \(bind: g.scopeId))")
            }
            if t == "compounds" { parts.append(compoundOf(resident: g.scopeId)) }
            if t == "buildings" || t == "entrances" { parts.append(placeOf(resident: g.scopeId, t)) }
        default:
            break
        }
        if parts.isEmpty { return nil }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Rows visible to any of the actor's grants (`1=1` for the system).
    func visible(_ actor: Actor, _ c: ScopeChain) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        let parts = actor.grants.compactMap { seeing($0, c) }
        guard !parts.isEmpty else { return "1=0" }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The compound (alias) is served today by the company.
    func served(compound alias: String, by company: UUID) -> SQLQueryString {
        "\(unsafeRaw: alias).id IN (SELECT kx.compound_id FROM contracts kx WHERE kx.company_id = \(bind: company) AND kx.starts_on <= \(bind: today) AND (kx.ends_on IS NULL OR kx.ends_on >= \(bind: today)))"
    }

    /// The owner (t0) holds a room under the street or community.
    func ownerIn(level: String, _ id: UUID) -> SQLQueryString {
        let column = level == "streets" ? "cmx.street_id" : "cmx.id"
        return """
            t0.id IN (SELECT ox.owner_id FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            JOIN buildings bx ON bx.id = ex.building_id JOIN compounds px ON px.id = bx.compound_id JOIN communities cmx ON cmx.id = px.community_id
            WHERE \(unsafeRaw: column) = \(bind: id))
            """
    }

    func compoundOf(owner: UUID) -> SQLQueryString {
        """
        t0.id IN (SELECT bx.compound_id FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
        JOIN buildings bx ON bx.id = ex.building_id WHERE ox.owner_id = \(bind: owner))
        """
    }

    /// The building or entrance (t0) holds a room of the owner: an owner sees where they live.
    func placeOf(owner: UUID, _ table: String) -> SQLQueryString {
        let column = table == "buildings" ? "ex.building_id" : "ex.id"
        return """
            t0.id IN (SELECT \(unsafeRaw: column) FROM ownerships ox JOIN rooms rx ON rx.id = ox.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            WHERE ox.owner_id = \(bind: owner))
            """
    }

    func placeOf(resident: UUID, _ table: String) -> SQLQueryString {
        let column = table == "buildings" ? "ex.building_id" : "ex.id"
        return """
            t0.id IN (SELECT \(unsafeRaw: column) FROM residents sx JOIN rooms rx ON rx.id = sx.room_id JOIN entrances ex ON ex.id = rx.entrance_id
            WHERE sx.id = \(bind: resident))
            """
    }

    func compoundOf(resident: UUID) -> SQLQueryString {
        """
        t0.id IN (SELECT bx.compound_id FROM residents sx JOIN rooms rx ON rx.id = sx.room_id JOIN entrances ex ON ex.id = rx.entrance_id
        JOIN buildings bx ON bx.id = ex.building_id WHERE sx.id = \(bind: resident))
        """
    }
}

import Foundation
