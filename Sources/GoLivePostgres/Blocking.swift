import Dispatch
import GoLiveCore

/// The store is called from plain threads (the CLI's main thread, the cockpit's loop and loader);
/// PostgresNIO is async. This waits for one async step, on a thread that is not one of the
/// concurrency pool's, which the step needs.
enum Blocking {
    static func run<T: Sendable>(_ step: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { let value = try await step(); result.withLock { $0 = .success(value) } } catch { result.withLock { $0 = .failure(error) } }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
