import Domain
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the running month's coverage snapshot current: at start and then every hour, so the
/// month's last snapshot is at most an hour old when it ends. Several servers sharing PostgreSQL
/// may each run it: the month's rows are replaced in one transaction, and the same registry gives
/// the same rows.
struct CoverageSnapshotJob: Service {
    let service: CoverageService
    let clock: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let now = clock()
                _ = try await service.record(day: Timestamp.today(now), now: now)
            } catch {
                logger.warning("coverage snapshot failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3_600)) }
        }
    }
}
