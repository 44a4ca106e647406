import Foundation

/// The files of one rollout: rollout.yaml (people write it), journal.jsonl (the truth, append-only),
/// state.json (a snapshot that only saves time) and lock (serialises writers).
public final class Store: Sendable {
    public let directory: URL
    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }
    public var snapshotURL: URL { directory.appendingPathComponent("state.json") }
    public var lockURL: URL { directory.appendingPathComponent("lock") }
    public var rolloutURL: URL { directory.appendingPathComponent("rollout.yaml") }
    static let snapshotFormat = 1

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: rolloutURL.path) }

    public func loadConfig() throws -> RolloutConfig {
        try refuseLinks()
        return try RolloutConfigParser.load(directory: directory)
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
        return try Store.tail(fd: fd, path: journalURL.path)
    }

    static func tail(fd: Int32, path: String) throws -> Tail {
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
                throw StoreError.corrupt("\(path): the last complete line is not a journal record; run `golive audit verify` to find the first bad line")
            }
            if head.version > Journal.formatVersion {
                throw StoreError.newerFormat("\(path) was written by a newer golive (journal format \(head.version); this one reads \(Journal.formatVersion)). Nothing was changed; upgrade golive to open it.")
            }
            return Tail(last: head, completeSize: size - torn, tornBytes: torn)
        }
    }

    struct Snapshot: Codable {
        var format: Int
        var seq: Int
        var head: String
        var offset: Int
        var state: RolloutState
    }

    public struct Loaded: Sendable {
        public var state: RolloutState
        public var tail: Tail
        /// How the state was obtained, for diagnostics: snapshot, snapshot+N, rebuilt.
        public var source: String
    }

    /// The current state: the snapshot when it matches the journal's head, else the snapshot plus the
    /// newer lines, else a full rebuild. The journal always wins over the snapshot.
    public func loadState() throws -> Loaded {
        try refuseLinks()
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else {
            return Loaded(state: RolloutState(), tail: Tail(last: nil, completeSize: 0, tornBytes: 0), source: "empty")
        }
        defer { SystemCall.closeFile(fd) }
        let tail = try Store.tail(fd: fd, path: journalURL.path)
        let snapshot = try readSnapshot()
        if let lost = Store.missing(snapshot: snapshot, journalEndsAt: tail.last?.seq ?? 0) { throw StoreError.corrupt(lost) }
        guard let last = tail.last else { return Loaded(state: RolloutState(), tail: tail, source: "empty") }
        if let snap = snapshot {
            if snap.seq == last.seq && snap.head == last.hash && snap.offset == tail.completeSize {
                return Loaded(state: snap.state, tail: tail, source: "snapshot")
            }
            if snap.seq < last.seq && snap.offset < tail.completeSize,
               let state = try? fold(fd: fd, from: snap.offset, startingWith: snap.state, upTo: tail.completeSize) {
                return Loaded(state: state, tail: tail, source: "snapshot+\(last.seq - snap.seq)")
            }
        }
        let state = try fold(fd: fd, from: 0, startingWith: RolloutState(), upTo: tail.completeSize)
        return Loaded(state: state, tail: tail, source: "rebuilt")
    }

    /// Records the snapshot had seen but the journal no longer holds: the journal lost its end
    /// (a truncation, a restore of an old copy). The state is never silently rebuilt shorter.
    static func missing(snapshot: Snapshot?, journalEndsAt seq: Int) -> String? {
        guard let snapshot, snapshot.seq > seq else { return nil }
        return "journal.jsonl ends at seq \(seq) but state.json had seen seq \(snapshot.seq): records \(seq + 1)…\(snapshot.seq) are missing. Nothing was changed and nothing is folded from a shortened journal; restore journal.jsonl from a copy (run `golive audit verify` to see where it ends)"
    }

    /// The highest seq the snapshot has seen, if there is a snapshot this golive reads.
    public func snapshotSeq() throws -> Int? { try readSnapshot()?.seq }

    func readSnapshot() throws -> Snapshot? {
        guard let data = FileManager.default.contents(atPath: snapshotURL.path) else { return nil }
        struct Probe: Decodable { var format: Int }
        guard let probe = try? JSONCoding.decoder().decode(Probe.self, from: data) else { return nil }
        // A newer snapshot is derived data this golive cannot read: the journal rebuilds the state,
        // and the next write sets the file aside (see writeSnapshot) rather than locking the store.
        if probe.format > Store.snapshotFormat { return nil }
        return try? JSONCoding.decoder().decode(Snapshot.self, from: data)
    }

    /// Folds the lines in [from, upTo) onto `state`, checking that they continue its chain.
    func fold(fd: Int32, from: Int, startingWith initial: RolloutState, upTo: Int) throws -> RolloutState {
        var state = initial
        try SystemCall.seek(fd, to: from, path: journalURL.path)
        var reader = LineReader(fd: fd, path: journalURL.path)
        let decoder = JSONCoding.decoder()
        var failure: StoreError?
        var position = from
        try reader.forEachLine { line, _ in
            if position >= upTo { return false }
            position += line.count + 1
            // Only a record that verifies is folded: its own hash over its bytes and a version this
            // golive reads; the chain is checked below once it is decoded.
            guard let head = Journal.head(of: line), head.version <= Journal.formatVersion, Journal.hashMatches(line) else {
                failure = .corrupt("\(journalURL.path): the record after seq \(state.seq) does not verify (its hash or version is wrong); nothing was folded past it. Run `golive audit verify` to locate it")
                return false
            }
            let data = Data(buffer: line)
            guard let event = try? decoder.decode(Event.self, from: data) else {
                failure = .corrupt("\(journalURL.path): the record after seq \(state.seq) cannot be read; run `golive audit verify` to locate it")
                return false
            }
            guard event.seq == state.seq + 1, event.prev == state.head else {
                failure = .corrupt("\(journalURL.path): seq \(event.seq) does not continue the chain at seq \(state.seq); run `golive audit verify`")
                return false
            }
            state.apply(event)
            return true
        }
        if let failure { throw failure }
        return state
    }

    /// Every complete event in order; `body` returns false to stop.
    public func forEachEvent(_ body: (Event) throws -> Bool) throws {
        guard let fd = try SystemCall.openIfPresent(journalURL.path) else { return }
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: journalURL.path)
        let decoder = JSONCoding.decoder()
        try reader.forEachLine { line, number in
            guard let event = try? decoder.decode(Event.self, from: Data(buffer: line)) else {
                throw StoreError.corrupt("\(journalURL.path):\(number): not a journal record")
            }
            return try body(event)
        }
    }

    // MARK: writing

    /// Takes the lock, reloads the state as of the journal's head, lets `decide` turn it into events,
    /// appends them with fsync, then refreshes the snapshot. Returns the new state and the events.
    @discardableResult
    public func append(actor: Actor, now: Date, _ decide: (RolloutState) throws -> [EventDraft]) throws -> (RolloutState, [Event]) {
        try withLock {
            let loaded = try loadState()
            if loaded.tail.tornBytes > 0 {
                throw StoreError.tornTail(line: loaded.tail.tornLine, bytes: loaded.tail.tornBytes, file: journalURL.path)
            }
            var state = loaded.state
            let drafts = try decide(state)
            guard !drafts.isEmpty else { return (state, []) }
            let encoder = JSONCoding.encoder()
            let decoder = JSONCoding.decoder()
            var bytes: [UInt8] = []
            var events: [Event] = []
            var prev = state.head
            var seq = state.seq
            for draft in drafts {
                seq += 1
                let (line, hash) = try Journal.encodeLine(seq: seq, prev: prev, ts: now, actor: actor, draft: draft, encoder: encoder)
                bytes.append(contentsOf: line)
                // Fold what was written, byte for byte, so memory and a rebuild can never differ.
                events.append(try decoder.decode(Event.self, from: Data(line.dropLast())))
                prev = hash
            }
            let created = !FileManager.default.fileExists(atPath: journalURL.path)
            try appendDurably(bytes)
            if created { SystemCall.syncDirectory(directory.path) }
            for e in events { state.apply(e) }
            try? writeSnapshot(state, offset: loaded.tail.completeSize + bytes.count)
            return (state, events)
        }
    }

    func withLock<T>(_ body: () throws -> T) throws -> T {
        try refuseLinks()
        let fd = try SystemCall.openFile(lockURL.path, O_RDWR | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.lockFile(fd, LOCK_EX, path: lockURL.path)
        defer { _ = try? SystemCall.lockFile(fd, LOCK_UN, path: lockURL.path) }
        return try body()
    }

    func appendDurably(_ bytes: [UInt8]) throws {
        let fd = try SystemCall.openFile(journalURL.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.writeAll(fd, bytes, path: journalURL.path)
        try SystemCall.syncFile(fd, path: journalURL.path)
    }

    func writeSnapshot(_ state: RolloutState, offset: Int) throws {
        struct Probe: Decodable { var format: Int }
        if let data = FileManager.default.contents(atPath: snapshotURL.path),
           let probe = try? JSONCoding.decoder().decode(Probe.self, from: data), probe.format > Store.snapshotFormat {
            let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
            try SystemCall.renameFile(snapshotURL.path, to: directory.appendingPathComponent("state.json.format\(probe.format)-\(stamp)").path)
        }
        let data = try JSONCoding.encoder().encode(Snapshot(format: Store.snapshotFormat, seq: state.seq, head: state.head, offset: offset, state: state))
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
    }

    /// Moves a torn last line into a side file and truncates the journal to its last complete line.
    /// Only ever run on an operator's explicit request: nothing is dropped silently.
    public func repairTornTail(actor: Actor, now: Date) throws -> Repair? {
        let result: Repair? = try withLock {
            let t = try tail()
            if let lost = Store.missing(snapshot: try readSnapshot(), journalEndsAt: t.last?.seq ?? 0) { throw StoreError.corrupt(lost) }
            guard t.tornBytes > 0 else { return nil }
            let fd = try SystemCall.openFile(journalURL.path, O_RDWR | O_NOFOLLOW)
            defer { SystemCall.closeFile(fd) }
            let torn = try SystemCall.readExactly(fd, count: t.tornBytes, at: t.completeSize, path: journalURL.path)
            let stamp = Timestamp.format(now).replacingOccurrences(of: ":", with: "")
            let side = directory.appendingPathComponent("journal.torn-\(stamp).bin")
            try writeAtomically(Data(torn), to: side)
            try SystemCall.truncateFile(fd, to: t.completeSize, path: journalURL.path)
            try SystemCall.syncFile(fd, path: journalURL.path)
            return Repair(line: t.tornLine, bytes: t.tornBytes, savedTo: side.lastPathComponent)
        }
        if let result {
            try append(actor: actor, now: now) { _ in
                [EventDraft(.journalRepaired, EventData(note: "set aside the torn line \(result.line) (\(result.bytes) bytes) in \(result.savedTo)"))]
            }
        }
        return result
    }
}

extension Store {
    /// The events with these seqs, reading only their headers until one matches: the item
    /// history in the cockpit costs a scan, not a decode of the whole journal.
    public func events(seqs: Set<Int>) throws -> [Event] {
        guard !seqs.isEmpty else { return [] }
        guard let fd = try SystemCall.openIfPresent(journalURL.path) else { return [] }
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: journalURL.path)
        let decoder = JSONCoding.decoder()
        var found: [Event] = []
        let highest = seqs.max()!
        try reader.forEachLine { line, _ in
            guard let head = Journal.head(of: line) else { return true }
            if seqs.contains(head.seq), let e = try? decoder.decode(Event.self, from: Data(buffer: line)) { found.append(e) }
            return head.seq < highest
        }
        return found
    }

    /// A cheap fingerprint of the files a cockpit shows: it changes when another process writes.
    public func fingerprint() -> [Int] {
        var out: [Int] = []
        for url in [journalURL, rolloutURL] {
            var st = stat()
            if stat(url.path, &st) == 0 {
                out += [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ino)]
            } else {
                out += [-1]
            }
        }
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
        let decoder = JSONCoding.decoder()
        while true {
            let bytes = try SystemCall.readExactly(fd, count: window, at: size - window, path: journalURL.path)
            var lines = ArraySlice(bytes.split(separator: 0x0a, omittingEmptySubsequences: true))
            if window < size { lines = lines.dropFirst() }  // the first piece may be cut
            if bytes.last != 0x0a { lines = lines.dropLast() }  // a torn tail is not an event
            if lines.count >= limit || window == size {
                return lines.suffix(limit).compactMap { try? decoder.decode(Event.self, from: Data($0)) }
            }
            window = min(size, window * 4)
        }
    }
}
