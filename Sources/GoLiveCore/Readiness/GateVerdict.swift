import Foundation

public struct GateVerdict: Codable, Sendable, Equatable {
    public var ready: Bool
    public var unmet: [ConditionResult]
    public var blocks: [ConditionResult]
    public var met: [String]
    public var signoffsMissing: [String]
    /// Required items that are failed or open but that no condition of the policy names: shown so
    /// that nobody takes them for met, and not a reason the gate is closed.
    public var notGating: [Finding] = []
    public var policySha256: String
    public var stateSha256: String
    public var journalSeq: Int
    public var evaluatedAt: Date

    /// The number of separate reasons the gate is closed.
    public var reasonCount: Int { unmet.count + blocks.count + signoffsMissing.count }

    /// Every reason the gate is closed, in one line's words: unmet requirements, blocks, sign-offs.
    public var reasons: [String] { unmet.map(\.name) + blocks.map { "block \($0.name)" } + signoffsMissing }

    enum CodingKeys: String, CodingKey {
        case ready, unmet, blocks, met
        case signoffsMissing = "signoffs_missing"
        case notGating = "not_gating"
        case policySha256 = "policy_sha256"
        case stateSha256 = "state_sha256"
        case journalSeq = "journal_seq"
        case evaluatedAt = "evaluated_at"
    }
}
