import Domain
import FluentKit
import Foundation
import SQLKit

/// The existing registry a file is imported into, and the rows the file adds to it.
struct ImportPlan {
    let district: UUID
    var streets: [String: UUID] = [:]
    var communities: [[String]: UUID] = [:]
    var compounds: [[String]: UUID] = [:]
    var buildings: [[String]: (id: UUID, floors: Int, line: Int)] = [:]
    var entrances: [[String]: UUID] = [:]
    var rooms: Set<[String]> = []
    var compoundShape: [[String]: (row: RegistryCSV.Row, line: Int)] = [:]

    var newStreets: [(UUID, String)] = []
    var newCommunities: [(UUID, UUID, String)] = []
    var newCompounds: [(UUID, UUID, RegistryCSV.Row)] = []
    var newBuildings: [(UUID, UUID, RegistryCSV.Row)] = []
    var newEntrances: [(UUID, UUID, String)] = []
    var newRooms: [(UUID, UUID, RegistryCSV.Row)] = []
    var summary = RegistryImportSummary()

    /// Loads the district's streets, communities and compounds, and the buildings, entrances and
    /// rooms of the compounds the file names.
    static func load(district: UUID, rows: [RegistryCSV.Row], on db: any Database) async throws -> ImportPlan {
        var plan = ImportPlan(district: district)
        let sql = db.sql()
        for r in try await sql.raw("""
            SELECT s.name AS s, cm.name AS c, cp.name AS p, s.id AS sid, cm.id AS cid, cp.id AS pid FROM streets s
            LEFT JOIN communities cm ON cm.street_id = s.id LEFT JOIN compounds cp ON cp.community_id = cm.id
            WHERE s.district_id = \(bind: district)
            """).all() {
            let s = try r.decode(column: "s", as: String.self)
            plan.streets[s] = try r.decode(column: "sid", as: UUID.self)
            if let c = try r.decode(column: "c", as: String?.self) {
                plan.communities[[s, c]] = try r.decode(column: "cid", as: UUID.self)
                if let p = try r.decode(column: "p", as: String?.self) { plan.compounds[[s, c, p]] = try r.decode(column: "pid", as: UUID.self) }
            }
        }
        let touched = Set(rows.compactMap { plan.compounds[[$0.street, $0.community, $0.compound]] })
        for (key, compoundId) in plan.compounds where touched.contains(compoundId) {
            for r in try await sql.raw("""
                SELECT b.id AS bid, b.number AS b, b.floors, e.id AS eid, e.number AS e, r.number AS r FROM buildings b
                LEFT JOIN entrances e ON e.building_id = b.id LEFT JOIN rooms r ON r.entrance_id = e.id WHERE b.compound_id = \(bind: compoundId)
                """).all() {
                let b = try r.decode(column: "b", as: String.self)
                plan.buildings[key + [b]] = (try r.decode(column: "bid", as: UUID.self), Int(try r.decode(column: "floors", as: Int64.self)), 0)
                if let e = try r.decode(column: "e", as: String?.self) {
                    plan.entrances[key + [b, e]] = try r.decode(column: "eid", as: UUID.self)
                    if let room = try r.decode(column: "r", as: String?.self) { plan.rooms.insert(key + [b, e, room]) }
                }
            }
        }
        return plan
    }

