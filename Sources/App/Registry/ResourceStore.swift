import Domain
import FluentKit
import Foundation
import SQLKit

/// The one generic store behind every registry collection: list with filters and cursor paging,
/// get, create, update, delete — each through the access policy, each write audited on its own
/// transaction. SQLKit on Fluent's connection.
struct ResourceStore: Sendable {
    let catalog: ResourceCatalog
    let access: AccessControl
    let audit = AuditLog()

    init(catalog: ResourceCatalog) {
        self.catalog = catalog
        self.access = AccessControl(catalog: catalog)
    }

    /// The most rows one list call returns.
    static let maxLimit = 500

    /// The rows the actor may see, filtered and paged by id.
    func list(_ ctx: AccessContext, _ spec: ResourceSpec, filters: [String: FieldValue], search: String? = nil, after: UUID?, limit: Int,
              on db: any Database) async throws -> (records: [Record], next: UUID?) {
        let c = access.chain(spec)
        var query: SQLQueryString = "SELECT \(unsafeRaw: selectList(spec)) FROM \(unsafeRaw: c.from) WHERE \(ctx.scope.visible(ctx.actor, c))"
        for (name, value) in filters.sorted(by: { $0.key < $1.key }) {
            guard let field = spec.field(name) else { continue }
            query += " AND t0.\(unsafeRaw: field.column) = " + Self.bindString(value)
        }
        if let search {
            let columns = spec.fields.filter(\.searchable).map { SQLSearch.contains("t0.\($0.column)", search) }
            if !columns.isEmpty { query += " AND (" + columns.joined(separator: " OR ") + ")" }
        }
        if let after { query += " AND t0.id > \(bind: after)" }
        query += " ORDER BY t0.id LIMIT \(literal: limit + 1)"
        let rows = try await db.sql().raw(query).all()
        let records = try rows.prefix(limit).map { try decode($0, spec: spec) }
        return (records, rows.count > limit ? records.last?.id : nil)
    }

