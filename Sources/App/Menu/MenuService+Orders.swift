import Domain
import FluentKit
import Foundation
import SQLKit

/// Orders: a resident orders an item for a room and a time window; the provider the compound's rule
/// routes it to accepts, schedules and completes it with the final price and how it was paid
/// (recorded, not processed); the resident confirms and rates. Statistics per provider.
extension MenuService {
    struct NewOrder: Sendable {
        var itemId: UUID
        var roomId: UUID
        var windowFrom: Date
        var windowTo: Date
        var description: String
        var phone: String?
    }

    struct OrderChange: Sendable {
        var event: OrderEvent
        var scheduledAt: Date?
        var price: Int64?
        var paymentMethod: PaymentMethod?
        var reason: String?
        var rating: Int?
        var comment: String?
    }

    /// Rooms the caller may order for: those they own or live in.
    func orderRooms(_ actor: Actor, on db: any Database) async throws -> [(id: UUID, label: String, compoundId: UUID, compound: String)] {
        try await PersonalScope.rooms(actor, on: db)
    }

    func order(_ ctx: AccessContext, _ input: NewOrder) async throws -> UUID {
        try await db.transaction { tx in
            guard ctx.actor.kind == .user, let user = ctx.actor.id else { throw DomainError.forbidden(reason: "residents order for themselves, signed in") }
            guard let room = try await orderRooms(ctx.actor, on: tx).first(where: { $0.id == input.roomId }) else {
                throw DomainError.invalid([FieldError(field: "roomId", code: "not_yours", message: "a room you own or live in")])
            }
            guard let p = try await place(compound: room.compoundId, on: tx) else { throw DomainError.notFound(entity: "compounds", id: room.compoundId.text) }
            guard let row = try await tx.sql().raw("\(unsafeRaw: MenuItemRecord.select) WHERE i.id = \(bind: input.itemId)").first(),
                  case let item = try MenuItemRecord(row: row), item.active, item.compoundId == room.compoundId || (item.compoundId == nil && item.streetId == p.street) else {
                throw DomainError.invalid([FieldError(field: "itemId", code: "unknown_reference", message: "an item on the menu of the room's compound")])
            }
            var errors = FieldErrors()
            if !MenuRules.validWindow(from: input.windowFrom, to: input.windowTo, now: ctx.now) {
                errors.add("windowTo", "invalid_window", "a window that ends after it starts, not in the past, at most a week long")
            }
            if input.description.count > 2000 { errors.add("description", "too_long", "at most 2000 characters") }
            let building = try await tx.sql().raw("SELECT e.building_id FROM rooms r JOIN entrances e ON e.id = r.entrance_id WHERE r.id = \(bind: room.id)").first()?
                .decode(column: "building_id", as: UUID.self)
            let rule = try await routing(compound: room.compoundId, on: tx)
            guard let provider = MenuRules.route(itemProvider: item.providerId, part: item.part, building: building, rule: rule) else {
                throw DomainError.conflict(code: "no_provider", message: "no provider serves this part of the compound yet: the community sets who does")
            }
            try errors.throwIfAny()
            let id = UUID.random(), now = Bind.date(ctx.now), today = Timestamp.today(ctx.now)
            let seq = try await requests.nextSequence(day: "F" + today.description, now: ctx.now, on: tx)
            let number = "FW" + RequestNumber.make(day: today, sequence: seq).dropFirst(2)
            try await tx.sql().insert(into: "service_orders").columns("id", "number", "item_id", "provider_id", "district_id", "street_id", "community_id", "compound_id",
                                                                      "room_id", "user_id", "ordered_by", "phone", "window_from", "window_to", "description", "status",
                                                                      "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.text(number), Bind.uuid(item.id), Bind.uuid(provider), Bind.uuid(p.district), Bind.uuid(p.street), Bind.uuid(p.community),
                         Bind.uuid(room.compoundId), Bind.uuid(room.id), Bind.uuid(user), Bind.text(ctx.actor.label), Bind.text(input.phone),
                         Bind.date(input.windowFrom), Bind.date(input.windowTo), Bind.text(input.description), Bind.text(OrderStatus.ordered.rawValue), now, now]).run()
            try await log(tx, ctx, order: id, event: "order", note: item.name)
            try await audit.record(ctx, action: "order", entity: "service-orders", entityId: id, districtId: p.district, before: nil,
                                   after: .object(["number": .string(number), "item": .string(item.name)]), on: tx)
            return id
        }
    }

    func log(_ tx: any Database, _ ctx: AccessContext, order: UUID, event: String, note: String) async throws {
        try await tx.sql().insert(into: "service_order_log").columns("id", "order_id", "event", "actor_label", "at", "note", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(order), Bind.text(event), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.text(note), Bind.date(ctx.now),
                     Bind.date(ctx.now)]).run()
    }

    /// Orders a caller sees: their own; a provider's queue; its company's; staff over the area.
    static func visibleOrders(_ actor: Actor) -> SQLQueryString {
        if actor.isSystem { return "1=1" }
        var parts: [SQLQueryString] = []
        if actor.kind == .user, let me = actor.id { parts.append("o.user_id = \(bind: me)") }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin: parts.append("o.district_id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("o.street_id = \(bind: g.scopeId)")
            case .communityStaff: parts.append("o.community_id = \(bind: g.scopeId)")
            case .serviceProvider: parts.append("o.provider_id = \(bind: g.scopeId)")
            case .companyStaff: parts.append("o.provider_id IN (SELECT id FROM service_providers WHERE company_id = \(bind: g.scopeId))")
            default: break
            }
        }
        return parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    func orders(_ ctx: AccessContext, provider: UUID? = nil, status: OrderStatus? = nil, mine: Bool = false, limit: Int = 200) async throws -> [OrderRecord] {
        var filter = Self.visibleOrders(ctx.actor)
        if let provider { filter = filter + " AND o.provider_id = \(bind: provider)" }
        if let status { filter = filter + " AND o.status = \(bind: status.rawValue)" }
        if mine, let me = ctx.actor.id { filter = filter + " AND o.user_id = \(bind: me)" }
        return try await db.sql().raw("\(unsafeRaw: OrderRecord.select)" + " WHERE " + filter
                                      + " ORDER BY CASE WHEN o.status IN ('ordered', 'accepted', 'scheduled') THEN 0 ELSE 1 END, CASE WHEN o.status IN ('ordered', 'accepted', 'scheduled') THEN o.window_from END, o.window_from DESC, o.number LIMIT \(bind: limit)")
            .all().map { try OrderRecord(row: $0) }
    }

    func standing(_ actor: Actor, _ o: OrderRecord) -> OrderStanding {
        var s = OrderStanding()
        if actor.isSystem { return OrderStanding(orderer: true, provider: true, oversees: true) }
        s.orderer = actor.kind == .user && actor.id == o.userId
        s.provider = Self.actsFor(actor, providerId: o.providerId, companyId: o.providerCompanyId)
        s.oversees = Policy.isStaffOver(actor, district: o.districtId, street: o.streetId, community: o.communityId)
        return s
    }

    func get(_ ctx: AccessContext, order id: UUID, on given: (any Database)? = nil) async throws -> (OrderRecord, OrderStanding, [OrderLogEntry]) {
        let db = given ?? self.db
        guard let row = try await db.sql().raw("\(unsafeRaw: OrderRecord.select)" + " WHERE o.id = \(bind: id)").first() else {
            throw DomainError.notFound(entity: "service-orders", id: id.text)
        }
        let o = try OrderRecord(row: row)
        let s = standing(ctx.actor, o)
        guard s.sees else { throw DomainError.notFound(entity: "service-orders", id: id.text) }
        let log = try await db.sql().raw("SELECT * FROM service_order_log WHERE order_id = \(bind: id) ORDER BY at, created_at").all().map {
            OrderLogEntry(event: try $0.decode(column: "event", as: String.self), actor: try $0.decode(column: "actor_label", as: String.self),
                          at: try $0.decode(column: "at", as: Date.self), note: try $0.decode(column: "note", as: String.self))
        }
        return (o, s, log)
    }

    /// Moves an order by `MenuRules.next`: the provider's events for whoever acts for it, cancel and
    /// confirm (with a rating) for whoever ordered it.
    func change(_ ctx: AccessContext, order id: UUID, _ c: OrderChange) async throws -> UUID {
        try await db.transaction { tx in
            let (o, s, _) = try await get(ctx, order: id, on: tx)
            guard MenuRules.isProviders(c.event) ? s.provider : s.orderer else {
                throw DomainError.forbidden(reason: MenuRules.isProviders(c.event) ? "only the provider the order went to" : "only the resident who ordered")
            }
            guard let next = MenuRules.next(o.status, c.event) else {
                throw DomainError.conflict(code: "illegal_transition", message: "an order that is \(o.status.rawValue) cannot be \(c.event.rawValue)ed")
            }
            var errors = FieldErrors()
            var sets: [SQLQueryString] = ["status = \(bind: next.rawValue)", "updated_at = \(bind: ctx.now)"]
            var note = ""
            switch c.event {
            case .schedule:
                if let at = c.scheduledAt { sets.append("scheduled_at = \(bind: at)"); note = Timestamp.local(at) } else { errors.add("scheduledAt", "required", "when the visit is") }
            case .complete:
                if let price = c.price, MenuRules.validPrice(min: price, max: nil) { sets.append("price = \(bind: price)") } else { errors.add("price", "required", "the final price, 0 to 100000.00 yuan") }
                if let m = c.paymentMethod { sets.append("payment_method = \(bind: m.rawValue)") } else { errors.add("paymentMethod", "required", "cash, wechat, alipay or bank_transfer") }
                sets.append("completed_at = \(bind: ctx.now)")
                sets.append("completed_month = \(bind: Timestamp.today(ctx.now).firstOfMonth.monthText)")
                note = (c.price.map(FixedPoint2.format) ?? "") + " · " + (c.paymentMethod?.rawValue ?? "")
            case .decline, .cancel:
                note = c.reason ?? ""
                if c.event == .decline && note.isEmpty { errors.add("reason", "required", "why the order cannot be taken") }
                sets.append("reason = \(bind: note)")
            case .confirm:
                if let r = c.rating, MenuRules.validRating(r) { sets.append("rating = \(bind: Int64(r))") } else { errors.add("rating", "out_of_range", "one to five stars") }
                sets.append("comment = \(bind: c.comment ?? "")")
                sets.append("confirmed_at = \(bind: ctx.now)")
                note = "\(c.rating ?? 0)★" + ((c.comment ?? "").isEmpty ? "" : " · " + c.comment!)
            case .accept: break
            }
            try errors.throwIfAny()
            try await tx.sql().raw("UPDATE service_orders SET " + sets.joined(separator: ", ") + " WHERE id = \(bind: id)").run()
            try await log(tx, ctx, order: id, event: c.event.rawValue, note: note)
            try await audit.record(ctx, action: c.event.rawValue, entity: "service-orders", entityId: id, districtId: o.districtId,
                                   before: .object(["status": .string(o.status.rawValue)]), after: .object(["status": .string(next.rawValue), "note": .string(note)]), on: tx)
            return id
        }
    }

    /// A provider's figures over the twelve months ending with `through` (orders placed in them).
    func stats(_ ctx: AccessContext, provider id: UUID, through: CivilDate) async throws -> (ProviderRecord, ProviderStats, months: [CivilDate]) {
        let p = try await provider(id, on: db)
        let visible = try await db.sql().raw("SELECT sp.id FROM service_providers sp WHERE sp.id = \(bind: id) AND " + Self.visibleProviders(ctx.actor)).first() != nil
        guard visible else { throw DomainError.notFound(entity: "service-providers", id: id.text) }
        let months = DisputeFigures.months(endingWith: through)
        let from = CivilTime.beijingMidnight(months[0]), to = CivilTime.beijingMidnight(CivilDate(year: through.year + (through.month == 12 ? 1 : 0), month: through.month % 12 + 1, day: 1))
        let facts = try await db.sql().raw("""
            SELECT status, created_at, completed_at, price, rating, completed_month FROM service_orders WHERE provider_id = \(bind: id)
            AND created_at >= \(bind: from) AND created_at < \(bind: to)
            """).all().map { r in
            OrderFact(status: OrderStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .ordered, orderedAt: try r.decode(column: "created_at", as: Date.self),
                      completedAt: try r.decode(column: "completed_at", as: Date?.self), price: try r.decode(column: "price", as: Int64?.self),
                      rating: try r.decode(column: "rating", as: Int64?.self).map(Int.init),
                      completedMonth: try r.decode(column: "completed_month", as: String?.self).flatMap { CivilDate(month: $0) })
        }
        return (p, ProviderStats.of(facts), months)
    }
}
