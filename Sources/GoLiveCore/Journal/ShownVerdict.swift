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

    public init(_ v: GateVerdict, surface: String) {
        ready = v.ready
        unmet = v.unmet.map(\.name)
        blocks = v.blocks.map(\.name)
        signoffsMissing = v.signoffsMissing.count
        policySha256 = v.policySha256
        stateSha256 = v.stateSha256
        self.surface = surface
    }

    enum CodingKeys: String, CodingKey {
        case ready, unmet, blocks, surface
        case signoffsMissing = "signoffs_missing"
        case policySha256 = "policy_sha256"
        case stateSha256 = "state_sha256"
    }
}
