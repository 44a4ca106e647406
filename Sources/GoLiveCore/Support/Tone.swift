import Foundation

/// How a line of status should strike its reader, decided where the status is decided: a front
/// end colours by it and never by the words (which change, and are translated into keys).
public enum Tone: Sendable, Equatable {
    case normal, heading, good, attention, bad
}

/// A line and its tone.
public struct TonedLine: Sendable, Equatable {
    public var text: String
    public var tone: Tone
    public init(_ text: String, _ tone: Tone = .normal) {
        self.text = text
        self.tone = tone
    }
}
