import Domain
import FluentKit
import Foundation
import SQLKit

/// The three coverage rates (三率) of a district, street or community, computed from the registry's
/// dated facts by `CoverageRules` (committees' terms, contracts' dates, party cover), rolled up
/// compound → community → street → district; and the monthly snapshots that keep their trend.
/// Snapshots are written by `HourlyJobs` for the running month and, for the demo,
/// back-filled from the same dated facts.
struct CoverageService: Sendable {
    let database: AppDatabase
    var db: any Database { database.db }

    /// A district, street or community whose rates are asked for.
    struct Unit: Sendable {
        let level: Level, id: UUID, name: String
        let district: UUID, street: UUID?, community: UUID?
    }

    /// One compound with its place and the facts that decide its rates.
    struct Line: Sendable {
        let id: UUID, name: String, communityId: UUID, community: String, streetId: UUID, street: String, districtId: UUID
        var facts: CoverageFacts
    }

    // MARK: - Who sees which unit

    /// The unit asked for, or the caller's own (district admin → district, street → street,
    /// community → community); staff over it only.
    func unit(_ ctx: AccessContext, level: Level?, id: UUID?) async throws -> Unit {
        var level = level, id = id
        if level == nil || id == nil {
            let order: [(Role, Level)] = [(.districtAdmin, .district), (.streetStaff, .street), (.communityStaff, .community)]
            guard let own = order.lazy.compactMap({ r in ctx.actor.grants.first { $0.role == r.0 }.map { (r.1, $0.scopeId) } }).first else {
                throw DomainError.forbidden(reason: "district, street and community staff follow the three rates")
            }
            (level, id) = (own.0, own.1)
        }
        guard let level, let id, [.district, .street, .community].contains(level) else {
            throw DomainError.invalid([FieldError(field: "level", code: "invalid_choice", message: "district, street or community")])
        }
        let u = try await load(level, id)
        let allowed: Bool = switch level {
        case .district: ctx.actor.isSystem || ctx.actor.grants.contains { $0.role == .districtAdmin && $0.scopeId == u.district }
        case .street: Policy.isStaffOver(ctx.actor, district: u.district, street: u.street!, community: nil)
        default: Policy.isStaffOver(ctx.actor, district: u.district, street: u.street!, community: u.community)
        }
        guard allowed else { throw DomainError.notFound(entity: level.table, id: id.text) }
        return u
    }

    func load(_ level: Level, _ id: UUID) async throws -> Unit {
        let q: SQLQueryString = switch level {
        case .district: "SELECT d.id AS district_id, NULL AS street_id, NULL AS community_id, d.name FROM districts d WHERE d.id = \(bind: id)"
        case .street: "SELECT st.district_id, st.id AS street_id, NULL AS community_id, st.name FROM streets st WHERE st.id = \(bind: id)"
        default: "SELECT st.district_id, st.id AS street_id, cm.id AS community_id, cm.name FROM communities cm JOIN streets st ON st.id = cm.street_id WHERE cm.id = \(bind: id)"
        }
        guard let row = try await db.sql().raw(q).first() else { throw DomainError.notFound(entity: level.table, id: id.text) }
        return Unit(level: level, id: id, name: try row.decode(column: "name", as: String.self), district: try row.decode(column: "district_id", as: UUID.self),
                    street: try row.decode(column: "street_id", as: UUID?.self), community: try row.decode(column: "community_id", as: UUID?.self))
    }

    /// SQL restricting compounds `p` (with communities `cm` and streets `st`) to the unit.
    static func filter(_ u: Unit) -> SQLQueryString {
        switch u.level {
        case .district: "st.district_id = \(bind: u.id)"
        case .street: "cm.street_id = \(bind: u.id)"
        default: "cm.id = \(bind: u.id)"
        }
    }

    // MARK: - Facts

