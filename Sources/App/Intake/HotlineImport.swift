import Domain
import FluentKit
import Foundation
import SQLKit

/// 12345 hotline work orders: read from CSV or JSON, each matched to a compound by its address
/// (names and aliases), filed as a request on channel `hotline`, never twice (order number).
/// Orders no compound matches wait in their street's queue (or the district's) for a person.
struct HotlineImport: Sendable {
    let database: AppDatabase
    let requests: RequestService
    let audit = AuditLog()

    struct Order: Sendable, Hashable {
        var orderNo: String
        var receivedAt: Date
        var content: String
        var address: String
        var category: String
        var phone: String?
    }

    struct Summary: Sendable {
        var imported: [String] = []
        var duplicates: [String] = []
        var unmatched: [String] = []
    }

    // MARK: - Reading

    static let headerAliases: [String: String] = [
        "order_no": "order_no", "orderno": "order_no", "工单编号": "order_no", "工单号": "order_no",
        "received_at": "received_at", "receivedat": "received_at", "受理时间": "received_at", "来电时间": "received_at",
        "content": "content", "诉求内容": "content", "内容": "content",
        "address": "address", "地址": "address", "事发地址": "address",
        "category": "category", "类别": "category", "诉求类别": "category",
        "phone": "phone", "电话": "phone", "来电号码": "phone",
    ]

    /// `2026-11-30T01:15:00Z`, or `2026-11-30 09:15[:00]` in Beijing time.
    static func parseTime(_ s: String) -> Date? {
        Timestamp.parse(s)
    }

