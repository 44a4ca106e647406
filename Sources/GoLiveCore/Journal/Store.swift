import Foundation

/// The files of one rollout: rollout.yaml (people write it), journal.jsonl (the truth, append-only),
/// state.json (a snapshot that only saves time) and lock (serialises writers).
public final class Store: Sendable {
    public let directory: URL
    /// What the last repair in this process set aside (repair runs inside an append).
    let lastRepair = Locked<Repair?>(nil)
    /// Where records were found by seq: the cockpit asks for the same item's history again and
    /// again. Checked at every use (the line there must carry that seq and its own hash).
    let knownOffsets = Locked<[Int: Int]>([:])
    /// The last state this process loaded or wrote, with the identity of the files it came from:
    /// a command that reads twice (the gate, then recording it) rebuilds once.
    let lastLoaded = Locked<(files: [Int], loaded: Loaded)?>(nil)
    /// The journal several machines share, when the folder is this machine's copy of it.
    public let shared: (any SharedJournal)?
    /// A read started ahead of need (`prefetch`), waited for rather than repeated.
    let prefetching = Locked<BackgroundWork?>(nil)
    /// Why the shared journal cannot be reached, while this process works on the copy alone
    /// (see Store+Offline): reads show the copy, and only hold and rollback write.
    let offline = Locked<String?>(nil)
    /// When the server was last found silent: it is not asked again within seconds (a black-holed
    /// network costs a connect timeout each time, and a lever must not pay it twice).
    let offlineSince = Locked<Date?>(nil)

