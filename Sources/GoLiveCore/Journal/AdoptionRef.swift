import Foundation

/// Which adoption a `config.adopted` record follows: so that the adoptions behind a snapshot can
/// be walked back and each judged by the one before it, without folding the journal.
public struct AdoptionRef: Codable, Sendable, Equatable {
    public var seq: Int
    public var sha256: String

    public init(seq: Int, sha256: String) {
        self.seq = seq
        self.sha256 = sha256
    }
}
