import Domain
import FluentKit
import Foundation
import SQLKit

/// Loads a generated demo district, one street per transaction, with batched inserts.
public struct DemoLoader: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    /// Whether the registry is empty (no district yet).
    public func isEmpty() async throws -> Bool {
        try await database.db.sql().raw("SELECT id FROM districts LIMIT 1").first() == nil
    }

    /// Loads the district; `progress(done, total, rows)` is called after each street.
    public func load(_ generator: DemoGenerator, now: Date, progress: @Sendable (Int, Int, Int) -> Void = { _, _, _ in }) async throws {
        let plan = generator.plan()
        let ts = Bind.date(now)
        try await database.db.transaction { tx in
            let w = BulkWriter(db: tx)
            let d = plan.district
            try await w.insert("districts", columns: ["id", "name", "code", "created_at", "updated_at"],
                               rows: [[Bind.uuid(d.id), Bind.text(d.name), Bind.text(d.code), ts, ts]])
            try await w.insert("streets", columns: ["id", "district_id", "name", "kind", "created_at", "updated_at"],
                               rows: plan.streets.map { [Bind.uuid($0.id), Bind.uuid($0.districtId), Bind.text($0.name), Bind.text($0.kind.rawValue), ts, ts] })
            try await w.insert("companies", columns: ["id", "district_id", "name", "credit_code", "state_owned", "association_member", "phone", "created_at", "updated_at"],
                               rows: plan.companies.map { [Bind.uuid($0.id), Bind.uuid($0.districtId), Bind.text($0.name), Bind.text($0.creditCode),
                                                           Bind.bool($0.stateOwned), Bind.bool($0.associationMember), Bind.text(nil as String?), ts, ts] })
            try await w.insert("departments", columns: ["id", "district_id", "name", "kind", "created_at", "updated_at"],
                               rows: plan.departments.map { [Bind.uuid($0.id), Bind.uuid($0.districtId), Bind.text($0.name), Bind.text($0.kind.rawValue), ts, ts] })
        }
        var rows = 0
        var numbering = DemoRequestWriter()
        for i in plan.streets.indices {
            let bundle = generator.street(i, plan: plan)
            let requests = numbering.rows(generator.requests(bundle, streetIndex: i, now: now), districtId: plan.district.id, streetId: plan.streets[i].id, now: now)
            try await database.db.transaction { tx in
                try await Self.write(bundle, ts: ts, on: tx)
                try await DemoRequestWriter.write(requests, on: tx)
            }
            rows += bundle.rowCount + requests.requests.count + requests.events.count
            progress(i + 1, plan.streets.count, rows)
        }
        try await numbering.writeSequences(now: now, on: database.db)
        try await AuditLog().record(.system("demo", source: "demo", now: now), action: "import", entity: "districts", entityId: plan.district.id,
                                    districtId: plan.district.id, before: nil,
                                    after: .object(["demo": .string(generator.scale.rawValue), "seed": .string(String(generator.seed)),
                                                    "rows": .int(Int64(rows))]), on: database.db)
    }

    static func write(_ b: DemoStreetBundle, ts: any SQLExpression, on db: any Database) async throws {
        let w = BulkWriter(db: db)
        let stamp = ["created_at", "updated_at"]
        try await w.insert("communities", columns: ["id", "street_id", "name"] + stamp,
                           rows: b.communities.map { [Bind.uuid($0.id), Bind.uuid($0.streetId), Bind.text($0.name), ts, ts] })
        try await w.insert("compounds", columns: ["id", "community_id", "name", "aliases", "address", "latitude", "longitude", "housing_kind",
                                                  "year_built", "management_mode"] + stamp,
                           rows: b.compounds.map { [Bind.uuid($0.id), Bind.uuid($0.communityId), Bind.text($0.name), Bind.text(nil as String?),
                                                    Bind.text($0.address), Bind.real($0.latitude), Bind.real($0.longitude),
                                                    Bind.text($0.housingKind.rawValue), Bind.int($0.yearBuilt), Bind.text($0.managementMode.rawValue), ts, ts] })
        try await w.insert("buildings", columns: ["id", "compound_id", "number", "floors", "has_lift"] + stamp,
                           rows: b.buildings.map { [Bind.uuid($0.id), Bind.uuid($0.compoundId), Bind.text($0.number), Bind.int($0.floors), Bind.bool($0.hasLift), ts, ts] })
        try await w.insert("entrances", columns: ["id", "building_id", "number"] + stamp,
                           rows: b.entrances.map { [Bind.uuid($0.id), Bind.uuid($0.buildingId), Bind.text($0.number), ts, ts] })
        try await w.insert("rooms", columns: ["id", "entrance_id", "number", "floor", "use", "area"] + stamp,
                           rows: b.rooms.map { [Bind.uuid($0.id), Bind.uuid($0.entranceId), Bind.text($0.number), Bind.int($0.floor),
                                                Bind.text($0.use.rawValue), Bind.int($0.area.hundredths), ts, ts] })
        try await w.insert("owners", columns: ["id", "district_id", "kind", "name", "phone"] + stamp,
                           rows: b.owners.map { [Bind.uuid($0.id), Bind.uuid($0.districtId), Bind.text($0.kind.rawValue), Bind.text($0.name), Bind.text($0.phone), ts, ts] })
        try await w.insert("ownerships", columns: ["id", "room_id", "owner_id"] + stamp,
                           rows: b.ownerships.map { [Bind.uuid($0.id), Bind.uuid($0.roomId), Bind.uuid($0.ownerId), ts, ts] })
        try await w.insert("residents", columns: ["id", "room_id", "name", "phone"] + stamp,
                           rows: b.residents.map { [Bind.uuid($0.id), Bind.uuid($0.roomId), Bind.text($0.name), Bind.text($0.phone), ts, ts] })
        try await w.insert("contracts", columns: ["id", "company_id", "compound_id", "starts_on", "ends_on", "monthly_fee_per_sqm"] + stamp,
                           rows: b.contracts.map { [Bind.uuid($0.id), Bind.uuid($0.companyId), Bind.uuid($0.compoundId), Bind.text($0.startsOn.description),
                                                    Bind.text($0.endsOn?.description), Bind.int($0.monthlyFeePerSqm.fen), ts, ts] })
        try await w.insert("committees", columns: ["id", "compound_id", "kind", "term_start", "term_end"] + stamp,
                           rows: b.committees.map { [Bind.uuid($0.id), Bind.uuid($0.compoundId), Bind.text($0.kind.rawValue), Bind.text($0.termStart.description),
                                                     Bind.text($0.termEnd?.description), ts, ts] })
        try await w.insert("committee_members", columns: ["id", "committee_id", "name", "role"] + stamp,
                           rows: b.committeeMembers.map { [Bind.uuid($0.id), Bind.uuid($0.committeeId), Bind.text($0.name), Bind.text($0.role.rawValue), ts, ts] })
        try await w.insert("party_organizations", columns: ["id", "street_id", "community_id", "kind", "name"] + stamp,
                           rows: b.partyOrganizations.map { [Bind.uuid($0.id), Bind.uuid($0.streetId), Bind.uuid($0.communityId), Bind.text($0.kind.rawValue), Bind.text($0.name), ts, ts] })
        try await w.insert("party_coverages", columns: ["id", "party_organization_id", "compound_id", "company_id"] + stamp,
                           rows: b.partyCoverages.map { [Bind.uuid($0.id), Bind.uuid($0.partyOrganizationId), Bind.uuid($0.compoundId), Bind.uuid($0.companyId), ts, ts] })
        try await w.insert("alliances", columns: ["id", "street_id", "name", "founded_on"] + stamp,
                           rows: b.alliances.map { [Bind.uuid($0.id), Bind.uuid($0.streetId), Bind.text($0.name), Bind.text($0.foundedOn.description), ts, ts] })
        try await w.insert("alliance_members", columns: ["id", "alliance_id", "company_id", "joined_on"] + stamp,
                           rows: b.allianceMembers.map { [Bind.uuid($0.id), Bind.uuid($0.allianceId), Bind.uuid($0.companyId), Bind.text($0.joinedOn.description), ts, ts] })
        try await w.insert("cross_appointments", columns: ["id", "community_id", "company_id", "person_name", "direction", "post", "starts_on"] + stamp,
                           rows: b.crossAppointments.map { [Bind.uuid($0.id), Bind.uuid($0.communityId), Bind.uuid($0.companyId), Bind.text($0.personName),
                                                            Bind.text($0.direction.rawValue), Bind.text($0.post), Bind.text($0.startsOn.description), ts, ts] })
    }
}
