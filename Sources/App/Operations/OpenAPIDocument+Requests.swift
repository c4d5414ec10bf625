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
            openAPIPath(SiteURL.apiRequests.pattern): .object([
                "get": op("list-requests", "Requests the caller may see, newest first (cursor paging)", tag: "requests", params: [
                    enumParam("status", RequestStatus.codes, "status"), enumParam("category", RequestCategory.codes, "DB11/T 751 category"),
                    enumParam("channel", RequestChannel.codes, "channel"), param("overdue", "boolean", "only overdue"), param("mine", "boolean", "only those the caller handles"),
                    param("compoundId", "string", "compound"), param("communityId", "string", "community"), param("streetId", "string", "street"),
                    param("month", "string", "YYYY-MM of receipt"), param("limit", "integer", "1–500, default 50"), param("cursor", "string", "next page"),
                ], schema: "Items"),
                "post": op("file-request", "File a request; it is dispatched at once to the company under contract, else the community", tag: "requests",
                           body: "RequestInput", ok: "201", schema: "Request"),
            ]),
            openAPIPath(SiteURL.apiRequest.pattern): .object(["parameters": id, "get": op("get-request", "One request with its timeline, photos and the caller's allowed events", tag: "requests", schema: "Request")]),
            openAPIPath(SiteURL.apiRequestTransitions.pattern): .object(["parameters": id,
                "post": op("request-transition", "Move a request: transfer (handlerKind, handlerId, reason), respond, start, resolve (reply), rate (resolved, satisfaction), close, note, or escalate (title, parties: opens a whistle case)",
                           tag: "requests", body: "TransitionInput", schema: "Request")]),
            openAPIPath(SiteURL.apiRequestPhotos.pattern): .object(["parameters": id,
                "post": .object(["operationId": .string("add-request-photo"), "summary": .string("Add a JPEG or PNG photo (the body is the image, at most 5 MiB)"),
                                 "tags": .array([.string("requests")]),
                                 "requestBody": .object(["required": .bool(true), "content": .object(["image/jpeg": .object([:]), "image/png": .object([:])])]),
                                 "responses": .object(common.merging(["201": .object(["description": .string("Stored")])]) { a, _ in a })])]),
            openAPIPath(SiteURL.apiRequestSettings.pattern): .object(["parameters": id,
                "get": op("get-request-settings", "The district's deadlines (seconds per urgency), composite weights and satisfaction scores", tag: "requests", schema: "Object"),
                "put": op("put-request-settings", "Change them (district admins); weights must add up to 100", tag: "requests", body: "Object", schema: "Object")]),
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
            openAPIPath(SiteURL.apiWhistleCases.pattern): .object([
                "get": op("list-whistle-cases", "Cases the caller runs or is summoned to", tag: "whistle",
                          params: [enumParam("status", WhistleStatus.codes, "status"), param("streetId", "string", "street")], schema: "Items"),
                "post": op("open-whistle-case", "Open a case (streetId or compoundId, or requestId to escalate a request) summoning parties with report-by deadlines", tag: "whistle", body: "WhistleInput", ok: "201"),
            ]),
            openAPIPath(SiteURL.apiWhistleCase.pattern): .object(["parameters": id, "get": op("get-whistle-case", "A case with parties, reports, commitments and log", tag: "whistle")]),
            openAPIPath(SiteURL.apiWhistleReports.pattern): .object(["parameters": id, "post": op("report-in", "A summoned party reports in (partyId, response, commitments: task, amount, dueOn)", tag: "whistle", body: "Object", ok: "201")]),
            openAPIPath(SiteURL.apiWhistleLog.pattern): .object(["parameters": id, "post": op("whistle-log", "Add a progress note", tag: "whistle", body: "Object", ok: "201")]),
            openAPIPath(SiteURL.apiWhistleClose.pattern): .object(["parameters": id, "post": op("close-whistle-case", "The street confirms and closes the case (every party has reported)", tag: "whistle", body: "Object")]),
            openAPIPath(SiteURL.apiReceptions.pattern): .object([
                "get": op("list-receptions", "Reception days and walkabout visits of the caller's communities", tag: "receptions", schema: "Items"),
                "post": op("record-reception", "Record a reception day or visit (communityId, kind, heldOn, place, attendees) and file its requests in one go", tag: "receptions", body: "Object", ok: "201"),
            ]),
        ]
    }

    static func requestSchemas() -> [String: JSONValue] {
        func s(_ type: String) -> JSONValue { .object(["type": .string(type)]) }
        func e(_ codes: [String]) -> JSONValue { .object(["type": .string("string"), "enum": .array(codes.map { .string($0) })]) }
        return [
            "Object": .object(["type": .string("object")]),
            "RequestInput": .object(["type": .string("object"), "required": .array(["category", "compoundId", "description"].map { .string($0) }), "properties": .object([
                "channel": e(RequestChannel.codes), "category": e(RequestCategory.codes), "urgency": e(Urgency.codes), "compoundId": s("string"), "buildingId": s("string"),
                "roomId": s("string"), "reporterName": s("string"), "reporterPhone": s("string"), "description": s("string"), "latitude": s("number"), "longitude": s("number"),
            ])]),
            "TransitionInput": .object(["type": .string("object"), "required": .array([.string("event")]), "properties": .object([
                "event": e(["transfer", "respond", "start", "resolve", "rate", "close", "note", "escalate"]), "note": s("string"), "reply": s("string"),
                "resolved": s("boolean"), "satisfaction": e(Satisfaction.codes), "handlerKind": e(HandlerKind.codes), "handlerId": s("string"), "reason": s("string"),
                "title": s("string"), "parties": s("array"),
            ])]),
            "Request": .object(["type": .string("object"), "properties": .object([
                "id": s("string"), "number": s("string"), "status": e(RequestStatus.codes), "category": e(RequestCategory.codes), "urgency": e(Urgency.codes),
                "channel": e(RequestChannel.codes), "handler": s("object"), "receivedAt": s("string"), "respondBy": s("string"), "resolveBy": s("string"),
                "overdue": s("boolean"), "reopenCount": s("integer"), "timeline": s("array"), "photos": s("array"), "allowed": s("array"),
            ])]),
            "WhistleInput": .object(["type": .string("object"), "required": .array(["title", "parties"].map { .string($0) }), "properties": .object([
                "title": s("string"), "description": s("string"), "streetId": s("string"), "compoundId": s("string"), "requestId": s("string"),
                "parties": .object(["type": .string("array"), "items": .object(["type": .string("object"), "properties": .object([
                    "kind": e(WhistlePartyKind.codes), "departmentId": s("string"), "companyId": s("string"), "name": s("string"), "reportBy": s("string"),
                ])])]),
            ])]),
        ]
    }
}
