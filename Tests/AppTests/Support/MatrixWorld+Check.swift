@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit

extension MatrixWorld {
    /// Sends one request and compares its status with the policy's decision; returns a
    /// description of any disagreement.
    func check(_ client: any TestClientProtocol, entry: RouteEntry, collection: String, action: Action, role: Role, inside: Bool) async throws -> String? {
        let spec = app.catalog[collection]!
        let sampleId = inside ? self.inside[role]![collection] : outside[collection]
        guard let sampleId else { return inside ? "\(role) has no inside sample of \(collection)" : nil }
        let token = tokens[role]!
        let actor = Actor(kind: .user, id: nil, label: role.rawValue, grants: [grants[role]!])
        let isItem = entry.pattern.hasSuffix("/:id")
        let where_ = "\(entry.method) \(entry.pattern) as \(role.rawValue) \(inside ? "inside" : "outside")"

        if entry.method == .get && !isItem {
            // A list filtered to the sample's parent shows the sample exactly when the policy lets it be read.
            let sample = try await app.store.require(spec, id: sampleId, on: app.database.db)
            let filter = spec.parentField.flatMap { pf in sample[pf].uuid.map { "?\(pf)=\($0.uuidString.lowercased())&limit=500" } } ?? "?limit=500"
            let (status, body) = try await client.json(.get, "/api/v1/\(collection)\(filter)", token: token)
            let listed = body["items"]?.arrayValue.contains { $0["id"]?.stringValue == sampleId.uuidString.lowercased() } ?? false
            let expected = try await decide(actor, .read, spec, sampleId) == .allow
            if status != .ok { return "\(where_): list answered \(status.code)" }
            return listed == expected ? nil : "\(where_): list \(listed ? "shows" : "hides") the sample, expected the opposite"
        }
        if entry.method == .post {
            let body = try await createBody(spec, from: sampleId)
            let expected = try await expectedCreate(actor, spec, body: body)
            let (status, answer) = try await client.json(.post, "/api/v1/\(collection)", .object(body.json), token: token)
            if status == .created, let made = answer["id"]?.stringValue.flatMap(UUID.init(uuidString:)) {
                try await app.store.delete(Self.system, spec, id: made, on: app.database.db)
            }
            return status.code == expected ? nil : "\(where_): create answered \(status.code), expected \(expected) — \(answer)"
        }
        var target = sampleId
        if entry.method == .delete && inside {
            target = try await disposableCopy(spec, of: sampleId)
        }
        let decision = try await decide(actor, action, spec, target)
        let expected: Int = switch decision {
        case .allow: entry.method == .delete ? 204 : 200
        case .notFound: 404
        case .forbidden: 403
        }
        let uri = "/api/v1/\(collection)/\(target.uuidString.lowercased())"
        let status: HTTPResponse.Status
        switch entry.method {
        case .get: status = try await client.json(.get, uri, token: token).0
        case .patch: status = try await client.json(.patch, uri, .object([:]), token: token).0
        case .put:
            let record = try await app.store.require(spec, id: target, on: app.database.db)
            var object: [String: JSONValue] = [:]
            if case .object(let o) = FieldCodec.encode(record, spec: spec) { object = o.filter { !["id", "createdAt", "updatedAt"].contains($0.key) } }
            status = try await client.json(.put, uri, .object(object), token: token).0
        case .delete:
            status = try await client.json(.delete, uri, token: token).0
            if inside && status != .noContent { try await app.store.delete(Self.system, spec, id: target, on: app.database.db) }
        default: return "\(where_): unexpected method"
        }
        return status.code == expected ? nil : "\(where_): answered \(status.code), expected \(expected)"
    }

    /// The policy's decision on an existing record, from its place in the hierarchy.
    func decide(_ actor: Actor, _ action: Action, _ spec: ResourceSpec, _ id: UUID) async throws -> Decision {
        let a = try await Ancestry.of(app, spec.name, id)
        let reach = actor.grants.map { g in
            GrantReach(grant: g, contains: ExpectedReach.contains(g, a), sees: ExpectedReach.sees(g, a, ownerCompounds: ownCompounds[g.role] ?? []))
        }
        return Policy.decide(actor, action, spec.name, reach: reach)
    }

