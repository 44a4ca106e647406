import Foundation

/// What a live canary needs someone to look at now.
public struct CanaryAlert: Sendable, Equatable {
    public enum Kind: String, Sendable { case notReady, block, deadline, unknownOutcome, inFlight }
    public var kind: Kind
    public var text: String
}
