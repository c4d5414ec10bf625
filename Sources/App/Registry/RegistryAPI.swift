import Domain
import FluentKit
import Foundation
import Hummingbird
import HummingbirdCore

/// The JSON handlers shared by every registry collection: parse → call the store → map → return.
struct RegistryAPI: Sendable {
    let store: ResourceStore
    let database: AppDatabase
    let clock: @Sendable () -> Date

    /// Registers list, create, get, replace, patch and delete for each resource.
    func register(_ specs: [ResourceSpec], on routes: RouteTable) {
        for spec in specs {
            let collection = SiteURL.apiCollection(spec.name)
            let item = SiteURL.apiItem(spec.name)
            routes.signedIn(.get, collection.pattern, .resource(spec.name, .read), source: "api") { call in try await list(spec, call) }
            routes.signedIn(.post, collection.pattern, .resource(spec.name, .create), source: "api") { call in try await create(spec, call) }
            routes.signedIn(.get, item.pattern, .resource(spec.name, .read), source: "api") { call in try await get(spec, call) }
            routes.signedIn(.put, item.pattern, .resource(spec.name, .update), source: "api") { call in try await update(spec, call, partial: false) }
            routes.signedIn(.patch, item.pattern, .resource(spec.name, .update), source: "api") { call in try await update(spec, call, partial: true) }
            routes.signedIn(.delete, item.pattern, .resource(spec.name, .delete), source: "api") { call in try await delete(spec, call) }
        }
    }

    func list(_ spec: ResourceSpec, _ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let query = try ListQuery(request.uri.queryParameters, spec: spec)
        let page = try await store.list(call.access, spec, filters: query.filters, search: query.search, after: query.cursor,
                                        limit: query.limit, on: database.reads)
        return .json(.object([
            "items": .array(page.records.map { FieldCodec.encode($0, spec: spec) }),
            "nextCursor": page.next.map { JSONValue.string($0.uuidString.lowercased()) } ?? JSONValue.null,
        ]))
    }

    func get(_ spec: ResourceSpec, _ call: SignedIn) async throws -> Response {
        let context = call.context
        let record = try await store.get(call.access, spec, id: try id(context, spec), on: database.db)
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func create(_ spec: ResourceSpec, _ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let ctx = call.access
        let values = try FieldCodec.decode(try await body(request, context), spec: spec, partial: false)
        let record = try await database.db.transaction { tx in try await store.create(ctx, spec, values: values, on: tx) }
        return .json(FieldCodec.encode(record, spec: spec), status: .created,
                     headers: [.location: SiteURL.apiItem(spec.name).link(record.id.uuidString.lowercased())])
    }

    func update(_ spec: ResourceSpec, _ call: SignedIn, partial: Bool) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let ctx = call.access
        let id = try id(context, spec)
        let input = try FieldCodec.decode(try await body(request, context), spec: spec, partial: partial)
        let record = try await database.db.transaction { tx in try await store.update(ctx, spec, id: id, changes: input, on: tx) }
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func delete(_ spec: ResourceSpec, _ call: SignedIn) async throws -> Response {
        let context = call.context
        let ctx = call.access
        let id = try id(context, spec)
        try await database.db.transaction { tx in try await store.delete(ctx, spec, id: id, on: tx) }
        return Response(status: .noContent)
    }

    // MARK: - Input

    func id(_ context: AppRequestContext, _ spec: ResourceSpec) throws -> UUID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: spec.name, id: raw) }
        return id
    }

    func body(_ request: Request, _ context: AppRequestContext) async throws -> JSONValue {
        let buffer = try await request.readBody(limit: BodyLimits.json)
        return try JSONValue.parse(Data(buffer.readableBytesView))
    }
}

/// `?limit=&cursor=&<filter>=` of a list call, checked against the resource's filterable fields.
struct ListQuery {
    var limit = 50
    var cursor: UUID?
    var filters: [String: FieldValue] = [:]
    /// Words to find in the searchable fields.
    var search: String?

    init(_ params: FlatDictionary<Substring, Substring>, spec: ResourceSpec) throws {
        var errors = FieldErrors()
        for (key, value) in params {
            let k = String(key), v = String(value)
            switch k {
            case "limit":
                if let n = Int(v), (1...ResourceStore.maxLimit).contains(n) { limit = n } else {
                    errors.add("limit", "out_of_range", "limit must be from 1 to \(ResourceStore.maxLimit)")
                }
            case "cursor":
                if let u = UUID(uuidString: v) { cursor = u } else { errors.add("cursor", "invalid_cursor", "cursor is not one this API gave") }
            case "q" where spec.fields.contains(where: \.searchable):
                let q = v.trimmingCharacters(in: .whitespaces)
                if q.unicodeScalars.count > 100 || TextRules.hasControlCharacter(q) { errors.add("q", "invalid", "at most 100 characters of text") }
                else if !q.isEmpty { search = q }
            default:
                guard let field = spec.field(k), field.filterable else {
                    errors.add(k, "unknown_parameter", "\(spec.name) cannot be filtered by \(k)")
                    continue
                }
                let json: JSONValue = if case .boolean = field.kind { v == "true" ? .bool(true) : v == "false" ? .bool(false) : .string(v) } else { .string(v) }
                switch FieldCodec.decode(json, field: field) {
                case .success(let fv): filters[k] = fv
                case .failure(let e): errors.add(e)
                }
            }
        }
        if !errors.isEmpty {
            throw DomainError.badRequest(message: errors.all.map(\.message).joined(separator: "; "))
        }
    }
}
