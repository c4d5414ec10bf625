import Domain
import FluentKit
import Foundation
import SQLKit

/// Batches of device events: checked one by one (a bad event is reported by its index, the good
/// ones are kept), stored idempotently by (device, the device's event id) in one transaction that
/// also raises and clears alerts and marks the devices seen; the answer comes after the commit.
extension SmartService {
    struct BatchItem: Sendable {
        /// A gateway names the device of its compound each event is from; a device leaves it out.
        var deviceId: UUID?
        var event: DeviceEventInput
    }

    func ingest(from sender: DeviceRecord, _ items: [BatchItem], now: Date) async throws -> IngestResult {
        guard items.count <= DeviceEventRules.maxBatch else {
            throw DomainError.invalid([FieldError(field: "events", code: "too_many", message: "at most \(DeviceEventRules.maxBatch) events in one batch")])
        }
        let settings = try await settings(district: sender.districtId, on: db)
        // The devices the batch speaks for: the sender, or for a gateway its compound's devices.
        var targets: [UUID: DeviceRecord] = [sender.id: sender]
        if sender.kind == .gateway {
            for row in try await db.sql().raw("\(unsafeRaw: DeviceRecord.select) WHERE d.compound_id = \(bind: sender.compoundId)").all() {
                let d = try DeviceRecord(row: row)
                targets[d.id] = d
            }
        }
        var result = IngestResult()
        var good: [(device: DeviceRecord, fact: DeviceEventFact, passCode: String?)] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let target: DeviceRecord?
            if let named = item.deviceId {
                target = named == sender.id || sender.kind == .gateway ? targets[named] : nil
            } else {
                target = sender
            }
            guard let target else {
                result.rejected.append((i, [FieldError(field: "events[\(i)].deviceId", code: "unknown_reference",
                                                       message: sender.kind == .gateway ? "a device of the gateway's compound" : "a device posts its own events only")]))
                continue
            }
            switch DeviceEventRules.check(item.event, index: i, device: target.kind, now: now, retentionDays: settings.retentionDays, hash: personHash) {
            case .refused(let errors):
                result.rejected.append((i, errors))
            case .accepted(let fact):
                // The same event twice in one batch counts once.
                if seen.insert("\(target.id.text) \(fact.eventId)").inserted {
                    good.append((target, fact, item.event.passCode.flatMap(VisitorRules.normalise)))
                } else {
                    result.duplicates += 1
                }
            }
        }
        guard !good.isEmpty else { return result }
        let checked = good, early = result
        return try await db.transaction { tx in
            let good = checked
            var r = early
            // Passes named by visitor entries, by code within the compound.
            var passes: [String: UUID] = [:]
            let codes = Set(good.compactMap(\.passCode))
            if !codes.isEmpty {
                for row in try await tx.sql().raw("SELECT id, code FROM visitor_passes WHERE compound_id = \(bind: sender.compoundId) AND code IN (\(binds: Array(codes)))").all() {
                    passes[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: UUID.self)
                }
            }
            var inserted = Set<String>()
            let received = Bind.date(now)
            for chunk in stride(from: 0, to: good.count, by: 500).map({ Array(good[$0..<min($0 + 500, good.count)]) }) {
                let rows: [[any SQLExpression]] = chunk.map { g in
                    [Bind.uuid(UUID.random()), Bind.uuid(g.device.districtId), Bind.uuid(g.device.compoundId), Bind.uuid(g.device.id), Bind.text(g.fact.eventId),
                     Bind.text(g.fact.kind.rawValue), Bind.date(g.fact.at), Bind.text(g.fact.method?.rawValue), Bind.text(g.fact.personHash),
                     Bind.int(g.fact.temperatureTenths.map(Int64.init)), Bind.uuid(g.passCode.flatMap { passes[$0] }), received, received]
                }
                let rowsBack = try await tx.sql().insert(into: "device_events")
                    .columns("id", "district_id", "compound_id", "device_id", "event_key", "kind", "occurred_at", "method", "person_hash", "temperature", "pass_id",
                             "created_at", "updated_at")
                    .rows(rows).ignoringConflicts(with: ["device_id", "event_key"]).returning("device_id", "event_key").all()
                for row in rowsBack {
                    inserted.insert("\(try row.decode(column: "device_id", as: UUID.self).text) \(try row.decode(column: "event_key", as: String.self))")
                }
            }
            let fresh = good.filter { inserted.contains("\($0.device.id.text) \($0.fact.eventId)") }
            r.accepted = fresh.count
            r.duplicates += good.count - fresh.count
            // Every device heard from is seen now, and a device that was offline is back.
            let heard = Set(good.map(\.device.id)).union([sender.id])
            try await tx.sql().raw("UPDATE devices SET last_seen_at = \(bind: now) WHERE id IN (\(binds: Array(heard)))").run()
            for id in heard {
                r.cleared += try await clear(openKey: Self.openKey(id, .deviceOffline), note: "alert.backOnline", now: now, on: tx)
            }
            // Alerts the new events raise, device by device, and fevers their confirmation readings clear.
            for (deviceId, events) in Dictionary(grouping: fresh, by: { $0.device.id }) {
                let device = events[0].device
                let facts = events.map(\.fact)
                var earlier: [Date] = []
                let denials = facts.filter { $0.kind == .accessDenied }
                if let first = denials.map(\.at).min(), let last = denials.map(\.at).max() {
                    let since = first.addingTimeInterval(-Double(settings.denialWindowMinutes) * 60)
                    let newKeys = Set(denials.map(\.eventId))
                    for row in try await tx.sql().raw("""
                        SELECT event_key, occurred_at FROM device_events WHERE device_id = \(bind: deviceId) AND kind = 'access_denied'
                        AND occurred_at > \(bind: since) AND occurred_at <= \(bind: last)
                        """).all() where !newKeys.contains(try row.decode(column: "event_key", as: String.self)) {
                        earlier.append(try row.decode(column: "occurred_at", as: Date.self))
                    }
                }
                for c in AlertRules.raised(by: facts, earlierDenials: earlier, settings: settings) {
                    if try await raise(c, device: device, now: now, on: tx) { r.alerts += 1 }
                }
                for reading in facts where reading.kind == .temperature && reading.personHash != nil {
                    r.cleared += try await clearFevers(by: reading, compound: device.compoundId, settings: settings, now: now, on: tx)
                }
            }
            return r
        }
    }

    static func openKey(_ device: UUID, _ kind: AlertKind) -> String { "\(device.text):\(kind.rawValue)" }

    /// Raises an alert; one of the kinds kept one per device is not raised again while one is open.
    @discardableResult
    func raise(_ c: AlertCandidate, device: DeviceRecord, now: Date, on db: any Database) async throws -> Bool {
        let id = UUID.random(), stamp = Bind.date(now)
        let rows = try await db.sql().insert(into: "alerts")
            .columns("id", "district_id", "street_id", "community_id", "compound_id", "device_id", "kind", "status", "open_key", "raised_at", "place", "event_key",
                     "temperature", "person_hash", "count", "request_id", "case_id", "closed_at", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.uuid(device.districtId), Bind.uuid(device.streetId), Bind.uuid(device.communityId), Bind.uuid(device.compoundId),
                     Bind.uuid(device.id), Bind.text(c.kind.rawValue), Bind.text(AlertStatus.open.rawValue),
                     Bind.text(c.kind.onePerDevice ? Self.openKey(device.id, c.kind) : nil), Bind.date(c.at), Bind.text(device.place), Bind.text(c.eventId),
                     Bind.int(c.temperatureTenths.map(Int64.init)), Bind.text(c.personHash), Bind.int(c.count.map(Int64.init)),
                     SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, stamp, stamp])
            .ignoringConflicts(with: ["open_key"]).returning("id").all()
        guard !rows.isEmpty else { return false }
        try await log(id, action: "raised", note: "", actor: "system", now: now, on: db)
        return true
    }

    /// Clears the open alert holding `openKey` (a device heard again). Returns how many were cleared.
    func clear(openKey: String, note: String, now: Date, on db: any Database) async throws -> Int {
        guard let row = try await db.sql().raw("SELECT id FROM alerts WHERE open_key = \(bind: openKey)").first() else { return 0 }
        let id = try row.decode(column: "id", as: UUID.self)
        try await db.sql().raw("""
            UPDATE alerts SET status = 'cleared', open_key = NULL, closed_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
        try await log(id, action: "cleared", note: note, actor: "system", now: now, on: db)
        return 1
    }

    /// Clears the compound's open fevers of the reading's person that the reading confirms well.
    func clearFevers(by reading: DeviceEventFact, compound: UUID, settings: SmartSettings, now: Date, on db: any Database) async throws -> Int {
        guard settings.confirmMinutes > 0, let person = reading.personHash, let t = reading.temperatureTenths, !AlertRules.isFever(t, settings) else { return 0 }
        let since = reading.at.addingTimeInterval(-Double(settings.confirmMinutes) * 60)
        var cleared = 0
        for row in try await db.sql().raw("""
            SELECT id, raised_at FROM alerts WHERE compound_id = \(bind: compound) AND kind = 'fever' AND status IN ('open', 'acknowledged', 'handling')
            AND person_hash = \(bind: person) AND raised_at >= \(bind: since) AND raised_at < \(bind: reading.at)
            """).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            guard AlertRules.clears(feverAt: try row.decode(column: "raised_at", as: Date.self), personHash: person, reading: reading, settings: settings) else { continue }
            try await db.sql().raw("UPDATE alerts SET status = 'cleared', closed_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
            try await log(id, action: "cleared", note: "alert.recheck:" + DeviceEventRules.celsius(t), actor: "system", now: now, on: db)
            cleared += 1
        }
        return cleared
    }

    func log(_ alert: UUID, action: String, note: String, actor: String, now: Date, on db: any Database) async throws {
        try await db.sql().insert(into: "alert_log").columns("id", "alert_id", "action", "note", "actor", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(alert), Bind.text(action), Bind.text(note), Bind.text(actor), Bind.date(now), Bind.date(now)]).run()
    }

    // MARK: - Scheduled

    /// Raises an offline alert for every device silent longer than its district allows (once per
    /// silence: the open key refuses a second), and purges events older than each district's retention.
    /// Safe to run on several servers at once.
    func sweep(now: Date) async throws -> (offline: Int, purged: Int) {
        var offline = 0, purged = 0
        for row in try await db.sql().raw("SELECT id FROM districts").all() {
            let district = try row.decode(column: "id", as: UUID.self)
            let s = try await settings(district: district, on: db)
            let silentSince = now.addingTimeInterval(-Double(s.offlineMinutes) * 60)
            let silent = try await db.sql().raw("""
                \(unsafeRaw: DeviceRecord.select) WHERE d.district_id = \(bind: district) AND d.revoked_at IS NULL AND d.last_seen_at IS NOT NULL
                AND d.last_seen_at <= \(bind: silentSince)
                """).all().map { try DeviceRecord(row: $0) }
            // Those already alerted are skipped here; the open key would refuse them anyway (and does, between servers).
            let alerted = Set(try await db.sql().raw("SELECT device_id FROM alerts WHERE district_id = \(bind: district) AND kind = 'device_offline' AND open_key IS NOT NULL")
                .all().compactMap { try $0.decode(column: "device_id", as: UUID?.self) })
            for d in silent where !alerted.contains(d.id) {
                if try await db.transaction({ tx in try await raise(AlertCandidate(kind: .deviceOffline, at: d.lastSeenAt ?? now), device: d, now: now, on: tx) }) { offline += 1 }
            }
            let cutoff = now.addingTimeInterval(-Double(s.retentionDays) * 86_400)
            // In slices, so a long backlog never holds the writer for long.
            while true {
                let ids = try await db.sql().raw("""
                    SELECT id FROM device_events WHERE district_id = \(bind: district) AND occurred_at < \(bind: cutoff) LIMIT 5000
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                if ids.isEmpty { break }
                try await db.sql().raw("DELETE FROM device_events WHERE id IN (\(binds: ids))").run()
                purged += ids.count
            }
        }
        return (offline, purged)
    }
}
