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

/// Adds one nullable column to a table (optionally indexed, optionally filled in for the rows
/// already there); revert drops it. Each use in `AppMigrations` keeps its own name, as recorded.
struct AddColumn: AsyncMigration {
    let name: String
    let table: String
    let column: String
    let type: DatabaseSchema.DataType
    var indexed = false
    /// SQL run once after the column exists, to fill it in for existing rows.
    var backfill: String?

    func prepare(on database: any Database) async throws {
        try await database.schema(table).field(FieldKey(stringLiteral: column), type).update()
        if let backfill { try await database.sql().raw(SQLQueryString(backfill)).run() }
        if indexed { try await database.sql().create(index: "ix_\(table)_\(column)").on(table).column(column).run() }
    }

    func revert(on database: any Database) async throws {
        if indexed { try await database.sql().drop(index: "ix_\(table)_\(column)").run() }
        try await database.schema(table).deleteField(FieldKey(stringLiteral: column)).update()
    }
}
