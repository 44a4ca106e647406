import Foundation

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
    /// Set while the canary stands on a break-glass advance: its reason.
    public var breakGlass: String?
    /// Keys of alerts raised by time at the current stage, so each is raised once.
    public var alerted: [String]?
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
            return Format.percent(steps[step])
        case .held: return "held"
        default: return stage.rawValue
        }
    }

    /// "shadow", "1%", "5%": the step as approvals and the screen name it, looking through a hold.
    public func label(steps: [Double]) -> String { Self.label(stage: position, step: step, steps: steps) }
}
