import Domain
import Foundation
import Hummingbird
import NIOCore
import SQLKit

/// Open311 GeoReport v2 at `/open311/v2`, field by field as published (wiki.open311.org/GeoReport_v2):
/// discovery, services, a service definition, requests (GET with the standard filters, POST with
/// an integration key as `api_key`) and one request, each as `.json` or `.xml`. Errors use the
/// spec's own list of `{code, description}`.
struct Open311API: Sendable {
    let requests: RequestService
    let hotline: HotlineImport
    let auth: AuthService
    let clock: @Sendable () -> Date

    enum Format: String { case json, xml }

    /// An Open311 error: the HTTP status and the spec's error list.
    struct Failure: Error { let status: HTTPResponse.Status; let description: String }

    func register(on routes: RouteTable) {
        let root = SiteURL.open311Root
        for format in [Format.json, .xml] {
            routes.add(.get, "\(root)/discovery.\(format.rawValue)", .open) { request, _ in answer(format) { try discovery(request, format) } }
            routes.add(.get, "\(root)/services.\(format.rawValue)", .open) { _, _ in answer(format) { services(format) } }
            routes.add(.get, "\(root)/requests.\(format.rawValue)", .open) { request, _ in await answerAsync(format) { try await list(request, format) } }
            routes.add(.post, "\(root)/requests.\(format.rawValue)", .open) { request, context in await answerAsync(format) { try await post(request, context, format) } }
        }
        routes.add(.get, "\(root)/services/:code", .open) { _, context in
            let (code, format) = Self.split(context.parameters.get("code") ?? "")
            return answer(format ?? .json) {
                guard format != nil, let category = RequestCategory(rawValue: code) else { throw Failure(status: .notFound, description: "service_code \(code) not found") }
                return Self.render(.object(["service_code": .string(category.rawValue), "attributes": .array([])]), format: format!, root: "service_definition", item: "attribute")
            }
        }
        routes.add(.get, "\(root)/requests/:id", .open) { _, context in
            let (id, format) = Self.split(context.parameters.get("id") ?? "")
            return await answerAsync(format ?? .json) {
                guard let format else { throw Failure(status: .notFound, description: "use requests/{id}.json or .xml") }
                guard let row = try await requests.database.db.sql().raw("\(unsafeRaw: RequestRecord.select) WHERE r.number = \(bind: id)").first() else {
                    throw Failure(status: .notFound, description: "service_request_id \(id) not found")
                }
                let r = try RequestRecord(row: row)
                return Self.render(.array([try await item(r)]), format: format, root: "service_requests", item: "request")
            }
        }
    }

    /// `requests.json` → ("requests", .json).
    static func split(_ s: String) -> (String, Format?) {
        guard let dot = s.lastIndex(of: ".") else { return (s, nil) }
        return (String(s[..<dot]), Format(rawValue: String(s[s.index(after: dot)...])))
    }

    func answer(_ format: Format, _ body: () throws -> Response) -> Response {
        do { return try body() } catch { return failure(error, format) }
    }

    func answerAsync(_ format: Format, _ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch { return failure(error, format) }
    }

