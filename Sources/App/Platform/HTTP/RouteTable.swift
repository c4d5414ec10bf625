import Domain
import Foundation
import Hummingbird
import NIOCore

/// What a route requires before its handler runs. Every route has one; the role × route test
/// reads them from the table.
enum RouteAccess: Sendable, Equatable {
    /// Anyone (health, OpenAPI, login, language).
    case open
    /// Any signed-in actor; the handler's data is scoped by the policy.
    case signedIn
    /// A collection action, decided per record by `Policy` inside the store.
    case resource(String, Action)
    /// District administration (audit log, integration keys).
    case administer
    /// A device's own key (`Authorization: Bearer gzd_…`); the handler looks the device up.
    case device
}

/// One registered route with its access rule and, for the JSON API, what the document says of it.
struct RouteEntry: Sendable {
    let method: HTTPRequest.Method
    let pattern: String
    let access: RouteAccess
    let operation: OperationDoc?
}

/// The route table: the only way routes are added, so none can be added without an access rule,
/// and no JSON operation without its place in the OpenAPI document.
final class RouteTable: @unchecked Sendable {
    let router: Router<AppRequestContext>
    let clock: @Sendable () -> Date
    private(set) var entries: [RouteEntry] = []

    init(router: Router<AppRequestContext>, clock: @escaping @Sendable () -> Date) {
        self.router = router
        self.clock = clock
    }

    /// A page or another route that answers something other than a documented JSON value.
    func add(_ method: HTTPRequest.Method, _ url: SiteURL, _ access: RouteAccess,
             _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access, operation: nil, handler)
    }

    func add(_ method: HTTPRequest.Method, _ pattern: String, _ access: RouteAccess, operation: OperationDoc? = nil,
             _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        entries.append(RouteEntry(method: method, pattern: pattern, access: access, operation: operation))
        router.on(RouterPath(pattern), method: method) { request, context in
            try Self.admit(access, context)
            return try await handler(request, context)
        }
    }

    /// A page handler that gets the signed-in caller (`source` is `web`).
    func page(_ method: HTTPRequest.Method, _ url: SiteURL, _ access: RouteAccess,
              _ handler: @escaping @Sendable (SignedIn) async throws -> Response) {
        signedIn(method, url.pattern, access, source: "web", handler)
    }

    /// A handler that answers something of its own (a file, a CSV, a registry record) and gets
    /// the signed-in caller.
    func signedIn(_ method: HTTPRequest.Method, _ pattern: String, _ access: RouteAccess, source: String, operation: OperationDoc? = nil,
                  _ handler: @escaping @Sendable (SignedIn) async throws -> Response) {
        let clock = self.clock
        add(method, pattern, access, operation: operation) { request, context in
            try await handler(SignedIn(request: request, context: context, access: try context.access(source, now: clock())))
        }
    }

    /// A JSON operation with no body: the handler gets the caller and returns a typed answer.
    func api<Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ access: RouteAccess, _ doc: OperationDoc,
                                status: HTTPResponse.Status = .ok,
                                _ handler: @escaping @Sendable (SignedIn) async throws -> Answer) {
        let clock = self.clock
        add(method, url.pattern, access, operation: doc.answering(Answer.self, status: status, access: access)) { request, context in
            let call = try SignedIn(request: request, context: context, access: Self.caller(access, context, now: clock()))
            return try Self.encode(try await handler(call), status: status)
        }
    }

    /// A JSON operation with a typed body, decoded (every bad field at once) before the handler runs.
    func api<Body: APIBody, Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ access: RouteAccess, _ doc: OperationDoc,
                                               body: Body.Type, optional: Bool = false, status: HTTPResponse.Status = .ok,
                                               _ handler: @escaping @Sendable (SignedIn, Body) async throws -> Answer) {
        let clock = self.clock
        let documented = doc.answering(Answer.self, status: status, access: access).taking(Body.self, optional: optional)
        add(method, url.pattern, access, operation: documented) { request, context in
            let call = try SignedIn(request: request, context: context, access: Self.caller(access, context, now: clock()))
            let body = try await JSONBodyDecoder.decode(Body.self, from: request, context: context, optional: optional)
            return try Self.encode(try await handler(call, body), status: status)
        }
    }

    /// A device's JSON operation: the handler gets the device (a revoked or unknown key is 401).
    func device<Body: APIBody, Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ doc: OperationDoc, body: Body.Type,
                                                  lookup: @escaping @Sendable (String) async throws -> DeviceRecord?,
                                                  _ handler: @escaping @Sendable (DeviceRecord, Body, Date) async throws -> Answer) {
        let clock = self.clock
        let documented = doc.answering(Answer.self, status: .ok, access: .device).taking(Body.self, optional: false)
        add(method, url.pattern, .device, operation: documented) { request, context in
            guard let key = context.deviceKey, let device = try await lookup(key) else { throw DomainError.unauthorized }
            let body = try await JSONBodyDecoder.decode(Body.self, from: request, context: context, optional: false)
            return try Self.encode(try await handler(device, body, clock()), status: .ok)
        }
    }

    func device<Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ doc: OperationDoc,
                                   lookup: @escaping @Sendable (String) async throws -> DeviceRecord?,
                                   _ handler: @escaping @Sendable (DeviceRecord, Date) async throws -> Answer) {
        let clock = self.clock
        add(method, url.pattern, .device, operation: doc.answering(Answer.self, status: .ok, access: .device)) { _, context in
            guard let key = context.deviceKey, let device = try await lookup(key) else { throw DomainError.unauthorized }
            return try Self.encode(try await handler(device, clock()), status: .ok)
        }
    }

    /// An open JSON operation (login, health): no caller, optionally a typed body.
    func openAPI<Body: APIBody, Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ doc: OperationDoc, body: Body.Type, answer: Answer.Type,
                                                   _ handler: @escaping @Sendable (OpenCall, Body) async throws -> Response) {
        let clock = self.clock
        let documented = doc.answering(Answer.self, status: .ok, access: .open).taking(Body.self, optional: false)
        add(method, url.pattern, .open, operation: documented) { request, context in
            let body = try await JSONBodyDecoder.decode(Body.self, from: request, context: context, optional: false)
            return try await handler(OpenCall(request: request, context: context, now: clock()), body)
        }
    }

    func openAPI<Answer: APIAnswer>(_ method: HTTPRequest.Method, _ url: SiteURL, _ doc: OperationDoc, answer: Answer.Type,
                                    _ handler: @escaping @Sendable (OpenCall) async throws -> Response) {
        let clock = self.clock
        add(method, url.pattern, .open, operation: doc.answering(Answer.self, status: .ok, access: .open)) { request, context in
            try await handler(OpenCall(request: request, context: context, now: clock()))
        }
    }

    private static func admit(_ access: RouteAccess, _ context: AppRequestContext) throws {
        switch access {
        case .open:
            break
        case .device:
            guard context.deviceKey != nil else { throw DomainError.unauthorized }
        case .signedIn, .resource:
            _ = try context.requireActor()
        case .administer:
            let actor = try context.requireActor()
            guard Policy.mayAdminister(actor, district: nil) else { throw DomainError.forbidden(reason: "only district admins may do this") }
        }
    }

    /// The caller of an API route: every typed operation but the open ones needs one.
    private static func caller(_ access: RouteAccess, _ context: AppRequestContext, now: Date) throws -> AccessContext {
        try context.access("api", now: now)
    }

    static func encode<Answer: APIAnswer>(_ answer: Answer, status: HTTPResponse.Status, headers: HTTPFields = [:]) throws -> Response {
        if Answer.self == NoContent.self { return Response(status: .noContent, headers: headers) }
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: try AnswerEncoder.encode(answer))))
    }
}

