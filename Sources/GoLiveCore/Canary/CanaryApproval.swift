import Foundation

/// An approval of one exposure increase, bound to the state it approved.
public struct CanaryApproval: Codable, Sendable, Equatable {
    public var by: String
    public var role: String
    public var from: String
    public var to: String
    public var stateSha256: String
    public var policySha256: String
    public var at: Date
    public var seq: Int
    public var note: String
    /// The fingerprint of the key that signed it (`SHA256:…`); nil when unsigned.
    public var key: String?
    /// Given for a break-glass advance: only these count toward one.
    public var breakGlass: Bool?

    enum CodingKeys: String, CodingKey {
        case by, role, from, to, at, seq, note, key
        case breakGlass = "break_glass"
        case stateSha256 = "state_sha256"
        case policySha256 = "policy_sha256"
    }
}
