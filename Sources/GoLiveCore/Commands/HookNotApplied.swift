import Foundation

/// The core accepted a traffic change but the actuator did not confirm it: reported like a refusal.
public struct HookNotApplied: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// The hook finished after its transition was reconciled or replaced (Outcome.lateResult).
    public static func late(_ hook: HookResult) -> HookNotApplied {
        HookNotApplied("the hook finished (\(hook.outcome.rawValue): \(hook.summary)) after its transition was reconciled or replaced; its result is journaled as late and not counted. Check the router, then the canary's status")
    }
}
