import Foundation
import GoLiveCore

/// A probe on a background thread; the screen stays responsive and Esc can cancel it.
final class ProbeJob: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelledFlag = false
    private var result: Result<ProbeOutcome, Error>?
    let item: String

    /// Runs and records through the core's entry point, which refuses before the script runs.
    init(item: String, cockpit: Cockpit, actor: Actor) {
        self.item = item
        Thread.detachNewThread { [self] in
            let finished = Result { try cockpit.runProbe(id: item, as: actor, cancelled: { [self] in self.cancelled }).0 }
            lock.withLock { result = finished }
        }
    }

    var cancelled: Bool { lock.withLock { cancelledFlag } }
    func cancel() { lock.withLock { cancelledFlag = true } }
    var outcome: Result<ProbeOutcome, Error>? { lock.withLock { result } }
}
