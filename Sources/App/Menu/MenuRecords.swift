import Domain
import Foundation
import SQLKit

/// A provider of menu services.
struct ProviderRecord: Sendable {
    let id: UUID, districtId: UUID, streetId: UUID, compoundId: UUID?, kind: ProviderKind, name: String, phone: String?, companyId: UUID?, active: Bool

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID?.self)
        kind = ProviderKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .vendor; name = try row.decode(column: "name", as: String.self)
        phone = try row.decode(column: "phone", as: String?.self); companyId = try row.decode(column: "company_id", as: UUID?.self)
        active = try row.decode(column: "active", as: Bool.self)
    }
}

/// An item of the catalogue.
struct MenuItemRecord: Sendable {
    let id: UUID, streetId: UUID, compoundId: UUID?, providerId: UUID?, part: ServicePart, name: String, description: String
    let priceMin: Int64, priceMax: Int64?, minutes: Int64, active: Bool
    /// The provider's name when the item names one.
    let providerName: String?

    static let select = "SELECT i.*, sp.name AS provider_name FROM menu_items i LEFT JOIN service_providers sp ON sp.id = i.provider_id"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID?.self); providerId = try row.decode(column: "provider_id", as: UUID?.self)
        part = ServicePart(rawValue: try row.decode(column: "part", as: String.self)) ?? .home; name = try row.decode(column: "name", as: String.self)
        description = try row.decode(column: "description", as: String.self); priceMin = try row.decode(column: "price_min", as: Int64.self)
        priceMax = try row.decode(column: "price_max", as: Int64?.self); minutes = try row.decode(column: "minutes", as: Int64.self)
        active = try row.decode(column: "active", as: Bool.self); providerName = try row.decode(column: "provider_name", as: String?.self)
    }

    /// "30.00" or "30.00–80.00" yuan.
    var priceText: String { FixedPoint2.format(priceMin) + (priceMax.map { $0 == priceMin ? "" : "–" + FixedPoint2.format($0) } ?? "") }
}

/// An order of a menu service.
struct OrderRecord: Sendable {
    let id: UUID, number: String, itemId: UUID, providerId: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, roomId: UUID
    let userId: UUID, orderedBy: String, phone: String?, windowFrom: Date, windowTo: Date, description: String, status: OrderStatus
    let scheduledAt: Date?, completedAt: Date?, price: Int64?, paymentMethod: PaymentMethod?, reason: String?, confirmedAt: Date?, rating: Int?, comment: String?
    let createdAt: Date
    let itemName: String, providerName: String, providerCompanyId: UUID?, roomLabel: String, compoundName: String

    static let select = """
        SELECT o.*, i.name AS item_name, sp.name AS provider_name, sp.company_id AS provider_company_id, p.name AS compound_name,
        bd.number || ' ' || e.number || ' ' || r.number AS room_label
        FROM service_orders o JOIN menu_items i ON i.id = o.item_id JOIN service_providers sp ON sp.id = o.provider_id JOIN compounds p ON p.id = o.compound_id
        JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        itemId = try row.decode(column: "item_id", as: UUID.self); providerId = try row.decode(column: "provider_id", as: UUID.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        roomId = try row.decode(column: "room_id", as: UUID.self); userId = try row.decode(column: "user_id", as: UUID.self)
        orderedBy = try row.decode(column: "ordered_by", as: String.self); phone = try row.decode(column: "phone", as: String?.self)
        windowFrom = try row.decode(column: "window_from", as: Date.self); windowTo = try row.decode(column: "window_to", as: Date.self)
        description = try row.decode(column: "description", as: String.self)
        status = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .ordered
        scheduledAt = try row.decode(column: "scheduled_at", as: Date?.self); completedAt = try row.decode(column: "completed_at", as: Date?.self)
        price = try row.decode(column: "price", as: Int64?.self)
        paymentMethod = try row.decode(column: "payment_method", as: String?.self).flatMap(PaymentMethod.init(rawValue:))
        reason = try row.decode(column: "reason", as: String?.self); confirmedAt = try row.decode(column: "confirmed_at", as: Date?.self)
        rating = try row.decode(column: "rating", as: Int64?.self).map(Int.init); comment = try row.decode(column: "comment", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        itemName = try row.decode(column: "item_name", as: String.self); providerName = try row.decode(column: "provider_name", as: String.self)
        providerCompanyId = try row.decode(column: "provider_company_id", as: UUID?.self); roomLabel = try row.decode(column: "room_label", as: String.self)
        compoundName = try row.decode(column: "compound_name", as: String.self)
    }
}

/// One line of an order's log.
struct OrderLogEntry: Sendable {
    let event: String, actor: String, at: Date, note: String
}

/// How a caller stands towards an order.
struct OrderStanding: Sendable {
    /// Ordered it (cancels, confirms, rates).
    var orderer = false
    /// Acts for its provider (accepts, schedules, completes, declines).
    var provider = false
    /// Oversees the area (reads).
    var oversees = false
    var sees: Bool { orderer || provider || oversees }
}
