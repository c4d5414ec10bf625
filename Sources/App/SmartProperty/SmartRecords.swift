import Domain
import Foundation
import SQLKit

/// A device at a gate or entrance (never its key).
struct DeviceRecord: Sendable {
    let id: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, buildingId: UUID?
    let kind: DeviceKind, name: String, place: String, vendor: String, model: String
    let keyIssuedAt: Date, revokedAt: Date?, lastSeenAt: Date?
    let compoundName: String

    static let select = "SELECT d.*, p.name AS compound_name FROM devices d JOIN compounds p ON p.id = d.compound_id"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); communityId = try row.decode(column: "community_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self); buildingId = try row.decode(column: "building_id", as: UUID?.self)
        kind = DeviceKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .doorController
        name = try row.decode(column: "name", as: String.self); place = try row.decode(column: "place", as: String.self)
        vendor = try row.decode(column: "vendor", as: String.self); model = try row.decode(column: "model", as: String.self)
        keyIssuedAt = try row.decode(column: "key_issued_at", as: Date.self); revokedAt = try row.decode(column: "revoked_at", as: Date?.self)
        lastSeenAt = try row.decode(column: "last_seen_at", as: Date?.self); compoundName = try row.decode(column: "compound_name", as: String.self)
    }

    func state(now: Date, offlineMinutes: Int) -> DeviceState { DeviceEventRules.state(lastSeen: lastSeenAt, now: now, offlineMinutes: offlineMinutes) }
}

/// An alert on the board.
struct AlertRecord: Sendable {
    let id: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, deviceId: UUID?
    let kind: AlertKind, status: AlertStatus, raisedAt: Date, place: String, temperature: Int?, count: Int?
    let requestId: UUID?, caseId: UUID?, closedAt: Date?, updatedAt: Date
    let compoundName: String, deviceName: String?

    static let select = """
        SELECT a.*, p.name AS compound_name, d.name AS device_name FROM alerts a JOIN compounds p ON p.id = a.compound_id LEFT JOIN devices d ON d.id = a.device_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); communityId = try row.decode(column: "community_id", as: UUID.self)
        compoundId = try row.decode(column: "compound_id", as: UUID.self); deviceId = try row.decode(column: "device_id", as: UUID?.self)
        kind = AlertKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .fever
        status = AlertStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        raisedAt = try row.decode(column: "raised_at", as: Date.self); place = try row.decode(column: "place", as: String.self)
        temperature = try row.decode(column: "temperature", as: Int64?.self).map(Int.init); count = try row.decode(column: "count", as: Int64?.self).map(Int.init)
        requestId = try row.decode(column: "request_id", as: UUID?.self); caseId = try row.decode(column: "case_id", as: UUID?.self)
        closedAt = try row.decode(column: "closed_at", as: Date?.self); updatedAt = try row.decode(column: "updated_at", as: Date.self)
        compoundName = try row.decode(column: "compound_name", as: String.self); deviceName = try row.decode(column: "device_name", as: String?.self)
    }
}

/// One line of an alert's log.
struct AlertLogEntry: Sendable {
    let action: String, note: String, actor: String, at: Date
}

/// An access event as the records show it: no person reference, ever.
struct AccessEventRecord: Sendable {
    let id: UUID, compoundId: UUID, deviceId: UUID?, kind: DeviceEventKind, at: Date, method: AccessMethod?, temperature: Int?
    let deviceName: String?, place: String?

    static let select = "SELECT e.id, e.compound_id, e.device_id, e.kind, e.occurred_at, e.method, e.temperature, d.name AS device_name, d.place FROM device_events e LEFT JOIN devices d ON d.id = e.device_id"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        deviceId = try row.decode(column: "device_id", as: UUID?.self)
        kind = DeviceEventKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .heartbeat
        at = try row.decode(column: "occurred_at", as: Date.self); method = try row.decode(column: "method", as: String?.self).flatMap(AccessMethod.init(rawValue:))
        temperature = try row.decode(column: "temperature", as: Int64?.self).map(Int.init)
        deviceName = try row.decode(column: "device_name", as: String?.self); place = try row.decode(column: "place", as: String?.self)
    }
}

/// A visitor's pass.
struct VisitorPassRecord: Sendable {
    let id: UUID, districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, roomId: UUID, userId: UUID, host: String, code: String
    let visitorName: String, people: Int, plate: String?, validFrom: Date, validTo: Date, status: PassStatus, usedAt: Date?, usedVia: String?
    let createdAt: Date, compoundName: String
    /// "building entrance room" of the host's home, what a guard asks for.
    let roomLabel: String

    static let select = """
        SELECT v.*, p.name AS compound_name, bd.number || ' ' || e.number || ' ' || r.number AS room_label FROM visitor_passes v
        JOIN compounds p ON p.id = v.compound_id JOIN rooms r ON r.id = v.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings bd ON bd.id = e.building_id
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); districtId = try row.decode(column: "district_id", as: UUID.self)
        streetId = try row.decode(column: "street_id", as: UUID.self); compoundId = try row.decode(column: "compound_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self)
        roomId = try row.decode(column: "room_id", as: UUID.self); userId = try row.decode(column: "user_id", as: UUID.self)
        host = try row.decode(column: "host", as: String.self); code = try row.decode(column: "code", as: String.self)
        visitorName = try row.decode(column: "visitor_name", as: String.self); people = Int(try row.decode(column: "people", as: Int64.self))
        plate = try row.decode(column: "plate", as: String?.self); validFrom = try row.decode(column: "valid_from", as: Date.self)
        validTo = try row.decode(column: "valid_to", as: Date.self)
        status = PassStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .active
        usedAt = try row.decode(column: "used_at", as: Date?.self); usedVia = try row.decode(column: "used_via", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self); compoundName = try row.decode(column: "compound_name", as: String.self)
        roomLabel = try row.decode(column: "room_label", as: String.self)
    }

    /// What the pass's QR code holds: the code with a prefix a gate scanner recognises.
    var qrText: String { "GZPASS:" + code }
}

/// What one batch of device events came to.
struct IngestResult: Sendable {
    var accepted = 0
    var duplicates = 0
    var rejected: [(index: Int, errors: [FieldError])] = []
    var alerts = 0
    var cleared = 0
}
