import Foundation

/// The gist of a verdict as shown: enough for an auditor to see what the operator was told.
public struct ShownVerdict: Codable, Sendable, Equatable {
    public var ready: Bool
    public var unmet: [String]
    public var blocks: [String]
    public var signoffsMissing: Int
    public var policySha256: String
    public var stateSha256: String
    public var surface: String

    public init(ready: Bool, unmet: [String], blocks: [String], signoffsMissing: Int, policySha256: String, stateSha256: String, surface: String) {
        self.ready = ready
        self.unmet = unmet
        self.blocks = blocks
        self.signoffsMissing = signoffsMissing
        self.policySha256 = policySha256
        self.stateSha256 = stateSha256
        self.surface = surface
    }

    enum CodingKeys: String, CodingKey {
        case ready, unmet, blocks, surface
        case signoffsMissing = "signoffs_missing"
        case policySha256 = "policy_sha256"
        case stateSha256 = "state_sha256"
    }
}
