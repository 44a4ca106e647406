import Foundation

public enum EventKind: String, Codable, Sendable, CaseIterable {
    case rolloutInitialized = "rollout.initialized"
    case itemSet = "item.set"
    case itemEvidence = "item.evidence"
    case itemWaived = "item.waived"
    case contourSignedOff = "contour.signed_off"
    case actionRefused = "action.refused"
    case journalRepaired = "journal.repaired"
    case sessionStarted = "session.started"
    case sessionEnded = "session.ended"
    /// What the operator was told, not only what changed.
    case gateShown = "gate.shown"
    case canaryApproved = "canary.approved"
    /// A traffic change was decided and its hook is about to run: the change is in flight.
    case canaryTransitionStarted = "canary.transition_started"
    case canaryTransitionDone = "canary.transition_done"
    /// The hook said no (non-zero exit): the canary stays where it was.
    case canaryTransitionFailed = "canary.transition_failed"
    /// The hook timed out or crashed: nobody knows whether traffic moved.
    case canaryOutcomeUnknown = "canary.outcome_unknown"
    case canaryReconciled = "canary.reconciled"
    /// A hook finished after its transition was reconciled or replaced: kept, never folded.
    case canaryResultLate = "canary.result_late"
    case canaryHeld = "canary.held"
    case canaryResumed = "canary.resumed"
    /// The configuration's files (texts and hashes) became the ones decisions are made under.
    case configAdopted = "config.adopted"
    /// A configuration that loosens what the canary rests on, put to the team: not in force until
    /// enough distinct people approve it (`config.approved`) and a captain adopts it.
    case configProposed = "config.proposed"
    case configApproved = "config.approved"
    /// A what-if question and its answer, journaled only when asked (`golive what-if --record`).
    case whatIfAsked = "what_if.asked"
    /// An alert raised (before its commands run), and one route's delivery of it.
    case alertRaised = "alert.raised"
    case alertDelivered = "alert.delivered"
    /// Records the judge refused, set aside by a captain: kept in a side file with their hashes.
    case journalSetAside = "journal.set_aside"

    /// Events that change readiness; sessions, shown verdicts and refusals only record.
    public var changesReadiness: Bool {
        switch self {
        case .rolloutInitialized, .itemSet, .itemEvidence, .itemWaived, .contourSignedOff, .configAdopted: return true
        default: return false
        }
    }

    /// Events that change an input of the readiness verdict as recorded: a result, a waiver, a
    /// sign-off, the configuration. A note (`item.evidence`) is commentary: it reaches the
    /// verdict only by making a required sign-off stale, which the verdict's state hash takes
    /// from the sign-offs' standing (Readiness.stateHash), so approvals survive notes.
    public var movesVerdictInputs: Bool { changesReadiness && self != .itemEvidence }

    /// Events the canary's fold takes (RolloutState.apply hands them to CanaryState.apply).
    public var movesCanary: Bool {
        switch self {
        case .canaryApproved, .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed,
             .canaryOutcomeUnknown, .canaryReconciled, .canaryHeld, .canaryResumed, .alertRaised: return true
        default: return false
        }
    }
}
