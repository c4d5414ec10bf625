import Domain

/// The OpenAPI 3.1 document, generated from the same resource declarations the routes come from.
enum OpenAPIDocument {
    static func make(_ catalog: ResourceCatalog, entries: [RouteEntry]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [
            "Error": errorSchema,
        ]
        for (path, item) in decisionPaths() { paths[path] = item }
        for (path, item) in fundPaths() { paths[path] = item }
        for (path, item) in requestPaths() { paths[path] = item }
        for (name, schema) in requestSchemas() { schemas[name] = schema }
        schemas["DecisionInput"] = .object(["type": .string("object"), "required": .array(["title", "matter", "opensAt", "closesAt"].map { .string($0) }),
                                            "properties": .object([
                                                "title": .object(["type": .string("string")]),
                                                "matter": .object(["type": .string("string"), "enum": .array(Matter.codes.map { .string($0) })]),
                                                "description": .object(["type": .string("string")]),
                                                "opensAt": .object(["type": .string("string"), "format": .string("date-time")]),
                                                "closesAt": .object(["type": .string("string"), "format": .string("date-time")]),
                                                "candidates": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                                                "seats": .object(["type": .string("integer"), "minimum": .int(1)]),
                                                "companyId": .object(["type": .string("string"), "format": .string("uuid")]),
                                                "contractId": .object(["type": .string("string"), "format": .string("uuid")]),
                                            ])])
        schemas["Decision"] = .object(["type": .string("object")])
        schemas["BallotInput"] = .object(["type": .string("object"), "required": .array([.string("ownerId"), .string("channel")]),
                                          "properties": .object([
                                            "ownerId": .object(["type": .string("string"), "format": .string("uuid")]),
                                            "choice": .object(["type": .string("string"), "enum": .array(Choice.codes.map { .string($0) })]),
                                            "choices": .object(["type": .string("object"), "additionalProperties": .object(["type": .string("string"), "enum": .array(Choice.codes.map { .string($0) })])]),
                                            "channel": .object(["type": .string("string"), "enum": .array(BallotChannel.codes.map { .string($0) })]),
                                            "paperNumber": .object(["type": .string("string")]),
                                          ])])
        let countsSchema: (String) -> JSONValue = { type in
            .object(["type": .string("object"), "required": .array(["total", "participating", "yes", "no", "abstain"].map { .string($0) }),
                     "properties": .object(Dictionary(uniqueKeysWithValues: ["total", "participating", "yes", "no", "abstain"].map { ($0, JSONValue.object(["type": .string(type)])) }))])
        }
        schemas["DecisionResult"] = .object(["type": .string("object"),
                                             "required": .array(["matter", "rule", "persons", "area", "quorumMet", "passed"].map { .string($0) }),
                                             "properties": .object(["matter": .object(["type": .string("string")]),
                                                                    "rule": .object(["type": .string("string"), "enum": .array([.string("majority"), .string("three_quarters")])]),
                                                                    "persons": countsSchema("integer"), "area": countsSchema("string"),
                                                                    "quorumMet": .object(["type": .string("boolean")]), "passed": .object(["type": .string("boolean")])])])
        schemas["Items"] = .object(["type": .string("object"), "required": .array([.string("items")]),
                                    "properties": .object(["items": .object(["type": .string("array"), "items": .object(["type": .string("object")])]),
                                                           "nextCursor": .object(["type": .array([.string("string"), .string("null")])])])])
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

    /// Owners' joint decisions (Civil Code art. 278).
    static func decisionPaths() -> [String: JSONValue] {
        func idParam(_ name: String) -> JSONValue {
            .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": .object(["type": .string("string"), "format": .string("uuid")])])
        }
        let ok: (String) -> JSONValue = { ref("Decision", $0) }
        func action(_ id: String, _ summary: String) -> JSONValue {
            .object(["parameters": .array([idParam("id")]),
                     "post": operation(id, summary, tag: "decisions", responses: ["200": ok("The decision"), "404": errorResponse("Not found"),
                                                                                     "409": errorResponse("Not possible in this state"), "403": errorResponse("Not an organiser")])])
        }
        return [
            openAPIPath(SiteURL.apiCompoundDecisions.pattern): .object([
                "parameters": .array([idParam("id")]),
                "get": operation("list-decisions", "Decisions of a compound", tag: "decisions", responses: ["200": ref("Items", "Decisions"), "404": errorResponse("Not found")]),
                "post": operation("create-decision", "Draft a decision", tag: "decisions", body: "DecisionInput",
                                  responses: ["201": ok("Drafted"), "403": errorResponse("Not an organiser"), "422": errorResponse("Invalid fields")]),
            ]),
            openAPIPath(SiteURL.apiDecision.pattern): .object(["parameters": .array([idParam("id")]),
                                                               "get": operation("get-decision", "One decision", tag: "decisions", responses: ["200": ok("The decision"), "404": errorResponse("Not found")])]),
            openAPIPath(SiteURL.apiDecisionOpen.pattern): action("open-decision", "Open voting and freeze the voter roll"),
            openAPIPath(SiteURL.apiDecisionClose.pattern): action("close-decision", "Close voting (before the window ends only with a reason)"),
            openAPIPath(SiteURL.apiDecisionPublish.pattern): action("publish-decision", "Publish the result (公示)"),
            openAPIPath(SiteURL.apiDecisionAttachments.pattern): .object([
                "parameters": .array([idParam("id")]),
                "get": operation("list-decision-attachments", "Files attached to a decision", tag: "decisions", responses: ["200": ref("Items", "Attachments")]),
                "post": .object(["operationId": .string("attach-to-decision"), "summary": .string("Attach a PDF, JPEG or PNG (the body is the file; ?name= its name) to a draft"),
                                 "tags": .array([.string("decisions")]), "parameters": .array([param("name", "string", "the file's name")]),
                                 "requestBody": .object(["required": .bool(true), "content": .object([
                                     "application/pdf": .object([:]), "image/jpeg": .object([:]), "image/png": .object([:])])]),
                                 "responses": .object(["201": .object(["description": .string("Attached")]), "409": errorResponse("Not a draft"),
                                                       "422": errorResponse("Unsupported, empty, mislabelled or too large")])]),
            ]),
            openAPIPath(SiteURL.apiDecisionApply.pattern): action("apply-decision", "Carry out a passed decision: hire (create the contract) or dismiss (end it), or install the elected committee"),
            openAPIPath(SiteURL.apiDecisionBallots.pattern): .object(["parameters": .array([idParam("id")]),
                                                                      "post": operation("cast-ballot", "Cast one person's ballot (online by the owner, or paper by the organisers)", tag: "decisions",
                                                                                        body: "BallotInput", responses: ["201": .object(["description": .string("Counted; the receipt checks it later")]),
                                                                                                                         "409": errorResponse("Already voted, or voting is not open"),
                                                                                                                         "422": errorResponse("Not on the roll or invalid choice")])]),
            openAPIPath(SiteURL.apiDecisionResult.pattern): .object(["parameters": .array([idParam("id")]),
                                                                     "get": operation("decision-result", "The count by persons and by area", tag: "decisions",
                                                                                      responses: ["200": ref("DecisionResult", "The result"), "404": errorResponse("Not found")])]),
            openAPIPath(SiteURL.apiDecisionVerify.pattern): .object(["parameters": .array([idParam("id")]),
                                                                     "get": operation("verify-decision", "Recompute the ballot hash chain; ?receipt= checks one ballot", tag: "decisions",
                                                                                      parameters: [param("receipt", "string", "a voter's receipt code")],
                                                                                      responses: ["200": .object(["description": .string("valid, ballots, firstBroken, head, receiptFound")])])]),
        ]
    }

    /// The maintenance fund.
    static func fundPaths() -> [String: JSONValue] {
        let id: JSONValue = .array([.object(["name": .string("id"), "in": .string("path"), "required": .bool(true),
                                             "schema": .object(["type": .string("string"), "format": .string("uuid")])])])
        let body: (String...) -> JSONValue = { fields in
            .object(["required": .bool(true), "content": .object(["application/json": .object(["schema": .object([
                "type": .string("object"), "properties": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0, JSONValue.object([:])) }))])])])])
        }
        func post(_ opId: String, _ summary: String, _ fields: [String]) -> JSONValue {
            var op: [String: JSONValue] = ["operationId": .string(opId), "summary": .string(summary), "tags": .array([.string("fund")]),
                                           "responses": .object(["200": .object(["description": .string("Done")]), "201": .object(["description": .string("Done")]),
                                                                 "403": errorResponse("Not a fund manager of the compound"), "404": errorResponse("Not found"),
                                                                 "409": errorResponse("Refused by the fund's rules"), "422": errorResponse("Invalid fields")])]
            if !fields.isEmpty { op["requestBody"] = body(fields[0]) }
            if fields.count > 1, case .object(var rb) = op["requestBody"]! {
                rb["content"] = .object(["application/json": .object(["schema": .object(["type": .string("object"),
                    "properties": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0, JSONValue.object([:])) }))])])])
                op["requestBody"] = .object(rb)
            }
            return .object(["parameters": id, "post": .object(op)])
        }
        return [
            openAPIPath(SiteURL.apiFund.pattern): .object(["parameters": id, "get": operation("fund-statement", "The compound's fund: totals, room accounts, plans", tag: "fund",
                                                                                             responses: ["200": .object(["description": .string("Statement")]), "404": errorResponse("Not found")])]),
            openAPIPath(SiteURL.apiFundDeposits.pattern): post("fund-deposit", "Deposit at a rate per m² for every room, or an amount for one room", ["ratePerSqm", "roomId", "amount"]),
            openAPIPath(SiteURL.apiFundInterest.pattern): post("fund-interest", "Credit interest to the rooms by balance", ["amount"]),
            openAPIPath(SiteURL.apiFundPlans.pattern): post("fund-plan", "Plan a spending shared by area (against a decision, or an emergency)",
                                                            ["project", "amount", "roomIds", "buildingIds", "emergency", "decisionId"]),
            openAPIPath(SiteURL.apiFundPlanNotice.pattern): post("fund-plan-notice", "Publish the notice an emergency payment needs first", []),
            openAPIPath(SiteURL.apiFundPlanPay.pattern): post("fund-plan-pay", "Pay a plan from the rooms' accounts", []),
            openAPIPath(SiteURL.apiFundPlanReport.pattern): post("fund-plan-report", "Report a paid emergency spending to the owners", ["report"]),
        ]
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
