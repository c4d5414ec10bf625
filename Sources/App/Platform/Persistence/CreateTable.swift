import FluentKit
import SQLKit

/// A migration that creates one table (id, its columns, timestamps), its unique constraints and
/// indexes on the columns lists filter by ("a,b" for one on both); revert drops it.
struct CreateTable: AsyncMigration {
    let name: String
    let table: String
    let columns: @Sendable (SchemaBuilder) -> SchemaBuilder
    let unique: [[String]]
    let indexes: [String]

    init(_ name: String, table: String, unique: [[String]] = [], indexes: [String] = [],
         columns: @escaping @Sendable (SchemaBuilder) -> SchemaBuilder) {
        self.name = name
        self.table = table
        self.columns = columns
        self.unique = unique
        self.indexes = indexes
    }

    func prepare(on database: any Database) async throws {
        var builder = columns(database.schema(table).field("id", .uuid, .identifier(auto: false)))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
        for u in unique {
            builder = builder.constraint(.constraint(.unique(fields: u.map { .key(FieldKey(stringLiteral: $0)) }), name: "uq_\(table)_\(u.joined(separator: "_"))"))
        }
        try await builder.create()
        // "a,b" is one index on both columns, in that order.
        for index in indexes {
            let columns = index.split(separator: ",").map(String.init)
            let builder = database.sql().create(index: "ix_\(table)_\(columns.joined(separator: "_"))").on(table)
            for column in columns { builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(table).delete()
    }
}

extension SchemaBuilder {
    /// A required foreign key to `table.id`.
    func parent(_ column: String, _ table: String, required: Bool = true) -> SchemaBuilder {
        required ? field(FieldKey(stringLiteral: column), .uuid, .required, .references(table, "id"))
            : field(FieldKey(stringLiteral: column), .uuid, .references(table, "id"))
    }

    func text(_ column: String, required: Bool = true) -> SchemaBuilder {
        required ? field(FieldKey(stringLiteral: column), .string, .required) : field(FieldKey(stringLiteral: column), .string)
    }

    func int64(_ column: String, required: Bool = true) -> SchemaBuilder {
        required ? field(FieldKey(stringLiteral: column), .int64, .required) : field(FieldKey(stringLiteral: column), .int64)
    }

    func bool(_ column: String) -> SchemaBuilder { field(FieldKey(stringLiteral: column), .bool, .required) }
}
