import Foundation

/// What a `journal.set_aside` record says: the refused records up to `through`, each by seq and
/// hash, and the side file that keeps their lines (its SHA-256), so the record shows what was set
/// aside and an auditor can check it.
public struct SetAside: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var seq: Int
        public var hash: String
    }

    public var through: Int
    public var records: [Entry]
    public var file: String
    public var sha256: String

    public init(through: Int, records: [Entry], file: String, sha256: String) {
        self.through = through
        self.records = records
        self.file = file
        self.sha256 = sha256
    }
}
