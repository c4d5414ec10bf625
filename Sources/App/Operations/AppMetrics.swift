import Domain
import FluentKit
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import SQLKit

/// `/metrics` in Prometheus's text format. Requests by route, method and status with latency
/// histograms come from Hummingbird's `MetricsMiddleware` through swift-metrics into one
/// process-wide Prometheus registry; requests filed are counted where they are filed; what is
/// better read than counted — overdue and open requests per district, whether the database
/// answers and how fast, the server's PostgreSQL connections by state — is read at each scrape.
enum AppMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Points swift-metrics at the registry, once per process (the first app to start does it).
    static func bootstrap() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            // Request latency: from 5 ms to 10 s.
            factory.defaultDurationHistogramBuckets = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                                       .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// Requests filed (committed), by channel.
    static func filed(channel: String, count: Int) {
        guard count > 0 else { return }
        Counter(label: "gongzhi_requests_filed_total", dimensions: [("channel", channel)]).increment(by: count)
    }

    /// Reads the gauges and returns the whole registry as text.
    static func scrape(_ database: AppDatabase, now: Date) async -> String {
        let up = registry.makeGauge(name: "gongzhi_database_up", labels: [("engine", database.isPostgres ? "postgresql" : "sqlite")],
                                    help: "1 when the database answered the scrape's queries")
        let started = ContinuousClock.now
        do {
            let sql = database.db.sql()
            let overdue = try await sql.raw("""
                SELECT d.code AS code, COUNT(*) AS n FROM requests r JOIN districts d ON d.id = r.district_id WHERE \(RequestService.overdue(now: now)) GROUP BY d.code
                """).all()
            let open = try await sql.raw("""
                SELECT d.code AS code, COUNT(*) AS n FROM requests r JOIN districts d ON d.id = r.district_id WHERE r.closed_at IS NULL GROUP BY d.code
                """).all()
            for (name, rows, help) in [("gongzhi_requests_overdue", overdue, "Requests past their response or resolution deadline, per district"),
                                       ("gongzhi_requests_open", open, "Requests not yet closed, per district")] {
                for row in rows {
                    registry.makeGauge(name: name, labels: [("district", try row.decode(column: "code", as: String.self))], help: help)
                        .set(Double(try row.decode(column: "n", as: Int64.self)))
                }
            }
            if database.isPostgres {
                // This database's connections by state: "active" ones are in use, "idle" ones wait in the pools.
                let states = try await sql.raw("""
                    SELECT COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY state
                    """).all()
                for state in ["active", "idle", "idle in transaction"] {
                    let n = try states.first { try $0.decode(column: "state", as: String.self) == state }?.decode(column: "n", as: Int64.self) ?? 0
                    registry.makeGauge(name: "gongzhi_database_connections", labels: [("state", state)],
                                       help: "Connections to this database by state (all servers sharing it)").set(Double(n))
                }
            }
            up.set(1.0)
        } catch {
            up.set(0.0)
        }
        let elapsed = ContinuousClock.now - started
        registry.makeGauge(name: "gongzhi_database_scrape_seconds", help: "How long the scrape's database queries took")
            .set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return registry.emitToString()
    }
}
