import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs a task's jobs on one NIO event loop (Swift's `TaskExecutor`). A task that talks to one
/// database connection many times in a row (a group commit's transaction: BEGIN, a handful of
/// statements, COMMIT) prefers the loop that connection answers on: each answer resumes the task
/// right there, instead of queueing it behind every request in the shared cooperative pool. On
/// a busy two-core machine that queueing, not the database, was most of a transaction's time.
final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `loop` is immutable, event loops are thread-safe and `retired` is locked.
    let loop: any EventLoop
    private let retired = NIOLockedValueBox(false)

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    /// Called before the loop shuts down: a loop that has shut down drops what it is given, so a
    /// task still preferring it afterwards (a filing arriving while the server stops) runs on a
    /// loop of the process-wide group instead of waiting for ever.
    func retire() {
        retired.withLockedValue { $0 = true }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let target = retired.withLockedValue { $0 } ? MultiThreadedEventLoopGroup.singleton.any() : loop
        target.execute { job.runSynchronously(on: executor) }
    }
}
