import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One piece of work on a thread of its own, joined by `wait`. A command's read ahead starts
/// within microseconds this way; Dispatch's first worker took 1.5–4 ms to start (issue 14). The
/// thread is not pinned to another CPU: pinned for its whole life, pinned only to start, or not
/// at all measured the same within 1 ms on 2 CPUs, idle or with both busy (issue 28; the table
/// is in ARCHITECTURE.md), so the scheduler decides.
public final class BackgroundWork: @unchecked Sendable {
    private var thread: pthread_t?
    private let joined = Locked(false)

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new thread; if none can be made, runs it here and now.
    public init(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var made = pthread_t()
        let started = pthread_create(&made, nil, { raw in
            SystemCall.adviseThisThreadsHeapHuge()
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        if started == 0 {
            thread = made
        } else {
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
        }
    }

    /// Returns once the work is done (at once the second time).
    public func wait() {
        let first = joined.withLock { done -> Bool in defer { done = true }; return !done }
        if first, let thread { pthread_join(thread, nil) }
    }

    /// `body` over the first half of `0..<count` on a thread of its own and over the second half
    /// here, joined: the one way the fold, the items and the definitions use both cores.
    public static func inHalves<T>(_ count: Int, _ body: @escaping @Sendable (Range<Int>) -> T) -> (first: T, second: T) {
        let half = count / 2
        let first = Locked<T?>(nil)
        let work = BackgroundWork { first.withLock { $0 = body(0..<half) } }
        let second = body(half..<count)
        work.wait()
        return (first.withLock { $0 }!, second)
    }
}
