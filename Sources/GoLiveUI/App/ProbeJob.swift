import Foundation
import GoLiveCore

/// A probe on a background thread; the screen stays responsive and Esc can cancel it.
final class ProbeJob: Sendable {
    private let cancelledFlag = Locked(false)
    private let result = Locked<Result<ProbeOutcome, Error>?>(nil)
    let item: String

    /// Runs and records through the core's entry point, which refuses before the script runs.
    init(item: String, cockpit: Cockpit, actor: Actor) {
        self.item = item
        Thread.detachNewThread { [self] in
            let finished = Result { try cockpit.runProbe(id: item, as: actor, cancelled: { [self] in self.cancelled }).0 }
            result.withLock { $0 = finished }
        }
    }

    var cancelled: Bool { cancelledFlag.withLock { $0 } }
    func cancel() { cancelledFlag.withLock { $0 = true } }
    var outcome: Result<ProbeOutcome, Error>? { result.withLock { $0 } }
}
