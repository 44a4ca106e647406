import Foundation

/// An event before it is written: the journal gives it its place (seq, prev, hash) and time.
public struct EventDraft: Sendable {
    public var kind: EventKind
    public var data: EventData
    public init(_ kind: EventKind, _ data: EventData) {
        self.kind = kind
        self.data = data
    }
}
