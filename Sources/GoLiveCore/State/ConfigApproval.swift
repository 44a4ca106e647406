import Foundation

/// One person's consent to a proposed configuration (`config.proposed` counts as its proposer's):
/// bound to the proposal's digest and to the configuration in force it changes, so a consent
/// given against one base never carries over to another.
public struct ConfigApproval: Codable, Sendable, Equatable {
    public var by: String
    /// The fingerprint of the key that signed it, in a signed rollout: keys are people, names are not.
    public var key: String?
    /// The digest of the configuration in force when it was given.
    public var base: String
    /// The digest of the proposed configuration.
    public var digest: String
    public var seq: Int
    public var at: Date
    /// True for the proposal itself.
    public var proposal: Bool
}
