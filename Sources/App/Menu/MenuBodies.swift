import Domain
import Foundation

/// `POST /api/v1/service-providers`: a street's repair team or vendor (streetId), or a compound's
/// big or small property (compoundId).
struct ProviderBody: APIBody {
    let streetId: UUID?, compoundId: UUID?, kind: ProviderKind, name: String, phone: String?, companyId: UUID?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        streetId = r.id("streetId", required: false)
        compoundId = r.id("compoundId", required: false)
        let kind = r.choice("kind", ProviderKind.self, required: true)
        let name = r.text("name", required: true, max: 100, "a name of at most 100 characters")
        phone = r.text("phone", required: false, max: 30, "at most 30 characters")
        companyId = r.id("companyId", required: false)
        try r.finish()
        guard let kind, let name else { throw r.failure }
        self.kind = kind
        self.name = name
    }

    static var schema: Schema {
        .object([.opt("streetId", .nullable(.uuid)), .opt("compoundId", .nullable(.uuid)), .req("kind", .choice(ProviderKind.self)),
                 .req("name", .string(minLength: 1, maxLength: 100)), .opt("phone", .nullable(.string(maxLength: 30))), .opt("companyId", .nullable(.uuid))])
    }
}

/// A building's small property in a compound's rule.
struct BuildingProviderBody: APIBody {
    let buildingId: UUID, providerId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let b = r.id("buildingId", required: true), p = r.id("providerId", required: true)
        try r.finish()
        guard let b, let p else { throw r.failure }
        buildingId = b
        providerId = p
    }

    static var schema: Schema { .object([.req("buildingId", .uuid), .req("providerId", .uuid)]) }
}

/// `PUT /api/v1/compounds/{id}/service-routing`: the whole rule.
struct RoutingBody: APIBody {
    let bigPropertyId: UUID?, buildings: [BuildingProviderBody]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        bigPropertyId = r.id("bigPropertyId", required: false)
        let buildings = r.list("buildings", BuildingProviderBody.self, required: false, "buildings is a list")
        let ids = (buildings ?? []).map(\.buildingId)
        r.check(Set(ids).count == ids.count, "buildings", "duplicate", "each building once")
        try r.finish()
        self.buildings = buildings ?? []
    }

    static var schema: Schema { .object([.opt("bigPropertyId", .nullable(.uuid)), .opt("buildings", .array(.named(BuildingProviderBody.self)))]) }
}

/// `POST /api/v1/menu-items` and `PUT /api/v1/menu-items/{id}`.
struct MenuItemBody: APIBody {
    let item: MenuService.ItemInput

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let street = r.id("streetId", required: false), compound = r.id("compoundId", required: false), provider = r.id("providerId", required: false)
        let part = r.choice("part", ServicePart.self, required: true)
        let name = r.text("name", required: true, max: 100, "a name of at most 100 characters")
        let description = r.optional("description", String.self, "description is text") ?? ""
        r.check(description.count <= 1000, "description", "too_long", "at most 1000 characters")
        let min = r.money("priceMin", required: true, "the price (or the lowest), yuan like \"30.00\"")
        let max = r.has("priceMax") ? r.money("priceMax", required: false, "the highest price, yuan") : nil
        let minutes = r.optional("minutes", Int64.self, "minutes, a whole number")
        let active = r.optional("active", Bool.self, "true or false")
        try r.finish()
        guard let part, let name, let min else { throw r.failure }
        item = .init(streetId: street, compoundId: compound, providerId: provider, part: part, name: name, description: description, priceMin: min.fen,
                     priceMax: max?.fen, minutes: minutes ?? 60, active: active ?? true)
    }

    static var schema: Schema {
        .object([.opt("streetId", .nullable(.uuid)), .opt("compoundId", .nullable(.uuid)), .opt("providerId", .nullable(.uuid)), .req("part", .choice(ServicePart.self)),
                 .req("name", .string(minLength: 1, maxLength: 100)), .opt("description", .string(maxLength: 1000)), .req("priceMin", .decimal),
                 .opt("priceMax", .nullable(.decimal)), .opt("minutes", .integer(minimum: 1, maximum: 10_080)), .opt("active", .boolean)])
    }
}

