import Foundation

/// One file the configuration is made of (rollout.yaml, the policy, a hook or probe script), as it
/// is adopted into the journal: the path the configuration names it by, its hash, and its text, so
/// that an auditor can read the configuration a decision was made under and `config diff` can show
/// what changed since.
public struct ConfigFile: Codable, Sendable, Equatable {
    public var path: String
    /// "absent" when the configuration names a file that does not exist.
    public var sha256: String
    public var size: Int
    /// Nil for a script that is not UTF-8 text or is larger than `textKeptUpTo`: kept by hash only.
    /// rollout.yaml and the policy are always kept: the configuration in force is parsed from them.
    public var text: String?

    /// Scripts can be compiled binaries; a journal record holds text a person can read.
    public static let textKeptUpTo = 256 * 1024
    public static let absent = "absent"

    public init(path: String, bytes: Data?, alwaysText: Bool = false) {
        self.path = path
        guard let bytes else {
            sha256 = Self.absent
            size = 0
            return
        }
        sha256 = Digest.sha256Hex(bytes)
        size = bytes.count
        text = alwaysText || bytes.count <= Self.textKeptUpTo ? String(data: bytes, encoding: .utf8) : nil
    }

    /// As read from a record (JSONReader.configFiles).
    init(path: String, sha256: String, size: Int, text: String?) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.text = text
    }

    /// A text file whose digest the caller has already computed.
    init(path: String, bytes: Data, sha256: String, text: String) {
        self.path = path
        self.sha256 = sha256
        size = bytes.count
        self.text = text
    }

    /// The configuration's digest: what approvals and verdicts bind to and what the journal
    /// records as adopted. It names every file by path and hash, so replacing a script behind the
    /// configuration changes it as much as editing the policy does.
    public static func digest(_ files: [ConfigFile]) -> String {
        let lines = files.sorted { $0.path < $1.path }.map { "\($0.path)\t\($0.sha256)\n" }.joined()
        return Digest.sha256Hex(Data(lines.utf8))
    }

    /// Whether the recorded text is the text the hash names (a record's files are checked before
    /// their text is believed).
    public var textMatchesHash: Bool {
        guard let text else { return true }
        return Digest.sha256Hex(Data(text.utf8)) == sha256
    }
}