    /// Every compound of the unit with its committees, contracts and party cover (four queries).
    func lines(_ u: Unit) async throws -> [Line] {
        let sql = db.sql(), f = Self.filter(u)
        let from: SQLQueryString = "FROM compounds p JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE "
        var lines = try await sql.raw("SELECT p.id, p.name, p.management_mode, cm.id AS community_id, cm.name AS community, st.id AS street_id, st.name AS street, st.district_id "
                                      + from + f + " ORDER BY st.name, cm.name, p.name").all().map { r in
            Line(id: try r.decode(column: "id", as: UUID.self), name: try r.decode(column: "name", as: String.self),
                 communityId: try r.decode(column: "community_id", as: UUID.self), community: try r.decode(column: "community", as: String.self),
                 streetId: try r.decode(column: "street_id", as: UUID.self), street: try r.decode(column: "street", as: String.self),
                 districtId: try r.decode(column: "district_id", as: UUID.self),
                 facts: CoverageFacts(committees: [], contracts: [], managementMode: ManagementMode(rawValue: try r.decode(column: "management_mode", as: String.self)) ?? .none,
                                      partyCoversCompound: false))
        }
        var index: [UUID: Int] = [:]
        for (i, l) in lines.enumerated() { index[l.id] = i }
        func date(_ r: any SQLRow, _ c: String) throws -> CivilDate? { try r.decode(column: c, as: String?.self).flatMap { CivilDate($0) } }
        for r in try await sql.raw("SELECT k.compound_id, k.kind, k.term_start, k.term_end FROM committees k JOIN compounds p ON p.id = k.compound_id "
                                   + "JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE " + f).all() {
            guard let i = index[try r.decode(column: "compound_id", as: UUID.self)], let kind = CommitteeKind(rawValue: try r.decode(column: "kind", as: String.self)),
                  let start = try date(r, "term_start") else { continue }
            lines[i].facts.committees.append(CommitteeTerm(kind: kind, start: start, end: try date(r, "term_end")))
        }
        for r in try await sql.raw("""
            SELECT k.compound_id, k.starts_on, k.ends_on, co.state_owned,
            CASE WHEN EXISTS (SELECT 1 FROM party_coverages v WHERE v.company_id = k.company_id) THEN 1 ELSE 0 END AS covered
            FROM contracts k JOIN companies co ON co.id = k.company_id JOIN compounds p ON p.id = k.compound_id
            JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE
            """ + " " + f).all() {
            guard let i = index[try r.decode(column: "compound_id", as: UUID.self)], let start = try date(r, "starts_on") else { continue }
            lines[i].facts.contracts.append(ContractTerm(start: start, end: try date(r, "ends_on"), stateOwned: try r.decode(column: "state_owned", as: Bool.self),
                                                         partyCovered: try r.decode(column: "covered", as: Int64.self) == 1))
        }
        for r in try await sql.raw("SELECT DISTINCT v.compound_id FROM party_coverages v JOIN compounds p ON p.id = v.compound_id "
                                   + "JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id WHERE " + f).all() {
            if let i = index[try r.decode(column: "compound_id", as: UUID.self)] { lines[i].facts.partyCoversCompound = true }
        }
        return lines
    }

    // MARK: - Reading

    /// A unit's rates on `day`: its total, its children's, and (for a community) each compound's.
    struct Overview: Sendable {
        let unit: Unit, day: CivilDate, total: CoverageTally
        let children: [(level: Level, id: UUID, name: String, tally: CoverageTally)]
        let compounds: [(line: Line, coverage: CompoundCoverage)]
    }

    func overview(_ ctx: AccessContext, _ u: Unit) async throws -> Overview {
        let day = ctx.todayDate, settings = try await settings(district: u.district)
        let evaluated = try await lines(u).map { ($0, CoverageRules.evaluate($0.facts, on: day, settings)) }
        var total = CoverageTally()
        for (_, c) in evaluated { total.add(c) }
        var children: [(level: Level, id: UUID, name: String, tally: CoverageTally)] = []
        if u.level != .community {
            let childLevel: Level = u.level == .district ? .street : .community
            let key: (Line) -> (UUID, String) = childLevel == .street ? { ($0.streetId, $0.street) } : { ($0.communityId, $0.community) }
            let tallies = CoverageRules.rollup(evaluated.map { (key: key($0.0).0, coverage: $0.1) })
            var seen = Set<UUID>()
            for (l, _) in evaluated where seen.insert(key(l).0).inserted {
                children.append((childLevel, key(l).0, key(l).1, tallies[key(l).0] ?? CoverageTally()))
            }
        }
        return Overview(unit: u, day: day, total: total, children: children, compounds: u.level == .community ? evaluated.map { (line: $0.0, coverage: $0.1) } : [])
    }

    /// The unit's compounds on `day`, those missing `rate` only when given.
    func compounds(_ ctx: AccessContext, _ u: Unit, missing rate: CoverageRules.Rate?) async throws -> [(line: Line, coverage: CompoundCoverage)] {
        let day = ctx.todayDate, settings = try await settings(district: u.district)
        return try await lines(u).map { ($0, CoverageRules.evaluate($0.facts, on: day, settings)) }
            .filter { rate == nil || CoverageRules.misses($0.1, rate!) }.map { (line: $0.0, coverage: $0.1) }
    }

