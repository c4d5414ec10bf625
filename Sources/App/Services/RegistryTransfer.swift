import Domain
import FluentKit
import Foundation
import SQLKit

/// What an import did (or, on a dry run, would do).
public struct RegistryImportSummary: Sendable, Equatable {
    public var rows = 0
    public var streets = 0
    public var communities = 0
    public var compounds = 0
    public var buildings = 0
    public var entrances = 0
    public var rooms = 0
}

/// An import refused because some rows are bad; nothing was written.
public struct RegistryImportRejected: Error, Sendable {
    public let rejections: [RegistryCSV.Rejection]
}

/// Bulk CSV import and export of the registry (street → room), all or nothing.
public struct RegistryTransfer: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    /// Imports every row or none: any bad row (syntax, values, a room already registered, a building
    /// described two ways) rejects the whole file with every reason.
    public func importCSV(_ text: String, districtId: UUID? = nil, dryRun: Bool, now: Date) async throws -> RegistryImportSummary {
        let parsed = RegistryCSV.read(text)
        guard parsed.rejections.isEmpty else { throw RegistryImportRejected(rejections: parsed.rejections) }
        return try await database.db.transaction { tx in
            let district = try await resolveDistrict(districtId, on: tx)
            var plan = try await ImportPlan.load(district: district, rows: parsed.rows, on: tx)
            let rejections = plan.resolve(parsed.rows)
            guard rejections.isEmpty else { throw RegistryImportRejected(rejections: rejections) }
            if !dryRun { try await plan.write(now: now, on: tx) }
            return plan.summary
        }
    }

    func resolveDistrict(_ id: UUID?, on db: any Database) async throws -> UUID {
        let rows = try await db.sql().raw("SELECT id FROM districts ORDER BY name").all().map { try $0.decode(column: "id", as: UUID.self) }
        if let id {
            guard rows.contains(id) else { throw DomainError.notFound(entity: "districts", id: id.uuidString.lowercased()) }
            return id
        }
        guard rows.count == 1 else {
            throw DomainError.invalid([FieldError(field: "districtId", code: rows.isEmpty ? "no_district" : "ambiguous",
                                                  message: rows.isEmpty ? "create the district first" : "name the district to import into")])
        }
        return rows[0]
    }

    /// The registry as CSV, one row per room, sorted along the hierarchy.
    public func exportCSV() async throws -> String {
        var out = CSV.line(RegistryCSV.columns) + "\n"
        let rows = try await database.db.sql().raw("""
            SELECT s.name AS street, cm.name AS community, cp.name AS compound, cp.address, cp.housing_kind, cp.year_built,
              cp.management_mode, b.number AS building, b.floors, b.has_lift, e.number AS entrance, r.number AS room, r.floor, r.use, r.area
            FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            JOIN compounds cp ON cp.id = b.compound_id JOIN communities cm ON cm.id = cp.community_id JOIN streets s ON s.id = cm.street_id
            ORDER BY s.name, cm.name, cp.name, b.number, e.number, r.floor, r.number
            """).all()
        for r in rows {
            out += CSV.line([
                try r.decode(column: "street", as: String.self), try r.decode(column: "community", as: String.self),
                try r.decode(column: "compound", as: String.self), try r.decode(column: "address", as: String.self),
                try r.decode(column: "housing_kind", as: String.self), String(try r.decode(column: "year_built", as: Int64.self)),
                try r.decode(column: "management_mode", as: String.self), try r.decode(column: "building", as: String.self),
                String(try r.decode(column: "floors", as: Int64.self)), try r.decode(column: "has_lift", as: Bool.self) ? "true" : "false",
                try r.decode(column: "entrance", as: String.self), try r.decode(column: "room", as: String.self),
                String(try r.decode(column: "floor", as: Int64.self)), try r.decode(column: "use", as: String.self),
                FixedPoint2.format(try r.decode(column: "area", as: Int64.self)),
            ]) + "\n"
        }
        return out
    }
}
