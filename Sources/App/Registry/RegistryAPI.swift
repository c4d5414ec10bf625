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
            routes.add(.get, collection, .resource(spec.name, .read)) { request, context in try await list(spec, request, context) }
            routes.add(.post, collection, .resource(spec.name, .create)) { request, context in try await create(spec, request, context) }
            routes.add(.get, item, .resource(spec.name, .read)) { _, context in try await get(spec, context) }
            routes.add(.put, item, .resource(spec.name, .update)) { request, context in try await update(spec, request, context, partial: false) }
            routes.add(.patch, item, .resource(spec.name, .update)) { request, context in try await update(spec, request, context, partial: true) }
            routes.add(.delete, item, .resource(spec.name, .delete)) { _, context in try await delete(spec, context) }
        }
    }

    func list(_ spec: ResourceSpec, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = try ListQuery(request.uri.queryParameters, spec: spec)
        let page = try await store.list(try context.access("api", now: clock()), spec, filters: query.filters, after: query.cursor,
                                        limit: query.limit, on: database.db)
        return .json(.object([
            "items": .array(page.records.map { FieldCodec.encode($0, spec: spec) }),
            "nextCursor": page.next.map { JSONValue.string($0.uuidString.lowercased()) } ?? JSONValue.null,
        ]))
    }

    func get(_ spec: ResourceSpec, _ context: AppRequestContext) async throws -> Response {
        let record = try await store.get(try context.access("api", now: clock()), spec, id: try id(context, spec), on: database.db)
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func create(_ spec: ResourceSpec, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("api", now: clock())
        let values = try FieldCodec.decode(try await body(request, context), spec: spec, partial: false)
        let record = try await database.db.transaction { tx in try await store.create(ctx, spec, values: values, on: tx) }
        return .json(FieldCodec.encode(record, spec: spec), status: .created,
                     headers: [.location: SiteURL.apiItem(spec.name).link(record.id.uuidString.lowercased())])
    }

    func update(_ spec: ResourceSpec, _ request: Request, _ context: AppRequestContext, partial: Bool) async throws -> Response {
        let ctx = try context.access("api", now: clock())
        let id = try id(context, spec)
        let input = try FieldCodec.decode(try await body(request, context), spec: spec, partial: partial)
        let record = try await database.db.transaction { tx in try await store.update(ctx, spec, id: id, changes: input, on: tx) }
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func delete(_ spec: ResourceSpec, _ context: AppRequestContext) async throws -> Response {
        let ctx = try context.access("api", now: clock())
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
        let buffer = try await request.body.collect(upTo: 1024 * 1024)
        return try JSONValue.parse(Data(buffer.readableBytesView))
    }
}

/// `?limit=&cursor=&<filter>=` of a list call, checked against the resource's filterable fields.
struct ListQuery {
    var limit = 50
    var cursor: UUID?
    var filters: [String: FieldValue] = [:]

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
