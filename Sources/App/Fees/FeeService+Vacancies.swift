import Domain
import FluentKit
import Foundation
import SQLKit

/// A stretch of days a room stood empty, billed at the district's vacancy discount.
struct VacancyRecord: Sendable {
    let id: UUID, roomId: UUID, startsOn: CivilDate, endsOn: CivilDate?, note: String?, recordedBy: String
}

extension FeeService {
    /// The district's vacancy discount in per cent (0: none, the default).
    func vacantDiscount(district: UUID, on db: any Database) async throws -> Int64 {
        try await db.sql().raw("SELECT vacant_discount_percent FROM fee_settings WHERE district_id = \(bind: district)").first()?
            .decode(column: "vacant_discount_percent", as: Int64.self) ?? 0
    }

    /// Sets the district's vacancy discount (its admins only; another district's is 404).
    func setVacantDiscount(_ ctx: AccessContext, district: UUID, percent: Int64) async throws -> Int64 {
        guard Policy.mayAdminister(ctx.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
        return try await db.transaction { tx in
            let before = try await vacantDiscount(district: district, on: tx)
            try await tx.sql().raw("DELETE FROM fee_settings WHERE district_id = \(bind: district)").run()
            try await tx.sql().insert(into: "fee_settings").columns("id", "district_id", "vacant_discount_percent", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(district), Bind.int(percent), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: "update", entity: "fee-settings", entityId: district, districtId: district,
                                   before: .object(["vacantDiscountPercent": .int(before)]), after: .object(["vacantDiscountPercent": .int(percent)]), on: tx)
            return percent
        }
    }

    func compound(ofRoom room: UUID, on db: any Database) async throws -> UUID {
        guard let id = try await db.sql().raw("""
            SELECT b.compound_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE r.id = \(bind: room)
            """).first()?.decode(column: "compound_id", as: UUID.self) else { throw DomainError.notFound(entity: "rooms", id: room.text) }
        return id
    }

    /// Records that a room stands empty from a day (to a day, or until ended): the company serving it, or the district.
    func addVacancy(_ ctx: AccessContext, room: UUID, startsOn: CivilDate, endsOn: CivilDate?, note: String?) async throws -> VacancyRecord {
        try await db.transaction { tx in
            let compound = try await compound(ofRoom: room, on: tx)
            try await store.access.authorize(ctx, .create, "fees", inCompound: compound, on: tx)
            if let endsOn, endsOn < startsOn {
                throw DomainError.invalid([FieldError(field: "endsOn", code: "before_start", message: "endsOn must not be before startsOn")])
            }
            let id = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "room_vacancies").columns("id", "room_id", "compound_id", "starts_on", "ends_on", "note", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(room), Bind.uuid(compound), Bind.text(startsOn.description), Bind.text(endsOn?.description), Bind.text(note),
                         Bind.text(ctx.actor.label), now, now]).run()
            try await audit.record(ctx, action: "vacancy", entity: "rooms", entityId: room, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["startsOn": .string(startsOn.description), "endsOn": endsOn.map { .string($0.description) } ?? .null]), on: tx)
            return VacancyRecord(id: id, roomId: room, startsOn: startsOn, endsOn: endsOn, note: note, recordedBy: ctx.actor.label)
        }
    }

    /// Ends an open vacancy on a day.
    func endVacancy(_ ctx: AccessContext, _ id: UUID, on day: CivilDate) async throws -> VacancyRecord {
        try await db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT * FROM room_vacancies WHERE id = \(bind: id)").first() else {
                throw DomainError.notFound(entity: "vacancies", id: id.text)
            }
            let v = try Self.vacancy(row)
            let compound = try row.decode(column: "compound_id", as: UUID.self)
            do { try await store.access.authorize(ctx, .update, "fees", inCompound: compound, on: tx) } catch DomainError.notFound {
                throw DomainError.notFound(entity: "vacancies", id: id.text)
            }
            guard v.endsOn == nil else { throw DomainError.conflict(code: "already_ended", message: "the vacancy has ended") }
            guard !(day < v.startsOn) else { throw DomainError.invalid([FieldError(field: "endsOn", code: "before_start", message: "the vacancy began \(v.startsOn)")]) }
            try await tx.sql().raw("UPDATE room_vacancies SET ends_on = \(bind: day.description), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)").run()
            try await audit.record(ctx, action: "vacancy-end", entity: "rooms", entityId: v.roomId, districtId: try await district(compound: compound, on: tx), before: nil,
                                   after: .object(["endsOn": .string(day.description)]), on: tx)
            return VacancyRecord(id: id, roomId: v.roomId, startsOn: v.startsOn, endsOn: day, note: v.note, recordedBy: v.recordedBy)
        }
    }

    /// A room's vacancies, to whoever sees its bills' compound.
    func vacancies(_ ctx: AccessContext, room: UUID) async throws -> [VacancyRecord] {
        let compound = try await compound(ofRoom: room, on: db)
        try await store.access.authorize(ctx, .read, store.catalog["rooms"]!, id: room, on: db)
        _ = compound
        return try await db.sql().raw("SELECT * FROM room_vacancies WHERE room_id = \(bind: room) ORDER BY starts_on DESC").all().map(Self.vacancy)
    }

    static func vacancy(_ row: any SQLRow) throws -> VacancyRecord {
        VacancyRecord(id: try row.decode(column: "id", as: UUID.self), roomId: try row.decode(column: "room_id", as: UUID.self),
                      startsOn: CivilDate(try row.decode(column: "starts_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1),
                      endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap { CivilDate($0) },
                      note: try row.decode(column: "note", as: String?.self), recordedBy: try row.decode(column: "recorded_by", as: String.self))
    }
}
