import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One piece of work on a thread of its own, joined by `wait`. A command's read ahead starts
/// within microseconds this way; Dispatch's first worker took 1.5–4 ms to start (issue 14).
public final class BackgroundWork: @unchecked Sendable {
    private var thread: pthread_t?
    private let joined = Locked(false)

    private final class Body {
        let run: @Sendable () -> Void
        /// The parent's CPUs, taken back as soon as the thread runs; nil when it was not pinned.
        var cpus: golive_cpus?
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new thread; if none can be made, runs it here and now.
    public init(_ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        let work = Body(body)
        var all = golive_cpus()
        if golive_start_on_another_cpu(&attributes, &all) == 0 { work.cpus = all }
        let context = Unmanaged.passRetained(work).toOpaque()
        var made = pthread_t()
        let started = pthread_create(&made, &attributes, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            // Started elsewhere, then free: the scheduler may move it where there is room.
            if var cpus = body.cpus { golive_allow_cpus(&cpus) }
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
}
