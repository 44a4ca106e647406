import Foundation

/// What the core says to a command: the events to append, or why not (and what the person can do).
public enum Decision: Sendable {
    case accept([EventDraft])
    case refuse(Refusal)
}
