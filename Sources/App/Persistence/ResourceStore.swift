import Domain
import FluentKit
import Foundation
import SQLKit

/// The one generic store behind every registry collection: list with filters and cursor paging,
/// get, create, update, delete, with reference and child checks. SQLKit on Fluent's connection.
struct ResourceStore: Sendable {
    let catalog: ResourceCatalog

    /// The most rows one list call returns.
    static let maxLimit = 500

    func list(_ spec: ResourceSpec, filters: [String: FieldValue], after: UUID?, limit: Int,
              on db: any Database) async throws -> (records: [Record], next: UUID?) {
        let sql = db.sql()
        var query = sql.select().columns(columns(spec)).from(spec.table)
        for (name, value) in filters.sorted(by: { $0.key < $1.key }) {
            guard let field = spec.field(name) else { continue }
            query = query.where(SQLIdentifier(field.column), .equal, Self.bind(value))
        }
        if let after { query = query.where(SQLIdentifier("id"), .greaterThan, SQLBind(after)) }
        let rows = try await query.orderBy("id").limit(limit + 1).all()
        let records = try rows.prefix(limit).map { try decode($0, spec: spec) }
        return (records, rows.count > limit ? records.last?.id : nil)
    }

    func find(_ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> Record? {
        let row = try await db.sql().select().columns(columns(spec)).from(spec.table)
            .where(SQLIdentifier("id"), .equal, SQLBind(id)).first()
        return try row.map { try decode($0, spec: spec) }
    }

    func require(_ spec: ResourceSpec, id: UUID, on db: any Database) async throws -> Record {
        guard let r = try await find(spec, id: id, on: db) else {
            throw DomainError.notFound(entity: spec.name, id: id.uuidString.lowercased())
        }
        return r
    }

    /// Inserts a validated row after checking that every reference exists.
    func create(_ spec: ResourceSpec, values: [String: FieldValue], id: UUID = UUID(), now: Date, on db: any Database) async throws -> Record {
        try await checkReferences(spec, values: values, on: db)
        let cols = ["id"] + spec.fields.map(\.column) + ["created_at", "updated_at"]
        let binds: [any SQLExpression] = [SQLBind(id)] + spec.fields.map { Self.bind(values[$0.name] ?? .null) }
            + [SQLBind(now), SQLBind(now)]
        try await db.sql().insert(into: spec.table).columns(cols).values(binds).run()
        return Record(id: id, values: values, createdAt: now, updatedAt: now)
    }

    /// Replaces every field of an existing row.
    func update(_ spec: ResourceSpec, existing: Record, values: [String: FieldValue], now: Date, on db: any Database) async throws -> Record {
        try await checkReferences(spec, values: values, on: db)
        var query = db.sql().update(spec.table)
        for field in spec.fields { query = query.set(SQLIdentifier(field.column), to: Self.bind(values[field.name] ?? .null)) }
        try await query.set(SQLIdentifier("updated_at"), to: SQLBind(now))
            .where(SQLIdentifier("id"), .equal, SQLBind(existing.id)).run()
        return Record(id: existing.id, values: values, createdAt: existing.createdAt, updatedAt: now)
    }

    /// Deletes a row that nothing refers to; a row with children is a conflict naming them.
    func delete(_ spec: ResourceSpec, id: UUID, on db: any Database) async throws {
        _ = try await require(spec, id: id, on: db)
        for (child, field) in catalog.children(of: spec.name) {
            let row = try await db.sql().select().column(SQLLiteral.numeric("1")).from(child.table)
                .where(SQLIdentifier(field.column), .equal, SQLBind(id)).limit(1).first()
            if row != nil {
                throw DomainError.conflict(code: "has_children", message: "\(spec.name) \(id.uuidString.lowercased()) still has \(child.name)")
            }
        }
        try await db.sql().delete(from: spec.table).where(SQLIdentifier("id"), .equal, SQLBind(id)).run()
    }

    /// Every reference field must name an existing row; all missing ones are reported together.
    func checkReferences(_ spec: ResourceSpec, values: [String: FieldValue], on db: any Database) async throws {
        var errors = FieldErrors()
        for field in spec.fields {
            guard let target = field.referencedResource, let id = values[field.name]?.uuid, let targetSpec = catalog[target] else { continue }
            let row = try await db.sql().select().column("id").from(targetSpec.table)
                .where(SQLIdentifier("id"), .equal, SQLBind(id)).first()
            if row == nil { errors.add(field.name, "unknown_reference", "no \(target) has id \(id.uuidString.lowercased())") }
        }
        for error in spec.check(values) { errors.add(error) }
        try errors.throwIfAny()
    }

    // MARK: - Rows

    func columns(_ spec: ResourceSpec) -> [String] {
        ["id"] + spec.fields.map(\.column) + ["created_at", "updated_at"]
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
}

extension Database {
    /// The SQLKit view of this Fluent database (both drivers provide one).
    func sql() -> any SQLDatabase { self as! any SQLDatabase }
}
