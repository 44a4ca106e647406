// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Dispatch
import GoLiveCore

/// The store is called from plain threads (the CLI's main thread, the cockpit's loop and loader);
/// PostgresNIO is async. This waits for one async step, on a thread that is not one of the
/// concurrency pool's, which the step needs. A step is given a deadline: a server killed at the
/// wrong moment can leave a connection that never answers, and a command must not hang on it.
enum Blocking {
    struct TimedOut: Error { var seconds: Double }

    static func run<T: Sendable>(timeout: Double = 20, _ step: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        // On threads of its own, not the concurrency pool's: a process whose pool threads are all
        // blocked (on waits like this one: a test runner's, an agent's) would never run the step.
        let task = Task(executorPreference: BlockingExecutor.shared) {
            do { let value = try await step(); result.withLock { $0 = .success(value) } } catch { result.withLock { $0 = .failure(error) } }
            done.signal()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            throw TimedOut(seconds: timeout)
        }
        return try result.withLock { $0! }.get()
    }
}
/// Runs the store's async steps on Dispatch's threads, which grow when they block, instead of the
/// concurrency pool's, which do not.
final class BlockingExecutor: TaskExecutor {
    static let shared = BlockingExecutor()
    let queue = DispatchQueue(label: "golive.postgres.steps", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
#endif
