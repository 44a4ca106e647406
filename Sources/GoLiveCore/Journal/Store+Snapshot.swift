import Foundation

/// state.json: its header, the proof that the journal vouches for it, and its writing.
extension Store {
    /// state.json, format 9 (2 kept every evidence entry; 3 had no result time; 4 kept three; 5 was
    /// not judged; 6 moved readinessHead on notes; 7 had no itemRevisions; 8 held its items in the
    /// state): a header line (format, seq, offset, the state's length), the state's JSON with the
    /// fields that depend on record hashes left blank and its items replaced by the table of their
    /// pieces, then each piece on a line of its own (`SnapshotPieceFile`). The last record of the
    /// write that made it commits to the SHA-256 of exactly the state's bytes (`state_digest`), and
    /// the state to each piece's, so the snapshot is believed only when the journal vouches for it,
    /// and checking that costs one hash of the state and one of each piece read, not a rebuild.
    struct SnapshotHeader: Codable {
        var format: Int
        var seq: Int
        var offset: Int
        /// How many bytes the state is, after the header's newline (the pieces follow it).
        var stateLength: Int?
        /// Where the adoption in force lies in the journal ([seq, offset], and its length when
        /// known): a hint, outside the digest, checked before use. Without it every command bisects a journal whose adoption
        /// record is a megabyte of rollout.yaml at 8,000 items, crossing that record on the way.
        var hintAdoption: [Int]?

        enum CodingKeys: String, CodingKey {
            case format, seq, offset
            case stateLength = "state_length"
            case hintAdoption = "hint_adoption"
        }

        init(format: Int, seq: Int, offset: Int, stateLength: Int? = nil, hintAdoption: [Int]? = nil) {
            self.format = format
            self.seq = seq
            self.offset = offset
            self.stateLength = stateLength
            self.hintAdoption = hintAdoption
        }