    /// Reads a file of orders; every bad row is reported and nothing is imported while any is bad.
    static func parse(_ data: Data, json: Bool) throws -> [Order] {
        var errors = FieldErrors()
        var records: [(String, [String: String])] = []
        if json {
            let value: JSONValue
            do { value = try JSONValue.parse(data) } catch { throw DomainError.badRequest(message: "The file is not valid JSON.") }
            let items: [JSONValue]
            switch value {
            case .array(let a): items = a
            case .object(let o): if case .array(let a)? = o["orders"] { items = a } else { items = [value] }
            default: throw DomainError.badRequest(message: "Send an array of orders, or {\"orders\": [...]}.")
            }
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else { errors.add("orders[\(i)]", "invalid", "each order is an object"); continue }
                var fields: [String: String] = [:]
                for (k, v) in o {
                    guard let key = headerAliases[k.lowercased()] ?? headerAliases[k] else { continue }
                    switch v {
                    case .string(let s): fields[key] = s
                    case .int(let n): fields[key] = String(n)
                    default: break
                    }
                }
                records.append(("orders[\(i)]", fields))
            }
        } else {
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
            let rows: [(line: Int, fields: [String])]
            do { rows = try CSV.parse(text) } catch { throw DomainError.badRequest(message: "The file is not valid CSV.") }
            guard let header = rows.first else { return [] }
            let keys = header.fields.map { headerAliases[$0.trimmingCharacters(in: .whitespaces).lowercased()] ?? headerAliases[$0.trimmingCharacters(in: .whitespaces)] }
            for required in ["order_no", "received_at", "content", "address"] where !keys.contains(required) {
                errors.add("header", "missing_column", "the header needs a column \(required)")
            }
            try errors.throwIfAny()
            for row in rows.dropFirst() {
                var fields: [String: String] = [:]
                for (i, v) in row.fields.enumerated() where i < keys.count { if let k = keys[i] { fields[k] = v } }
                records.append(("line \(row.line)", fields))
            }
        }
        var orders: [Order] = []
        var seen = Set<String>()
        for (at, f) in records {
            let no = (f["order_no"] ?? "").trimmingCharacters(in: .whitespaces)
            if no.isEmpty || no.count > 64 { errors.add("\(at).order_no", "required", "an order number of at most 64 characters") }
            else if !seen.insert(no).inserted { errors.add("\(at).order_no", "duplicate", "order \(no) appears twice in the file") }
            let time = f["received_at"].flatMap(parseTime)
            if time == nil { errors.add("\(at).received_at", "invalid_time", "a time like 2026-11-30 09:15:00 (Beijing) or ISO 8601") }
            let content = (f["content"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { errors.add("\(at).content", "required", "the order's content") }
            let address = (f["address"] ?? "").trimmingCharacters(in: .whitespaces)
            if address.isEmpty { errors.add("\(at).address", "required", "the address") }
            if let time, !no.isEmpty, !content.isEmpty, !address.isEmpty {
                orders.append(Order(orderNo: no, receivedAt: time, content: content, address: address, category: f["category"] ?? "",
                                    phone: f["phone"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty))
            }
        }
        try errors.throwIfAny()
        return orders
    }

    // MARK: - Matching and filing

    func matcher(district: UUID, on db: any Database) async throws -> AddressMatcher {
        let rows = try await db.sql().raw("""
            SELECT p.id, p.name, p.aliases, p.address, p.latitude, p.longitude, m.street_id FROM compounds p JOIN communities m ON m.id = p.community_id
            JOIN streets s ON s.id = m.street_id WHERE s.district_id = \(bind: district)
            """).all()
        let candidates = try rows.map { r in
            let aliases = (try r.decode(column: "aliases", as: String?.self) ?? "").split(whereSeparator: { ",，;；、".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            return AddressMatcher.Candidate(id: try r.decode(column: "id", as: UUID.self), streetId: try r.decode(column: "street_id", as: UUID.self),
                                            names: [try r.decode(column: "name", as: String.self)] + aliases,
                                            address: try r.decode(column: "address", as: String?.self),
                                            latitude: try r.decode(column: "latitude", as: Double?.self), longitude: try r.decode(column: "longitude", as: Double?.self))
        }
        let streets = try await db.sql().raw("SELECT id, name FROM streets WHERE district_id = \(bind: district)").all().map {
            (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self))
        }
        return AddressMatcher(candidates, streets: streets)
    }

    /// Imports orders into `district` in one transaction; orders already known are listed, not refiled.
    func run(_ ctx: AccessContext, district: UUID, orders: [Order]) async throws -> Summary {
        let summary = try await database.db.transaction { tx in
            var summary = Summary()
            let matcher = try await matcher(district: district, on: tx)
            for order in orders {
                if try await tx.sql().raw("SELECT id FROM hotline_orders WHERE order_no = \(bind: order.orderNo)").first() != nil {
                    summary.duplicates.append(order.orderNo)
                    continue
                }
                let orderId = UUID.random()
                var requestId: UUID?
                var street: UUID?
                switch matcher.match(order.address) {
                case .compound(let compound):
                    let id = try await requests.create(ctx, input(order, compound: compound), on: tx)
                    requestId = id
                    summary.imported.append(try await tx.sql().raw("SELECT number FROM requests WHERE id = \(bind: id)").first()!.decode(column: "number", as: String.self))
                case .ambiguous(let s):
                    street = s ?? matcher.street(order.address)
                    summary.unmatched.append(order.orderNo)
                case .none:
                    street = matcher.street(order.address)
                    summary.unmatched.append(order.orderNo)
                }
                try await tx.sql().insert(into: "hotline_orders").columns("id", "district_id", "street_id", "order_no", "received_at", "content", "address", "category",
                                                                          "phone", "status", "request_id", "imported_by", "created_at", "updated_at")
                    .values([Bind.uuid(orderId), Bind.uuid(district), Bind.uuid(street), Bind.text(order.orderNo), Bind.date(order.receivedAt), Bind.text(order.content),
                             Bind.text(order.address), Bind.text(order.category), Bind.text(order.phone), Bind.text(requestId == nil ? "unmatched" : "filed"),
                             Bind.uuid(requestId), Bind.text(ctx.actor.label), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            }
            try await audit.record(ctx, action: "import", entity: "hotline-orders", entityId: district, districtId: district, before: nil,
                                   after: .object(["imported": .int(Int64(summary.imported.count)), "duplicates": .int(Int64(summary.duplicates.count)),
                                                   "unmatched": .int(Int64(summary.unmatched.count))]), on: tx)
            return summary
        }
        AppMetrics.filed(channel: "hotline", count: summary.imported.count)
        return summary
    }

    func input(_ order: Order, compound: UUID) -> RequestService.NewRequest {
        let category = RequestCategory.fromHotline(order.category)
        let urgent = ["火", "燃气", "漏气", "触电", "困人", "坍塌"].contains { order.content.contains($0) }
        let utilities = ["停水", "停电", "供暖", "暖气", "燃气", "没水", "没电"].contains { order.content.contains($0) }
        return .init(channel: .hotline, category: category, urgency: urgent ? .emergency : utilities ? .utilities : .general, compoundId: compound,
                     reporterName: "12345", reporterPhone: order.phone, description: order.content, receivedAt: order.receivedAt, hotlineOrderNo: order.orderNo)
    }

    // MARK: - The queue of unmatched orders

    struct QueuedOrder: Sendable {
        let id: UUID, orderNo: String, receivedAt: Date, content: String, address: String, category: String, streetId: UUID?, streetName: String?
    }

    /// Unmatched orders the actor's street (or district) assigns.
    func queue(_ ctx: AccessContext) async throws -> [QueuedOrder] {
        // The SQL twin of `IntakeAccess.handlesOrder`.
        let scope = IntakeAccess.queueScope(ctx.actor)
        let parts: [SQLQueryString] = scope.districts.map { "o.district_id = \(bind: $0)" } + scope.streets.map { "o.street_id = \(bind: $0)" }
        let visible: SQLQueryString = ctx.actor.isSystem ? "1=1" : parts.isEmpty ? "1=0" : "(" + parts.joined(separator: " OR ") + ")"
        let rows = try await database.db.sql().raw("""
            SELECT o.*, s.name AS street_name FROM hotline_orders o LEFT JOIN streets s ON s.id = o.street_id
            WHERE o.status = 'unmatched' AND \(visible) ORDER BY o.received_at LIMIT 500
            """).all()
        return try rows.map { r in
            QueuedOrder(id: try r.decode(column: "id", as: UUID.self), orderNo: try r.decode(column: "order_no", as: String.self),
                        receivedAt: try r.decode(column: "received_at", as: Date.self), content: try r.decode(column: "content", as: String.self),
                        address: try r.decode(column: "address", as: String.self), category: try r.decode(column: "category", as: String.self),
                        streetId: try r.decode(column: "street_id", as: UUID?.self), streetName: try r.decode(column: "street_name", as: String?.self))
        }
    }

    /// A person assigns a queued order to a compound; it becomes a request like any matched order.
    func assign(_ ctx: AccessContext, order orderId: UUID, compound: UUID) async throws -> UUID {
        let id = try await database.db.transaction { tx in
            guard let row = try await tx.sql().raw("SELECT * FROM hotline_orders WHERE id = \(bind: orderId)").first() else {
                throw DomainError.notFound(entity: "hotline-orders", id: orderId.uuidString.lowercased())
            }
            let district = try row.decode(column: "district_id", as: UUID.self)
            let street = try row.decode(column: "street_id", as: UUID?.self)
            guard IntakeAccess.handlesOrder(ctx.actor, district: district, street: street) else { throw DomainError.notFound(entity: "hotline-orders", id: orderId.uuidString.lowercased()) }
            guard try row.decode(column: "status", as: String.self) == "unmatched" else {
                throw DomainError.conflict(code: "already_assigned", message: "the order has already become a request")
            }
            guard let place = try await requests.place(ofCompound: compound, on: tx), place.districtId == district else {
                throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound of this district has that id")])
            }
            let order = Order(orderNo: try row.decode(column: "order_no", as: String.self), receivedAt: try row.decode(column: "received_at", as: Date.self),
                              content: try row.decode(column: "content", as: String.self), address: try row.decode(column: "address", as: String.self),
                              category: try row.decode(column: "category", as: String.self), phone: try row.decode(column: "phone", as: String?.self))
            let id = try await requests.create(.system(ctx.actor.label, source: ctx.source, now: ctx.now), input(order, compound: compound), on: tx)
            try await tx.sql().raw("UPDATE hotline_orders SET status = 'assigned', request_id = \(bind: id), street_id = \(bind: place.streetId), updated_at = \(bind: ctx.now) WHERE id = \(bind: orderId)").run()
            try await audit.record(ctx, action: "assign", entity: "hotline-orders", entityId: orderId, districtId: district, before: .object(["status": .string("unmatched")]),
                                   after: .object(["status": .string("assigned"), "compoundId": .string(compound.uuidString.lowercased())]), on: tx)
            return id
        }
        AppMetrics.filed(channel: "hotline", count: 1)
        return id
    }
}
