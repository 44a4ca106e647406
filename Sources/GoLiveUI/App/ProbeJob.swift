import Foundation
import GoLiveCore

/// A probe on a background thread; the screen stays responsive and Esc can cancel it.
final class ProbeJob: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelledFlag = false
    private var result: ProbeOutcome?
    let item: String

    init(item: String, spec: ProbeSpec, directory: URL) {
        self.item = item
        Thread.detachNewThread { [self] in
            let outcome = ProbeRunner.run(spec, in: directory, cancelled: { [self] in self.cancelled })
            lock.withLock { result = outcome }
        }
    }

    var cancelled: Bool { lock.withLock { cancelledFlag } }
    func cancel() { lock.withLock { cancelledFlag = true } }
    var outcome: ProbeOutcome? { lock.withLock { result } }
}