    /// The status a create should get: 422 when a reference cannot be seen, otherwise the
    /// policy's decision on the parent (records without a parent are never created over the API).
    func expectedCreate(_ actor: Actor, _ spec: ResourceSpec, body: CreateBody) async throws -> Int {
        for field in spec.fields {
            guard let target = field.referencedResource, let ref = body.values[field.name]?.uuid else { continue }
            let a = try await Ancestry.of(app, target, ref)
            if !actor.grants.contains(where: { ExpectedReach.sees($0, a, ownerCompounds: ownCompounds[$0.role] ?? []) }) { return 422 }
        }
        guard let pf = spec.parentField, let parentName = spec.field(pf)?.referencedResource, let parent = body.values[pf]?.uuid else { return 403 }
        let a = try await Ancestry.of(app, parentName, parent)
        let reach = actor.grants.map { g -> GrantReach in
            let ownersInDistrict = spec.name == "owners" && [.streetStaff, .communityStaff].contains(g.role) && g.districtId == parent
            return GrantReach(grant: g, contains: ExpectedReach.contains(g, a) || ownersInDistrict,
                              sees: ExpectedReach.sees(g, a, ownerCompounds: ownCompounds[g.role] ?? []))
        }
        switch Policy.decide(actor, .create, spec.name, reach: reach) {
        case .allow: return 201
        case .notFound: return 422
        case .forbidden: return 403
        }
    }

    struct CreateBody {
        var values: [String: FieldValue]
        var spec: ResourceSpec
        var json: [String: JSONValue] {
            Dictionary(uniqueKeysWithValues: spec.fields.map { ($0.name, FieldCodec.encode(values[$0.name] ?? .null, field: $0)) })
        }
    }

    /// A new record like the sample, under the same parent, with its unique fields changed.
    func createBody(_ spec: ResourceSpec, from id: UUID) async throws -> CreateBody {
        var values = try await app.store.require(spec, id: id, on: app.database.db).values
        let tag = String(UUID().uuidString.prefix(6))
        for field in spec.fields {
            switch (field.name, field.kind) {
            case ("name", _), ("number", _), ("personName", _): values[field.name] = .text((values[field.name]?.text ?? "") + tag)
            case ("code", _): values[field.name] = .text("11\(Int.random(in: 1000...9999))")
            case (_, .creditCode): values[field.name] = .text(validCreditCode("9111010" + String(format: "%010d", Int.random(in: 0...999_999_999))))
            default: break
            }
        }
        let sql = app.database.db.sql()
        if spec.name == "ownerships", let room = values["roomId"]?.uuid {
            // Another owner of the same compound, so the pair is new.
            let other = try await sql.raw("""
                SELECT o.owner_id AS id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN entrances e2 ON e2.building_id = e.building_id JOIN rooms r2 ON r2.entrance_id = e2.id
                WHERE r2.id = \(bind: room) AND NOT EXISTS (SELECT 1 FROM ownerships x WHERE x.room_id = \(bind: room) AND x.owner_id = o.owner_id)
                ORDER BY o.owner_id
                """).first()?.decode(column: "id", as: UUID.self)
            if let other { values["ownerId"] = .uuid(other) }
        }
        if spec.name == "alliance-members", let alliance = values["allianceId"]?.uuid {
            let company = try await sql.raw("""
                SELECT c.id FROM companies c JOIN alliances a ON a.id = \(bind: alliance) JOIN streets s ON s.id = a.street_id
                WHERE c.district_id = s.district_id AND NOT EXISTS (SELECT 1 FROM alliance_members m WHERE m.alliance_id = a.id AND m.company_id = c.id)
                ORDER BY c.id
                """).first()?.decode(column: "id", as: UUID.self)
            if let company { values["companyId"] = .uuid(company) }
        }
        return CreateBody(values: values, spec: spec)
    }

    /// A copy of the sample made by the system (to be deleted without losing the sample).
    func disposableCopy(_ spec: ResourceSpec, of id: UUID) async throws -> UUID {
        let body = try await createBody(spec, from: id)
        return try await app.store.create(Self.system, spec, values: body.values, on: app.database.db).id
    }
}