/// `POST /api/v1/service-orders`.
struct OrderBody: APIBody {
    let order: MenuService.NewOrder

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let item = r.id("itemId", required: true), room = r.id("roomId", required: true)
        let from = r.instant("windowFrom", required: true, "when the window opens, like 2026-12-02T09:00:00+08:00")
        let to = r.instant("windowTo", required: true, "when it closes")
        let description = r.optional("description", String.self, "description is text") ?? ""
        let phone = r.text("phone", required: false, max: 30, "at most 30 characters")
        try r.finish()
        guard let item, let room, let from, let to else { throw r.failure }
        order = .init(itemId: item, roomId: room, windowFrom: from, windowTo: to, description: description, phone: phone)
    }

    static var schema: Schema {
        .object([.req("itemId", .uuid), .req("roomId", .uuid), .req("windowFrom", .dateTime), .req("windowTo", .dateTime), .opt("description", .string(maxLength: 2000)),
                 .opt("phone", .nullable(.string(maxLength: 30)))])
    }
}

/// `POST /api/v1/service-orders/{id}/events`.
struct OrderEventBody: APIBody {
    let change: MenuService.OrderChange

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let event = r.choice("event", OrderEvent.self, required: true)
        let at = r.instant("scheduledAt", required: false, "when the visit is")
        let price = r.has("price") ? r.money("price", required: false, "the final price, yuan") : nil
        let method = r.choice("paymentMethod", PaymentMethod.self, required: false)
        let reason = r.text("reason", required: false, max: 500, "at most 500 characters")
        let rating = r.optional("rating", Int.self, "one to five")
        let comment = r.text("comment", required: false, max: 500, "at most 500 characters")
        try r.finish()
        guard let event else { throw r.failure }
        change = .init(event: event, scheduledAt: at, price: price?.fen, paymentMethod: method, reason: reason, rating: rating, comment: comment)
    }

    static var schema: Schema {
        .object([.req("event", .choice(OrderEvent.self)), .opt("scheduledAt", .nullable(.dateTime)), .opt("price", .nullable(.decimal)),
                 .opt("paymentMethod", .nullable(.choice(PaymentMethod.self))), .opt("reason", .nullable(.string(maxLength: 500))),
                 .opt("rating", .nullable(.integer(minimum: 1, maximum: 5))), .opt("comment", .nullable(.string(maxLength: 500)))])
    }
}

struct ProviderAnswer: APIAnswer {
    let id: String, streetId: String, compoundId: String?, kind: String, name: String, phone: String?, companyId: String?, active: Bool

    init(_ p: ProviderRecord) {
        id = p.id.text; streetId = p.streetId.text; compoundId = p.compoundId?.text; kind = p.kind.rawValue; name = p.name; phone = p.phone
        companyId = p.companyId?.text; active = p.active
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("streetId", .uuid), .null("compoundId", .uuid), .req("kind", .choice(ProviderKind.self)), .req("name", .string()),
                 .null("phone", .string()), .null("companyId", .uuid), .req("active", .boolean)])
    }
}

struct RoutingAnswer: APIAnswer {
    struct Building: Codable, Sendable { let buildingId: String, providerId: String }
    let bigPropertyId: String?, buildings: [Building]

    init(_ r: ServiceRouting) {
        bigPropertyId = r.bigProperty?.text
        buildings = r.smallProperty.sorted { $0.key.uuidString < $1.key.uuidString }.map { Building(buildingId: $0.key.text, providerId: $0.value.text) }
    }

    static var schema: Schema { .object([.null("bigPropertyId", .uuid), .req("buildings", .array(.object([.req("buildingId", .uuid), .req("providerId", .uuid)])))]) }
}

struct MenuItemAnswer: APIAnswer {
    let id: String, streetId: String, compoundId: String?, providerId: String?, provider: String?, part: String, name: String, description: String
    let priceMin: String, priceMax: String?, minutes: Int64, active: Bool

    init(_ i: MenuItemRecord) {
        id = i.id.text; streetId = i.streetId.text; compoundId = i.compoundId?.text; providerId = i.providerId?.text; provider = i.providerName; part = i.part.rawValue
        name = i.name; description = i.description; priceMin = FixedPoint2.format(i.priceMin); priceMax = i.priceMax.map(FixedPoint2.format); minutes = i.minutes
        active = i.active
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("streetId", .uuid), .null("compoundId", .uuid), .null("providerId", .uuid), .null("provider", .string()),
                 .req("part", .choice(ServicePart.self)), .req("name", .string()), .req("description", .string()), .req("priceMin", .decimal),
                 .null("priceMax", .decimal), .req("minutes", .integer(minimum: 1)), .req("active", .boolean)])
    }
}

