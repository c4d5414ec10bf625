import Domain
import FluentKit
import Foundation
import SQLKit

/// A shared meter with its latest reading.
struct MeterRecord: Sendable {
    let id: UUID, compoundId: UUID, buildingId: UUID?, kind: MeterKind, name: String, unitPrice: Int64
    var lastMonth: String?, lastReading: Int64?
}

/// One month's reading of a meter, as entered or imported.
struct MeterReadingInput: Sendable {
    let meter: String
    let month: CivilDate
    let reading: Int64
    let meterChanged: Bool
}

extension FeeService {
    func meters(_ ctx: AccessContext, compound: UUID, on db: (any Database)? = nil) async throws -> [MeterRecord] {
        let db = db ?? self.db
        try await store.access.authorize(ctx, .read, "fees", inCompound: compound, on: db)
        return try await db.sql().raw("""
            SELECT m.*, (SELECT x.month FROM meter_readings x WHERE x.meter_id = m.id ORDER BY x.month DESC LIMIT 1) AS last_month,
              (SELECT x.reading FROM meter_readings x WHERE x.meter_id = m.id ORDER BY x.month DESC LIMIT 1) AS last_reading
            FROM meters m WHERE m.compound_id = \(bind: compound) ORDER BY m.name
            """).all().map { r in
            MeterRecord(id: try r.decode(column: "id", as: UUID.self), compoundId: compound, buildingId: try r.decode(column: "building_id", as: UUID?.self),
                        kind: MeterKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .water, name: try r.decode(column: "name", as: String.self),
                        unitPrice: try r.decode(column: "unit_price", as: Int64.self), lastMonth: try r.decode(column: "last_month", as: String?.self),
                        lastReading: try r.decode(column: "last_reading", as: Int64?.self))
        }
    }

