import FluentKit
import Foundation
import NIOConcurrencyHelpers

/// Group commit: small writes that each need a transaction of their own (filing a request) share
/// one while another is running. The first job starts a drain; jobs that arrive meanwhile wait for
/// the next transaction, which takes all of them (up to `maxBatch`) and writes them with multi-row
/// statements. Each caller is answered only after the transaction holding its job commits. When a
/// shared transaction fails, its jobs are retried one per transaction, so a job that fails alone
/// fails alone and the others are written. On SQLite this keeps the one writer's transactions few;
/// on PostgreSQL it keeps a hot row (the day's number) locked once per batch instead of once per job.
final class GroupCommit<Job: Sendable, Output: Sendable>: Sendable {
    typealias Writer = @Sendable ([Job], any Database) async throws -> [Output]
    /// Writes the jobs as one transaction of its own making (`NumberedInserts.inOneVisit`), or
    /// answers nil, having written nothing, to leave them to `write` in an awaited transaction.
    typealias Direct = @Sendable ([Job], AppDatabase) async throws -> [Output]?

    private struct Waiting: Sendable {
        let job: Job
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State: Sendable {
        var pending: [Waiting] = []
        var draining = false
    }

    private let write: Writer
    private let direct: Direct?
    let maxBatch: Int
    private let state = NIOLockedValueBox(State())

    init(maxBatch: Int = 200, write: @escaping Writer, direct: Direct? = nil) {
        self.maxBatch = maxBatch
        self.write = write
        self.direct = direct
    }

    /// Writes `job` in the next transaction and answers what the writer made of it once that commits.
    func submit(_ job: Job, on database: AppDatabase) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLockedValue { s -> Bool in
                s.pending.append(Waiting(job: job, continuation: continuation))
                if s.draining { return false }
                s.draining = true
                return true
            }
            // The drain runs on the writer's event loop (`AppDatabase.writeExecutor`): each statement
            // of its transaction resumes it there at once.
            if start { Task(executorPreference: database.writeExecutor) { await self.drain(database) } }
        }
    }

    private func drain(_ database: AppDatabase) async {
        while true {
            let batch = state.withLockedValue { s -> [Waiting] in
                let taken = Array(s.pending.prefix(maxBatch))
                s.pending.removeFirst(taken.count)
                if taken.isEmpty { s.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            // PostgreSQL only: SQLite's one writer has no connection to lose, and a busy machine may
            // legitimately keep its transaction waiting for the writer longer than this.
            let limit: Int64? = database.isPostgres ? database.timeoutSeconds + 1 : nil
            do {
                let jobs = batch.map(\.job)
                let outputs = try await Self.bounded(seconds: limit, on: database.writeExecutor) { try await self.commit(jobs, on: database) }
                for (waiting, output) in zip(batch, outputs) { waiting.continuation.resume(returning: output) }
            } catch let error as GroupCommitTimeout {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            } catch {
                guard batch.count > 1 else {
                    batch[0].continuation.resume(throwing: error)
                    continue
                }
                for waiting in batch {
                    let job = waiting.job
                    do {
                        waiting.continuation.resume(returning: try await Self.bounded(seconds: limit, on: database.writeExecutor) { try await self.commit([job], on: database)[0] })
                    } catch {
                        waiting.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// `work`'s answer, or `GroupCommitTimeout` once `seconds` have passed. A transaction whose
    /// connection died with the server can wait for ever (the pool watcher replaces the pool, but
    /// one lease may stay stuck); without this bound every later filing would queue behind it.
    /// The abandoned work may still finish; its callers were told it failed, and nothing they were
    /// told succeeded is undone.
    static func bounded<T: Sendable>(seconds: Int64?, on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let seconds else { return try await work() }
        let waiting = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
        @Sendable func finish(_ result: Result<T, any Error>) { waiting.withLockedValue { $0?.resume(with: result); $0 = nil } }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.withLockedValue { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: .seconds(seconds))
                finish(.failure(GroupCommitTimeout(seconds: seconds)))
            }
            Task(executorPreference: executor) {
                do { finish(.success(try await work())) } catch { finish(.failure(error)) }
                timer.cancel()
            }
        }
    }

    private func commit(_ jobs: [Job], on database: AppDatabase) async throws -> [Output] {
        let write = self.write
        let outputs: [Output]
        if let direct, let written = try await direct(jobs, database) {
            outputs = written
        } else {
            outputs = try await database.db.transaction { tx in try await write(jobs, tx) }
        }
        precondition(outputs.count == jobs.count, "a group commit's writer answers each job")
        return outputs
    }
}

/// A shared transaction did not finish in time; its callers are answered 503 and may try again.
struct GroupCommitTimeout: Error, CustomStringConvertible {
    let seconds: Int64
    var description: String { "a write transaction did not finish within \(seconds) s" }
}
