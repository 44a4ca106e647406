import Foundation
import GoLiveCore

/// Another process's change is read on a thread of its own: at 2,000 items a reload takes tens of
/// milliseconds, and keys pressed meanwhile are answered on the screen there is (then redrawn
/// with the new data), never made to wait for it.
public final class DashboardLoader: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var finished: Result<Dashboard, Error>?

    public init() {}

    public var isRunning: Bool { lock.withLock { running } }

    /// Starts reading the store unless a read is already under way; the dashboard (gate, rows,
    /// summaries) is built on the same thread, as `operatorID` with the key `operatorKey`.
    public func start(_ cockpit: Cockpit, operatorID: String, operatorKey: String?) {
        let begin = lock.withLock { () -> Bool in
            guard !running else { return false }
            running = true
            return true
        }
        guard begin else { return }
        Thread.detachNewThread { [self] in
            let result = Result { Dashboard(readiness: try cockpit.readiness(), operatorID: operatorID, operatorKey: operatorKey) }
            lock.withLock {
                finished = result
                running = false
            }
        }
    }

    /// The finished read, once.
    public func take() -> Result<Dashboard, Error>? {
        lock.withLock {
            defer { finished = nil }
            return finished
        }
    }
}
