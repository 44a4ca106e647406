import Foundation
import GoLiveCore

/// A canary action on a background thread: its hook may take up to the policy's timeout, and the
/// screen keeps drawing meanwhile. Not cancellable: a hook stopped half way is an unknown outcome.
final class TransitionJob: Sendable {
    private let finished = Locked<(Failure?, HookResult?)?>(nil)
    let success: String

    init(cockpit: Cockpit, action: CanaryAction, actor: Actor, success: String, expecting: SeenState? = nil) {
        self.success = success
        Thread.detachNewThread { [self] in
            var hook: HookResult?
            let error = CockpitApp.describe {
                let outcome = try cockpit.perform(.canary(action), as: actor, expecting: expecting)
                hook = outcome.hook
                if outcome.lateResult, let late = outcome.hook { throw HookNotApplied.late(late) }
            }
            finished.withLock { [hook] in $0 = (error, hook) }
        }
    }

    var result: (error: Failure?, hook: HookResult?)? { finished.withLock { $0.map { ($0.0, $0.1) } } }
}
