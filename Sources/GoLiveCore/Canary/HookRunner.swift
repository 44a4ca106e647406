import Foundation

/// How a transition's hook is run. The real one starts the command from rollout.yaml
/// (TransitionHook); tests inject an answer, so they drive the real `Cockpit.perform` without
/// spawning a process for each of thousands of transitions.
public struct HookRunner: Sendable {
    public struct Request: Sendable {
        public var transition: CanaryTransition
        public var command: String
        public var store: Store
        public var config: RolloutConfig
        public var operatorID: String
        public var timeoutSeconds: Double
    }

    public let run: @Sendable (Request) -> HookResult

    public init(run: @escaping @Sendable (Request) -> HookResult) { self.run = run }

    public static let process = HookRunner { request in
        TransitionHook.run(request.transition, command: request.command, store: request.store, config: request.config,
                           operatorID: request.operatorID, timeoutSeconds: request.timeoutSeconds)
    }
}
