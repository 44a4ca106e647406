import Foundation

/// An approval of one exposure increase, bound to the state it approved.
public struct CanaryApproval: Codable, Sendable, Equatable {
    public var by: String
    public var role: String
    public var from: String
    public var to: String
    public var stateSha256: String
    public var policySha256: String
    public var at: Date
    public var seq: Int
    public var note: String

    enum CodingKeys: String, CodingKey {
        case by, role, from, to, at, seq, note
        case stateSha256 = "state_sha256"
        case policySha256 = "policy_sha256"
    }
}

/// One traffic change: what it moves from and to, and to whom.
public struct CanaryTransition: Codable, Sendable, Equatable {
    public var id: String
    public var action: String
    public var from: String
    public var to: String
    public var stage: CanaryStage
    public var step: Int?
    public var exposurePct: Double
    public var cohort: [String]
    public var hook: String?
    public var reason: String?

    /// "planned → shadow", "1% → 5%": how alerts and refusals name it.
    public var title: String { "\(from) → \(to)" }

    enum CodingKeys: String, CodingKey {
        case id, action, from, to, stage, step, cohort, hook, reason
        case exposurePct = "exposure_pct"
    }
}

/// What the transition hook did. `applied` only on exit 0; `unknown` on timeout or crash.
public struct HookResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case applied, failed, unknown, none }
    public var outcome: Outcome
    public var summary: String
    public var exitCode: Int32?
    public var seconds: Double
    public var outputSha256: String?
    /// The first few KiB of the sanitised output, kept in the journal as evidence.
    public var output: String?
    public var processGroup: Int32?

    enum CodingKeys: String, CodingKey {
        case outcome, summary, seconds, output
        case exitCode = "exit_code"
        case outputSha256 = "output_sha256"
        case processGroup = "process_group"
    }
}

/// The canary, folded from the journal.
public struct CanaryState: Codable, Sendable, Equatable {
    public var stage: CanaryStage = .planned
    /// Index into the policy's steps while in (or held at) canary.
    public var step: Int?
    /// The live stage a hold paused.
    public var heldFrom: CanaryStage?
    public var holdReason: String?
    public var holdAuto = false
    public var exposurePct: Double = 0
    public var cohort: [String] = []
    public var stageSince: Date?
    public var shadowSince: Date?
    public var approvals: [CanaryApproval] = []
    /// A transition started and not yet settled: in flight, or of unknown outcome.
    public var pending: CanaryTransition?
    public var pendingSince: Date?
    public var pendingUnknown = false
    public var lastHook: HookResult?
    public var rollbackReason: String?
    public var transitions = 0

    public init() {}

    /// Whether anything about it moves with the clock: a shadow timer, a decision deadline, a hook in flight.
    public var hasTimers: Bool { position.isLive || pending != nil }

    /// The live stage this canary is at, looking through a hold.
    public var position: CanaryStage { stage == .held ? (heldFrom ?? .shadow) : stage }

    public static func label(stage: CanaryStage, step: Int?, steps: [Double]) -> String {
        switch stage {
        case .canary:
            guard let step, step < steps.count else { return "canary" }
            return Policy.percent(steps[step])
        case .held: return "held"
        default: return stage.rawValue
        }
    }

    /// "shadow", "1%", "5%": the step as approvals and the screen name it, looking through a hold.
    public func label(steps: [Double]) -> String { Self.label(stage: position, step: step, steps: steps) }
}
