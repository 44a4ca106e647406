import Foundation

/// An event before it is written: the journal gives it its place (seq, prev, hash) and time.
public struct EventDraft: Sendable {
    public var kind: EventKind
    public var data: EventData
    /// Signs the record's bytes (see `Journal.signedPayload`) and returns the SSHSIG blob in
    /// base64; set on decisions in a signed rollout, called by the journal as it writes the line.
    public var sign: (@Sendable ([UInt8]) throws -> String)?
    public init(_ kind: EventKind, _ data: EventData) {
        self.kind = kind
        self.data = data
    }
}
