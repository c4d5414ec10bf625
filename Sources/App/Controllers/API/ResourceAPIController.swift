import Domain
import FluentKit
import Foundation
import Hummingbird
import HummingbirdCore

/// The JSON handlers shared by every registry collection: parse → call the store → map → return.
struct ResourceAPIController: Sendable {
    let store: ResourceStore
    let database: AppDatabase
    let clock: @Sendable () -> Date

    /// Registers list, create, get, replace, patch and delete for each resource.
    func register(_ specs: [ResourceSpec], on router: Router<AppRequestContext>) {
        for spec in specs {
            let collection = SiteURL.apiCollection(spec.name).pattern
            let item = SiteURL.apiItem(spec.name).pattern
            router.get(RouterPath(collection)) { request, _ in try await list(spec, request) }
            router.post(RouterPath(collection)) { request, context in try await create(spec, request, context) }
            router.get(RouterPath(item)) { _, context in try await get(spec, context) }
            router.put(RouterPath(item)) { request, context in try await update(spec, request, context, partial: false) }
            router.patch(RouterPath(item)) { request, context in try await update(spec, request, context, partial: true) }
            router.delete(RouterPath(item)) { _, context in try await delete(spec, context) }
        }
    }

    func list(_ spec: ResourceSpec, _ request: Request) async throws -> Response {
        let query = try ListQuery(request.uri.queryParameters, spec: spec)
        let page = try await store.list(spec, filters: query.filters, after: query.cursor, limit: query.limit, on: database.db)
        return .json(.object([
            "items": .array(page.records.map { FieldCodec.encode($0, spec: spec) }),
            "nextCursor": page.next.map { JSONValue.string($0.uuidString.lowercased()) } ?? JSONValue.null,
        ]))
    }

    func get(_ spec: ResourceSpec, _ context: AppRequestContext) async throws -> Response {
        let record = try await store.require(spec, id: try id(context, spec), on: database.db)
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func create(_ spec: ResourceSpec, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let values = try FieldCodec.decode(try await body(request, context), spec: spec, partial: false)
        let now = clock()
        let record = try await database.db.transaction { tx in try await store.create(spec, values: values, now: now, on: tx) }
        return .json(FieldCodec.encode(record, spec: spec), status: .created,
                     headers: [.location: SiteURL.apiItem(spec.name).link(record.id.uuidString.lowercased())])
    }

    func update(_ spec: ResourceSpec, _ request: Request, _ context: AppRequestContext, partial: Bool) async throws -> Response {
        let id = try id(context, spec)
        let input = try FieldCodec.decode(try await body(request, context), spec: spec, partial: partial)
        let now = clock()
        let record = try await database.db.transaction { tx in
            let existing = try await store.require(spec, id: id, on: tx)
            return try await store.update(spec, existing: existing, values: existing.values.merging(input) { _, new in new }, now: now, on: tx)
        }
        return .json(FieldCodec.encode(record, spec: spec))
    }

    func delete(_ spec: ResourceSpec, _ context: AppRequestContext) async throws -> Response {
        let id = try id(context, spec)
        try await database.db.transaction { tx in try await store.delete(spec, id: id, on: tx) }
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