    /// Places every row, creating what is missing; returns the rows that cannot be placed.
    mutating func resolve(_ rows: [RegistryCSV.Row]) -> [RegistryCSV.Rejection] {
        var rejections: [RegistryCSV.Rejection] = []
        for row in rows {
            var errors = FieldErrors()
            let ck = [row.street, row.community, row.compound]
            let bk = ck + [row.building]
            if rooms.contains(row.roomKey) { errors.add("room", "exists", "room \(row.room) is already registered") }
            if let shape = compoundShape[ck], shape.row.address != row.address || shape.row.housingKind != row.housingKind
                || shape.row.yearBuilt != row.yearBuilt || shape.row.managementMode != row.managementMode {
                errors.add("compound", "inconsistent", "compound \(row.compound) is described differently on line \(shape.line)")
            }
            if let b = buildings[bk], b.floors != row.floors {
                errors.add("floors", "inconsistent", b.line > 0 ? "building \(row.building) has \(b.floors) floors on line \(b.line)"
                                                                 : "building \(row.building) is registered with \(b.floors) floors")
            }
            if row.floor > row.floors { errors.add("floor", "out_of_range", "floor \(row.floor) is above the building's \(row.floors) floors") }
            guard errors.isEmpty else { rejections.append(.init(line: row.line, errors: errors.all)); continue }
            summary.rows += 1
            let street = streets[row.street] ?? {
                let id = UUID.random(); streets[row.street] = id; newStreets.append((id, row.street)); summary.streets += 1; return id
            }()
            let community = communities[[row.street, row.community]] ?? {
                let id = UUID.random(); communities[[row.street, row.community]] = id; newCommunities.append((id, street, row.community))
                summary.communities += 1; return id
            }()
            let compound = compounds[ck] ?? {
                let id = UUID.random(); compounds[ck] = id; newCompounds.append((id, community, row)); summary.compounds += 1; return id
            }()
            if compoundShape[ck] == nil { compoundShape[ck] = (row, row.line) }
            let building = buildings[bk]?.id ?? {
                let id = UUID.random(); buildings[bk] = (id, row.floors, row.line); newBuildings.append((id, compound, row)); summary.buildings += 1; return id
            }()
            let entrance = entrances[bk + [row.entrance]] ?? {
                let id = UUID.random(); entrances[bk + [row.entrance]] = id; newEntrances.append((id, building, row.entrance)); summary.entrances += 1; return id
            }()
            rooms.insert(row.roomKey)
            newRooms.append((UUID.random(), entrance, row))
            summary.rooms += 1
        }
        return rejections
    }

    func write(now: Date, on db: any Database) async throws {
        let w = BulkWriter(db: db)
        let ts = Bind.date(now)
        let stamp = ["created_at", "updated_at"]
        try await w.insert("streets", columns: ["id", "district_id", "name", "kind"] + stamp, rows: newStreets.map {
            [Bind.uuid($0.0), Bind.uuid(district), Bind.text($0.1), Bind.text(($0.1.hasSuffix("乡") ? StreetKind.township : .subdistrict).rawValue), ts, ts]
        })
        try await w.insert("communities", columns: ["id", "street_id", "name"] + stamp, rows: newCommunities.map {
            [Bind.uuid($0.0), Bind.uuid($0.1), Bind.text($0.2), ts, ts]
        })
        try await w.insert("compounds", columns: ["id", "community_id", "name", "address", "housing_kind", "year_built", "management_mode"] + stamp,
                           rows: newCompounds.map { id, community, r in
                               [Bind.uuid(id), Bind.uuid(community), Bind.text(r.compound), Bind.text(r.address), Bind.text(r.housingKind.rawValue),
                                Bind.int(r.yearBuilt), Bind.text(r.managementMode.rawValue), ts, ts]
                           })
        try await w.insert("buildings", columns: ["id", "compound_id", "number", "floors", "has_lift"] + stamp, rows: newBuildings.map { id, compound, r in
            [Bind.uuid(id), Bind.uuid(compound), Bind.text(r.building), Bind.int(r.floors), Bind.bool(r.hasLift), ts, ts]
        })
        try await w.insert("entrances", columns: ["id", "building_id", "number"] + stamp, rows: newEntrances.map {
            [Bind.uuid($0.0), Bind.uuid($0.1), Bind.text($0.2), ts, ts]
        })
        try await w.insert("rooms", columns: ["id", "entrance_id", "number", "floor", "use", "area"] + stamp, rows: newRooms.map { id, entrance, r in
            [Bind.uuid(id), Bind.uuid(entrance), Bind.text(r.room), Bind.int(r.floor), Bind.text(r.use.rawValue), Bind.int(r.area.hundredths), ts, ts]
        })
    }
}
