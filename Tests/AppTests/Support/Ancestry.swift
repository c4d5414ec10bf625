@testable import App
import Domain
import Foundation
import SQLKit

/// Where a record sits, found by walking parent fields — an account of the hierarchy kept apart
/// from the SQL that enforces scopes, so the role × route test can check one against the other.
struct Ancestry: Sendable {
    var collection: String
    var id: UUID
    var district: UUID?
    var street: UUID?
    var community: UUID?
    var compound: UUID?
    var room: UUID?
    /// Company named by the record itself (companies, contracts, alliance members).
    var company: UUID?
    /// `community_id` of a party organisation.
    var partyCommunity: UUID?
    var roomOwners: Set<UUID> = []
    var roomResidents: Set<UUID> = []
    /// Companies serving the record's compound today.
    var servingCompanies: Set<UUID> = []
    /// Owners with a room under the record (for owners: where their rooms are).
    var ownerRoomStreets: Set<UUID> = []
    var ownerRoomCommunities: Set<UUID> = []
    /// For a building or an entrance: the owners and residents of its rooms (who see where they live).
    var holders: Set<UUID> = []

    static func of(_ app: GongzhiApp, _ collection: String, _ id: UUID) async throws -> Ancestry {
        var a = Ancestry(collection: collection, id: id)
        let db = app.database.db
        var spec = app.catalog[collection]!
        var record = try await app.store.require(spec, id: id, on: db)
        if ["companies"].contains(collection) { a.company = id }
        if ["contracts", "alliance-members"].contains(collection) { a.company = record["companyId"].uuid }
        if collection == "party-organizations" { a.partyCommunity = record["communityId"].uuid }
        while true {
            switch spec.name {
            case "districts": a.district = record.id
            case "streets": a.street = record.id
            case "communities": a.community = record.id
            case "compounds": a.compound = record.id
            case "rooms": a.room = record.id
            default: break
            }
            guard let pf = spec.parentField, let parentName = spec.field(pf)?.referencedResource, let pid = record[pf].uuid else { break }
            spec = app.catalog[parentName]!
            record = try await app.store.require(spec, id: pid, on: db)
        }
        let sql = db.sql()
        if let room = a.room {
            a.roomOwners = Set(try await sql.raw("SELECT owner_id FROM ownerships WHERE room_id = \(bind: room)").all().map { try $0.decode(column: "owner_id", as: UUID.self) })
            a.roomResidents = Set(try await sql.raw("SELECT id FROM residents WHERE room_id = \(bind: room)").all().map { try $0.decode(column: "id", as: UUID.self) })
        }
        if collection == "buildings" || collection == "entrances" {
            let column = collection == "buildings" ? "e.building_id" : "e.id"
            for table in ["SELECT o.owner_id AS h FROM ownerships o", "SELECT s.id AS h FROM residents s"] {
                let join: SQLQueryString = table.hasSuffix(" o") ? " JOIN rooms r ON r.id = o.room_id" : " JOIN rooms r ON r.id = s.room_id"
                let rows = try await sql.raw("\(unsafeRaw: table)" + join + " JOIN entrances e ON e.id = r.entrance_id WHERE \(unsafeRaw: column) = \(bind: id)").all()
                a.holders.formUnion(try rows.map { try $0.decode(column: "h", as: UUID.self) })
            }
        }
        if let compound = a.compound {
            a.servingCompanies = Set(try await sql.raw("""
                SELECT company_id FROM contracts WHERE compound_id = \(bind: compound) AND starts_on <= '2026-11-30' AND (ends_on IS NULL OR ends_on >= '2026-11-30')
                """).all().map { try $0.decode(column: "company_id", as: UUID.self) })
        }
        if collection == "owners" {
            for r in try await sql.raw("""
                SELECT cm.street_id, cm.id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id JOIN communities cm ON cm.id = p.community_id
                WHERE o.owner_id = \(bind: id)
                """).all() {
                a.ownerRoomStreets.insert(try r.decode(column: "street_id", as: UUID.self))
                a.ownerRoomCommunities.insert(try r.decode(column: "id", as: UUID.self))
            }
        }
        return a
    }
}

/// The scope rules written out plainly over an `Ancestry` (the reference the SQL must agree with).
enum ExpectedReach {
    /// Compounds where the owner or resident has a room.
    static func contains(_ g: Grant, _ a: Ancestry) -> Bool {
        switch g.role {
        case .districtAdmin: return a.district == g.scopeId
        case .streetStaff: return a.street == g.scopeId || (a.collection == "owners" && a.ownerRoomStreets.contains(g.scopeId))
        case .communityStaff:
            return a.community == g.scopeId || a.partyCommunity == g.scopeId
                || (a.collection == "owners" && a.ownerRoomCommunities.contains(g.scopeId))
        case .committeeMember: return a.compound == g.scopeId
        case .companyStaff:
            if a.collection == "companies" || a.collection == "contracts" { return a.company == g.scopeId }
            return a.compound != nil && a.servingCompanies.contains(g.scopeId)
        case .departmentLiaison: return a.collection == "departments" && a.id == g.scopeId
        case .owner, .resident, .mediator, .serviceProvider: return false
        }
    }

    static func sees(_ g: Grant, _ a: Ancestry, ownerCompounds: Set<UUID>) -> Bool {
        if contains(g, a) { return true }
        if a.collection == "districts" && a.id == g.districtId { return true }
        if ["companies", "departments"].contains(a.collection) && a.district == g.districtId && g.role != .owner && g.role != .resident { return true }
        if a.collection == "streets" && g.streetId != nil && a.id == g.streetId { return true }
        if a.collection == "communities" && g.communityId != nil && a.id == g.communityId { return true }
        switch g.role {
        case .companyStaff: return a.collection == "alliance-members" && a.company == g.scopeId
        case .owner:
            return (a.room != nil && a.roomOwners.contains(g.scopeId)) || (a.collection == "owners" && a.id == g.scopeId)
                || (a.collection == "compounds" && ownerCompounds.contains(a.id)) || a.holders.contains(g.scopeId)
        case .resident:
            return (a.room != nil && a.roomResidents.contains(g.scopeId)) || (a.collection == "compounds" && ownerCompounds.contains(a.id))
                || a.holders.contains(g.scopeId)
        default: return false
        }
    }
}