    /// Adds a shared meter for the compound or one of its buildings.
    func addMeter(_ ctx: AccessContext, compound: UUID, name: String, kind: MeterKind, building: UUID?, unitPrice: Int64) async throws -> MeterRecord {
        try await db.transaction { tx in
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            if let building, try await tx.sql().raw("SELECT id FROM buildings WHERE id = \(bind: building) AND compound_id = \(bind: compound)").first() == nil {
                throw DomainError.invalid([FieldError(field: "buildingId", code: "unknown_reference", message: "the building is not in this compound")])
            }
            if try await tx.sql().raw("SELECT id FROM meters WHERE compound_id = \(bind: compound) AND name = \(bind: name)").first() != nil {
                throw DomainError.invalid([FieldError(field: "name", code: "duplicate", message: "the compound has a meter of that name")])
            }
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "meters").columns("id", "compound_id", "building_id", "kind", "name", "unit_price", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(compound), Bind.uuid(building), Bind.text(kind.rawValue), Bind.text(name), Bind.int(unitPrice), now, now]).run()
            try await audit.record(ctx, action: "create", entity: "meters", entityId: id, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["name": .string(name), "kind": .string(kind.rawValue), "unitPrice": .string(FixedPoint2.format(unitPrice))]), on: tx)
            return MeterRecord(id: id, compoundId: compound, buildingId: building, kind: kind, name: name, unitPrice: unitPrice)
        }
    }

    /// Records readings (one month each, all or none): each month's usage costs its meter's price,
    /// shared by area to the rooms it serves as a bill item owed to the company serving that month.
    /// A reading below the last is refused unless marked as a new meter. Errors name the line.
    func record(_ ctx: AccessContext, compound: UUID, readings: [MeterReadingInput]) async throws -> (readings: Int, billed: Int64) {
        try await db.transaction { tx in
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            let meters = try await meters(ctx, compound: compound, on: tx)
            var errors = FieldErrors()
            var billed: Int64 = 0
            let now = Bind.date(ctx.now)
            for (i, input) in readings.enumerated() {
                let field = "readings[\(i)]"
                guard let meter = meters.first(where: { $0.id.text == input.meter.lowercased() || $0.name == input.meter }) else {
                    errors.add(field + ".meter", "unknown_reference", "no meter of this compound is called \(input.meter)"); continue
                }
                let month = String(input.month.description.prefix(7))
                let previous = try await tx.sql().raw("""
                    SELECT month, reading FROM meter_readings WHERE meter_id = \(bind: meter.id) ORDER BY month DESC LIMIT 1
                    """).first()
                if let last = try previous?.decode(column: "month", as: String.self), last >= month {
                    errors.add(field + ".month", "not_after_last", "the meter's last reading is for \(last)"); continue
                }
                let usage: Int64
                switch SharedMeters.usage(previous: try previous?.decode(column: "reading", as: Int64.self), current: input.reading, meterChanged: input.meterChanged) {
                case .success(let u): usage = u
                case .failure(let refusal): errors.add(field + ".reading", refusal.rawValue, "the reading is below the last one; mark a new meter as changed"); continue
                }
                let cost = SharedMeters.cost(usage: usage, unitPrice: meter.unitPrice)
                if cost > Billing.maximumBill { errors.add(field + ".reading", "out_of_range", "the month's cost is implausibly large"); continue }
                try await tx.sql().insert(into: "meter_readings").columns("id", "meter_id", "month", "reading", "meter_changed", "usage", "cost", "recorded_by", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(meter.id), Bind.text(month), Bind.int(input.reading), Bind.bool(input.meterChanged), Bind.int(usage), Bind.int(cost),
                             Bind.text(ctx.actor.label), now, now]).run()
                guard cost > 0 else { continue }
                // The company serving at the month's end collects it.
                let end = CivilDate(year: input.month.year, month: input.month.month, day: CivilDate.daysIn(month: input.month.month, year: input.month.year))
                guard let contract = try await tx.sql().raw("""
                    SELECT id, company_id FROM contracts WHERE compound_id = \(bind: compound) AND starts_on <= \(bind: end.description)
                    AND (ends_on IS NULL OR ends_on >= \(bind: end.description)) ORDER BY starts_on DESC LIMIT 1
                    """).first() else { errors.add(field + ".month", "no_contract", "no company served the compound at the end of \(month)"); continue }
                let building: SQLQueryString = meter.buildingId.map { " AND b.id = \(bind: $0)" } ?? ""
                let rooms = try await tx.sql().raw("""
                    SELECT r.id, r.area FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
                    """ + building).all().map { (id: try $0.decode(column: "id", as: UUID.self), weight: try $0.decode(column: "area", as: Int64.self)) }
                let areas = Dictionary(uniqueKeysWithValues: rooms.map { ($0.id, $0.weight) })
                let first = CivilDate(year: input.month.year, month: input.month.month, day: 1)
                let rows: [[any SQLExpression]] = SharedMeters.shares(cost, areas: rooms).filter { $0.value > 0 }.sorted { $0.key.uuidString < $1.key.uuidString }.map { room, share in
                    [Bind.uuid(UUID.random()), Bind.uuid(room), Bind.uuid(compound), Bind.uuid(try! contract.decode(column: "company_id", as: UUID.self)),
                     Bind.uuid(try! contract.decode(column: "id", as: UUID.self)), Bind.text("meter:" + meter.id.text), Bind.text(first.description), Bind.text(end.description),
                     Bind.text(end.description), Bind.int(areas[room] ?? 0), Bind.int(0), Bind.int(share), now, now]
                }
                try await BulkWriter(db: tx).insert("bills", columns: ["id", "room_id", "compound_id", "company_id", "contract_id", "item", "period_start", "period_end",
                                                                       "due_on", "area", "rate", "amount", "created_at", "updated_at"], rows: rows)
                billed += cost
            }
            try errors.throwIfAny()
            try await audit.record(ctx, action: "meter-readings", entity: "meters", entityId: compound, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["readings": .int(Int64(readings.count)), "billed": .string(FixedPoint2.format(billed))]), on: tx)
            return (readings.count, billed)
        }
    }

    /// A charge of its own on one room for one month (parking, or another item with a note), owed
    /// to the company serving at the month's end; one of each item per room and month.
    func charge(_ ctx: AccessContext, room: UUID, item: ChargeItem, month: CivilDate, amount: Int64) async throws -> BillRecord {
        try await db.transaction { tx in
            let compound = try await compound(ofRoom: room, on: tx)
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            guard amount > 0, amount <= Billing.maximumBill else {
                throw DomainError.invalid([FieldError(field: "amount", code: "out_of_range", message: "more than 0 and at most ten billion yuan")])
            }
            let first = CivilDate(year: month.year, month: month.month, day: 1)
            let end = CivilDate(year: month.year, month: month.month, day: CivilDate.daysIn(month: month.month, year: month.year))
            guard let contract = try await tx.sql().raw("""
                SELECT id, company_id FROM contracts WHERE compound_id = \(bind: compound) AND starts_on <= \(bind: end.description)
                AND (ends_on IS NULL OR ends_on >= \(bind: end.description)) ORDER BY starts_on DESC LIMIT 1
                """).first() else { throw DomainError.conflict(code: "no_contract", message: "no company served the compound at the end of that month") }
            let id = UUID.random(), now = Bind.date(ctx.now)
            let area = try await tx.sql().raw("SELECT area FROM rooms WHERE id = \(bind: room)").first()?.decode(column: "area", as: Int64.self) ?? 0
            let made = try await tx.sql().insert(into: "bills")
                .columns("id", "room_id", "compound_id", "company_id", "contract_id", "item", "period_start", "period_end", "due_on", "area", "rate", "amount",
                         "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(room), Bind.uuid(compound), Bind.uuid(try contract.decode(column: "company_id", as: UUID.self)),
                         Bind.uuid(try contract.decode(column: "id", as: UUID.self)), Bind.text(item.rawValue), Bind.text(first.description), Bind.text(end.description),
                         Bind.text(end.description), Bind.int(area), Bind.int(0), Bind.int(amount), now, now])
                .ignoringConflicts(with: ["room_id", "contract_id", "item", "period_start"]).returning("id").all()
            guard !made.isEmpty else { throw DomainError.conflict(code: "already_charged", message: "the room has this item for that month already") }
            try await audit.record(ctx, action: "charge", entity: "bills", entityId: id, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["item": .string(item.rawValue), "amount": .string(FixedPoint2.format(amount)), "month": .string(first.description)]), on: tx)
            return try await bill(ctx, id, on: tx)
        }
    }

    /// Readings from CSV lines `meter,month,reading[,changed]` (a header line is skipped); errors name the line.
    static func readings(csv: String) throws -> [MeterReadingInput] {
        var out: [MeterReadingInput] = [], errors = FieldErrors()
        let rows: [(line: Int, fields: [String])]
        do { rows = try CSV.parse(csv) } catch {
            throw DomainError.invalid([FieldError(field: "csv", code: "invalid_format", message: "the CSV cannot be read: \(error)")])
        }
        for (i, row) in rows.enumerated() {
            let cells = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.allSatisfy(\.isEmpty) { continue }
            if i == 0 && (cells.first == "meter" || cells.first == "表名" || cells.first == "仪表") { continue }
            let field = "readings[\(i)]"
            guard cells.count >= 3 else { errors.add(field, "invalid_format", "line \(i + 1): meter, month, reading[, changed]"); continue }
            guard let month = CivilDate(month: cells[1]) else { errors.add(field + ".month", "invalid_format", "line \(i + 1): a month like 2026-11"); continue }
            guard let reading = try? FixedPoint2.parse(cells[2]) else { errors.add(field + ".reading", "invalid_amount", "line \(i + 1): a reading with at most two decimals"); continue }
            let changed = cells.count > 3 && ["1", "yes", "true", "是", "换表"].contains(cells[3].lowercased())
            out.append(MeterReadingInput(meter: cells[0], month: month, reading: reading, meterChanged: changed))
        }
        try errors.throwIfAny()
        return out
    }
}
