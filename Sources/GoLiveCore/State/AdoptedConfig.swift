import Foundation

/// The configuration the journal last adopted (`config.adopted`): its digest, and each file's hash
/// so that a drift can be named file by file. The texts stay in the record; the state keeps only
/// what every command needs to compare with the files on disk.
public struct AdoptedConfig: Codable, Sendable, Equatable {
    public var sha256: String
    public var seq: Int
    public var by: String
    public var at: Date
    /// path → SHA-256 ("absent" for a named file that did not exist).
    public var files: [String: String]
}
