import Foundation

/// What an operator can ask of the canary. `Command.canary` carries these to `Cockpit.perform`.
public enum CanaryAction: Sendable, Equatable {
    case enterShadow
    /// Approve the next exposure increase, as it stands now.
    /// `breakGlass`: the approver agrees to an increase the calendar refuses (see `break_glass`).
    case approve(note: String, breakGlass: Bool = false)
    /// Increase exposure to the next step. `cohort` nil means smallest tenants first up to the step.
    /// `breakGlass`: why exposure must increase outside the windows or in a freeze.
    case advance(cohort: [String]?, breakGlass: String? = nil)
    case hold(reason: String)
    /// Resume a held canary; `reason`: why it is safe to go on (what the hold was about).
    case resume(reason: String)
    case rollback(reason: String)
    /// Settle a transition whose hook outcome is unknown: did the change reach the traffic or not?
    case reconcile(applied: Bool, note: String)
    case complete

    public var name: String {
        switch self {
        case .enterShadow: return "shadow"
        case .approve: return "approve"
        case .advance: return "advance"
        case .hold: return "hold"
        case .resume: return "resume"
        case .rollback: return "rollback"
        case .reconcile: return "reconcile"
        case .complete: return "complete"
        }
    }
}
