import Foundation

/// A machine is a witness of the shared journal: it remembers the last head it saw the server
/// hold (`acknowledged.json` in its copy), and never silently goes back on it. If the server later
/// lacks that record, or holds another one at its seq (a deleted write, a rewritten and re-hashed
/// chain), the copy it had is kept as evidence, the divergence is written down (`diverged.json`),
/// and until a captain sets it aside every command on this machine says so and only hold and
/// rollback act.
extension Store {
    /// The head this machine saw the shared journal hold.
    public struct Acknowledged: Codable, Equatable, Sendable {
        public var seq: Int
        public var hash: String
        /// When this machine first saw it (nil in a file written before it was kept).
        public var at: String?
    }

    /// What this machine saw the server hold and the server no longer holds.
    public struct Divergence: Codable, Sendable, Equatable {
        /// The first and last seq this machine acknowledged that the server now lacks or holds otherwise.
        public var firstSeq: Int
        public var lastSeq: Int
        /// The hash this machine acknowledged at `lastSeq`.
        public var hash: String
        /// "deleted" (the server ends before them) or "rewritten" (it holds other records there).
        public var how: String
        /// Who wrote the records the server lost, as the copy has them.
        public var actors: [String]
        /// The server's head when it was found.
        public var serverSeq: Int
        public var foundAt: String
        /// The copy as this machine had it, kept in its folder.
        public var evidence: String

        /// The words every surface shows.
        public var summary: String {
            let seqs = firstSeq == lastSeq ? "seq \(firstSeq)" : "seqs \(firstSeq)-\(lastSeq)"
            let whose = actors.isEmpty ? "" : " (written by \(actors.map { SafeText.sanitize($0) }.joined(separator: ", ")))"
            return "this machine saw the server hold \(seqs)\(whose), and the server has since \(how == "deleted" ? "lost them (its journal ends at seq \(serverSeq))" : "rewritten them"); this machine's copy as it was is kept in \(evidence)"
        }

        /// How the judge's UNTRUSTED wording names it: a refused record of a kind no record has.
        var asRefused: RefusedRecord {
            RefusedRecord(seq: firstSeq, hash: hash, kind: Divergence.kind, actor: actors.joined(separator: ", "), reason: summary)
        }

        static let kind = "store.diverged"
    }

    var acknowledgedURL: URL { directory.appendingPathComponent("acknowledged.json") }
    var divergenceURL: URL { directory.appendingPathComponent("diverged.json") }

    func acknowledged() -> Acknowledged? { Store.read(Acknowledged.self, acknowledgedURL) }

    /// What this machine found the server no longer holds, until a captain sets it aside.
    public var divergence: Divergence? { shared == nil ? nil : Store.read(Divergence.self, divergenceURL) }

    static func read<T: Decodable>(_ type: T.Type, _ url: URL) -> T? {
        guard let (bytes, _) = SystemCall.readRegularFile(url.path, limit: 1 << 16) else { return nil }
        return try? JSONDecoder().decode(type, from: Data(bytes))
    }

    /// The state as this machine's commands must judge it: with a divergence, UNTRUSTED from its
    /// first seq (never written into state.json: it is this machine's finding, not the journal's).
    /// So is a copy whose server cannot be reached: what happened since its last seq is unknown.
    func witnessed(_ state: RolloutState) -> RolloutState {
        let why = offlineReason
        guard let d = divergence else {
            guard let why else { return state }
            var s = state
            s.refused.append(RefusedRecord(seq: state.seq + 1, hash: "", kind: Store.unreachableKind, actor: "the server",
                                           reason: "the shared store cannot be reached (\(why)); this is this machine's copy as of seq \(state.seq), and what was written since is unknown"))
            return s
        }
        var s = state
        s.refused.insert(d.asRefused, at: s.refused.firstIndex { $0.seq > d.firstSeq } ?? s.refused.endIndex)
        return s
    }

    static let unreachableKind = "store.unreachable"

    /// Writes the acknowledged head when it moved.
    func acknowledge(_ head: Journal.LineHead?) throws {
        guard let head else { return }
        if let kept = acknowledged(), kept.seq == head.seq, kept.hash == head.hash { return }
        let ack = Acknowledged(seq: head.seq, hash: head.hash, at: Timestamp.format(Date()))
        try writeAtomically(try JSONEncoder().encode(ack), to: acknowledgedURL)
    }

