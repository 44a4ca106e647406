import Foundation

/// What the transition hook did. `applied` only on exit 0; `unknown` on timeout or crash.
public struct HookResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case applied, failed, unknown, none }
    public var outcome: Outcome
    public var summary: String
    public var exitCode: Int32?
    public var seconds: Double
    public var outputSha256: String?
    /// The first few KiB of the sanitised output, kept in the journal as evidence.
    public var output: String?
    public var processGroup: Int32?

    enum CodingKeys: String, CodingKey {
        case outcome, summary, seconds, output
        case exitCode = "exit_code"
        case outputSha256 = "output_sha256"
        case processGroup = "process_group"
    }
}