    func failure(_ error: any Error, _ format: Format) -> Response {
        let (status, text): (HTTPResponse.Status, String) = switch error {
        case let f as Failure: (f.status, f.description)
        case DomainError.invalid(let fields): (.badRequest, fields.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        case DomainError.notFound(let entity, let id): (.notFound, "\(entity) \(id) not found")
        case DomainError.forbidden(let reason): (.forbidden, reason)
        case DomainError.conflict(_, let message): (.conflict, message)
        case DomainError.badRequest(let message): (.badRequest, message)
        case DomainError.unauthorized: (.forbidden, "api_key is missing or invalid")
        // Everything else (a body too large, the database away) as the rest of the API answers it, in Open311's shape.
        default: HTTPFailure(error).map { ($0.status, $0.message) } ?? (.internalServerError, "internal error")
        }
        var r = Self.render(.array([.object(["code": .int(Int64(status.code)), "description": .string(text)])]), format: format, root: "errors", item: "error")
        r.status = status
        return r
    }

    // MARK: - Resources

    func discovery(_ request: Request, _ format: Format) throws -> Response {
        let host = request.head.authority ?? "localhost"
        let base = "http://\(host)\(SiteURL.open311Root)"
        let value: JSONValue = .object([
            "changeset": .string("2026-11-30T00:00:00+08:00"), "contact": .string("区城市管理指挥中心 / district command centre"),
            "key_service": .string("Integration keys are issued by the district admin (POST /api/v1/api-keys)."),
            "endpoints": .array([.object(["specification": .string("http://wiki.open311.org/GeoReport_v2"), "url": .string(base),
                                          "changeset": .string("2026-11-30T00:00:00+08:00"), "type": .string("production"),
                                          "formats": .array([.string("application/json"), .string("text/xml")])])]),
        ])
        return Self.render(value, format: format, root: "discovery", item: "endpoint")
    }

    static let names: [RequestCategory: (zh: String, group: String)] = [
        .publicOrder: ("公共秩序维护", "物业服务"), .sanitation: ("环境卫生", "物业服务"), .greening: ("绿化养护", "物业服务"),
        .sharedFacilities: ("共用部位及设施设备", "物业服务"), .fireSafety: ("消防安全", "物业服务"), .renovation: ("装饰装修管理", "物业服务"),
        .generalService: ("综合服务", "物业服务"), .other: ("其他", "其他"),
    ]

    func services(_ format: Format) -> Response {
        Self.render(.array(RequestCategory.allCases.map { c in
            .object(["service_code": .string(c.rawValue), "service_name": .string(Self.names[c]?.zh ?? c.rawValue),
                     "description": .string("DB11/T 751 \(Self.names[c]?.zh ?? "")"), "metadata": .bool(false), "type": .string("realtime"),
                     "keywords": .string(c.rawValue.replacingOccurrences(of: "_", with: ",")), "group": .string(Self.names[c]?.group ?? "")])
        }), format: format, root: "services", item: "service")
    }

    /// W3C datetime in Beijing time, as the spec's examples give it (`2010-04-14T06:37:38-08:00`).
    static func w3c(_ d: Date) -> String { Timestamp.beijing(d) }

    static func parseW3C(_ s: String) -> Date? {
        Timestamp.parse(s)
    }

    func item(_ r: RequestRecord) async throws -> JSONValue {
        let closed = [.resolved, .rated, .closed].contains(r.status)
        let photo = try await requests.photos(r.id).first { $0.stage == .report }
        let address = try await requests.database.db.sql().raw("SELECT address FROM compounds WHERE id = \(bind: r.compoundId)").first()?.decode(column: "address", as: String.self)
        var o: [String: JSONValue] = [
            "service_request_id": .string(r.number), "status": .string(closed ? "closed" : "open"),
            "status_notes": r.reply.map { .string($0) } ?? .string(r.status.rawValue),
            "service_name": .string(Self.names[r.category]?.zh ?? r.category.rawValue), "service_code": .string(r.category.rawValue),
            "description": .string(r.description), "agency_responsible": r.handlerName.map { .string($0) } ?? .null,
            "service_notice": .string(r.isOverdue(now: clock()) ? "overdue" : ""), "requested_datetime": .string(Self.w3c(r.receivedAt)),
            "updated_datetime": .string(Self.w3c([r.closedAt, r.ratedAt, r.resolvedAt, r.respondedAt, r.dispatchedAt].compactMap { $0 }.max() ?? r.receivedAt)),
            "expected_datetime": .string(Self.w3c(r.resolveBy)), "address": .string("\(r.compoundName) \(address ?? "")".trimmingCharacters(in: .whitespaces)),
            "address_id": .string(r.compoundId.uuidString.lowercased()), "zipcode": .null,
            "lat": r.latitude.map { .double($0) } ?? .null, "long": r.longitude.map { .double($0) } ?? .null,
            "media_url": photo.map { .string(SiteURL.requestPhoto.link($0.id.text)) } ?? .null,
        ]
        if o["lat"] == .null, let row = try await requests.database.db.sql().raw("SELECT latitude, longitude FROM compounds WHERE id = \(bind: r.compoundId)").first() {
            o["lat"] = (try row.decode(column: "latitude", as: Double?.self)).map { .double($0) } ?? .null
            o["long"] = (try row.decode(column: "longitude", as: Double?.self)).map { .double($0) } ?? .null
        }
        return .object(o)
    }

    /// GET requests: `service_request_id` (comma-separated), `service_code`, `start_date`, `end_date`,
    /// `status` (open, closed); by default the last 90 days and at most 1,000 requests.
    func list(_ request: Request, _ format: Format) async throws -> Response {
        let q = request.uri.queryParameters
        var query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) WHERE 1=1"
        if let ids = q.get("service_request_id"), !ids.isEmpty {
            let numbers = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            query += " AND r.number IN (" + numbers.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
        } else {
            let end = try q.get("end_date").map { s -> Date in guard let d = Self.parseW3C(s) else { throw Failure(status: .badRequest, description: "end_date must be a W3C datetime") }; return d } ?? clock()
            let start = try q.get("start_date").map { s -> Date in guard let d = Self.parseW3C(s) else { throw Failure(status: .badRequest, description: "start_date must be a W3C datetime") }; return d }
                ?? end.addingTimeInterval(-90 * 86_400)
            query += " AND r.received_at >= \(bind: start) AND r.received_at <= \(bind: end)"
            if let codes = q.get("service_code"), !codes.isEmpty {
                let list = codes.split(separator: ",").map { String($0) }
                guard list.allSatisfy({ RequestCategory(rawValue: $0) != nil }) else { throw Failure(status: .badRequest, description: "unknown service_code") }
                query += " AND r.category IN (" + list.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
            }
            if let status = q.get("status"), !status.isEmpty {
                let closed = ["resolved", "rated", "closed"]
                switch status {
                case "open": query += " AND r.status NOT IN (" + closed.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
                case "closed": query += " AND r.status IN (" + closed.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
                default: throw Failure(status: .badRequest, description: "status is open or closed")
                }
            }
        }
        query += " ORDER BY r.received_at DESC LIMIT 1000"
        var items: [JSONValue] = []
        for row in try await requests.database.db.sql().raw(query).all() { items.append(try await item(try RequestRecord(row: row))) }
        return Self.render(.array(items), format: format, root: "service_requests", item: "request")
    }

