import FluentKit
import SQLKit

/// Replaces a table's indexes: creates each of `add` ("a,b,c" is one index on those columns, in
/// that order, named like `CreateTable`'s) and then drops the indexes named in `drop` (which the
/// new ones make redundant); revert does the opposite.
struct Reindex: AsyncMigration {
    let name: String
    let table: String
    let add: [String]
    var drop: [String] = []

    private func create(_ index: String, on database: any Database) async throws {
        let columns = index.split(separator: ",").map(String.init)
        let builder = database.sql().create(index: "ix_\(table)_\(columns.joined(separator: "_"))").on(table)
        for column in columns { builder.column(column) }
        try await builder.run()
    }

    private func remove(_ index: String, on database: any Database) async throws {
        try await database.sql().drop(index: "ix_\(table)_\(index.split(separator: ",").joined(separator: "_"))").run()
    }

    func prepare(on database: any Database) async throws {
        for index in add { try await create(index, on: database) }
        for index in drop { try await remove(index, on: database) }
    }

    func revert(on database: any Database) async throws {
        for index in drop { try await create(index, on: database) }
        for index in add { try await remove(index, on: database) }
    }
}