struct OrderAnswer: APIAnswer {
    struct Entry: Codable, Sendable { let event: String, actor: String, at: String, note: String }
    let id: String, number: String, itemId: String, item: String, providerId: String, provider: String, compoundId: String, compound: String
    let roomId: String, room: String, orderedBy: String, phone: String?, windowFrom: String, windowTo: String, description: String, status: String
    let scheduledAt: String?, completedAt: String?, price: String?, paymentMethod: String?, reason: String?, rating: Int64?, comment: String?, orderedAt: String
    let log: [Entry]

    init(_ o: OrderRecord, log entries: [OrderLogEntry] = []) {
        id = o.id.text; number = o.number; itemId = o.itemId.text; item = o.itemName; providerId = o.providerId.text; provider = o.providerName
        compoundId = o.compoundId.text; compound = o.compoundName; roomId = o.roomId.text; room = o.roomLabel; orderedBy = o.orderedBy; phone = o.phone
        windowFrom = Timestamp.iso(o.windowFrom); windowTo = Timestamp.iso(o.windowTo); description = o.description; status = o.status.rawValue
        scheduledAt = o.scheduledAt.map(Timestamp.iso); completedAt = o.completedAt.map(Timestamp.iso); price = o.price.map(FixedPoint2.format)
        paymentMethod = o.paymentMethod?.rawValue; reason = o.reason; rating = o.rating.map(Int64.init); comment = o.comment; orderedAt = Timestamp.iso(o.createdAt)
        log = entries.map { Entry(event: $0.event, actor: $0.actor, at: Timestamp.iso($0.at), note: $0.note) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("itemId", .uuid), .req("item", .string()), .req("providerId", .uuid), .req("provider", .string()),
                 .req("compoundId", .uuid), .req("compound", .string()), .req("roomId", .uuid), .req("room", .string()), .req("orderedBy", .string()),
                 .null("phone", .string()), .req("windowFrom", .dateTime), .req("windowTo", .dateTime), .req("description", .string()),
                 .req("status", .choice(OrderStatus.self)), .null("scheduledAt", .dateTime), .null("completedAt", .dateTime), .null("price", .decimal),
                 .null("paymentMethod", .choice(PaymentMethod.self)), .null("reason", .string()), .null("rating", .integer(minimum: 1, maximum: 5)),
                 .null("comment", .string()), .req("orderedAt", .dateTime),
                 .req("log", .array(.object([.req("event", .string()), .req("actor", .string()), .req("at", .dateTime), .req("note", .string())])))])
    }
}

struct ProviderStatsAnswer: APIAnswer {
    struct Month: Codable, Sendable { let month: String, revenue: String }
    let providerId: String, provider: String, orders: Int64, completed: Int64, declined: Int64, cancelled: Int64
    let medianMinutesToComplete: Int64?, rating: String?, ratings: Int64, revenue: String, months: [Month]

    init(_ p: ProviderRecord, _ s: ProviderStats, months: [CivilDate]) {
        providerId = p.id.text; provider = p.name; orders = Int64(s.orders); completed = Int64(s.completed); declined = Int64(s.declined); cancelled = Int64(s.cancelled)
        medianMinutesToComplete = s.medianMinutesToComplete; rating = s.rating.denominator > 0 ? s.ratingText : nil; ratings = s.rating.denominator
        revenue = FixedPoint2.format(s.revenue)
        self.months = months.map { Month(month: $0.monthText, revenue: FixedPoint2.format(s.revenueByMonth[$0.monthText] ?? 0)) }
    }

    static var schema: Schema {
        .object([.req("providerId", .uuid), .req("provider", .string()), .req("orders", .integer(minimum: 0)), .req("completed", .integer(minimum: 0)),
                 .req("declined", .integer(minimum: 0)), .req("cancelled", .integer(minimum: 0)), .null("medianMinutesToComplete", .integer(minimum: 0)),
                 .null("rating", .decimal), .req("ratings", .integer(minimum: 0)), .req("revenue", .decimal),
                 .req("months", .array(.object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("revenue", .decimal)])))])
    }
}