    /// POST requests: form-encoded (or JSON) `api_key`, `service_code`, `lat`/`long` or
    /// `address_string`, `description`, `first_name`, `last_name`, `phone`, `media_url`.
    func post(_ request: Request, _ context: AppRequestContext, _ format: Format) async throws -> Response {
        let buffer = try await request.readBody(limit: BodyLimits.json)
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        var f: [String: String] = FormInput.parse(text)
        if (request.headers[.contentType] ?? "").contains("json"), case .object(let o)? = try? JSONValue.parse(Data(text.utf8)) {
            f = o.compactMapValues { v in
                switch v {
                case .string(let s): s
                case .double(let d): String(d)
                case .int(let i): String(i)
                default: nil
                }
            }
        }
        for (k, v) in request.uri.queryParameters where f[String(k)] == nil { f[String(k)] = String(v) }
        let now = clock()
        guard let key = f["api_key"], key.hasPrefix("gzk_"), let actor = try await auth.actor(forSecret: key, as: .api, now: now) else {
            throw Failure(status: .forbidden, description: "api_key is missing or invalid")
        }
        guard let code = f["service_code"], let category = RequestCategory(rawValue: code) else { throw Failure(status: .badRequest, description: "service_code not found") }
        let description = (f["description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw Failure(status: .badRequest, description: "description is required") }
        guard let district = actor.grants.first.flatMap({ $0.role == .districtAdmin ? $0.scopeId : $0.districtId }) else {
            throw Failure(status: .forbidden, description: "the key belongs to no district")
        }
        let matcher = try await hotline.matcher(district: district, on: requests.database.db)
        var compound: UUID?
        if let address = f["address_string"], !address.isEmpty, case .compound(let id) = matcher.match(address) { compound = id }
        let lat = f["lat"].flatMap(Double.init), lon = f["long"].flatMap(Double.init)
        if compound == nil, let lat, let lon { compound = matcher.nearest(latitude: lat, longitude: lon) }
        guard let compound else {
            throw Failure(status: .badRequest, description: "the location (address_string, or lat/long) matches no compound of the district")
        }
        let name = [f["last_name"], f["first_name"]].compactMap { $0?.nilIfEmpty }.joined()
        let ctx = AccessContext(actor: actor, source: "open311", address: context.address, now: now)
        let id = try await requests.create(ctx, .init(channel: .mobile, category: category, urgency: .general, compoundId: compound,
                                                      reporterName: name.isEmpty ? "Open311" : name, reporterPhone: f["phone"]?.nilIfEmpty,
                                                      description: description, latitude: lat, longitude: lon))
        let r = try await requests.load(id, on: requests.database.db)
        var response = Self.render(.array([.object(["service_request_id": .string(r.number), "service_notice": .string("已派至 \(r.handlerName ?? "")"),
                                                     "account_id": .null])]), format: format, root: "service_requests", item: "request")
        response.status = .created
        return response
    }

    // MARK: - Rendering

    /// JSON as is; XML with `root` around a list of `item` elements (or the object's fields).
    static func render(_ value: JSONValue, format: Format, root: String, item: String) -> Response {
        switch format {
        case .json:
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
        case .xml:
            var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            out += xml(value, name: root, item: item)
            return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: out)))
        }
    }

    static func xml(_ value: JSONValue, name: String, item: String) -> String {
        switch value {
        case .null: return "<\(name)/>"
        case .bool(let b): return "<\(name)>\(b)</\(name)>"
        case .int(let i): return "<\(name)>\(i)</\(name)>"
        case .double(let d): return "<\(name)>\(d)</\(name)>"
        case .string(let s): return "<\(name)>\(H.escape(s))</\(name)>"
        case .array(let a):
            // Plural containers hold their singular items (endpoints → endpoint, formats → format).
            let child = name == "endpoints" ? "endpoint" : name == "formats" ? "format" : name == "attributes" ? "attribute" : item
            return "<\(name)>" + a.map { xml($0, name: child, item: item) }.joined() + "</\(name)>"
        case .object(let o):
            return "<\(name)>" + o.keys.sorted().map { xml(o[$0]!, name: $0, item: item) }.joined() + "</\(name)>"
        }
    }
}