    /// Size, time and inode of the journal and of state.json: any write by anyone changes them.
    func filesIdentity() -> [Int] {
        [journalURL, snapshotURL].flatMap { url -> [Int] in
            var st = stat()
            guard lstat(url.path, &st) == 0 else { return [-1] }
            return [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec), Int(st.st_ino)]
        }
    }
    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }
    public var snapshotURL: URL { directory.appendingPathComponent("state.json") }
    public var lockURL: URL { directory.appendingPathComponent("lock") }
    /// Written by a repair before it cuts the journal, removed once its record is written.
    var repairPendingURL: URL { directory.appendingPathComponent("repair.pending") }
    /// Blocks kept back for repair, hold and rollback on a full disk (see ensureReserve).
    var reserveURL: URL { directory.appendingPathComponent("disk-reserve") }
    public var rolloutURL: URL { directory.appendingPathComponent("rollout.yaml") }
    /// 6: states are folded through the judge and name the records it refused (a format-5 state
    /// was folded without it, so it is rebuilt once). 8: each item's last change kept beside the
    /// items (`itemRevisions`), so a format-7 state is rebuilt once.
    static let snapshotFormat = 8

    public init(directory: URL, shared: (any SharedJournal)? = nil) {
        self.directory = directory.standardizedFileURL
        self.shared = shared
    }

    /// The store as a person names it: the shared journal's address, else the folder.
    public var shown: String { shared?.address ?? directory.path }

    public var exists: Bool { FileManager.default.fileExists(atPath: rolloutURL.path) }

    public func loadConfig() throws -> RolloutConfig {
        try refuseLinks()
        // The state first (usually read already, on another core): reading it judges the adoption
        // in force, whose record vouches for a kept parse of these files, so that the files on
        // disk, when they are the adopted ones, are not parsed again. A shared store's state is
        // read under its lock, which a caller may hold: there the files are parsed.
        if shared == nil { _ = try? loadCopy() }
        return try RolloutConfigParser.load(directory: directory)
    }

    /// The configuration for hold and rollback: the one adopted in the journal (its team, its
    /// hook and the hook's adopted text), whatever the files on disk say or fail to say. Only a
    /// store that never adopted one falls back to the files: the whole of them when they load,
    /// else what the levers need of them (see RolloutConfigParser.loadForLevers).
    public func loadConfigForLevers() throws -> RolloutConfig {
        try refuseLinks()
        if let adopted = try? loadState().state.adoptedConfig {
            // The files on disk, when they are the adopted bytes, are the same configuration
            // (and their parse is kept); anything else is parsed from the adopted record.
            if let onDisk = try? RolloutConfigParser.load(directory: directory), onDisk.sha256 == adopted.sha256 { return onDisk }
            if let state = try? loadState().state, let files = try? adoptedFiles(state), let config = try? RolloutConfigParser.inForce(files: files) {
                return config
            }
        }
        do {
            return try RolloutConfigParser.load(directory: directory)
        } catch {
            return try RolloutConfigParser.loadForLevers(directory: directory, error: error)
        }
    }

    /// GoLive never follows a link in its store: a planted link would let a write land in another
    /// file (the link's target) or a read believe a file that is not the store's.
    public func refuseLinks() throws {
        for url in [rolloutURL, journalURL, snapshotURL, lockURL] {
            var info = stat()
            if lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
                throw StoreError.corrupt("\(url.path) is a symbolic link; GoLive never follows links in its store (a write would land in the link's target). Nothing was changed. Replace it with the file itself")
            }
        }
    }

    // MARK: reading (never writes)

    public struct Tail: Sendable {
        public var last: Journal.LineHead?
        /// Bytes of complete lines; a torn tail starts here.
        public var completeSize: Int
        public var tornBytes: Int
        public var tornLine: Int { (last?.seq ?? 0) + 1 }
    }

    public func tail() throws -> Tail {
        try refuseLinks()
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return Tail(last: nil, completeSize: 0, tornBytes: 0) }
        defer { SystemCall.closeFile(fd) }
        return try Store.tail(fd: fd, path: journalURL.path, writesAreAtomic: shared != nil)
    }

    /// `writesAreAtomic`: a shared store's copy holds only what the server committed, each write
    /// in one transaction. Whole records there that do not end a write were not written by
    /// golive (a row inserted by hand): they are records to judge, never a torn write to cut
    /// (the server keeps them, so cutting them here would wedge every later write).
    static func tail(fd: Int32, path: String, writesAreAtomic: Bool = false) throws -> Tail {
        let size = try SystemCall.sizeOf(fd, path: path)
        guard size > 0 else { return Tail(last: nil, completeSize: 0, tornBytes: 0) }
        var window = min(size, 64 * 1024)
        while true {
            let bytes = try SystemCall.readExactly(fd, count: window, at: size - window, path: path)
            // The newline that ends the last complete line.
            guard let lastNL = bytes.lastIndex(of: 0x0a) else {
                if window == size { return Tail(last: nil, completeSize: 0, tornBytes: size) }
                window = min(size, window * 4)
                continue
            }
            let torn = window - lastNL - 1
            let lineStart = bytes[..<lastNL].lastIndex(of: 0x0a).map { $0 + 1 }
            if lineStart == nil && window < size {
                window = min(size, window * 4)
                continue
            }
            let from = lineStart ?? 0
            let head = bytes[from..<lastNL].withUnsafeBufferPointer { Journal.head(of: $0) }
            guard let head else {
                // Not a record (appended by hand): on a local store it ends no write, so it is set
                // aside like a torn one (the levers do so and act); on a shared store the server
                // keeps it, so it stays, refused by the fold, and writes chain past it.
                if let before = try lastRecord(fd: fd, before: size - window + from, path: path, endingAWrite: !writesAreAtomic) {
                    return writesAreAtomic ? Tail(last: before.head, completeSize: size - torn, tornBytes: torn)
                                           : Tail(last: before.head, completeSize: before.end, tornBytes: size - before.end)
                }
                throw StoreError.corrupt("\(path): the last complete line is not a journal record, and no record before it ends a write; run `golive audit verify` to find the first bad line")
            }
            // A record in a newer format is not refused here: the fold refuses it where it stands
            // (UNTRUSTED, with the way forward), so that one such line, forged or not, never takes
            // hold and rollback away.
            // A write is all or nothing: its last record carries the state digest, so complete
            // records after the last one that does are a write that did not finish. They count
            // as torn, like a cut line.
            if !writesAreAtomic, head.version >= Journal.firstVersionWithWrites, !Store.endsAWrite(bytes[from..<lastNL]),
               let batchEnd = try lastWriteEnd(fd: fd, before: size - torn, path: path) {
                return Tail(last: batchEnd.head, completeSize: batchEnd.end, tornBytes: size - batchEnd.end)
            }
            return Tail(last: head, completeSize: size - torn, tornBytes: torn)
        }
    }

    static let writeEndMarker = Array(#""state_digest":""#.utf8)

    /// Whether a record is the last of a write (`"state_digest":"` cannot occur inside a JSON
    /// string, where quotes are escaped).
    static func endsAWrite(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { ByteSearch.contains($0, writeEndMarker) }
    }

    /// The end of the last complete write before `before`: the last record carrying the state
    /// digest, or a version 1 record (complete by itself). Searched within the last 256 KiB;
    /// nil when nothing there decides (no write is that long).
    static func lastWriteEnd(fd: Int32, before end: Int, path: String) throws -> (head: Journal.LineHead, end: Int)? {
        try lastRecord(fd: fd, before: end, path: path, endingAWrite: true)
    }

    /// The last record before `before` (that ends a write, if asked) and where it ends.
    static func lastRecord(fd: Int32, before end: Int, path: String, endingAWrite: Bool) throws -> (head: Journal.LineHead, end: Int)? {
        let window = min(end, 256 * 1024)
        guard window > 0 else { return nil }
        let bytes = try SystemCall.readExactly(fd, count: window, at: end - window, path: path)
        var lineEnd = bytes.count - 1
        while lineEnd > 0 {
            guard let start = bytes[..<lineEnd].lastIndex(of: 0x0a).map({ $0 + 1 }) ?? (window == end ? 0 : nil) else { return nil }
            let line = bytes[start..<lineEnd]
            if let head = line.withUnsafeBufferPointer({ Journal.head(of: $0) }),
               !endingAWrite || head.version < Journal.firstVersionWithWrites || endsAWrite(line) {
                return (head, end - window + lineEnd + 1)
            }
            if start == 0 { return nil }
            lineEnd = start - 1
        }
        return nil
    }

    /// state.json, format 8 (2 kept every evidence entry; 3 had no result time; 4 kept three; 5 was not judged; 6 moved readinessHead on notes; 7 had no itemRevisions): a header line (format, seq, offset) and the state's JSON with the
    /// fields that depend on record hashes left blank. The last record of the write that made it
    /// commits to the SHA-256 of exactly those bytes (`state_digest`), so the snapshot is believed
    /// only when the journal vouches for it, and checking that costs one hash, not a rebuild.
    struct SnapshotHeader: Codable {
        var format: Int
        var seq: Int
        var offset: Int
    }

    struct SnapshotFile {
        var header: SnapshotHeader
        var stateBytes: ArraySlice<UInt8>
    }

    public struct Loaded: Sendable {
        public var state: RolloutState
        public var tail: Tail
        /// How the state was obtained, for diagnostics: snapshot, snapshot+N, rebuilt.
        public var source: String
        /// Why state.json was not used, when it was there and the journal did not vouch for it.
        public var snapshotProblem: String? = nil
        /// The seq and journal position of the snapshot the state started from, when one was used.
        var snapshotAt: (seq: Int, offset: Int)? = nil
    }

    /// A write refreshes state.json once this many records, or this many journal bytes, have been
    /// written since the snapshot: a write never re-encodes the whole state, and a read folds at
    /// most this much onto the snapshot. Both bounds keep the cost flat as the journal grows.
    static let snapshotEveryRecords = 64
    static let snapshotEveryBytes = 256 * 1024

    /// The current state: the snapshot when the journal vouches for it (then the newer lines folded
    /// on), else a full rebuild from the verified journal. The journal always wins over the snapshot.
    public func loadState() throws -> Loaded {
        guard let shared, offlineReason == nil else { return try offlineReason == nil ? loadCopy() : witnessedCopy() }
        // Caught up and read under the folder lock: a write on this machine appends to the copy
        // before its commit, and a reader must never see records that may yet be cut back.
        var loaded = try withFolderLock {
            try catchUp(shared.records(from:))
            return try loadCopy()
        }
        loaded.state = witnessed(loaded.state)
        return loaded
    }

    /// Starts reading the state on another core while the caller does other work (parsing the
    /// configuration, deciding its arguments): a command's state read and its configuration read
    /// were a third of a write each, one after the other. The read is kept like any other, under
    /// the identity of the files it came from, so a write under the lock uses it only if neither
    /// file has changed since (see `loadCopy`); a failure here is met again, and reported, there.
    public func prefetch() {
        guard shared == nil else { return }
        let work = BackgroundWork { [self] in _ = try? readCopy() }
        prefetching.withLock { $0 = work }
    }

    /// The state of the journal in the folder, as it is.
    func loadCopy() throws -> Loaded {
        if let started = prefetching.withLock({ work -> BackgroundWork? in defer { work = nil }; return work }) { started.wait() }
        return try readCopy()
    }

    func readCopy() throws -> Loaded {
        try refuseLinks()
        let files = filesIdentity()
        if let last = lastLoaded.withLock({ $0 }), last.files == files { return last.loaded }
        let loaded = try loadStateFromFiles()
        // Kept only if nothing changed while it was read.
        if filesIdentity() == files { lastLoaded.withLock { $0 = (files, loaded) } }
        return loaded
    }

    func loadStateFromFiles() throws -> Loaded {
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else {
            return Loaded(state: RolloutState(), tail: Tail(last: nil, completeSize: 0, tornBytes: 0), source: "empty")
        }
        defer { SystemCall.closeFile(fd) }
        let tail = try Store.tail(fd: fd, path: journalURL.path, writesAreAtomic: shared != nil)
        let header = snapshotHeader()
        let seen = header.flatMap { $0.format <= Store.snapshotFormat ? $0.seq : nil }
        if let lost = Store.missing(seen: seen, journalEndsAt: tail.last?.seq ?? 0) { throw StoreError.corrupt(lost) }
        guard let last = tail.last else { return Loaded(state: RolloutState(), tail: tail, source: "empty") }
        var problem: String?
        if header?.format == Store.snapshotFormat, let snap = readSnapshotFile() {
            var proven: RolloutState?
            switch prove(snap, fd: fd) {
            case let .success(state): proven = state
            case let .failure(why): problem = "state.json was not used: \(why.message); the state was rebuilt from the journal"
            }
            if var state = proven {
                // The only reference from here: folding the records after it mutates it in place.
                // (A second one made the first record folded copy every item: 5% of a write.)
                proven = nil
                let at = (snap.header.seq, snap.header.offset)
                if snap.header.offset == tail.completeSize && state.seq == last.seq {
                    return Loaded(state: state, tail: tail, source: "snapshot", snapshotAt: at)
                }
                if (try? fold(fd: fd, from: snap.header.offset, into: &state, upTo: tail.completeSize)) != nil {
                    return Loaded(state: state, tail: tail, source: "snapshot+\(last.seq - snap.header.seq)", snapshotAt: at)
                }
            }
        }
        var state = RolloutState()
        try fold(fd: fd, from: 0, into: &state, upTo: tail.completeSize)
        return Loaded(state: state, tail: tail, source: "rebuilt", snapshotProblem: problem)
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
        guard committed == Digest.sha256Hex(snap.stateBytes) else {
            return .failure(ProofFailure(message: "its content differs from the state the journal committed to at seq \(snap.header.seq)"))
        }
        guard var state = try? SnapshotDecoder.decode(keepingItems: snap.stateBytes), state.seq == snap.header.seq else {
            return .failure(ProofFailure(message: "its state cannot be read"))
        }
        if let why = commitmentProblem(event, line: record.line, state: state) { return .failure(ProofFailure(message: why)) }
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
        var report = try JournalVerifier.verify(fileAt: journalURL)
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

    /// state.json in this golive's format, or nil (missing, unreadable, older or newer: a newer one
    /// is set aside by the next write rather than locking the store).
    func readSnapshotFile() -> SnapshotFile? {
        // Read straight into one buffer and used in place: no second copy of megabytes.
        guard let fd = try? SystemCall.openIfPresent(snapshotURL.path) else { return nil }
        defer { SystemCall.closeFile(fd) }
        guard let size = try? SystemCall.sizeOf(fd, path: snapshotURL.path),
              let bytes = try? SystemCall.readExactly(fd, count: size, at: 0, path: snapshotURL.path),
              let newline = bytes.firstIndex(of: 0x0a),
              let header = try? JSONCoding.decoder().decode(SnapshotHeader.self, from: Data(bytes[..<newline])),
              header.format == Store.snapshotFormat else { return nil }
        return SnapshotFile(header: header, stateBytes: bytes[(newline + 1)...])
    }

    /// Folds the lines in [from, upTo) onto `state`, checking that they continue its chain and
    /// judging each (`RecordJudge`) against the configuration in force before it: a record the
    /// judge refuses, or that cannot be read, is never folded, and the state says so
    /// (`RolloutState.refused`). After an error `state` is part-folded and must be thrown away.
    /// `observe` hears of each record folded, with the key that signed it (`audit verify` counts them).
    func fold(fd: Int32, from: Int, into state: inout RolloutState, upTo: Int, path: String? = nil,
              observe: ((Event, SSHPublicKey?) -> Void)? = nil) throws {
        let path = path ?? journalURL.path
        try SystemCall.seek(fd, to: from, path: path)
        var reader = LineReader(fd: fd, path: path)
        var position = from
        var inForce = ConfigInForce(store: self)
        // Lines are gathered a few thousand at a time so that their signatures are checked on
        // both cores (SignatureBatch); then each is judged in order.
        var batch = SignatureBatch()
        func judgeBatch() {
            let signers = batch.signers()
            for i in 0..<batch.count {
                batch.line(i) { line in
                    // The chain first: a record's own hash over its bytes, a version this golive reads,
                    // and its link to the one before. A break is refused where it stands, like any
                    // record the judge refuses: the store is UNTRUSTED at it and the levers still act
                    // (a break that stopped the fold stopped hold and rollback too).
                    guard let head = Journal.head(of: line) else {
                        // Not a record: it holds no place in the chain, which goes on past it.
                        state.refuse(seq: state.seq + 1, hash: Digest.sha256Hex(line), ts: nil, kind: "?", actor: "?",
                                     reason: "not a journal record (no version, seq, link and hash where a record has them)", inChain: false)
                        return
                    }
                    let broken: String?
                    if head.version > Journal.formatVersion {
                        broken = "written by a newer golive (record format \(head.version); this golive reads up to \(Journal.formatVersion)): upgrade golive to judge it"
                    } else if !Journal.hashMatches(line) {
                        broken = "its hash does not match its bytes: it was changed after it was written"
                    } else if head.seq != state.seq + 1 || head.prev != state.head {
                        broken = "seq \(head.seq) does not continue the chain at seq \(state.seq) (a record before it was removed, or it was inserted)"
                    } else {
                        broken = nil
                    }
                    if let broken {
                        state.refuse(seq: head.seq, hash: head.hash, ts: nil, kind: ByteSearch.value(after: Store.kindMarker, in: line) ?? "?",
                                     actor: ByteSearch.value(after: Store.actorMarker, in: line) ?? "?", reason: broken)
                        return
                    }
                    switch Store.judge(line, head: head, signer: signers[i], onto: &state, inForce: &inForce) {
                    case let .refused(why):
                        state.refuse(seq: head.seq, hash: head.hash, ts: nil, kind: ByteSearch.value(after: Store.kindMarker, in: line) ?? "?",
                                     actor: ByteSearch.value(after: Store.actorMarker, in: line) ?? "?", reason: why)
                    case let .folded(event):
                        if let observe { observe(event, try? signers[i].get()) }
                    }
                }
            }
            batch.clear()
        }
        try reader.forEachLine { line, _ in
            if position >= upTo { return false }
            position += line.count + 1
            batch.add(line)
            if batch.count >= SignatureBatch.size { judgeBatch() }
            return true
        }
        judgeBatch()
    }

    /// Every record of the journal file at `url` folded through the judge from the first, as a
    /// rebuild would: what `audit verify` believes, record for record the same as every command.
    public static func judgedRebuild(of url: URL, observe: ((Event, SSHPublicKey?) -> Void)? = nil) throws -> RolloutState {
        let store = Store(directory: url.deletingLastPathComponent())
        let fd = try SystemCall.openFile(url.path, O_RDONLY | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        let size = try SystemCall.sizeOf(fd, path: url.path)
        var state = RolloutState()
        try store.fold(fd: fd, from: 0, into: &state, upTo: size, path: url.path, observe: observe)
        return state
    }

    static let kindMarker = Array(#""kind":""#.utf8)
    static let actorMarker = Array(#""actor":""#.utf8)

    enum Judged {
        case folded(Event)
        case refused(String)
    }

    /// Folds one chained line onto `state` if the judge lets it count; else why not (and nothing
    /// of it was folded). The one place a record becomes state: readers and the writer alike.
    static func judge(_ line: UnsafeBufferPointer<UInt8>, head: Journal.LineHead, signer checked: Result<SSHPublicKey?, any Error>? = nil,
                      onto state: inout RolloutState, inForce: inout ConfigInForce) -> Judged {
        let signer: SSHPublicKey?
        do { signer = try (checked ?? Result { try Journal.signingKey(of: line) }).get() } catch { return .refused("\(error)") }
        let event: Event
        do { event = try EventDecoder.decode(line) } catch { return .refused("it cannot be read: \(error)") }
        guard event.seq == head.seq, event.hash == head.hash else { return .refused("its fields disagree with its header") }
        let config: RolloutConfig?
        switch inForce.config(for: state) {
        case let .failure(why): return .refused(why.message)
        case let .success(found): config = found
        }
        if let why = RecordJudge.refusal(event, signer: signer, state: state, config: config) { return .refused(why) }
        state.apply(event)
        if event.kind == .configAdopted, let files = event.data.files { inForce.adopted(files, parsed: event.data.parsedSha256) }
        return .folded(event)
    }

    /// Every complete event in order; `body` returns false to stop.
    public func forEachEvent(_ body: (Event) throws -> Bool) throws {
        guard let fd = try SystemCall.openIfPresent(journalURL.path) else { return }
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: journalURL.path)
        try reader.forEachLine { line, number in
            guard let event = try? EventDecoder.decode(line) else {
                throw StoreError.corrupt("\(journalURL.path):\(number): not a journal record")
            }
            return try body(event)
        }
    }

    // MARK: writing

    /// Takes the lock, reloads the state as of the journal's head, lets `decide` turn it into events,
    /// appends them with fsync, then refreshes the snapshot. Returns the new state and the events.
    ///
    /// A write that did not complete blocks every append, except where `settingAsideTornWrite`
    /// (the emergency levers, hold and rollback, and repair itself): then its bytes go to a side
    /// file and this write starts with the `journal.repaired` record that says so.
    /// The acting operator's signature over the last record of a write: in a signed rollout it
    /// vouches for the whole write (each record chains over the one before), and only a state
    /// digest it covers is believed (`prove`).
    public struct Seal: Sendable {
        public var rollout: String
        public var key: SSHPublicKey
        public var sign: @Sendable ([UInt8]) throws -> String

        public init(rollout: String, key: SSHPublicKey, sign: @escaping @Sendable ([UInt8]) throws -> String) {
            self.rollout = rollout
            self.key = key
            self.sign = sign
        }
    }

    @discardableResult
    package func append(actor: Actor, now: Date, settingAsideTornWrite: Bool = false, seal: Seal? = nil,
                        _ decide: (RolloutState) throws -> [EventDraft]) throws -> (RolloutState, [Event]) {
        if let why = offlineReason, !settingAsideTornWrite {
            throw StoreError.unreachable("\(why). Only hold and rollback act while the shared store cannot be reached (on this machine's copy, shared when it is back); nothing was written")
        }
        do {
            return try append(actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite, onReserve: false, seal: seal, decide)
        } catch let error as SystemCallError where error.code == ENOSPC && settingAsideTornWrite && releaseReserve() {
            // The disk is full and this is a repair, a hold or a rollback: they get the room the
            // store kept back for them, so a full disk never keeps traffic where it is.
            return try append(actor: actor, now: now, settingAsideTornWrite: true, onReserve: true, seal: seal, decide)
        }
    }

    /// What a write will append, decided under the lock: its drafts (marked for signing), time,
    /// and the head it follows.
    struct PreparedWrite {
        var drafts: [EventDraft]
        var stamp: Date
        var seq: Int
        var head: String
        var batchStart: Int
        var snapshotDue: Bool
        var stateBytes: [UInt8]
        var needsSignatures: Bool { drafts.contains { $0.sign != nil } }
    }

    enum WriteStep {
        case done(RolloutState, [Event])
        case sign(PreparedWrite)
    }

    /// How often a signed write asks the keys again when another write landed while they signed.
    static let signingAttempts = 3

    /// A write whose records are signed takes the lock twice: once to decide what to write, once
    /// to write it if nothing else was written meanwhile. The keys sign in between, outside the
    /// lock: a key that waits for a touch, a PIN or an agent's confirmation never keeps another
    /// operator's hold or rollback waiting. Should other writes keep landing meanwhile, the last
    /// attempt signs under the lock, as every write once did: a write always ends.
    func append(actor: Actor, now: Date, settingAsideTornWrite: Bool, onReserve: Bool, seal: Seal?,
                _ decide: (RolloutState) throws -> [EventDraft]) throws -> (RolloutState, [Event]) {
        for attempt in 1...Self.signingAttempts {
            let last = attempt == Self.signingAttempts
            // A shared store decides on a copy caught up under the folder lock alone: the shared
            // lock and its transaction are for the write itself.
            let deciding = shared != nil && !last
            let step: WriteStep = try (deciding ? withDecidingLock : withLock) {
                var loaded = try prepareLoaded(now: now, settingAsideTornWrite: settingAsideTornWrite, onReserve: onReserve)
                guard let plan = try prepare(loaded.loaded, repaired: loaded.repaired, actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite,
                                             seal: seal, decide) else { return .done(loaded.loaded.state, []) }
                guard deciding || (plan.needsSignatures && !last) else {
                    let lines = try encode(plan, actor: actor)
                    let (state, events) = try commit(plan, lines, &loaded.loaded, onReserve: onReserve)
                    return .done(state, events)
                }
                return .sign(plan)
            }
            let plan: PreparedWrite
            switch step {
            case let .done(state, events): return (state, events)
            case let .sign(prepared): plan = prepared
            }
            let signed = plan.needsSignatures ? try WritePhases.measure("sign") { try encode(plan, actor: actor) } : nil
            let written = try withLock { () -> (RolloutState, [Event])? in
                var loaded = try loadCopy()
                guard loaded.tail.tornBytes == 0, loaded.state.seq == plan.seq, loaded.state.head == plan.head else { return nil }
                return try commit(plan, try signed ?? encode(plan, actor: actor), &loaded, onReserve: onReserve)
            }
            if let written { return written }
        }
        preconditionFailure("the last attempt writes under the lock")
    }

    /// The folder lock over a copy caught up with the shared journal (the store lock, for a folder store).
    func withDecidingLock<T>(_ body: () throws -> T) throws -> T {
        guard let shared, offlineReason == nil else { return try withLock(body) }
        return try withFolderLock {
            try catchUp(shared.records(from:))
            return try body()
        }
    }

    /// The state to write on, with an interrupted write's torn tail set aside (a lever's right)
    /// and an interrupted repair's record due.
    func prepareLoaded(now: Date, settingAsideTornWrite: Bool, onReserve: Bool) throws -> (loaded: Loaded, repaired: [EventDraft]) {
        var loaded = try loadCopy()
        var repaired: [EventDraft] = []
        // A repair interrupted after it cut the journal (a SIGKILL, a power cut) is recorded by
        // the next write, from the note it left before cutting.
        if loaded.tail.tornBytes == 0, let pending = readRepairPending() {
            repaired = [EventDraft(.journalRepaired, EventData(note: pending + " (recorded by the next write: the repair was interrupted)"
                                                + (onReserve ? Store.onReserveNote : "")))]
        }
        if loaded.tail.tornBytes > 0 {
            guard settingAsideTornWrite else {
                throw StoreError.tornTail(line: loaded.tail.tornLine, bytes: loaded.tail.tornBytes, file: journalURL.path)
            }
            let repair = try setAside(loaded.tail, now: now)
            lastRepair.withLock { $0 = repair }
            repaired = [EventDraft(.journalRepaired, EventData(note: repair.note + (onReserve ? Store.onReserveNote : "")))]
            loaded = try loadCopy()
        }
        return (loaded, repaired)
    }

    /// Decides the write on `loaded`'s state: nil when it writes nothing.
    func prepare(_ loaded: Loaded, repaired: [EventDraft], actor: Actor, now: Date, settingAsideTornWrite: Bool, seal: Seal?,
                 _ decide: (RolloutState) throws -> [EventDraft]) throws -> PreparedWrite? {
        let state = loaded.state
        var drafts = try decide(witnessed(state))
        if drafts.isEmpty && repaired.isEmpty { return nil }
        drafts = repaired + drafts
        // The write's last record marks the end of the write (`writeEndMarker`). Every so often it
        // also commits to the state it leaves behind, which is then saved (see SnapshotHeader);
        // otherwise the digest is empty and nothing the size of the state is encoded.
        let batchStart = state.seq + 1
        // A machine whose clock is behind the journal would write a record its readers refuse
        // (time never runs backwards); the levers are stamped no earlier than the journal's newest.
        let stamp = settingAsideTornWrite ? max(now, state.lastEventAt ?? now) : now
        if let last = state.lastEventAt, stamp < last.addingTimeInterval(-RecordJudge.clockTolerance) {
            throw StoreError.judged("clock skew: this machine's clock reads \(Timestamp.format(now)), \(Format.duration(last.timeIntervalSince(now))) behind the journal's newest record (\(Timestamp.format(last))); records never go back in time, so nothing was written. Set the clock right (NTP). Hold and rollback still work: they are stamped no earlier than the journal's newest record")
        }
        let since = loaded.snapshotAt.map { (records: state.seq - $0.seq, bytes: loaded.tail.completeSize - $0.offset) }
        var inForce = ConfigInForce(store: self)
        // In a signed rollout the write's last record carries the writer's signature when a key
        // is at hand; a write without one (a lever with no key) commits to no state, since only a
        // signed commitment is believed.
        let current = (try? inForce.config(for: state).get()) ?? nil
        let signedRollout = current?.identity == .signed
        // Only with a key the roster in force lists for the actor: a key of the files on disk
        // that was never adopted seals nothing (the judge would refuse the record).
        // The last record is judged by the configuration in force after the write: a write that
        // adopts another one is sealed only if that one still lists the key.
        let atEnd = drafts.last(where: { $0.kind == .configAdopted })?.data.files.flatMap { try? RolloutConfigParser.inForce(files: $0) } ?? current
        if signedRollout, let seal, drafts[drafts.count - 1].sign == nil, atEnd?.member(actor.operatorID)?.keys.contains(seal.key) == true {
            drafts[drafts.count - 1].data.rollout = seal.rollout
            drafts[drafts.count - 1].sign = seal.sign
        }
        // Automation says what it is, in each record its member writes (the judge asks it to).
        if current?.member(actor.operatorID)?.automation == true {
            for i in drafts.indices where drafts[i].kind != .sessionStarted && drafts[i].kind != .sessionEnded { drafts[i].data.automation = true }
        }
        let sealed = !signedRollout || drafts[drafts.count - 1].sign != nil
        let snapshotDue = sealed && (since.map { $0.records + drafts.count >= Store.snapshotEveryRecords || $0.bytes >= Store.snapshotEveryBytes } ?? true)
        let stateBytes = snapshotDue ? state.previewing(drafts, actor: actor, now: stamp).digestBytes(batchStart: batchStart) : []
        drafts[drafts.count - 1].data.stateDigest = snapshotDue ? Digest.sha256Hex(stateBytes) : ""
        return PreparedWrite(drafts: drafts, stamp: stamp, seq: state.seq, head: state.head, batchStart: batchStart,
                             snapshotDue: snapshotDue, stateBytes: stateBytes)
    }

    /// The write's lines, each signed where marked (the keys are asked here, in order: each
    /// record's signature is part of the hash the next one follows).
    func encode(_ plan: PreparedWrite, actor: Actor) throws -> [(line: [UInt8], head: Journal.LineHead)] {
        let encoder = JSONCoding.encoder()
        var lines: [(line: [UInt8], head: Journal.LineHead)] = []
        var prev = plan.head
        var seq = plan.seq
        for draft in plan.drafts {
            seq += 1
            let (line, hash) = try Journal.encodeLine(seq: seq, prev: prev, ts: plan.stamp, actor: actor, draft: draft, encoder: encoder)
            lines.append((line, Journal.LineHead(version: Journal.formatVersion, seq: seq, prev: prev, hash: hash)))
            prev = hash
        }
        return lines
    }

    /// Judges the lines onto the state they were made on and appends them; under the lock.
    func commit(_ plan: PreparedWrite, _ lines: [(line: [UInt8], head: Journal.LineHead)], _ loaded: inout Loaded,
                onReserve: Bool) throws -> (RolloutState, [Event]) {
        var state = loaded.state
        var inForce = ConfigInForce(store: self)
        let bytes = lines.flatMap(\.line)
        let drafts = plan.drafts, batchStart = plan.batchStart, snapshotDue = plan.snapshotDue, stateBytes = plan.stateBytes
        // The state just written on is the only reference left, so the records apply in place:
        // the cached read (stale now) and `loaded` let go first. Another one kept by `decide`
        // would cost a copy of every item's state (see Cockpit.perform's `before`).
        loaded.state = RolloutState()
        lastLoaded.withLock { $0 = nil }
        // Folded through the readers' own judge, byte for byte, before anything is written: a
        // record they would refuse is never written, so memory, a rebuild and every reader agree.
        var events: [Event] = []
        for (line, head) in lines {
            switch line.withUnsafeBufferPointer({ Store.judge(UnsafeBufferPointer(rebasing: $0.dropLast()), head: head, onto: &state, inForce: &inForce) }) {
            case let .folded(event): events.append(event)
            case let .refused(why):
                throw StoreError.judged("golive would write a record its readers refuse (\(draftsKind(line))): \(why). Nothing was written")
            }
        }
        let created = !FileManager.default.fileExists(atPath: journalURL.path)
        try appendDurably(bytes)
        if created { SystemCall.syncDirectory(directory.path) }
        if drafts.contains(where: { $0.kind == .journalRepaired }) { SystemCall.removeFile(repairPendingURL.path) }
        if !onReserve { ensureReserve() }
        // The folded records must give the very bytes committed to; if they ever did not, a
        // snapshot would only fail its proof later, so none is written.
        if snapshotDue && state.digestBytes(batchStart: batchStart) == stateBytes {
            try? writeSnapshot(stateBytes, seq: state.seq, offset: loaded.tail.completeSize + bytes.count)
        }
        return (state, events)
    }

    func draftsKind(_ line: [UInt8]) -> String {
        line.withUnsafeBufferPointer { ByteSearch.value(after: Store.kindMarker, in: $0) } ?? "a record"
    }

    /// The note an interrupted repair left (`setAside`), if it is one: a regular file, not a
    /// link, owned by whoever runs golive, small, in golive's own words. Anything else planted
    /// under that name (a link to a private key, a FIFO, a large file) is never read.
    func readRepairPending() -> String? {
        guard let (bytes, info) = SystemCall.readRegularFile(repairPendingURL.path, limit: Store.repairNoteLimit), info.st_uid == geteuid(),
              let note = String(validating: bytes, as: UTF8.self), Repair.isNote(note) else { return nil }
        return note
    }

    static let repairNoteLimit = 4096

    static let reserveBytes = 256 * 1024
    static let onReserveNote = "; written on the store's disk reserve: the disk is full, free space before anything else"

    /// Room kept back on the store's disk for the writes that must work when it is full: journal
    /// repair, hold and rollback. Made after a write succeeds, so it costs one lstat when present.
    func ensureReserve() {
        var info = stat()
        guard lstat(reserveURL.path, &info) != 0 else { return }
        guard let fd = try? SystemCall.openFile(reserveURL.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600) else { return }
        defer { SystemCall.closeFile(fd) }
        do {
            try SystemCall.allocate(fd, bytes: Store.reserveBytes, path: reserveURL.path)
            try SystemCall.syncFile(fd, path: reserveURL.path)
        } catch {
            // Not room for it now: the next write tries again.
            SystemCall.removeFile(reserveURL.path)
        }
    }

    /// Frees the reserve; false when there was none to free.
    func releaseReserve() -> Bool {
        var info = stat()
        guard lstat(reserveURL.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        SystemCall.removeFile(reserveURL.path)
        SystemCall.syncDirectory(directory.path)
        return true
    }

    /// Whether the reserve is in place (status warns when a full disk used it up).
    public var hasReserve: Bool {
        // A shared journal's copy is not where the truth lives: a full disk fails its catching up, loudly.
        if shared != nil { return true }
        var info = stat()
        return lstat(reserveURL.path, &info) == 0 && Int(info.st_size) >= Store.reserveBytes
    }

    func withLock<T>(_ body: () throws -> T) throws -> T {
        try withFolderLock {
            guard let shared, offlineReason == nil else { return try body() }
            return try writeShared(shared, body)
        }
    }

    /// The lock file: serialises this machine's processes (a shared journal adds its own lock).
    func withFolderLock<T>(_ body: () throws -> T) throws -> T {
        try refuseLinks()
        return try withFileLock(lockURL, body)
    }

    /// Holds an exclusive lock on `url` (created if need be, never through a link) while `body` runs.
    func withFileLock<T>(_ url: URL, _ body: () throws -> T) throws -> T {
        let fd = try SystemCall.openFile(url.path, O_RDWR | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.lockFile(fd, LOCK_EX, path: url.path)
        defer { _ = try? SystemCall.lockFile(fd, LOCK_UN, path: url.path) }
        return try body()
    }

    func appendDurably(_ bytes: [UInt8]) throws {
        let fd = try SystemCall.openFile(journalURL.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.writeAll(fd, bytes, path: journalURL.path)
        try SystemCall.syncFile(fd, path: journalURL.path)
    }

    func writeSnapshot(_ stateBytes: [UInt8], seq: Int, offset: Int) throws {
        if let header = snapshotHeader(), header.format > Store.snapshotFormat {
            let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
            try SystemCall.renameFile(snapshotURL.path, to: directory.appendingPathComponent("state.json.format\(header.format)-\(stamp)").path)
        }
        let header = try JSONCoding.encoder().encode(SnapshotHeader(format: Store.snapshotFormat, seq: seq, offset: offset))
        let data = header + Data([0x0a]) + Data(stateBytes)
        try writeAtomically(data, to: snapshotURL)
    }

    /// Temp file, fsync, rename over the target, fsync the directory: readers see the old or the new file, never half of one.
    public func writeAtomically(_ data: Data, to url: URL) throws {
        try DurableFile.write(data, to: url)
    }

    public struct Repair: Sendable {
        public var line: Int
        public var bytes: Int
        public var savedTo: String
        /// Records set aside: those of the write that did not complete, the last one maybe cut.
        public var records: Int
        public var cut: Bool

        var note: String {
            "set aside \(records) record(s) from seq \(line) of a write that did not complete (\(bytes) bytes\(cut ? ", the last one cut" : "")) in \(savedTo)"
        }

        /// Whether `text` is a note `note` writes: one line, its words, a side file of ours.
        static func isNote(_ text: String) -> Bool {
            let pattern = #"^set aside [0-9]+ record\(s\) from seq [0-9]+ of a write that did not complete \([0-9]+ bytes(, the last one cut)?\) in journal\.torn-[0-9TZ.-]+\.bin$"#
            return text.range(of: pattern, options: .regularExpression) != nil
        }
    }

    /// Sets aside a write that did not complete and records that it did, in one write. Only ever
    /// run on an operator's request (or by hold and rollback): nothing is dropped silently.
    package func repairTornTail(actor: Actor, now: Date) throws -> Repair? {
        lastRepair.withLock { $0 = nil }
        try append(actor: actor, now: now, settingAsideTornWrite: true) { _ in [] }
        return lastRepair.withLock { $0 }
    }

    /// Under the lock: the bytes after the last complete write go to a side file, then the journal
    /// is cut back to that write.
    func setAside(_ t: Tail, now: Date) throws -> Repair {
        if let lost = Store.missing(seen: snapshotSeq(), journalEndsAt: t.last?.seq ?? 0) { throw StoreError.corrupt(lost) }
        let fd = try SystemCall.openFile(journalURL.path, O_RDWR | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        let torn = try SystemCall.readExactly(fd, count: t.tornBytes, at: t.completeSize, path: journalURL.path)
        let stamp = Timestamp.format(now).replacingOccurrences(of: ":", with: "")
        let side = directory.appendingPathComponent("journal.torn-\(stamp).bin")
        try writeAtomically(Data(torn), to: side)
        let whole = torn.filter { $0 == 0x0a }.count
        let cut = torn.last != 0x0a
        let repair = Repair(line: t.tornLine, bytes: t.tornBytes, savedTo: side.lastPathComponent, records: whole + (cut ? 1 : 0), cut: cut)
        // Said before the cut, so that a repair killed between the cut and its record is still recorded.
        try writeAtomically(Data(repair.note.utf8), to: repairPendingURL)
        try SystemCall.truncateFile(fd, to: t.completeSize, path: journalURL.path)
        try SystemCall.syncFile(fd, path: journalURL.path)
        return repair
    }
}

extension Store {
    /// The events with these seqs, each found by bisecting the journal (`JournalIndex`) and
    /// checked against its own hash: the item history in the cockpit costs a few small reads per
    /// record, however long the journal.
    public func events(seqs: Set<Int>) throws -> [Event] {
        try lines(seqs: seqs).compactMap { seq, line in
            guard line.withUnsafeBufferPointer({ Journal.hashMatches($0) }),
                  let e = try? line.withUnsafeBufferPointer({ try EventDecoder.decode($0) }), e.seq == seq else { return nil }
            return e
        }
    }

    /// The lines of these refused records as they stand in the journal, in journal order: each
    /// found by its seq and the hash it states, or (a line that is not a record) by its SHA-256,
    /// which is how the fold named it. Read whole, once: setting records aside is rare.
    func refusedLines(_ refused: [RefusedRecord]) throws -> [[UInt8]] {
        guard !refused.isEmpty, let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        var wanted = Set(refused.map { "\($0.seq) \($0.hash)" })
        var found: [[UInt8]] = []
        var lastSeq = 0
        var reader = LineReader(fd: fd, path: journalURL.path)
        try reader.forEachLine { line, _ in
            let name: String
            if let head = Journal.head(of: line) {
                name = "\(head.seq) \(head.hash)"
                lastSeq = head.seq
            } else {
                name = "\(lastSeq + 1) \(Digest.sha256Hex(line))"
            }
            if wanted.remove(name) != nil { found.append(Array(line)) }
            return !wanted.isEmpty
        }
        return found
    }

    /// One record's line as written, found by bisecting; nil when the journal holds no such seq.
    public func recordLine(seq: Int) throws -> [UInt8]? { try lines(seqs: [seq]).first?.line }

    /// The lines with these seqs as written (without their newline), in seq order, found by
    /// bisecting; a seq the journal does not hold is left out. Not decoded: a refused record may
    /// not be readable at all.
    func lines(seqs: Set<Int>) throws -> [(seq: Int, line: [UInt8])] {
        guard !seqs.isEmpty else { return [] }
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        let index = try JournalIndex(fd: fd, path: journalURL.path)
        var found: [(Int, [UInt8])] = []
        for seq in seqs.sorted() {
            var line: [UInt8]?
            if let known = knownOffsets.withLock({ $0[seq] }), known < index.size, let there = try index.line(at: known),
               JournalIndex.seq(atStartOf: there[...]) == seq {
                line = there
            } else if let offset = try index.offset(ofSeq: seq) {
                line = try index.line(at: offset)
                knownOffsets.withLock { cache in
                    if cache.count > 50_000 { cache.removeAll() }
                    cache[seq] = offset
                }
            }
            if let line, JournalIndex.seq(atStartOf: line[...]) == seq { found.append((seq, line)) }
        }
        return found
    }

    /// A cheap fingerprint of the files a cockpit shows: it changes when another process writes,
    /// or when any file of the configuration (`also`: the policy, scripts) is edited.
    public func fingerprint(also paths: [String] = []) -> [Int] {
        var out: [Int] = []
        let others = paths.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appendingPathComponent($0) }
        for url in [journalURL, rolloutURL] + others {
            var st = stat()
            if stat(url.path, &st) == 0 {
                out += [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ino)]
            } else {
                out += [-1]
            }
        }
        if let shared { out.append(shared.changeCount) }
        return out
    }
}

extension Store {
    /// The newest `limit` events, read from the end of the journal: the cockpit's timeline does not
    /// decode a million events to show the last screenful.
    public func recentEvents(limit: Int) throws -> [Event] {
        guard let fd = try SystemCall.openIfPresent(journalURL.path) else { return [] }
        defer { SystemCall.closeFile(fd) }
        let size = try SystemCall.sizeOf(fd, path: journalURL.path)
        var window = min(size, max(1, limit) * 1024)
        while true {
            let bytes = try SystemCall.readExactly(fd, count: window, at: size - window, path: journalURL.path)
            var lines = ArraySlice(bytes.split(separator: 0x0a, omittingEmptySubsequences: true))
            if window < size { lines = lines.dropFirst() }  // the first piece may be cut
            if bytes.last != 0x0a { lines = lines.dropLast() }  // a torn tail is not an event
            if lines.count >= limit || window == size {
                return lines.suffix(limit).compactMap { try? EventDecoder.decode(Data($0)) }
            }
            window = min(size, window * 4)
        }
    }
}

extension Store {
    /// The files of the configuration in force, from the `config.adopted` record the state names.
    /// Their hashes must give the digest the (proven) state holds and each text its hash, so a
    /// record edited in place is refused rather than believed. Nil when nothing was adopted.
    public func adoptedFiles(_ state: RolloutState) throws -> [ConfigFile]? { try adoptedRecord(state)?.files }

    /// The adopted files and the parse their adoption vouches for (`parsed_sha256`).
    func adoptedRecord(_ state: RolloutState) throws -> (files: [ConfigFile], parsed: String?)? {
        guard let adopted = state.adoptedConfig else { return nil }
        guard let event = try events(seqs: [adopted.seq]).first(where: { $0.kind == .configAdopted }), let files = event.data.files else {
            throw StoreError.corrupt("\(journalURL.path): the configuration adopted at seq \(adopted.seq) is not in the journal; run `golive audit verify`")
        }
        guard ConfigFile.digest(files) == adopted.sha256, files.allSatisfy(\.textMatchesHash) else {
            throw StoreError.corrupt("\(journalURL.path): the configuration record at seq \(adopted.seq) does not match its hashes (edited in place?); run `golive audit verify`")
        }
        return (files, event.data.parsedSha256)
    }
}
