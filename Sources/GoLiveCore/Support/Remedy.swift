import Foundation

/// What the person can do about a refusal or a bad input, as data. The core says which remedy
/// applies; each front end says how, in its own words (a flag in the CLI, a key or a field in the
/// cockpit), so that no front end reads or rewrites the core's sentences.
public enum Remedy: Sendable, Equatable {
    /// The action needs a text the person left empty.
    case fillIn(Field)
    /// The outcome of the canary's last move is unknown: check the router, then reconcile it.
    case reconcileTheCanary
    /// Exposure is closed by the calendar: one of `roles` may break the glass.
    case breakTheGlass(roles: String)
    /// An advance needs more approvals: ask one of `approvers` to approve it.
    case askForApproval(approvers: [String], breakGlass: Bool)
    /// The operator's own approval needs their key at hand.
    case bringYourKey(operatorID: String)
    /// An ssh-agent runs but holds none of the operator's keys: add one to it.
    case addYourKeyToTheAgent
    /// No source of keys was given and none was found: name a key file or start an agent.
    case nameAKey
    /// The agent holds other operators' keys: sign with one that holds only your own.
    case useYourOwnAgent(operatorID: String)
    /// The acting name is not in the team: act as a member.
    case actAsATeamMember
    /// The session was opened read-only: nothing is written from it.
    case openWritable
    /// A question about the past was asked of what-if, which looks ahead: read the history.
    case lookBack
    /// Records were refused: a captain sets them aside with a reason before the store is trusted.
    case setAsideRefusedRecords

    /// A text an action needs, and an example of what to write in it.
    public enum Field: Sendable, Equatable {
        case reason(example: String)
        case note(example: String)
        case breakGlassReason(example: String)
    }
}