        /// A hint that does not read is no hint: state.json is still proven and used.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            format = try c.decode(Int.self, forKey: .format)
            seq = try c.decode(Int.self, forKey: .seq)
            offset = try c.decode(Int.self, forKey: .offset)
            stateLength = try c.decodeIfPresent(Int.self, forKey: .stateLength)
            hintAdoption = try? c.decodeIfPresent([Int].self, forKey: .hintAdoption)
        }
    }

    struct SnapshotFile {
        var header: SnapshotHeader
        var stateBytes: ArraySlice<UInt8>
        /// state.json, open: its pieces are read from it as their items are asked for.
        var file: SnapshotPieceFile.Opened
        /// Where the first piece starts.
        var piecesStart: Int
    }

    struct ProofFailure: Error { var message: String }

    /// The snapshot's state, if the record it claims to follow commits to exactly its bytes.
    func prove(_ snap: SnapshotFile, fd: Int32) -> Result<RolloutState, ProofFailure> {
        let end = snap.header.offset
        guard end > 0, let size = try? SystemCall.sizeOf(fd, path: journalURL.path), end <= size else {
            return .failure(ProofFailure(message: "it claims a journal position (\(end)) the journal does not have"))
        }
        // The record at the snapshot's position and the few before it (its write's other records).
        let window = min(end, 256 * 1024)
        guard let bytes = try? SystemCall.readExactly(fd, count: window, at: end - window, path: journalURL.path), bytes.last == 0x0a else {
            return .failure(ProofFailure(message: "its journal position is not the end of a record"))
        }
        // Its lines from the last back, each checked only when it is the one looked for: hashing
        // the whole window's records was a tenth of reading the state.
        var lines: [ArraySlice<UInt8>] = []
        var lineEnd = bytes.count - 1
        func line(_ k: Int) -> ArraySlice<UInt8>? {
            while lines.count <= k {
                guard lineEnd >= 0 else { return nil }
                let start = bytes[..<lineEnd].lastIndex(of: 0x0a).map { $0 + 1 }
                // The window's first piece may be cut: a line counts only from a newline or the journal's start.
                guard let from = start ?? (window == end ? 0 : nil) else { return nil }
                lines.append(bytes[from..<lineEnd])
                lineEnd = from - 1
            }
            return lines[k]
        }
        func verified(_ line: ArraySlice<UInt8>) -> Journal.LineHead? {
            guard let head = line.withUnsafeBufferPointer({ Journal.head(of: $0) }), line.withUnsafeBufferPointer({ Journal.hashMatches($0) }) else { return nil }
            return head
        }
        guard let last = line(0), let head = verified(last), head.seq == snap.header.seq else {
            return .failure(ProofFailure(message: "the record at its position is not seq \(snap.header.seq) or does not verify"))
        }
        let record = (hash: head.hash, line: last)
        guard let event = try? record.line.withUnsafeBufferPointer({ try EventDecoder.decode($0) }) else {
            return .failure(ProofFailure(message: "the record at its position cannot be read"))
        }
        guard let committed = event.data.stateDigest, !committed.isEmpty else {
            return .failure(ProofFailure(message: "the journal commits to no state at seq \(snap.header.seq) (written by an older golive)"))
        }
        // The adoption it names is judged on another core while its bytes are hashed and its
        // items located: neither needs the other, and each was a third of a write at 8,000 items.
        // What is judged there counts only if the proven state names that same adoption.
        let judged = Locked<AdoptionJudgement?>(nil)
        let judging = SnapshotDecoder.adoptedConfig(in: snap.stateBytes).map { adopted in
            // Its kept parse is read meanwhile on a third thread, believed only once judged.
            if let rollout = adopted.files["rollout.yaml"] { ParsedConfigCache.readAhead(rollout: rollout) }
            return BackgroundWork { [self] in
                let judgement = AdoptionJudgement(adopted, in: self)
                judged.withLock { $0 = judgement }
            }
        }
        defer { judging?.wait() }
        guard committed == Digest.sha256Hex(snap.stateBytes) else {
            return .failure(ProofFailure(message: "its content differs from the state the journal committed to at seq \(snap.header.seq)"))
        }
        // Where the pieces end, as the state lists them: each a line of its listed length.
        let listedEnd = Locked<Int?>(nil)
        let pieces = { (table: [(length: Int, digest: String)]) in
            listedEnd.withLock { $0 = table.reduce(snap.piecesStart) { $0 + $1.length + 1 } }
            return ItemStates(pieces: SnapshotPieceFile(snap.file, start: snap.piecesStart, table: table))
        }
        guard var state = try? SnapshotDecoder.decode(inPieces: snap.stateBytes, pieces: pieces), state.seq == snap.header.seq else {
            return .failure(ProofFailure(message: "its state cannot be read"))
        }
        // A file of another size is not as written (a piece cut, or edited to another length): the
        // pieces after it no longer lie where they are listed, and a save, which copies them from
        // there, would fail at every write. Not believed, it is rebuilt and the next write saves one.
        if let end = listedEnd.withLock({ $0 }), let size = try? SystemCall.sizeOf(snap.file.fd, path: snapshotURL.path), size != end {
            return .failure(ProofFailure(message: "it is \(size) bytes where its state lists pieces ending at byte \(end)"))
        }
        judging?.wait()
        if let why = commitmentProblem(event, line: record.line, state: state, judged: judged.withLock { $0 }) { return .failure(ProofFailure(message: why)) }
        // The fields the digest leaves blank come from the journal itself.
        state.head = record.hash
        if state.readinessHead.isEmpty {
            // Blank only when it was changed by the write that made the snapshot: one of its
            // records, at most that many lines back.
            let back = snap.header.seq - state.readinessSeq
            guard back >= 0, let changed = line(back).flatMap(verified), changed.seq == state.readinessSeq else {
                return .failure(ProofFailure(message: "the record that last changed readiness (seq \(state.readinessSeq)) is not where it should be"))
            }
            state.readinessHead = changed.hash
        }
        return .success(state)
    }

    /// Records the snapshot had seen but the journal no longer holds: the journal lost its end
    /// (a truncation, a restore of an old copy). The state is never silently rebuilt shorter.
    static func missing(seen: Int?, journalEndsAt seq: Int) -> String? {
        guard let seen, seen > seq else { return nil }
        return "journal.jsonl ends at seq \(seq) but state.json had seen seq \(seen): records \(seq + 1)…\(seen) are missing. Nothing was changed and nothing is folded from a shortened journal; restore journal.jsonl from a copy (run `golive audit verify` to see where it ends)"
    }

    /// The format and the highest seq state.json claims, read from its first bytes only (every
    /// format written so far puts them first: sorted keys, before the state).
    func snapshotHeader() -> (format: Int, seq: Int?)? {
        guard let fd = try? SystemCall.openIfPresent(snapshotURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        var prefix = [UInt8](repeating: 0, count: 512)
        guard let n = try? prefix.withUnsafeMutableBytes({ try SystemCall.readSome(fd, into: $0, path: snapshotURL.path) }) else { return nil }
        let text = String(decoding: prefix.prefix(n), as: UTF8.self)
        func number(after key: String) -> Int? {
            guard let range = text.range(of: "\"\(key)\":") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }
        guard text.hasPrefix("{\"format\":"), let format = number(after: "format") else { return nil }
        return (format, number(after: "seq"))
    }

    /// The store's journal checked whole, and against what its snapshot has seen: records the
    /// snapshot saw must all still be there.
    public func verifyJournal() throws -> VerifyReport {
        checkedAgainstSnapshot(try JournalVerifier.verify(fileAt: journalURL))
    }

    /// A report of this store's journal, and records state.json had seen that are not in it.
    public func checkedAgainstSnapshot(_ chain: VerifyReport) -> VerifyReport {
        var report = chain
        if report.ok, let seen = snapshotSeq(), seen > report.lines {
            report.problem = .init(line: report.lines + 1, message: "the journal ends at seq \(report.lines) but state.json had seen seq \(seen): records \(report.lines + 1)…\(seen) are missing")
        }
        return report
    }

    /// The highest seq state.json claims to have seen (any format this or an older golive wrote).
    public func snapshotSeq() -> Int? {
        guard let header = snapshotHeader(), header.format <= Store.snapshotFormat else { return nil }
        return header.seq
    }

    /// state.json in this golive's format, why it is not one, or nil when there is none (a newer
    /// one is set aside by the next write rather than locking the store).
    func readSnapshotFile() -> Result<SnapshotFile, ProofFailure>? {
        // The header, then the state alone: the pieces are read as their items are asked for.
        guard let fd = try? SystemCall.openIfPresent(snapshotURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        let file = SnapshotPieceFile.Opened(fd: fd, path: snapshotURL.path)
        guard let size = try? SystemCall.sizeOf(fd, path: snapshotURL.path),
              let first = try? SystemCall.readExactly(fd, count: min(size, 1024), at: 0, path: snapshotURL.path) else {
            return .failure(ProofFailure(message: "it cannot be read"))
        }
        if size == 0 { return .failure(ProofFailure(message: "it is empty")) }
        guard let newline = first.firstIndex(of: 0x0a),
              let header = try? JSONCoding.decoder().decode(SnapshotHeader.self, from: Data(first[..<newline])) else {
            return .failure(ProofFailure(message: "its first line is not a GoLive state header"))
        }
        guard header.format == Store.snapshotFormat else {
            return .failure(ProofFailure(message: "it is format \(header.format), which this golive (format \(Store.snapshotFormat)) does not read"))
        }
        guard let length = header.stateLength, length > 0 else { return .failure(ProofFailure(message: "its header announces no state")) }
        // Its bytes are believed only as the journal's digest of them (`prove`).
        guard let bytes = try? SystemCall.readExactly(fd, count: length, at: newline + 1, path: snapshotURL.path) else {
            return .failure(ProofFailure(message: "it ends before the \(length) bytes of state its header announces"))
        }
        // Checked where it is used (`lines(seqs:)`): a record of that seq starting just after a newline.
        if let hint = header.hintAdoption, hint.count == 2 || hint.count == 3, hint[0] > 0, hint[1] >= 0 {
            knownOffsets.withLock { $0[hint[0]] = hint[1] }
            if hint.count == 3, hint[2] > 0 { knownLengths.withLock { $0[hint[0]] = hint[2] } }
        }
        return .success(SnapshotFile(header: header, stateBytes: bytes[...], file: file, piecesStart: newline + 1 + length + 1))
    }

    /// state.json renamed `state.json.<label>-<time>`, kept beside the store for whoever looks into
    /// it; the name it now has.
    @discardableResult
    func setSnapshotAside(as label: String) throws -> String {
        let name = "state.json.\(label)-" + Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
        try SystemCall.renameFile(snapshotURL.path, to: file(name).path)
        return name
    }

    func writeSnapshot(_ snapshot: SnapshotEncoder.InPieces, seq: Int, offset: Int, adoptedSeq: Int?) throws {
        if let header = snapshotHeader(), header.format > Store.snapshotFormat {
            try setSnapshotAside(as: "format\(header.format)")
        }
        let adoption = adoptedSeq.flatMap { seq in
            (knownOffsets.withLock { $0[seq] } ?? journalOffset(ofSeq: seq)).map { [seq, $0] + ((knownLengths.withLock { $0[seq] } ?? journalLength(at: $0)).map { [$0] } ?? []) }
        }
        let header = try JSONCoding.encoder().encode(SnapshotHeader(format: Store.snapshotFormat, seq: seq, offset: offset,
                                                                    stateLength: snapshot.state.count, hintAdoption: adoption))
        let path = snapshotURL.path
        // Written as it is made: the pieces no item changed are copied from the state.json read,
        // not gathered into one buffer first (3.7 MB at 8,000 items and 100k records).
        try DurableFile.write(to: snapshotURL, flushed: false) { fd in
            var pending = [UInt8](header)
            pending.append(0x0a)
            pending += snapshot.state
            pending.append(0x0a)
            for piece in snapshot.pieces {
                switch piece {
                case let .written(bytes, _):
                    pending += bytes
                case let .kept(file, k):
                    try SystemCall.writeAll(fd, pending, path: path)
                    pending.removeAll(keepingCapacity: true)
                    try file.copyAsWritten(k, to: fd, path: path)
                }
                pending.append(0x0a)
            }
            try SystemCall.writeAll(fd, pending, path: path)
        }
    }

    /// Temp file, fsync, rename over the target, fsync the directory: readers see the old or the new file, never half of one.
    public func writeAtomically(_ data: Data, to url: URL) throws {
        try DurableFile.write(data, to: url)
    }
}