    /// One record the actor may see; 404 otherwise.
    func get(_ ctx: AccessContext, _ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> Record {
        try await access.authorize(ctx, .read, spec, id: id, on: db)
        return try await require(spec, id: id, on: db)
    }

    /// A record by id regardless of the actor (callers have authorised already).
    func require(_ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> Record {
        let row = try await db.sql().raw("SELECT \(unsafeRaw: selectList(spec)) FROM \(unsafeRaw: spec.table) t0 WHERE t0.id = \(bind: id)").first()
        guard let row else { throw DomainError.notFound(entity: spec.name, id: id.uuidString.lowercased()) }
        return try decode(row, spec: spec)
    }

    /// Inserts a validated row: references must exist and be visible, the parent must lie in the actor's scope.
    func create(_ ctx: AccessContext, _ spec: ResourceSpec, values: [String: FieldValue], id: UUID = UUID.random(), on db: any Database) async throws -> Record {
        try await access.checkReferences(ctx, spec, values: values, on: db)
        try await access.authorizePlacement(ctx, .create, spec, values: values, on: db)
        let cols = ["id"] + spec.fields.map(\.column) + ["created_at", "updated_at"]
        let binds: [any SQLExpression] = [SQLBind(id)] + spec.fields.map { Self.bind(values[$0.name] ?? .null) } + [SQLBind(ctx.now), SQLBind(ctx.now)]
        try await db.sql().insert(into: spec.table).columns(cols).values(binds).run()
        let record = Record(id: id, values: values, createdAt: ctx.now, updatedAt: ctx.now)
        try await audit.record(ctx, action: "create", entity: spec.name, entityId: id, districtId: try await access.district(spec, id: id, on: db),
                               before: nil, after: FieldCodec.encode(record, spec: spec), on: db)
        // A new contract is a change of the company serving the compound: the owners are told by a notice nobody can edit.
        if spec.name == "contracts", let row = try await db.sql().raw("""
            SELECT k.compound_id, k.starts_on, c.name FROM contracts k JOIN companies c ON c.id = k.company_id WHERE k.id = \(bind: id)
            """).first() {
            let company = try row.decode(column: "name", as: String.self), starts = try row.decode(column: "starts_on", as: String.self)
            try await NoticeService.postSystem(ctx, .companyChange, compound: try row.decode(column: "compound_id", as: UUID.self),
                                               title: "物业服务企业变更公示：" + company, body: "自 \(starts) 起，本小区由 \(company) 提供物业服务。", ref: id, on: db)
        }
        return record
    }

    /// Changes fields of an existing row (`changes` are merged over what is stored).
    func update(_ ctx: AccessContext, _ spec: ResourceSpec, id: UUID, changes: [String: FieldValue], on db: any Database) async throws -> Record {
        try await access.authorize(ctx, .update, spec, id: id, on: db)
        let existing = try await require(spec, id: id, on: db)
        let values = existing.values.merging(changes) { _, new in new }
        try await access.checkReferences(ctx, spec, values: values, on: db)
        if let parent = spec.parentField, values[parent] != existing.values[parent] {
            try await access.authorizePlacement(ctx, .update, spec, values: values, on: db)
        }
        var query = db.sql().update(spec.table)
        for field in spec.fields { query = query.set(SQLIdentifier(field.column), to: Self.bind(values[field.name] ?? .null)) }
        try await query.set(SQLIdentifier("updated_at"), to: SQLBind(ctx.now)).where(SQLIdentifier("id"), .equal, SQLBind(id)).run()
        let record = Record(id: id, values: values, createdAt: existing.createdAt, updatedAt: ctx.now)
        try await audit.record(ctx, action: "update", entity: spec.name, entityId: id, districtId: try await access.district(spec, id: id, on: db),
                               before: FieldCodec.encode(existing, spec: spec), after: FieldCodec.encode(record, spec: spec), on: db)
        return record
    }

    /// Deletes a row that nothing refers to; a row with children is a conflict naming them.
    func delete(_ ctx: AccessContext, _ spec: ResourceSpec, id: UUID, on db: any Database) async throws {
        try await access.authorize(ctx, .delete, spec, id: id, on: db)
        let existing = try await require(spec, id: id, on: db)
        for (child, field) in catalog.children(of: spec.name) {
            let row = try await db.sql().select().column(SQLLiteral.numeric("1")).from(child.table)
                .where(SQLIdentifier(field.column), .equal, SQLBind(id)).limit(1).first()
            if row != nil {
                throw DomainError.conflict(code: "has_children", message: "\(spec.name) \(id.uuidString.lowercased()) still has \(child.name)")
            }
        }
        let district = try await access.district(spec, id: id, on: db)
        try await db.sql().delete(from: spec.table).where(SQLIdentifier("id"), .equal, SQLBind(id)).run()
        try await audit.record(ctx, action: "delete", entity: spec.name, entityId: id, districtId: district,
                               before: FieldCodec.encode(existing, spec: spec), after: nil, on: db)
    }

    // MARK: - Rows

    func selectList(_ spec: ResourceSpec) -> String {
        (["id"] + spec.fields.map(\.column) + ["created_at", "updated_at"]).map { "t0.\($0) AS \($0)" }.joined(separator: ", ")
    }

    func decode(_ row: any SQLRow, spec: ResourceSpec) throws -> Record {
        var values: [String: FieldValue] = [:]
        for field in spec.fields {
            let c = field.column
            if try row.decodeNil(column: c) { values[field.name] = .null; continue }
            switch field.kind {
            case .text, .date, .code, .creditCode, .phone: values[field.name] = .text(try row.decode(column: c, as: String.self))
            case .integer, .area, .money: values[field.name] = .integer(try row.decode(column: c, as: Int64.self))
            case .boolean: values[field.name] = .boolean(try row.decode(column: c, as: Bool.self))
            case .reference: values[field.name] = .uuid(try row.decode(column: c, as: UUID.self))
            case .coordinate: values[field.name] = .real(try row.decode(column: c, as: Double.self))
            }
        }
        return Record(id: try row.decode(column: "id", as: UUID.self), values: values,
                      createdAt: try row.decode(column: "created_at", as: Date.self),
                      updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func bind(_ value: FieldValue) -> any SQLExpression {
        switch value {
        case .null: SQLLiteral.null
        case .text(let t): SQLBind(t)
        case .integer(let i): SQLBind(i)
        case .boolean(let b): SQLBind(b)
        case .uuid(let u): SQLBind(u)
        case .real(let d): SQLBind(d)
        }
    }

    static func bindString(_ value: FieldValue) -> SQLQueryString {
        switch value {
        case .null: "NULL"
        case .text(let t): "\(bind: t)"
        case .integer(let i): "\(bind: i)"
        case .boolean(let b): "\(bind: b)"
        case .uuid(let u): "\(bind: u)"
        case .real(let d): "\(bind: d)"
        }
    }
}

extension Database {
    /// The SQLKit view of this Fluent database (both drivers provide one).
    func sql() -> any SQLDatabase { self as! any SQLDatabase }
}
