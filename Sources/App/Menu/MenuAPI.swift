import Domain
import Foundation
import Hummingbird

/// `/api/v1/service-providers…`, `/api/v1/compounds/{id}/service-routing`, `…/menu`,
/// `/api/v1/menu-items…` and `/api/v1/service-orders…`: menu services.
struct MenuAPI: Sendable {
    let service: MenuService

    static func optionalId(_ call: SignedIn, _ name: String) throws -> UUID? {
        guard let raw = call.query.get(name), !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw) else { throw DomainError.invalid([FieldError(field: name, code: "invalid_id", message: "\(name) must be an id")]) }
        return id
    }

    func register(on routes: RouteTable) {
        routes.api(.post, SiteURL.apiProviders, .signedIn,
                   OperationDoc("add-service-provider", "Add a provider: a street's repair team or vendor, or a compound's big or small property", tag: "menu"),
                   body: ProviderBody.self, status: .created) { call, body in
            ProviderAnswer(try await service.addProvider(call.access, street: body.streetId, compound: body.compoundId, kind: body.kind, name: body.name,
                                                         phone: body.phone, company: body.companyId))
        }
        routes.api(.get, SiteURL.apiProviders, .signedIn,
                   OperationDoc("list-service-providers", "Providers the caller sees (staff over their area, a provider itself, a company its own)", tag: "menu",
                                parameters: [.query("streetId", .uuid, "one street"), .query("compoundId", .uuid, "those serving one compound")])) { call in
            Items(items: try await service.providers(call.access, street: try Self.optionalId(call, "streetId"), compound: try Self.optionalId(call, "compoundId"))
                .map(ProviderAnswer.init))
        }
        routes.api(.get, SiteURL.apiProviderStats, .signedIn,
                   OperationDoc("service-provider-stats", "A provider's orders, median time to complete, rating and revenue by month over twelve months", tag: "menu",
                                parameters: [.query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "the last month, YYYY-MM (default this month)")])) { call in
            let (p, s, months) = try await service.stats(call.access, provider: try call.id("service-providers"), through: try DisputeAPI.through(call))
            return ProviderStatsAnswer(p, s, months: months)
        }
        routes.api(.get, SiteURL.apiServiceRouting, .signedIn, OperationDoc("get-service-routing", "Who serves which part of the compound", tag: "menu")) { call in
            let compound = try call.id("compounds")
            try await service.store.access.authorize(call.access, .read, "menu", inCompound: compound, on: service.db)
            return RoutingAnswer(try await service.routing(compound: compound, on: service.db))
        }
        routes.api(.put, SiteURL.apiServiceRouting, .signedIn,
                   OperationDoc("put-service-routing", "Set the compound's rule: its big property serves the compound as a whole; each building's small property its building and homes (else the big property)", tag: "menu"),
                   body: RoutingBody.self) { call, body in
            RoutingAnswer(try await service.setRouting(call.access, compound: try call.id("compounds"), big: body.bigPropertyId,
                                                       small: Dictionary(uniqueKeysWithValues: body.buildings.map { ($0.buildingId, $0.providerId) })))
        }
        routes.api(.get, SiteURL.apiCompoundMenu, .signedIn,
                   OperationDoc("compound-menu", "The catalogue the compound's residents order from: its own items and its street's", tag: "menu")) { call in
            Items(items: try await service.catalogue(call.access, compound: try call.id("compounds")).map(MenuItemAnswer.init))
        }
        routes.api(.post, SiteURL.apiMenuItems, .signedIn,
                   OperationDoc("add-menu-item", "Add an item to a compound's catalogue (compoundId) or a street's (streetId and its provider), with a price or range in yuan", tag: "menu"),
                   body: MenuItemBody.self, status: .created) { call, body in
            MenuItemAnswer(try await service.saveItem(call.access, id: nil, body.item))
        }
        routes.api(.put, SiteURL.apiMenuItem, .signedIn,
                   OperationDoc("put-menu-item", "Change an item (its place stays); active false takes it off the menu", tag: "menu"), body: MenuItemBody.self) { call, body in
            MenuItemAnswer(try await service.saveItem(call.access, id: try call.id("menu-items"), body.item))
        }
        routes.api(.post, SiteURL.apiOrders, .signedIn,
                   OperationDoc("order-service", "Order an item for a room you own or live in and a time window; it goes to the provider the compound's rule names",
                                tag: "menu", errors: [409: "No provider serves that part of the compound yet"]),
                   body: OrderBody.self, status: .created) { call, body in
            let id = try await service.order(call.access, body.order)
            let (o, _, log) = try await service.get(call.access, order: id)
            return OrderAnswer(o, log: log)
        }
        routes.api(.get, SiteURL.apiOrders, .signedIn,
                   OperationDoc("list-service-orders", "Orders the caller sees: their own, a provider's queue, staff over their area; open first", tag: "menu", parameters: [
                       .query("providerId", .uuid, "one provider"), .query("status", .choice(OrderStatus.self), "one state"),
                   ])) { call in
            var status: OrderStatus?
            if let s = call.query.get("status"), !s.isEmpty {
                status = OrderStatus(rawValue: s)
                if status == nil { throw DomainError.invalid([FieldError(field: "status", code: "invalid_choice", message: OrderStatus.codes.joined(separator: ", "))]) }
            }
            return Items(items: try await service.orders(call.access, provider: try Self.optionalId(call, "providerId"), status: status).map { OrderAnswer($0) })
        }
        routes.api(.get, SiteURL.apiOrder, .signedIn, OperationDoc("get-service-order", "One order with its log", tag: "menu")) { call in
            let (o, _, log) = try await service.get(call.access, order: try call.id("service-orders"))
            return OrderAnswer(o, log: log)
        }
        routes.api(.post, SiteURL.apiOrderEvents, .signedIn,
                   OperationDoc("change-service-order", "The provider accepts, schedules (scheduledAt), completes (price, paymentMethod) or declines (reason); the resident cancels or confirms with a rating",
                                tag: "menu", errors: [409: "Not possible in the order's state"]),
                   body: OrderEventBody.self) { call, body in
            let id = try await service.change(call.access, order: try call.id("service-orders"), body.change)
            let (o, _, log) = try await service.get(call.access, order: id)
            return OrderAnswer(o, log: log)
        }
    }
}
