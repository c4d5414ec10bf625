import Domain
import FluentKit
import Foundation
import SQLKit

/// A level of the registry hierarchy, from the district down to rooms.
enum Level: Int, Sendable, CaseIterable {
    case district, street, community, compound, building, entrance, room

    var table: String { ["districts", "streets", "communities", "compounds", "buildings", "entrances", "rooms"][rawValue] }
    /// The column that points at the level above.
    var parentColumn: String? { [nil, "district_id", "street_id", "community_id", "compound_id", "building_id", "entrance_id"][rawValue] }
    var labelColumn: String { rawValue >= Level.building.rawValue ? "number" : "name" }
    var child: Level? { Level(rawValue: rawValue + 1) }
    var parent: Level? { Level(rawValue: rawValue - 1) }
}

/// One row of a children table with the counts beneath it.
struct LevelRow: Sendable {
    let id: UUID
    let label: String
    var counts: [Level: Int64] = [:]
    var area: Int64 = 0
    var served: Int64 = 0
    var withCommittee: Int64 = 0
}

/// The read queries behind the registry pages (SQLKit: grouped counts, not row-by-row models).
struct RegistryStore: Sendable {
    let db: any Database

    /// The children of `parentId` at `level`, with counts of every level below and coverage counts.
    func children(at level: Level, under parentId: UUID?, today: CivilDate, visible: (ScopeChain, SQLQueryString)) async throws -> [LevelRow] {
        let sql = db.sql()
        let (chain, condition) = visible
        var query: SQLQueryString = "SELECT t0.id AS id, t0.\(unsafeRaw: level.labelColumn) AS label FROM \(unsafeRaw: chain.from) WHERE \(condition)"
        if let parentColumn = level.parentColumn, let parentId {
            query += " AND t0.\(unsafeRaw: parentColumn) = \(bind: parentId)"
        }
        query += " ORDER BY t0.\(unsafeRaw: level.labelColumn)"
        var rows = try await sql.raw(query).all().map {
            LevelRow(id: try $0.decode(column: "id", as: UUID.self), label: try $0.decode(column: "label", as: String.self))
        }
        guard !rows.isEmpty, let parentId else { return rows }
        var index: [UUID: Int] = [:]
        for (i, r) in rows.enumerated() { index[r.id] = i }
        var below = level.child
        while let d = below {
            for (key, n, area) in try await count(d, groupedBy: level, under: parentId, withArea: d == .room) {
                if let i = index[key] { rows[i].counts[d] = n; if d == .room { rows[i].area = area } }
            }
            below = d.child
        }
        if level.rawValue <= Level.compound.rawValue {
            let serving = "EXISTS (SELECT 1 FROM contracts k WHERE k.compound_id = t\(Level.compound.rawValue).id AND k.starts_on <= '\(today)' AND (k.ends_on IS NULL OR k.ends_on >= '\(today)'))"
            // As `CoverageRules.hasCommittee`: an owners' committee or 物管会 in term; a preparatory group is not one.
            let committee = "EXISTS (SELECT 1 FROM committees m WHERE m.compound_id = t\(Level.compound.rawValue).id AND m.kind IN ('owners_committee', 'management_committee') AND m.term_start <= '\(today)' AND (m.term_end IS NULL OR m.term_end >= '\(today)'))"
            for (key, n, _) in try await count(.compound, groupedBy: level, under: parentId, withArea: false, condition: serving) {
                if let i = index[key] { rows[i].served = n }
            }
            for (key, n, _) in try await count(.compound, groupedBy: level, under: parentId, withArea: false, condition: committee) {
                if let i = index[key] { rows[i].withCommittee = n }
            }
        }
        return rows
    }

    /// Rows of `descendant` grouped by their ancestor at `level`, for ancestors under `parentId`.
    /// `condition` is trusted SQL (built from dates, never from input) on the descendant's alias.
    func count(_ descendant: Level, groupedBy level: Level, under parentId: UUID, withArea: Bool,
               condition: String? = nil) async throws -> [(UUID, Int64, Int64)] {
        var joins = "\(descendant.table) t\(descendant.rawValue)"
        var current = descendant
        while current.rawValue > level.rawValue, let up = current.parent {
            joins += " JOIN \(up.table) t\(up.rawValue) ON t\(current.rawValue).\(current.parentColumn!) = t\(up.rawValue).id"
            current = up
        }
        let levelAlias = "t\(level.rawValue)"
        if level == descendant {
            // Counting a level against itself (compounds with a contract, grouped by compound).
            joins = "\(descendant.table) t\(descendant.rawValue)"
        }
        let areaColumn = withArea ? "CAST(SUM(t\(descendant.rawValue).area) AS BIGINT)" : "CAST(0 AS BIGINT)"
        let extra = condition.map { " AND \($0)" } ?? ""
        let query: SQLQueryString = "SELECT \(unsafeRaw: levelAlias).id AS k, COUNT(*) AS n, \(unsafeRaw: areaColumn) AS a FROM \(unsafeRaw: joins) WHERE \(unsafeRaw: levelAlias).\(unsafeRaw: level.parentColumn!) = \(bind: parentId)\(unsafeRaw: extra) GROUP BY \(unsafeRaw: levelAlias).id"
        return try await db.sql().raw(query).all().map {
            (try $0.decode(column: "k", as: UUID.self), try $0.decode(column: "n", as: Int64.self),
             (try? $0.decode(column: "a", as: Int64?.self) ?? 0) ?? 0)
        }
    }

    /// The label of one row of a level, or nil when it does not exist.
    func label(_ level: Level, _ id: UUID) async throws -> (label: String, parent: UUID?)? {
        let parent = level.parentColumn.map { ", \($0) AS p" } ?? ""
        let row = try await db.sql().raw("SELECT \(ident: level.labelColumn) AS label\(unsafeRaw: parent) FROM \(ident: level.table) WHERE id = \(bind: id)").first()
        guard let row else { return nil }
        return (try row.decode(column: "label", as: String.self), level.parentColumn == nil ? nil : try row.decode(column: "p", as: UUID.self))
    }

    /// The path from the district down to `id` at `level`: [(level, id, label)].
    func path(_ level: Level, _ id: UUID) async throws -> [(Level, UUID, String)]? {
        var out: [(Level, UUID, String)] = []
        var current: (Level, UUID)? = (level, id)
        while let (l, i) = current {
            guard let found = try await label(l, i) else { return nil }
            out.insert((l, i, found.label), at: 0)
            current = l.parent.flatMap { p in found.parent.map { (p, $0) } }
        }
        return out
    }
}
