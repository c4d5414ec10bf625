import Domain
import FluentKit
import Foundation
import SQLKit

/// A contract with its company's name, for the compound page.
struct ContractFact: Sendable {
    let id: UUID
    let companyId: UUID
    let companyName: String
    let startsOn: String
    let endsOn: String?
    let fee: Int64
    let current: Bool
}

/// A committee with its members.
struct CommitteeFact: Sendable {
    let id: UUID
    let kind: String
    let termStart: String
    let termEnd: String?
    let current: Bool
    var members: [(name: String, role: String)]
}

/// A party organisation and why it is listed (community committee, covering the compound or its company).
struct PartyFact: Sendable {
    let id: UUID
    let name: String
    let kind: String
}

/// Everything the compound page shows beside its buildings.
struct CompoundFacts: Sendable {
    var contracts: [ContractFact] = []
    var committees: [CommitteeFact] = []
    var party: [PartyFact] = []
    var alliance: (name: String, companyIsMember: Bool)?
    var crossAppointments: [(person: String, direction: String, post: String, company: String)] = []
}

extension RegistryStore {
    func compoundFacts(_ compoundId: UUID, communityId: UUID, today: CivilDate) async throws -> CompoundFacts {
        let sql = db.sql()
        let day = today.description
        var facts = CompoundFacts()
        facts.contracts = try await sql.raw("""
            SELECT k.id, k.company_id, c.name, k.starts_on, k.ends_on, k.monthly_fee_per_sqm FROM contracts k
            JOIN companies c ON c.id = k.company_id WHERE k.compound_id = \(bind: compoundId) ORDER BY k.starts_on DESC
            """).all().map { r in
            let start = try r.decode(column: "starts_on", as: String.self)
            let end = try r.decode(column: "ends_on", as: String?.self)
            return ContractFact(id: try r.decode(column: "id", as: UUID.self), companyId: try r.decode(column: "company_id", as: UUID.self),
                                companyName: try r.decode(column: "name", as: String.self), startsOn: start, endsOn: end,
                                fee: try r.decode(column: "monthly_fee_per_sqm", as: Int64.self),
                                current: start <= day && (end.map { $0 >= day } ?? true))
        }
        facts.committees = try await sql.raw("""
            SELECT id, kind, term_start, term_end FROM committees WHERE compound_id = \(bind: compoundId) ORDER BY term_start DESC
            """).all().map { r in
            let start = try r.decode(column: "term_start", as: String.self)
            let end = try r.decode(column: "term_end", as: String?.self)
            return CommitteeFact(id: try r.decode(column: "id", as: UUID.self), kind: try r.decode(column: "kind", as: String.self),
                                 termStart: start, termEnd: end, current: start <= day && (end.map { $0 >= day } ?? true), members: [])
        }
        for i in facts.committees.indices {
            facts.committees[i].members = try await sql.raw("""
                SELECT name, role FROM committee_members WHERE committee_id = \(bind: facts.committees[i].id)
                ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'residents_committee_chair' THEN 2 ELSE 3 END, name
                """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "role", as: String.self)) }
        }
        let currentCompany = facts.contracts.first(where: \.current)?.companyId
        var partyQuery: SQLQueryString = """
            SELECT DISTINCT p.id, p.name, p.kind FROM party_organizations p
            LEFT JOIN party_coverages v ON v.party_organization_id = p.id
            WHERE (p.community_id = \(bind: communityId) AND p.kind = 'community_committee') OR v.compound_id = \(bind: compoundId)
            """
        if let currentCompany { partyQuery = partyQuery + " OR v.company_id = \(bind: currentCompany)" }
        facts.party = try await sql.raw(partyQuery + " ORDER BY p.kind, p.name").all().map {
            PartyFact(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                      kind: try $0.decode(column: "kind", as: String.self))
        }
        if let row = try await sql.raw("""
            SELECT a.id, a.name FROM alliances a JOIN communities cm ON cm.street_id = a.street_id WHERE cm.id = \(bind: communityId) ORDER BY a.name
            """).first() {
            let allianceId = try row.decode(column: "id", as: UUID.self)
            var member = false
            if let currentCompany {
                member = try await sql.raw("""
                    SELECT 1 AS x FROM alliance_members WHERE alliance_id = \(bind: allianceId) AND company_id = \(bind: currentCompany)
                    """).first() != nil
            }
            facts.alliance = (try row.decode(column: "name", as: String.self), member)
        }
        facts.crossAppointments = try await sql.raw("""
            SELECT x.person_name, x.direction, x.post, c.name FROM cross_appointments x JOIN companies c ON c.id = x.company_id
            WHERE x.community_id = \(bind: communityId) ORDER BY x.starts_on
            """).all().map {
            (try $0.decode(column: "person_name", as: String.self), try $0.decode(column: "direction", as: String.self),
             try $0.decode(column: "post", as: String.self), try $0.decode(column: "name", as: String.self))
        }
        return facts
    }

    /// A room of a building page.
    struct RoomRow: Sendable {
        let id: UUID
        let entrance: String
        let number: String
        let floor: Int64
        let use: String
        let area: Int64
        let owners: Int64
        let residents: Int64
    }

    func rooms(ofBuilding buildingId: UUID) async throws -> [RoomRow] {
        try await db.sql().raw("""
            SELECT r.id, e.number AS entrance, r.number, r.floor, r.use, r.area,
              (SELECT COUNT(*) FROM ownerships o WHERE o.room_id = r.id) AS owners,
              (SELECT COUNT(*) FROM residents s WHERE s.room_id = r.id) AS residents
            FROM rooms r JOIN entrances e ON e.id = r.entrance_id WHERE e.building_id = \(bind: buildingId)
            ORDER BY e.number, r.floor, r.number
            """).all().map {
            RoomRow(id: try $0.decode(column: "id", as: UUID.self), entrance: try $0.decode(column: "entrance", as: String.self),
                    number: try $0.decode(column: "number", as: String.self), floor: try $0.decode(column: "floor", as: Int64.self),
                    use: try $0.decode(column: "use", as: String.self), area: try $0.decode(column: "area", as: Int64.self),
                    owners: try $0.decode(column: "owners", as: Int64.self), residents: try $0.decode(column: "residents", as: Int64.self))
        }
    }
}

/// The company a compound's current contract names on a day.
enum ServingCompany {
    static func of(_ compound: UUID, today: String, on db: any Database) async throws -> UUID? {
        try await db.sql().raw("""
            SELECT company_id FROM contracts WHERE compound_id = \(bind: compound) AND starts_on <= \(bind: today) AND (ends_on IS NULL OR ends_on >= \(bind: today))
            ORDER BY starts_on DESC LIMIT 1
            """).first()?.decode(column: "company_id", as: UUID.self)
    }
}
