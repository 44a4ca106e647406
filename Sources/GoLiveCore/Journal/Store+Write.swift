import Foundation

/// A write under the lock: prepared from the state at the journal's head, encoded, signed,
/// committed, and the snapshot refreshed.
extension Store {
    /// What a write will append, decided under the lock: its drafts (marked for signing), time,
    /// and the head it follows.
    struct PreparedWrite {
        var drafts: [EventDraft]
        var stamp: Date
        var seq: Int
        var head: String
        var batchStart: Int
        /// What state.json will hold after it, when this write saves one, and what its items
        /// changed (the folded state's pieces are not encoded again when it changed the same).
        var snapshot: SnapshotEncoder.InPieces?
        var snapshotChanges: ItemStates.Changes?
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
            // lock and its transaction are for the write itself. Except with a key that asks no
            // one (the decisions and the seal are the same operator's key): then it decides and
            // signs under the shared lock, once; deciding outside it first only made the plan stale
            // under contention, to be decided again (issue 27: 16 writers).
            let atOnce = shared != nil && seal?.unattended == true
            let deciding = shared != nil && !last && !atOnce
            // Decided, and when no one is asked to sign, signed and committed under one lock.
            func decidedHere(_ deciding: Bool, signingHere: Bool) throws -> WriteStep {
                var loaded = try prepareLoaded(now: now, settingAsideTornWrite: settingAsideTornWrite, onReserve: onReserve)
                guard let plan = try WritePhases.measure("decide", { try prepare(loaded.loaded, repaired: loaded.repaired, actor: actor, now: now, settingAsideTornWrite: settingAsideTornWrite,
                                             seal: seal, decide) }) else { return .done(loaded.loaded.state, []) }
                guard deciding || (plan.needsSignatures && !signingHere) else {
                    let lines = try WritePhases.measure("encode") { try encode(plan, actor: actor) }
                    let (state, events) = try WritePhases.measure("commit") { try commit(plan, lines, &loaded.loaded, onReserve: onReserve) }
                    return .done(state, events)
                }
                return .sign(plan)
            }
            let step: WriteStep = try (deciding ? withDecidingLock : withLock) { try decidedHere(deciding, signingHere: last || atOnce) }
            let plan: PreparedWrite
            switch step {
            case let .done(state, events): return (state, events)
            case let .sign(prepared): plan = prepared
            }
            let signed = plan.needsSignatures ? try WritePhases.measure("sign") { try encode(plan, actor: actor) } : nil
            let written = try withLock { () -> WriteStep? in
                var loaded = try loadCopy()
                guard loaded.tail.tornBytes == 0, loaded.state.seq == plan.seq, loaded.state.head == plan.head else {
                    // Another write landed while this one signed. A write that needs no signature,
                    // or a key that asks no one, is decided again here, under this lock: letting go
                    // only queued it behind every other writer once more (issue 27: 16 writers).
                    guard !plan.needsSignatures || seal?.unattended == true else { return nil }
                    return try decidedHere(false, signingHere: true)
                }
                let (state, events) = try commit(plan, try signed ?? encode(plan, actor: actor), &loaded, onReserve: onReserve)
                return .done(state, events)
            }
            if case let .done(state, events)? = written { return (state, events) }
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
        // To the millisecond, as the records carry it: the preview then holds what a reader folds.
        let stamp = Timestamp.asWritten(settingAsideTornWrite ? max(now, state.lastEventAt ?? now) : now)
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
        // A state whose pieces cannot be read commits to none: the write still ends, and a later one saves it.
        let preview = snapshotDue ? state.previewing(drafts, actor: actor, now: stamp) : nil
        let snapshot = try? preview?.snapshot(batchStart: batchStart)
        drafts[drafts.count - 1].data.stateDigest = snapshot.map { Digest.sha256Hex($0.state) } ?? ""
        return PreparedWrite(drafts: drafts, stamp: stamp, seq: state.seq, head: state.head, batchStart: batchStart, snapshot: snapshot,
                             snapshotChanges: snapshot == nil ? nil : preview?.items.changes)
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
        let drafts = plan.drafts, batchStart = plan.batchStart
        // The state just written on is the only reference left, so the records apply in place:
        // the cached read (stale now) and `loaded` let go first. Another one kept by `decide`
        // would cost a copy of every item's state (see Cockpit.perform's `before`). Whether the
        // write held its state alone is kept (`lastWriteInPlace`) for the tests that check it; a
        // caller still holding a state it read before the write is a reason too (the cockpit).
        loaded.state = RolloutState()
        lastLoaded.withLock { $0 = nil }
        let alone = state.items.isUniquelyHeld
        lastWriteInPlace.withLock { $0 = alone }
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
        // Nothing is built on items of a state.json piece that was not as the journal vouched (it
        // was read while deciding or folding: its items read failed, not as they are).
        if let why = state.items.snapshotFailure { throw StoreError.snapshotUnproven(why) }
        let created = !FileManager.default.fileExists(atPath: journalURL.path)
        try appendDurably(bytes)
        if created { SystemCall.syncDirectory(directory.path) }
        if drafts.contains(where: { $0.kind == .journalRepaired }) { SystemCall.removeFile(repairPendingURL.path) }
        if !onReserve { ensureReserve() }
        // The folded records must give the very bytes committed to; if they ever did not, a
        // snapshot would only fail its proof later, so none is written.
        let end = loaded.tail.completeSize + bytes.count
        var snapshotAt = loaded.snapshotAt
        if let planned = plan.snapshot, let folded = try? state.snapshot(batchStart: batchStart, planned: plan.snapshotChanges.map { ($0, planned.pieces) }), folded.state == planned.state,
           (try? WritePhases.measure("save_state", { try writeSnapshot(folded, seq: state.seq, offset: end, adoptedSeq: state.adoptedConfig?.seq) })) != nil {
            // Counted from only if a reader believes it: in a signed rollout, a signed commitment
            // (a first adoption is written before the rollout it makes signed). Else a reader
            // rebuilds, and so the next write is due to save one it will believe.
            let signedAfter = ((try? inForce.config(for: state).get()) ?? nil)?.identity == .signed
            snapshotAt = drafts[drafts.count - 1].sign != nil || !signedAfter ? (state.seq, end) : nil
        }
        // The state after the write is the next read's, as long as the files are as it left them.
        if let head = lines.last?.head {
            let written = Loaded(state: state, tail: Tail(last: head, completeSize: end, tornBytes: 0), source: "written", snapshotAt: snapshotAt)
            let files = filesIdentity()
            if files[0]?.size == end { lastLoaded.withLock { $0 = (files, written) } }
        }
        return (state, events)
    }

    func draftsKind(_ line: [UInt8]) -> String {
        line.withUnsafeBufferPointer { ByteSearch.value(after: Store.kindMarker, in: $0) } ?? "a record"
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
    /// `waiting: false`: only if no one holds it now; else `body` does not run and the lock
    /// refuses (EWOULDBLOCK), for what a reader may do but must never wait for.
    func withFileLock<T>(_ url: URL, waiting: Bool = true, _ body: () throws -> T) throws -> T {
        let fd = try SystemCall.openFile(url.path, O_RDWR | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.lockFile(fd, waiting ? LOCK_EX : LOCK_EX | LOCK_NB, path: url.path)
        defer { _ = try? SystemCall.lockFile(fd, LOCK_UN, path: url.path) }
        return try body()
    }
}
