import Foundation
import GoLiveCore

/// Another process's change is read on a thread of its own: at 2,000 items a reload takes tens of
/// milliseconds, and keys pressed meanwhile are answered on the screen there is (then redrawn
/// with the new data), never made to wait for it.
public final class DashboardLoader: Sendable {
    private let progress = Locked<(running: Bool, finished: Result<Dashboard, Error>?)>((false, nil))

    public init() {}

    public var isRunning: Bool { progress.withLock { $0.running } }

    /// Starts reading the store unless a read is already under way; the dashboard (gate, rows,
    /// summaries) is built on the same thread, as `operatorID` with the key `operatorKey`.
    public func start(_ cockpit: Cockpit, operatorID: String, operatorKey: String?) {
        let begin = progress.withLock { p -> Bool in
            guard !p.running else { return false }
            p.running = true
            return true
        }
        guard begin else { return }
        Thread.detachNewThread { [self] in
            let result = Result { Dashboard(readiness: try cockpit.readiness(), operatorID: operatorID, operatorKey: operatorKey) }
            progress.withLock { $0 = (false, result) }
        }
    }

    /// The finished read, once.
    public func take() -> Result<Dashboard, Error>? {
        progress.withLock { p in
            defer { p.finished = nil }
            return p.finished
        }
    }
}
