import Foundation

/// What the core says to a command: the events to append, or why not.
public enum Decision: Sendable {
    case accept([EventDraft])
    case refuse(String)
}
