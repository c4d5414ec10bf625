@testable import App
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every API route is in the document and every documented operation is routed", arguments: TestDatabase.all.prefix(1))
    func routesMatchDocument(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given
            let (status, document) = try await client.json(.get, "/api/v1/openapi.json")
            #expect(status == .ok)
            #expect(document["openapi"] == .string("3.1.0"))
            guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
            var documented: Set<String> = []
            for (path, item) in paths {
                guard case .object(let ops) = item else { continue }
                for method in ops.keys where method != "parameters" { documented.insert("\(method.uppercased()) \(path)") }
            }
            // when
            let routed = Set(app.router().routes.map { route in
                "\(route.method.rawValue) \(OpenAPIDocument.openAPIPath(route.path.description))"
            }.filter { $0.contains(" /api/") || $0.hasSuffix(" /healthz") })
            // then
            #expect(routed.subtracting(documented).isEmpty, "routed but undocumented: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
            #expect(documented.contains("GET /api/v1/cross-appointments/{id}"))
            #expect(documented.count >= 17 * 6)
        }
    }
}
