import Domain
import Hummingbird

/// What the OpenAPI document says about one JSON operation. Routes carry it in the route table,
/// and the document is made from the table, so a route and its description cannot drift apart.
struct OperationDoc: @unchecked Sendable {
    let id: String
    let summary: String
    let tag: String
    var parameters: [Parameter]
    /// Failures this operation has beyond those its access and body imply (409 and the like).
    var errors: [Int: String]
    var body: Schema?
    var bodyRequired = true
    /// A body that is not JSON (a photo, a CSV file): its media types.
    var rawBody: [String]?
    var success: (status: Int, description: String, schema: Schema?)?
    var access: RouteAccess = .signedIn
    /// Other success statuses with the same answer (an import that found nothing new is 200).
    var alsoSucceeds: [Int] = []

    init(_ id: String, _ summary: String, tag: String, parameters: [Parameter] = [], errors: [Int: String] = [:], rawBody: [String]? = nil) {
        self.id = id
        self.summary = summary
        self.tag = tag
        self.parameters = parameters
        self.errors = errors
        self.rawBody = rawBody
    }

    /// A query or path parameter.
    struct Parameter {
        let name: String
        let location: String
        let schema: Schema
        let required: Bool
        let description: String

        static func query(_ name: String, _ schema: Schema, _ description: String, required: Bool = false) -> Parameter {
            Parameter(name: name, location: "query", schema: schema, required: required, description: description)
        }
    }

    func answering<Answer: APIAnswer>(_ type: Answer.Type, status: HTTPResponse.Status, access: RouteAccess) -> OperationDoc {
        var doc = self
        doc.access = access
        doc.success = type == NoContent.self ? (204, summary, nil) : (Int(status.code), summary, .named(type))
        return doc
    }

    func taking<Body: APIBody>(_ type: Body.Type, optional: Bool) -> OperationDoc {
        var doc = self
        doc.body = .named(type)
        doc.bodyRequired = !optional
        return doc
    }

    /// The operation object of the document.
    func json(path: String, _ components: inout [String: JSONValue]) -> JSONValue {
        var params: [JSONValue] = []
        for segment in path.split(separator: "/") where segment.hasPrefix(":") {
            let name = String(segment.dropFirst())
            let schema: JSONValue = name == "id" ? .object(["type": .string("string"), "format": .string("uuid")])
                : .object(["type": .string("string"), "maxLength": .int(64)])
            params.append(.object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": schema]))
        }
        for p in parameters {
            params.append(.object(["name": .string(p.name), "in": .string(p.location), "required": .bool(p.required),
                                   "description": .string(p.description), "schema": p.schema.json(&components)]))
        }
        var responses: [String: JSONValue] = [:]
        if let success {
            var r: [String: JSONValue] = ["description": .string(success.description)]
            if let schema = success.schema { r["content"] = .object(["application/json": .object(["schema": schema.json(&components)])]) }
            responses[String(success.status)] = .object(r)
            for status in alsoSucceeds { responses[String(status)] = .object(r) }
        }
        var failures = errors
        if access != .open {
            failures[401] = failures[401] ?? "Not signed in"
            failures[403] = failures[403] ?? "Not allowed for the caller's role"
            failures[404] = failures[404] ?? "Not found, or outside the caller's scope"
        }
        if body != nil || rawBody != nil {
            failures[400] = failures[400] ?? "The body could not be read"
            failures[413] = failures[413] ?? "The body is too large"
            failures[415] = failures[415] ?? "Unsupported media type"
            failures[422] = failures[422] ?? "Invalid fields, each listed"
        }
        if !parameters.isEmpty { failures[422] = failures[422] ?? "Invalid parameters, each listed" }
        for (status, description) in failures {
            responses[String(status)] = .object(["description": .string(description), "content": .object(["application/json": .object([
                "schema": .object(["$ref": .string("#/components/schemas/Error")])])])])
        }
        var op: [String: JSONValue] = ["operationId": .string(id), "summary": .string(summary), "tags": .array([.string(tag)]),
                                       "responses": .object(responses)]
        if !params.isEmpty { op["parameters"] = .array(params) }
        if let body {
            op["requestBody"] = .object(["required": .bool(bodyRequired), "content": .object(["application/json": .object(["schema": body.json(&components)])])])
        } else if let rawBody {
            op["requestBody"] = .object(["required": .bool(true), "content": .object(Dictionary(uniqueKeysWithValues: rawBody.map {
                ($0, JSONValue.object(["schema": .object(["type": .string("string"), "format": .string("binary")])]))
            }))])
        }
        if access == .open { op["security"] = .array([]) }
        return .object(op)
    }
}