    /// Whether the shared journal still holds the acknowledged head. When it does not, the copy
    /// is moved aside as evidence and the divergence written down; the caller then fetches the
    /// server's journal whole.
    func witness(_ ack: Acknowledged, _ fetch: (Int) throws -> [[UInt8]]) throws -> Bool {
        let there = try fetch(ack.seq).first.flatMap(Store.head(of:))
        if there?.seq == ack.seq && there?.hash == ack.hash { return true }
        var server: [Int: String] = [:]
        var serverSeq = 0
        for h in try fetch(0).compactMap(Store.head(of:)) {
            server[h.seq] = h.hash
            serverSeq = max(serverSeq, h.seq)
        }
        // The copy's records up to the acknowledged head: the first that the server lacks or holds
        // otherwise starts the divergence.
        var first: Int?
        var actors: [String] = []
        if let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) {
            defer { SystemCall.closeFile(fd) }
            var reader = LineReader(fd: fd, path: journalURL.path)
            try reader.forEachLine { line, _ in
                guard let h = Journal.head(of: line) else { return true }
                if h.seq > ack.seq { return false }
                if first == nil, server[h.seq] != h.hash { first = h.seq }
                if first != nil, let actor = try? EventDecoder.decode(line).actor, !actors.contains(actor) { actors.append(actor) }
                return true
            }
        }
        let stamp = Timestamp.format(Date())
        let evidence = "journal.diverged-\(stamp.replacingOccurrences(of: ":", with: "")).jsonl"
        let start = first ?? min(ack.seq, serverSeq + 1)
        let d = Divergence(firstSeq: start, lastSeq: ack.seq, hash: ack.hash, how: start > serverSeq ? "deleted" : "rewritten",
                           actors: actors, serverSeq: serverSeq, foundAt: stamp, evidence: evidence)
        if FileManager.default.fileExists(atPath: journalURL.path) {
            try FileManager.default.moveItem(at: journalURL, to: directory.appendingPathComponent(evidence))
        }
        // The checkpoint of a head the server lost goes with the evidence (it proves the loss).
        if FileManager.default.fileExists(atPath: witnessCheckpointURL.path) {
            try FileManager.default.moveItem(at: witnessCheckpointURL, to: directory.appendingPathComponent(evidence.replacingOccurrences(of: "journal.", with: "checkpoint.").replacingOccurrences(of: ".jsonl", with: ".json")))
        }
        SystemCall.removeFile(snapshotURL.path)
        lastLoaded.withLock { $0 = nil }
        knownOffsets.withLock { $0 = [:] }
        knownLengths.withLock { $0 = [:] }
        // A divergence found earlier and not yet set aside stays the one shown: it is the older loss.
        if divergence == nil {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeAtomically(try encoder.encode(d), to: divergenceURL)
        }
        return false
    }

    /// The records a divergence names, as this machine's kept copy has them.
    func divergedLines(_ d: Divergence) throws -> [[UInt8]] {
        let url = directory.appendingPathComponent(d.evidence)
        guard let fd = try SystemCall.openIfPresent(url.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        var out: [[UInt8]] = []
        var reader = LineReader(fd: fd, path: url.path)
        try reader.forEachLine { line, _ in
            guard let h = Journal.head(of: line) else { return true }
            if h.seq >= d.firstSeq && h.seq <= d.lastSeq { out.append(Array(line)) }
            return h.seq < d.lastSeq
        }
        return out
    }

    /// What a machine's copy at `copy` holds as a witness, for `audit verify --store`: an open
    /// divergence, and the head it acknowledged (which the fetched journal must still extend).
    public static func witnessed(copy: URL) -> (divergence: Divergence?, acknowledged: Acknowledged?) {
        let store = Store(directory: copy)
        return (read(Divergence.self, store.divergenceURL), store.acknowledged())
    }

    /// The checkpoint of the last head this machine wrote and saw committed, kept in its copy:
    /// signed when the writer's key signs unattended, so that `audit verify --store` from this
    /// machine proves the server still holds what it acknowledged, by someone's signature.
    public var witnessCheckpointURL: URL { directory.appendingPathComponent("checkpoint.json") }

    func keepWitnessCheckpoint(_ encoded: Data) throws {
        try writeAtomically(encoded, to: witnessCheckpointURL)
    }

    /// After a captain's set-aside: the divergence is settled (its evidence file stays).
    func settleDivergence() {
        SystemCall.removeFile(divergenceURL.path)
    }
}
