import FluentKit
import SQLKit

/// Gives each role grant the district its scope lies in, so a district's admins list and manage
/// their district's accounts with one indexed filter; existing grants are filled in from the
/// hierarchy (a grant whose scope is gone keeps none and is shown to no admin).
struct AddGrantDistricts: AsyncMigration {
    var name: String { "AddGrantDistricts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("role_grants").field("district_id", .uuid).update()
        try await database.sql().raw("""
            UPDATE role_grants SET district_id = CASE role
              WHEN 'district-admin' THEN (SELECT id FROM districts WHERE id = role_grants.scope_id)
              WHEN 'street-staff' THEN (SELECT district_id FROM streets WHERE id = role_grants.scope_id)
              WHEN 'community-staff' THEN (SELECT st.district_id FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = role_grants.scope_id)
              WHEN 'committee-member' THEN (SELECT st.district_id FROM compounds p JOIN communities cm ON cm.id = p.community_id
                                            JOIN streets st ON st.id = cm.street_id WHERE p.id = role_grants.scope_id)
              WHEN 'company-staff' THEN (SELECT district_id FROM companies WHERE id = role_grants.scope_id)
              WHEN 'department-liaison' THEN (SELECT district_id FROM departments WHERE id = role_grants.scope_id)
              WHEN 'owner' THEN (SELECT district_id FROM owners WHERE id = role_grants.scope_id)
              WHEN 'resident' THEN (SELECT st.district_id FROM residents r JOIN rooms rm ON rm.id = r.room_id JOIN entrances e ON e.id = rm.entrance_id
                                    JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id
                                    JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE r.id = role_grants.scope_id)
              END
            """).run()
        try await database.sql().create(index: "ix_role_grants_district_id").on("role_grants").column("district_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "ix_role_grants_district_id").run()
        try await database.schema("role_grants").deleteField("district_id").update()
    }
}

/// Gives a decision the amount of money its matter involves (a fund spending, a levy, works), in
/// fen, shown to owners on the ballot; a fund plan against it may not exceed it.
struct AddDecisionAmounts: AsyncMigration {
    var name: String { "AddDecisionAmounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("decisions").field("amount", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("decisions").deleteField("amount").update()
    }
}

/// Tells a request's photos of the problem from the handler's photos of the finished work, which
/// the reporter sees before rating; photos stored before are photos of the problem.
struct AddPhotoStages: AsyncMigration {
    var name: String { "AddPhotoStages" }

    func prepare(on database: any Database) async throws {
        try await database.schema("request_photos").field("stage", .string).update()
        try await database.sql().raw("UPDATE request_photos SET stage = 'report'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("request_photos").deleteField("stage").update()
    }
}

/// Lets a contract say how often it bills (monthly, quarterly, yearly); contracts before it bill monthly.
struct AddContractBillingCycles: AsyncMigration {
    var name: String { "AddContractBillingCycles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("contracts").field("billing_cycle", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contracts").deleteField("billing_cycle").update()
    }
}

/// Duplicate requests: the one a request was merged into, and the people following a request
/// beside its reporter (who filed a merged duplicate, or joined instead of filing).
struct AddRequestMerges: AsyncMigration {
    var name: String { "AddRequestMerges" }

    func prepare(on database: any Database) async throws {
        try await database.schema("requests").field("merged_into", .uuid).update()
        try await database.sql().create(index: "ix_requests_merged_into").on("requests").column("merged_into").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "ix_requests_merged_into").run()
        try await database.schema("requests").deleteField("merged_into").update()
    }
}

/// The keyed hash of an ownership's property certificate number, which owners registering
/// themselves are matched by (the number itself is never stored).
struct AddCertificateHashes: AsyncMigration {
    var name: String { "AddCertificateHashes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ownerships").field("certificate_hash", .string).update()
        try await database.sql().create(index: "ix_ownerships_certificate_hash").on("ownerships").column("certificate_hash").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "ix_ownerships_certificate_hash").run()
        try await database.schema("ownerships").deleteField("certificate_hash").update()
    }
}
