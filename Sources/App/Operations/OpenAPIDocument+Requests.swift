import Domain

/// The OpenAPI paths and schemas of requests, whistle cases, rankings, hotline orders and receptions.
extension OpenAPIDocument {
    static func requestPaths() -> [String: JSONValue] {
        let id: JSONValue = .array([.object(["name": .string("id"), "in": .string("path"), "required": .bool(true),
                                             "schema": .object(["type": .string("string"), "format": .string("uuid")])])])
        let common: [String: JSONValue] = ["401": errorResponse("Not signed in"), "403": errorResponse("Not allowed"), "404": errorResponse("Not found"),
                                           "409": errorResponse("Not possible in this state"), "422": errorResponse("Invalid fields")]
        func op(_ opId: String, _ summary: String, tag: String, params: [JSONValue] = [], body: String? = nil, ok: String = "200", schema: String = "Object") -> JSONValue {
            operation(opId, summary, tag: tag, parameters: params, body: body, responses: common.merging([ok: ref(schema, summary)]) { a, _ in a })
        }
        func enumParam(_ name: String, _ codes: [String], _ description: String) -> JSONValue {
            .object(["name": .string(name), "in": .string("query"), "required": .bool(false), "description": .string(description),
                     "schema": .object(["type": .string("string"), "enum": .array(codes.map { .string($0) })])])
        }
        return [
            openAPIPath(SiteURL.apiRankings.pattern): .object(["get": op("rankings", "The month's three rates and composite per unit, best first", tag: "rankings", params: [
                param("month", "string", "YYYY-MM (default this month)"), enumParam("level", RankingService.Level.codes, "what to rank (default company)"),
                param("streetId", "string", "one street (default the district)"),
            ], schema: "Items")]),
            openAPIPath(SiteURL.apiHotlineOrders.pattern): .object([
                "get": op("hotline-queue", "Unmatched 12345 orders waiting for assignment in the caller's street or district", tag: "hotline", schema: "Items"),
                "post": .object(["operationId": .string("import-hotline-orders"), "tags": .array([.string("hotline")]),
                                 "summary": .string("Import 12345 work orders (CSV or JSON: order_no, received_at, content, address, category, phone); each order once"),
                                 "requestBody": .object(["required": .bool(true), "content": .object(["application/json": .object([:]), "text/csv": .object([:])])]),
                                 "responses": .object(common.merging(["201": .object(["description": .string("imported, duplicates, unmatched")]),
                                                                      "200": .object(["description": .string("Nothing new")])]) { a, _ in a })]),
            ]),
            openAPIPath(SiteURL.apiHotlineAssign.pattern): .object(["parameters": id, "post": op("assign-hotline-order", "Assign a queued order to a compound (compoundId); it becomes a request", tag: "hotline", body: "Object", ok: "201")]),
        ]
    }

    static func requestSchemas() -> [String: JSONValue] {
        func s(_ type: String) -> JSONValue { .object(["type": .string(type)]) }
        func e(_ codes: [String]) -> JSONValue { .object(["type": .string("string"), "enum": .array(codes.map { .string($0) })]) }
        return [
            "Object": .object(["type": .string("object")]),
        ]
    }
}
