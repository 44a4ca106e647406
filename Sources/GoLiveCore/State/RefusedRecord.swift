import Foundation

/// A record the judge refused (`RecordJudge`): kept in the journal, since the chain runs through
/// it, but never folded. While any stands, the store is UNTRUSTED from the first one's seq.
public struct RefusedRecord: Codable, Sendable, Equatable {
    public var seq: Int
    public var hash: String
    /// The record's kind as written (it may name no kind this golive knows).
    public var kind: String
    public var actor: String
    public var reason: String

    public init(seq: Int, hash: String, kind: String, actor: String, reason: String) {
        self.seq = seq
        self.hash = hash
        self.kind = kind
        self.actor = actor
        self.reason = reason
    }

    /// One line for every surface: "seq 150 (item.set by mallory): not signed …".
    public var summary: String { "seq \(seq) (\(kind) by \(SafeText.sanitize(actor))): \(reason)" }
}
