import Foundation
import Logging
import ServiceLifecycle

/// The server's scheduled work, run at start and then every hour (or `interval`) until shutdown: the
/// running month's coverage snapshot, the hotspot detector over last week's requests, the devices' sweep. Each job is
/// idempotent (a snapshot month is replaced, a flag raised once), so several servers sharing
/// PostgreSQL may each run them; a failing job is logged and retried the next hour.
struct HourlyJobs: Service {
    struct Job: Sendable {
        let name: String
        let run: @Sendable (Date) async throws -> Void
    }

    let jobs: [Job]
    let clock: @Sendable () -> Date
    let logger: Logger
    /// How long between rounds (an hour; the devices' sweep runs every minute).
    var interval: Duration = .seconds(3_600)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for job in jobs {
                do { try await job.run(clock()) } catch { logger.warning("scheduled job \(job.name) failed: \(error)") }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