/// The caller of a route that needs one, with the request it came with.
struct SignedIn: Sendable {
    let request: Request
    let context: AppRequestContext
    let access: AccessContext

    var actor: Actor { access.actor }
    var now: Date { access.now }
    var query: Hummingbird.Parameters { request.uri.queryParameters }

    /// A path id; anything but a UUID is a 404 for `entity`.
    func id(_ entity: String, _ name: String = "id") throws -> UUID {
        let raw = context.parameters.get(name) ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: entity, id: raw) }
        return id
    }
}

/// A request to an open route: no caller.
struct OpenCall: Sendable {
    let request: Request
    let context: AppRequestContext
    let now: Date
}

/// Reads a JSON body into its type: wrong media type 415, too large 413, not JSON 400, bad fields 422.
enum JSONBodyDecoder {

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: AppRequestContext, optional: Bool) async throws -> Body {
        let buffer = try await request.readBody(limit: BodyLimits.json)
        var data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard optional else { throw DomainError.badRequest(message: "The body must be a JSON object.") }
            data = Data("{}".utf8)
        } else if let type = request.headers[.contentType], type.lowercased().utf8.firstRange(of: "json".utf8) == nil {
            throw HTTPError(.unsupportedMediaType, message: "The body must be application/json.")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DomainError {
            throw error
        } catch is DecodingError {
            throw DomainError.badRequest(message: "The body is not valid JSON.")
        }
    }
}
