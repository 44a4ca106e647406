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
    /// The length of some of those records (without the newline), from state.json's hint or a
    /// read: the adoption record (a megabyte at 8,000 items) is then read at once, not in growing pieces.
    let knownLengths = Locked<[Int: Int]>([:])
    /// The last state this process loaded or wrote, with the identity of the files it came from:
    /// a command that reads twice (the gate, then recording it) rebuilds once.
    let lastLoaded = Locked<(files: [FileIdentity?], loaded: Loaded)?>(nil)
    /// Whether this process's last write folded its records onto a state it held alone (see
    /// Store.commit): false means the fold copied every changed item's state first.
    let lastWriteInPlace = Locked<Bool?>(nil)
    /// A state.json found not to be as the journal vouched after its proof (a piece of its items,
    /// read later, did not match its digest), with why: not used again while it is that same file.
    let distrustedSnapshot = Locked<(file: FileIdentity, why: String)?>(nil)
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

    /// The journal's and state.json's identities: any write by anyone changes them.
    func filesIdentity() -> [FileIdentity?] { [FileIdentity.of(journalURL.path), FileIdentity.of(snapshotURL.path)] }
    public var journalURL: URL { file("journal.jsonl") }
    public var snapshotURL: URL { file("state.json") }
    public var lockURL: URL { file("lock") }
    /// Written by a repair before it cuts the journal, removed once its record is written.
    var repairPendingURL: URL { file("repair.pending") }
    /// Blocks kept back for repair, hold and rollback on a full disk (see ensureReserve).
    var reserveURL: URL { file("disk-reserve") }
    public var rolloutURL: URL { file("rollout.yaml") }

    /// A file of the store by name. Not `appendingPathComponent`, which asks the filesystem whether
    /// the name is a folder: a stat per name, a dozen per write, 7% of a write in the store agent.
    func file(_ name: String) -> URL { directory.appending(path: name, directoryHint: .notDirectory) }
    /// 6: states are folded through the judge and name the records it refused (a format-5 state
    /// was folded without it, so it is rebuilt once). 8: each item's last change kept beside the
    /// items (`itemRevisions`), so a format-7 state is rebuilt once.
    /// 9: its items in pieces, each with its own digest (`SnapshotPieceFile`).
    static let snapshotFormat = 9

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
        // disk, when they are the adopted ones, are not parsed again. For a shared store this is
        // the machine's copy read as it is, without its lock (which a caller may hold) and
        // without the server: it is asked only which parse its adoption vouches for, and a parse
        // of these bytes is the same parse whether or not that record is later cut back.
        // While the read ahead runs, rollout.yaml is read and hashed here rather than waited after
        // (1.2 MB at 8,000 items); with nothing to wait for, `load` reads it, or its memo serves.
        let onDisk = prefetching.withLock { $0 != nil } ? RolloutConfigParser.readAhead(directory: directory) : nil
        _ = try? loadCopy()
        return try RolloutConfigParser.load(directory: directory, readAhead: onDisk)
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
            if FileIdentity.of(url.path)?.isLink == true {
                throw StoreError.corrupt("\(url.path) is a symbolic link; GoLive never follows links in its store (a write would land in the link's target). Nothing was changed. Replace it with the file itself")
            }
        }
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
        // Once: a read already under way (started before the command line was parsed) is the one
        // waited for. Asked only by the command's own thread; the work starts outside the lock,
        // since with no thread to be had it runs here and now.
        guard shared == nil, prefetching.withLock({ $0 == nil }) else { return }
        let work = BackgroundWork { [self] in _ = try? readCopy() }
        prefetching.withLock { $0 = work }
    }

    /// The state of the journal in the folder, as it is.
    func loadCopy() throws -> Loaded {
        if let started = prefetching.withLock({ work -> BackgroundWork? in defer { work = nil }; return work }) { WritePhases.measure("read_ahead_wait") { started.wait() } }
        return try readCopy()
    }

    func readCopy() throws -> Loaded {
        try refuseLinks()
        let files = filesIdentity()
        var last = lastLoaded.withLock { $0 }
        if let last, last.files == files { return last.loaded }
        // Taken out of the cache, so that the records fold onto the one reference left, in place.
        if last != nil { lastLoaded.withLock { $0 = nil } }
        let loaded = try extended(&last, now: files[0]) ?? loadStateFromFiles()
        // Kept only if nothing changed while it was read.
        if filesIdentity() == files { lastLoaded.withLock { $0 = (files, loaded) } }
        return loaded
    }

    /// The state last read with the records appended since folded onto it, through the same
    /// judge, when the journal is the same file grown (this machine's catch-up, another process's
    /// write): a long-lived process (the cockpit, the store agent) then judges each record once,
    /// not the snapshot's proof and every record since it at each read. Nil when the last read's
    /// end is no longer there (the file was cut back, replaced, rewritten): then the state is read
    /// afresh. Records before that end are not judged again: a process believes what it judged,
    /// as the cockpit believes the state on its screen; every fresh reader judges them all.
    func extended(_ taken: inout (files: [FileIdentity?], loaded: Loaded)?, now: FileIdentity?) throws -> Loaded? {
        guard let was = taken?.files[0], let before = taken?.loaded.tail, let now, was.device == now.device, was.inode == now.inode,
              now.size > was.size, before.tornBytes == 0, let from = before.last,
              let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        let tail = try Store.tail(fd: fd, path: journalURL.path, writesAreAtomic: shared != nil)
        guard let end = tail.last, tail.completeSize > before.completeSize else { return nil }
        // The line read last still ends where it did, with its hash (which covers the line): the
        // file was not cut back and written again meanwhile. (The fold would take records that do
        // not continue the chain as refused ones, not as a reason to read afresh.)
        let suffix = Array(",\"hash\":\"\(from.hash)\"}\n".utf8)
        guard before.completeSize >= suffix.count,
              (try? SystemCall.readExactly(fd, count: suffix.count, at: before.completeSize - suffix.count, path: journalURL.path)) == suffix else { return nil }
        // A state.json ahead of the journal says records were lost, whichever way the state is read.
        let seen = snapshotHeader().flatMap { $0.format <= Store.snapshotFormat ? $0.seq : nil }
        if let lost = Store.missing(seen: seen, journalEndsAt: end.seq) { throw StoreError.corrupt(lost) }
        let (problem, snapshotAt) = (taken?.loaded.snapshotProblem, taken?.loaded.snapshotAt)
        guard var state = taken?.loaded.state else { return nil }
        taken = nil
        guard (try? fold(fd: fd, from: before.completeSize, into: &state, upTo: tail.completeSize)) != nil else { return nil }
        return Loaded(state: state, tail: tail, source: "read+\(end.seq - from.seq)", snapshotProblem: problem, snapshotAt: snapshotAt)
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
        let distrusted = distrustedSnapshot.withLock { $0 }
        if let distrusted, distrusted.file == FileIdentity.of(snapshotURL.path) {
            problem = "state.json was not used: \(distrusted.why); the state was rebuilt from the journal"
        } else if (header?.format ?? Store.snapshotFormat) >= Store.snapshotFormat, let read = readSnapshotFile() {
            // One an older golive wrote is not a problem: the next write replaces it.
            var proven: (state: RolloutState, at: (seq: Int, offset: Int))?
            switch read.flatMap({ snap in WritePhases.measure("prove", { prove(snap, fd: fd) }).map { ($0, (snap.header.seq, snap.header.offset)) } }) {
            case let .success(found): proven = found
            case let .failure(why): problem = "state.json was not used: \(why.message); the state was rebuilt from the journal"
            }
            if case (var state, let at)? = proven {
                // The only reference from here: folding the records after it mutates it in place.
                // (A second one made the first record folded copy every item: 5% of a write.)
                proven = nil
                if at.offset == tail.completeSize && state.seq == last.seq {
                    return Loaded(state: state, tail: tail, source: "snapshot", snapshotAt: at)
                }
                if (try? fold(fd: fd, from: at.offset, into: &state, upTo: tail.completeSize)) != nil {
                    return Loaded(state: state, tail: tail, source: "snapshot+\(last.seq - at.seq)", snapshotAt: at)
                }
            }
        }
        var state = RolloutState()
        try fold(fd: fd, from: 0, into: &state, upTo: tail.completeSize)
        return Loaded(state: state, tail: tail, source: "rebuilt", snapshotProblem: problem)
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
        /// It signs at once with no one asked (a key file without a passphrase): signing under the
        /// lock keeps no one waiting (see `append`).
        public var unattended: Bool
        public var sign: @Sendable ([UInt8]) throws -> String

        public init(rollout: String, key: SSHPublicKey, unattended: Bool = false, sign: @escaping @Sendable ([UInt8]) throws -> String) {
            self.rollout = rollout
            self.key = key
            self.unattended = unattended
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
            return try appendOnReserveIfFull(actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite, seal: seal, decide)
        } catch StoreError.snapshotUnproven(let why) {
            // A piece of state.json was not as the journal vouched: nothing was written. Decided
            // again on the state rebuilt from the journal, which this write then saves.
            distrust(why)
            return try appendOnReserveIfFull(actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite, seal: seal, decide)
        }
    }

    /// state.json set aside for this process while it is the same file (see `distrustedSnapshot`).
    func distrust(_ why: String) {
        if let file = FileIdentity.of(snapshotURL.path) { distrustedSnapshot.withLock { $0 = (file, why) } }
        lastLoaded.withLock { $0 = nil }
    }

    /// The state with every item decoded, for what shows them all (`status`, the cockpit): should a
    /// piece of state.json not be as the journal vouched, the state is rebuilt from the journal,
    /// saying why, rather than shown with those items failed.
    ///
    /// `config`: what the state will be shown against. Every definition, and each contour's newest
    /// change (what a sign-off's standing asks), are worked out on a core of their own meanwhile:
    /// asked after, one core had them alone while the other sat idle (issue 30).
    public func loadStateWhole(for config: RolloutConfig) throws -> Loaded {
        let loaded = try loadState()
        let meanwhile = BackgroundWork {
            _ = config.definitions.all
            _ = loaded.state.itemRevisions.newestByContour(config.definitions)
        }
        defer { meanwhile.wait() }
        loaded.state.items.readAhead()
        guard let why = loaded.state.items.snapshotFailure else { return loaded }
        distrust(why)
        var rebuilt = try loadState()
        rebuilt.state.items.readAhead()
        if let aside = setAsideDistrusted() {
            rebuilt.snapshotProblem = "state.json was not used: \(why); it was set aside as \(aside) and the state was rebuilt from the journal"
        }
        return rebuilt
    }

    /// The distrusted state.json moved aside (its name returned), kept for whoever looks into it:
    /// a save copies the pieces no item changed as they lie, so a piece edited to the same length
    /// went into every later state.json and every reader rebuilt, until a write touched its item.
    /// Without it the next write saves a state.json from the journal. Only when the store's lock
    /// is free at once (a reader never waits for a write) and the file is still the one judged.
    func setAsideDistrusted() -> String? {
        guard let judged = distrustedSnapshot.withLock({ $0?.file }) else { return nil }
        return try? withFileLock(lockURL, waiting: false) {
            guard FileIdentity.of(snapshotURL.path) == judged else { return nil }
            return try setSnapshotAside(as: "unproven")
        }
    }

    private func appendOnReserveIfFull(actor: Actor, now: Date, settingAsideTornWrite: Bool, seal: Seal?,
                                       _ decide: (RolloutState) throws -> [EventDraft]) throws -> (RolloutState, [Event]) {
        do {
            return try append(actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite, onReserve: false, seal: seal, decide)
        } catch let error as SystemCallError where error.code == ENOSPC && settingAsideTornWrite && releaseReserve() {
            // The disk is full and this is a repair, a hold or a rollback: they get the room the
            // store kept back for them, so a full disk never keeps traffic where it is.
            return try append(actor: actor, now: now, settingAsideTornWrite: true, onReserve: true, seal: seal, decide)
        }
    }
}
