import Domain

/// The OpenAPI 3.1 document: the registry's collections from their resource declarations, every
/// other operation from the route table's `OperationDoc`s and its types' schemas.
enum OpenAPIDocument {
    static func make(_ catalog: ResourceCatalog, entries: [RouteEntry]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [
            "Error": errorSchema,
        ]
        for spec in catalog.all {
            let schema = typeName(spec)
            schemas[schema] = recordSchema(spec)
            schemas[schema + "Input"] = inputSchema(spec, partial: false)
            schemas[schema + "Patch"] = inputSchema(spec, partial: true)
            schemas[schema + "Page"] = .object(["type": .string("object"), "required": .array([.string("items"), .string("nextCursor")]),
                                                "properties": .object(["items": .object(["type": .string("array"), "items": .object(["$ref": .string("#/components/schemas/\(schema)")])]),
                                                                       "nextCursor": .object(["type": .array([.string("string"), .string("null")])])])])
            var listParams: [JSONValue] = [
                param("limit", "integer", "1 to 500 (default 50)"),
                param("cursor", "string", "the nextCursor of the previous page"),
            ]
            if spec.fields.contains(where: \.searchable) {
                listParams.append(param("q", "string", "words to find in \(spec.fields.filter(\.searchable).map(\.name).joined(separator: ", "))"))
            }
            for field in spec.fields where field.filterable {
                listParams.append(param(field.name, field.kind.isBoolean ? "boolean" : "string", "only rows with this \(field.name)"))
            }
            let idParam: JSONValue = .object(["name": .string("id"), "in": .string("path"), "required": .bool(true),
                                              "schema": .object(["type": .string("string"), "format": .string("uuid")])])
            paths[openAPIPath(SiteURL.apiCollection(spec.name).pattern)] = .object([
                "get": operation("list-\(spec.name)", "List \(spec.name)", tag: spec.name, parameters: listParams,
                                 responses: ["200": ref("\(schema)Page", "A page of \(spec.name)"), "400": errorResponse("Bad parameters")]),
                "post": operation("create-\(spec.name)", "Create one of \(spec.name)", tag: spec.name, body: "\(schema)Input",
                                  responses: ["201": ref(schema, "Created"), "400": errorResponse("Malformed JSON"),
                                              "409": errorResponse("Conflicts with existing data"), "422": errorResponse("Invalid fields")]),
            ])
            paths[openAPIPath(SiteURL.apiItem(spec.name).pattern)] = .object([
                "parameters": .array([idParam]),
                "get": operation("get-\(spec.name)", "Get one of \(spec.name)", tag: spec.name,
                                 responses: ["200": ref(schema, "Found"), "404": errorResponse("Not found")]),
                "put": operation("replace-\(spec.name)", "Replace one of \(spec.name)", tag: spec.name, body: "\(schema)Input",
                                 responses: ["200": ref(schema, "Replaced"), "404": errorResponse("Not found"), "409": errorResponse("Conflict"),
                                             "422": errorResponse("Invalid fields")]),
                "patch": operation("patch-\(spec.name)", "Change some fields of one of \(spec.name)", tag: spec.name, body: "\(schema)Patch",
                                   responses: ["200": ref(schema, "Changed"), "404": errorResponse("Not found"), "409": errorResponse("Conflict"),
                                               "422": errorResponse("Invalid fields")]),
                "delete": operation("delete-\(spec.name)", "Delete one of \(spec.name)", tag: spec.name,
                                    responses: ["204": .object(["description": .string("Deleted")]), "404": errorResponse("Not found"),
                                                "409": errorResponse("It still has children")]),
            ])
        }
        // Every typed operation, from the route table.
        for entry in entries {
            guard let operation = entry.operation else { continue }
            let path = openAPIPath(entry.pattern)
            var item: [String: JSONValue] = [:]
            if case .object(let existing)? = paths[path] { item = existing }
            item[entry.method.rawValue.lowercased()] = operation.json(path: entry.pattern, &schemas)
            paths[path] = .object(item)
        }
        paths = paths.mapValues(withStandardFailures)
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Gongzhi (共治) API"), "version": .string("1"),
                             "description": .string("Property service and community co-governance. Areas are square metres and money is yuan, both as decimal strings with two decimals.")]),
            "servers": .array([.object(["url": .string("/")])]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(schemas), "securitySchemes": .object([
                "bearer": .object(["type": .string("http"), "scheme": .string("bearer"),
                                   "description": .string("a token from POST /api/v1/auth/login, or an integration key (gzk_…)")]),
            ])]),
            "security": .array([.object(["bearer": .array([])])]),
        ])
    }

    /// Every operation states the failures every route can give: 401/403/404 behind sign-in,
    /// 400/413/415/422 with a body, 422 with query parameters.
    static func withStandardFailures(_ item: JSONValue) -> JSONValue {
        guard case .object(var ops) = item else { return item }
        for (method, op) in ops where method != "parameters" {
            guard case .object(var o) = op, case .object(var responses)? = o["responses"] else { continue }
            var add: [String: String] = [:]
            if o["security"] != .array([]) { add["401"] = "Not signed in"; add["403"] = "Not allowed for the caller's role"; add["404"] = "Not found, or outside the caller's scope" }
            if o["requestBody"] != nil { add["400"] = "The body could not be read"; add["413"] = "The body is too large"; add["415"] = "Unsupported media type"; add["422"] = "Invalid fields, each listed" }
            if o["parameters"] != nil { add["400"] = add["400"] ?? "Malformed parameters"; add["422"] = add["422"] ?? "Invalid parameters, each listed" }
            if method == "post" {
                // IdempotencyMiddleware: every POST may carry a key.
                var parameters: [JSONValue] = { if case .array(let a)? = o["parameters"] { return a }; return [] }()
                parameters.append(.object(["name": .string("Idempotency-Key"), "in": .string("header"), "required": .bool(false),
                                           "description": .string("Makes a retry safe: the same key and request within 24 hours answer the first result; the same key with another request is 409"),
                                           "schema": .object(["type": .string("string"), "minLength": .int(1), "maxLength": .int(255), "pattern": .string("^[!-~]+$")])]))
                o["parameters"] = .array(parameters)
                add["400"] = add["400"] ?? "Malformed parameters"
                add["409"] = "The Idempotency-Key was used for another request, or its first request has not finished"
            }
            for (status, description) in add where responses[status] == nil { responses[status] = errorResponse(description) }
            o["responses"] = .object(responses)
            ops[method] = .object(o)
        }
        return .object(ops)
    }

    /// `/api/v1/streets/:id` → `/api/v1/streets/{id}`.
    static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    static func typeName(_ spec: ResourceSpec) -> String {
        let base = spec.name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if base.hasSuffix("ies") { return String(base.dropLast(3)) + "y" }
        if base.hasSuffix("ses") { return String(base.dropLast(2)) }
        return base.hasSuffix("s") ? String(base.dropLast()) : base
    }

    static func fieldSchema(_ field: FieldSpec) -> JSONValue {
        var s: [String: JSONValue]
        switch field.kind {
        case .text(let max): s = ["type": .string("string"), "minLength": .int(1), "maxLength": .int(Int64(max))]
        case .integer(let r): s = ["type": .string("integer"), "minimum": .int(r.lowerBound), "maximum": .int(r.upperBound)]
        case .boolean: s = ["type": .string("boolean")]
        case .area: s = ["type": .string("string"), "pattern": .string("^[0-9]+(\\.[0-9]{1,2})?$"), "description": .string("square metres, exact, more than 0")]
        case .money: s = ["type": .string("string"), "pattern": .string("^[0-9]+(\\.[0-9]{1,2})?$"), "description": .string("yuan, exact")]
        case .date: s = ["type": .string("string"), "format": .string("date")]
        case .code(_, let values): s = ["type": .string("string"), "enum": .array(values.map { .string($0) })]
        case .reference(let r): s = ["type": .string("string"), "format": .string("uuid"), "description": .string("id of one of \(r)")]
        case .coordinate(let r): s = ["type": .string("number"), "minimum": .double(r.lowerBound), "maximum": .double(r.upperBound)]
        case .creditCode: s = ["type": .string("string"), "pattern": .string("^[0-9A-HJ-NPQRTUWXY]{18}$"), "description": .string("unified social credit code (GB 32100)")]
        case .phone: s = ["type": .string("string"), "minLength": .int(5), "maxLength": .int(20)]
        }
        if !field.required, case .string(let t) = s["type"] ?? .null { s["type"] = .array([.string(t), .string("null")]) }
        return .object(s)
    }

    static func recordSchema(_ spec: ResourceSpec) -> JSONValue {
        var props: [String: JSONValue] = ["id": .object(["type": .string("string"), "format": .string("uuid")]),
                                          "createdAt": .object(["type": .string("string"), "format": .string("date-time")]),
                                          "updatedAt": .object(["type": .string("string"), "format": .string("date-time")])]
        for f in spec.fields { props[f.name] = fieldSchema(f) }
        return .object(["type": .string("object"), "properties": .object(props),
                        "required": .array((["id", "createdAt", "updatedAt"] + spec.fields.map(\.name)).map { .string($0) })])
    }

    static func inputSchema(_ spec: ResourceSpec, partial: Bool) -> JSONValue {
        var props: [String: JSONValue] = [:]
        for f in spec.fields { props[f.name] = fieldSchema(f) }
        var s: [String: JSONValue] = ["type": .string("object"), "properties": .object(props), "additionalProperties": .bool(false)]
        if !partial { s["required"] = .array(spec.fields.filter(\.required).map { .string($0.name) }) }
        return .object(s)
    }

    static let errorSchema: JSONValue = .object([
        "type": .string("object"), "required": .array([.string("error")]),
        "properties": .object(["error": .object([
            "type": .string("object"), "required": .array([.string("code"), .string("message"), .string("fields")]),
            "properties": .object([
                "code": .object(["type": .string("string")]),
                "message": .object(["type": .string("string")]),
                "fields": .object(["type": .string("array"), "items": .object([
                    "type": .string("object"),
                    "properties": .object(["field": .object(["type": .string("string")]), "code": .object(["type": .string("string")]),
                                           "message": .object(["type": .string("string")])])])]),
            ]),
        ])]),
    ])

    static func operation(_ id: String, _ summary: String, tag: String, parameters: [JSONValue] = [], body: String? = nil,
                          responses: [String: JSONValue]) -> JSONValue {
        var op: [String: JSONValue] = ["operationId": .string(id), "summary": .string(summary), "tags": .array([.string(tag)]),
                                       "responses": .object(responses)]
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let body {
            op["requestBody"] = .object(["required": .bool(true), "content": .object(["application/json": .object([
                "schema": .object(["$ref": .string("#/components/schemas/\(body)")])])])])
        }
        return .object(op)
    }

    static func ref(_ schema: String, _ description: String) -> JSONValue {
        .object(["description": .string(description), "content": .object(["application/json": .object([
            "schema": .object(["$ref": .string("#/components/schemas/\(schema)")])])])])
    }

    static func errorResponse(_ description: String) -> JSONValue { ref("Error", description) }

    static func param(_ name: String, _ type: String, _ description: String) -> JSONValue {
        .object(["name": .string(name), "in": .string("query"), "required": .bool(false), "description": .string(description),
                 "schema": .object(["type": .string(type)])])
    }
}

extension FieldKind {
    var isBoolean: Bool { if case .boolean = self { return true }; return false }
}
