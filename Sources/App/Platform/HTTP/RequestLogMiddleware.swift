import Hummingbird
import Logging
import NIOCore

/// One log line per request: request id, method, path, status and duration.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            // The fields again as metadata, for `LOG_FORMAT=json`.
            context.logger.info("\(context.requestId) \(request.method) \(request.uri.path) \(status) \(String(format: "%.1f", ms))ms",
                                metadata: ["request_id": .string(context.requestId), "method": .string(request.method.rawValue),
                                           "path": .string(request.uri.path), "status": .stringConvertible(status),
                                           "duration_ms": .string(String(format: "%.1f", ms))])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
