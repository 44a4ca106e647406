import Foundation

/// What a person must hear about without watching a screen.
public enum AlertKind: String, Sendable, CaseIterable, Codable {
    case gateLost = "gate_lost"
    case block
    case autoHold = "auto_hold"
    case decisionOverdue = "decision_overdue"
    case unknownOutcome = "unknown_outcome"
    case breakGlass = "break_glass"
    case rollback

    /// What the person alerted should do next.
    public var next: String {
        switch self {
        case .gateLost: return "see which requirements failed (golive gate); hold or roll back if it does not recover"
        case .block: return "a block condition fired on live traffic: roll back (golive canary rollback --reason …) or hold now"
        case .autoHold: return "find why the gate was lost (golive gate), fix it, then golive canary resume, or roll back"
        case .decisionOverdue: return "decide the current stage: golive canary advance, hold or rollback"
        case .unknownOutcome: return "check the router, then golive canary reconcile --applied or --not-applied"
        case .breakGlass: return "review the break-glass reason and who approved it; the advance went outside the release calendar"
        case .rollback: return "confirm traffic is back to 0% (the hook's output is in the journal); open an incident if needed"
        }
    }
}
