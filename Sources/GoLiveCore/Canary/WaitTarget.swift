import Foundation

/// What `golive wait --until` waits for, judged on one readiness at a time.
public enum WaitTarget: Sendable, Equatable {
    case ready
    /// "shadow" or a policy step such as "1%": reached once the canary is there or further along.
    case stage(String)
    case completed
    case held

    public static let examples = "ready, stage=shadow, stage=1%, completed or held"

    public init(parsing text: String, policy: Policy) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "ready": self = .ready
        case "completed": self = .completed
        case "held": self = .held
        default:
            guard t.hasPrefix("stage=") else { throw InputError("cannot wait --until '\(text)'; expected \(Self.examples)") }
            let stage = String(t.dropFirst(6))
            let steps = ["shadow"] + policy.canary.steps.map(Format.percent)
            guard steps.contains(stage) else {
                throw InputError("the policy has no stage '\(stage)'; its stages are \(steps.joined(separator: ", ")) (canary.steps)")
            }
            self = .stage(stage)
        }
    }

    public var text: String {
        switch self {
        case .ready: return "ready"
        case let .stage(s): return "stage=\(s)"
        case .completed: return "completed"
        case .held: return "held"
        }
    }

    public enum Standing: Sendable, Equatable {
        case reached
        /// Held or rolled back while waiting for the canary to move on.
        case stopped(String)
        /// The configuration changed outside the journal: no verdict on it is the adopted one.
        case refused(String)
        case waiting
    }

    public func standing(_ r: Readiness, verdict: GateVerdict) -> Standing {
        if let change = r.configurationChange { return .refused(change) }
        let canary = r.state.canary, steps = r.config.policy.canary.steps
        switch self {
        case .ready: return verdict.ready ? .reached : .waiting
        case .held: return canary.stage == .held ? .reached : canary.stage == .rolledBack ? .stopped("rolled back: \(canary.rollbackReason ?? "")") : .waiting
        case .stage, .completed:
            if case .completed = self, canary.stage == .completed { return .reached }
            if case let .stage(label) = self, Self.rank(canary, steps) >= Self.rank(label: label, steps), canary.stage != .rolledBack {
                return .reached
            }
            if canary.stage == .held { return .stopped("held at \(canary.label(steps: steps)): \(canary.holdReason ?? "")") }
            if canary.stage == .rolledBack { return .stopped("rolled back: \(canary.rollbackReason ?? "")") }
            return .waiting
        }
    }

    /// How far along the track a canary is: shadow 1, each step 2…, completed past the last.
    static func rank(_ canary: CanaryState, _ steps: [Double]) -> Int {
        switch canary.position {
        case .shadow: return 1
        case .canary: return 2 + (canary.step ?? 0)
        case .completed: return 2 + steps.count
        default: return 0
        }
    }

    static func rank(label: String, _ steps: [Double]) -> Int {
        label == "shadow" ? 1 : 2 + (steps.map(Format.percent).firstIndex(of: label) ?? steps.count)
    }
}