    /// The unit's monthly snapshots (oldest first), the running month computed afresh.
    func history(_ ctx: AccessContext, _ u: Unit, current: CoverageTally) async throws -> [(month: String, tally: CoverageTally)] {
        let month = String(ctx.todayDate.description.prefix(7))
        var out = try await db.sql().raw("""
            SELECT month, compounds, committee, service, party FROM coverage_snapshots WHERE scope_id = \(bind: u.id) AND month < \(bind: month) ORDER BY month DESC LIMIT 23
            """).all().map { r in
            (month: try r.decode(column: "month", as: String.self),
             tally: CoverageTally(compounds: try r.decode(column: "compounds", as: Int64.self), committee: try r.decode(column: "committee", as: Int64.self),
                                  service: try r.decode(column: "service", as: Int64.self), party: try r.decode(column: "party", as: Int64.self)))
        }.reversed().map { $0 }
        out.append((month, current))
        return out
    }

    // MARK: - The district's settings

    /// What the district counts as served: its own choice, or the standard one.
    func settings(district: UUID, on given: (any Database)? = nil) async throws -> CoverageSettings {
        guard let row = try await (given ?? db).sql().raw("SELECT coverage_state_fallback, coverage_self_managed FROM districts WHERE id = \(bind: district)").first() else {
            throw DomainError.notFound(entity: "districts", id: district.text)
        }
        let standard = CoverageSettings.standard
        return CoverageSettings(countStateFallback: try row.decode(column: "coverage_state_fallback", as: Bool?.self) ?? standard.countStateFallback,
                                countSelfManaged: try row.decode(column: "coverage_self_managed", as: Bool?.self) ?? standard.countSelfManaged)
    }

    /// District admins choose; the running month's snapshot is rewritten at once (earlier months keep what they counted).
    func saveSettings(_ ctx: AccessContext, district: UUID, _ s: CoverageSettings) async throws {
        guard Policy.mayAdminister(ctx.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
        try await db.transaction { tx in
            let before = try await settings(district: district, on: tx)
            try await tx.sql().raw("""
                UPDATE districts SET coverage_state_fallback = \(bind: s.countStateFallback), coverage_self_managed = \(bind: s.countSelfManaged),
                updated_at = \(bind: ctx.now) WHERE id = \(bind: district)
                """).run()
            try await AuditLog().record(ctx, action: "update", entity: "coverage-settings", entityId: district, districtId: district,
                                        before: .object(["countStateFallback": .bool(before.countStateFallback), "countSelfManaged": .bool(before.countSelfManaged)]),
                                        after: .object(["countStateFallback": .bool(s.countStateFallback), "countSelfManaged": .bool(s.countSelfManaged)]), on: tx)
        }
        _ = try await record(day: ctx.todayDate, now: ctx.now)
    }

    // MARK: - Snapshots

    /// Writes every district's, street's and community's tally on `day` as the snapshot of its
    /// month (replacing an earlier one of the same month), one district per transaction.
    func record(day: CivilDate, now: Date) async throws -> Int {
        let month = String(day.description.prefix(7))
        var written = 0
        for district in try await db.sql().raw("SELECT id FROM districts ORDER BY id").all().map({ try $0.decode(column: "id", as: UUID.self) }) {
            let u = try await load(.district, district), settings = try await settings(district: district)
            let evaluated = try await lines(u).map { ($0, CoverageRules.evaluate($0.facts, on: day, settings)) }
            var rows: [(Level, UUID, CoverageTally)] = []
            for (id, t) in CoverageRules.rollup(evaluated.map { (key: $0.0.communityId, coverage: $0.1) }) { rows.append((.community, id, t)) }
            for (id, t) in CoverageRules.rollup(evaluated.map { (key: $0.0.streetId, coverage: $0.1) }) { rows.append((.street, id, t)) }
            var total = CoverageTally()
            for (_, c) in evaluated { total.add(c) }
            rows.append((.district, district, total))
            let snapshot = rows
            try await db.transaction { tx in
                try await tx.sql().raw("DELETE FROM coverage_snapshots WHERE district_id = \(bind: district) AND month = \(bind: month)").run()
                try await BulkWriter(db: tx).insert("coverage_snapshots", columns: ["id", "district_id", "month", "day", "level", "scope_id", "compounds", "committee",
                                                                                    "service", "party", "created_at", "updated_at"],
                                                    rows: snapshot.map { level, id, t in
                    [Bind.uuid(UUID.random()), Bind.uuid(district), Bind.text(month), Bind.text(day.description), Bind.text(level.table), Bind.uuid(id),
                     Bind.int(t.compounds), Bind.int(t.committee), Bind.int(t.service), Bind.int(t.party), Bind.date(now), Bind.date(now)]
                })
            }
            written += rows.count
        }
        return written
    }
}
