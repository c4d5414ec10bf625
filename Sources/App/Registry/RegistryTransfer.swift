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
    func importCSV(_ ctx: AccessContext, _ text: String, districtId: UUID? = nil, dryRun: Bool) async throws -> RegistryImportSummary {
        let parsed = RegistryCSV.read(text, labels: RegistryLabels.make(.zhHans))
        guard parsed.rejections.isEmpty else { throw RegistryImportRejected(rejections: parsed.rejections) }
        return try await database.db.transaction { tx in
            let district = try await resolveDistrict(ctx, districtId, on: tx)
            var plan = try await ImportPlan.load(district: district, rows: parsed.rows, on: tx)
            let rejections = plan.resolve(parsed.rows)
            guard rejections.isEmpty else { throw RegistryImportRejected(rejections: rejections) }
            if !dryRun {
                try await plan.write(now: ctx.now, on: tx)
                let s = plan.summary
                try await AuditLog().record(ctx, action: "import", entity: "districts", entityId: district, districtId: district, before: nil,
                                            after: .object(["rows": .int(Int64(s.rows)), "streets": .int(Int64(s.streets)),
                                                            "communities": .int(Int64(s.communities)), "compounds": .int(Int64(s.compounds)),
                                                            "buildings": .int(Int64(s.buildings)), "entrances": .int(Int64(s.entrances)),
                                                            "rooms": .int(Int64(s.rooms))]), on: tx)
            }
            return plan.summary
        }
    }

    /// The district to import into: the one named, or the only one the actor administers.
    func resolveDistrict(_ ctx: AccessContext, _ id: UUID?, on db: any Database) async throws -> UUID {
        let rows = try await db.sql().raw("SELECT id FROM districts ORDER BY name").all().map { try $0.decode(column: "id", as: UUID.self) }
            .filter { Policy.mayAdminister(ctx.actor, district: $0) }
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

    /// The registry as CSV, one row per room, sorted along the hierarchy, handed to `write` a
    /// compound at a time so that a whole district (1.5 million rooms) is never in memory at once.
    /// With `labels`, the headings and codes are words and the file starts with a byte-order mark (so Excel reads it as UTF-8).
    func exportCSV(_ ctx: AccessContext, labels: RegistryCSV.Labels? = nil, write: (String) async throws -> Void) async throws {
        let districts = try await database.db.sql().raw("SELECT id FROM districts").all().map { try $0.decode(column: "id", as: UUID.self) }
            .filter { Policy.mayAdminister(ctx.actor, district: $0) }
        try await write((labels == nil ? "" : "\u{FEFF}") + RegistryCSV.header(labels: labels) + "\n")
        func word(_ family: String, _ code: String) -> String { labels?.codes[family]?[code] ?? code }
        guard !districts.isEmpty else { return }
        let inDistricts: SQLQueryString = "s.district_id IN (" + districts.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
        let compounds = try await database.db.sql().raw("""
            SELECT cp.id, s.name AS street, cm.name AS community, cp.name AS compound, cp.address, cp.housing_kind, cp.year_built, cp.management_mode
            FROM compounds cp JOIN communities cm ON cm.id = cp.community_id JOIN streets s ON s.id = cm.street_id
            WHERE \(inDistricts) ORDER BY s.name, cm.name, cp.name, cp.id
            """).all()
        for c in compounds {
            let prefix = [try c.decode(column: "street", as: String.self), try c.decode(column: "community", as: String.self),
                          try c.decode(column: "compound", as: String.self), try c.decode(column: "address", as: String.self),
                          word(HousingKind.codeFamily, try c.decode(column: "housing_kind", as: String.self)),
                          String(try c.decode(column: "year_built", as: Int64.self)),
                          word(ManagementMode.codeFamily, try c.decode(column: "management_mode", as: String.self))]
            let rooms = try await database.db.sql().raw("""
                SELECT b.number AS building, b.floors, b.has_lift, e.number AS entrance, r.number AS room, r.floor, r.use, r.area
                FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE b.compound_id = \(bind: try c.decode(column: "id", as: UUID.self)) ORDER BY b.number, e.number, r.floor, r.number
                """).all()
            var chunk = ""
            for r in rooms {
                chunk += CSV.line(prefix + [
                    try r.decode(column: "building", as: String.self), String(try r.decode(column: "floors", as: Int64.self)),
                    try r.decode(column: "has_lift", as: Bool.self) ? (labels?.yes ?? "true") : (labels?.no ?? "false"),
                    try r.decode(column: "entrance", as: String.self), try r.decode(column: "room", as: String.self),
                    String(try r.decode(column: "floor", as: Int64.self)), word(RoomUse.codeFamily, try r.decode(column: "use", as: String.self)),
                    FixedPoint2.format(try r.decode(column: "area", as: Int64.self)),
                ]) + "\n"
            }
            if !chunk.isEmpty { try await write(chunk) }
        }
    }
}

extension RegistryTransfer {
    /// `gongzhi import registry`: the command line acts as the system, recorded as `cli` in the audit log.
    public func importFromCommandLine(_ text: String, dryRun: Bool, now: Date) async throws -> RegistryImportSummary {
        try await importCSV(.system("cli", source: "import", now: now), text, dryRun: dryRun)
    }

    /// `gongzhi export registry`: each chunk to `write` as it is made; answers the rooms written.
    public func exportFromCommandLine(now: Date, excel: Bool = false, write: (String) async throws -> Void) async throws -> Int {
        var rooms = -1
        try await exportCSV(.system("cli", source: "cli", now: now), labels: excel ? RegistryLabels.make(.zhHans) : nil) { chunk in
            rooms += chunk.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            try await write(chunk)
        }
        return rooms
    }
}
