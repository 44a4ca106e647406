import Foundation

/// What changed between the configuration the journal adopted and the files on disk, file by
/// file, with the text of each change where both sides are text.
public struct ConfigDiff: Sendable, Equatable {
    public enum Change: String, Sendable { case unchanged, edited, created, deleted, newlyNamed = "newly named", noLongerNamed = "no longer named" }

    public struct Entry: Sendable, Equatable {
        public var path: String
        public var change: Change
        /// Unified-diff lines; empty when unchanged or when a side is kept by hash only.
        public var lines: [String]
        public var note: String?
    }

    public var entries: [Entry]

    public var isEmpty: Bool { entries.allSatisfy { $0.change == .unchanged } }

    public init(adopted: [ConfigFile], onDisk: [ConfigFile]) {
        let before = Dictionary(adopted.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(onDisk.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        entries = Set(before.keys).union(after.keys).sorted().map { path in
            let was = before[path], now = after[path]
            let change: Change
            switch (was, now) {
            case (nil, _): change = .newlyNamed
            case (_, nil): change = .noLongerNamed
            case let (w?, n?):
                change = w.sha256 == n.sha256 ? .unchanged
                    : n.sha256 == ConfigFile.absent ? .deleted : w.sha256 == ConfigFile.absent ? .created : .edited
            }
            guard change != .unchanged else { return Entry(path: path, change: change, lines: []) }
            let oldText = was.map { $0.sha256 == ConfigFile.absent ? "" : $0.text } ?? ""
            let newText = now.map { $0.sha256 == ConfigFile.absent ? "" : $0.text } ?? ""
            guard let oldText, let newText else {
                return Entry(path: path, change: change, lines: [],
                             note: "kept by hash only (not UTF-8 text, or larger than \(ConfigFile.textKeptUpTo / 1024) KiB): \(was?.sha256.prefix(12) ?? "none") → \(now?.sha256.prefix(12) ?? "none")")
            }
            return Entry(path: path, change: change, lines: LineDiff.unified(oldText, newText))
        }
    }
}
