import Foundation
import Domain

/// A collection of the JSON API, its web forms and its OpenAPI description, in one declaration.
struct ResourceSpec: Sendable {
    /// The plural kebab-case URL segment, e.g. `party-organizations`.
    let name: String
    /// The table.
    let table: String
    /// The field that places a row under its parent in the hierarchy (for breadcrumbs and scope).
    let parentField: String?
    /// The field shown as a row's label (name, number …).
    let labelField: String
    let fields: [FieldSpec]
    /// Checks that involve several fields (end after start …), run after each field is valid.
    let check: @Sendable ([String: FieldValue]) -> [FieldError]

    init(name: String, table: String? = nil, parent: String?, label: String = "name", fields: [FieldSpec],
         check: @escaping @Sendable ([String: FieldValue]) -> [FieldError] = { _ in [] }) {
        self.name = name
        self.table = table ?? name.replacingOccurrences(of: "-", with: "_")
        self.parentField = parent
        self.labelField = label
        self.fields = fields
        self.check = check
    }

    func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// The localisation key of the singular noun, e.g. `resource.compounds`.
    var labelKey: String { "resource.\(name)" }
}

/// Every resource, and the child links derived from their reference fields.
struct ResourceCatalog: Sendable {
    let all: [ResourceSpec]
    private let byName: [String: ResourceSpec]

    init(_ specs: [ResourceSpec]) {
        all = specs
        byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
    }

    subscript(_ name: String) -> ResourceSpec? { byName[name] }

    /// Every (resource, field) whose field refers to `name`: the rows that keep a parent from being deleted.
    func children(of name: String) -> [(spec: ResourceSpec, field: FieldSpec)] {
        all.flatMap { spec in spec.fields.filter { $0.referencedResource == name }.map { (spec, $0) } }
    }
}
