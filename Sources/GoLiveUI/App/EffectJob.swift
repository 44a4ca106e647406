import Foundation
import GoLiveCore

/// An effect that reads or writes the disk at length (an export of a million records took 7.6 s),
/// run on a thread of its own: the loop keeps answering keys and drawing, and takes the messages
/// the work leaves once it is done, as Bubble Tea's commands return messages.
final class EffectJob: Sendable {
    struct Done: Sendable {
        var events: [UIEvent]
        /// Whether the store may have changed, so the screen reads it again.
        var reload: Bool
    }

    private let done = Locked<Done?>(nil)

    init(_ work: @escaping @Sendable () -> Done) {
        Thread.detachNewThread { [done] in
            let finished = work()
            done.withLock { $0 = finished }
        }
    }

    /// The messages, once the work is done (nil until then).
    var finished: Done? { done.withLock { $0 } }
}
