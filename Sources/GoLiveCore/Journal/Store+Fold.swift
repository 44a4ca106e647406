import Foundation

/// The fold: every record read passes the judge (RecordJudge) before it changes the state.
extension Store {
    /// Folds the lines in [from, upTo) onto `state`, checking that they continue its chain and
    /// judging each (`RecordJudge`) against the configuration in force before it: a record the
    /// judge refuses, or that cannot be read, is never folded, and the state says so
    /// (`RolloutState.refused`). After an error `state` is part-folded and must be thrown away.
    /// `observe` hears of each record folded, with the key that signed it (`audit verify` counts them);
    /// `chain` of each line's header, length and whether its hash matched, in order (`ChainCheck`).
    /// Returns where the reader stopped.
    @discardableResult
    func fold(fd: Int32, from: Int, into state: inout RolloutState, upTo: Int, path: String? = nil,
              observe: ((Event, SSHPublicKey?) -> Void)? = nil,
              chain: ((Journal.LineHead?, Int, Bool) -> Void)? = nil,
              batchSize: Int = FoldBatch.size, threadFrom: Int = FoldBatch.threadFrom) throws -> (offset: Int, lineNumber: Int, tornTail: [UInt8]?) {
        let path = path ?? journalURL.path
        try SystemCall.seek(fd, to: from, path: path)
        var inForce = ConfigInForce(store: self)
        func judge(_ batch: FoldBatch) {
            for i in 0..<batch.count {
                let head = batch.takeHead(i)
                batch.line(i) { line in
                    let intact = head.map { $0.version <= Journal.formatVersion } == true && Journal.hashMatches(line)
                    chain?(head, line.count, intact)
                    // The chain first: a record's own hash over its bytes, a version this golive reads,
                    // and its link to the one before. A break is refused where it stands, like any
                    // record the judge refuses: the store is UNTRUSTED at it and the levers still act
                    // (a break that stopped the fold stopped hold and rollback too).
                    guard let head else {
                        // Not a record: it holds no place in the chain, which goes on past it.
                        state.refuse(seq: state.seq + 1, hash: Digest.sha256Hex(line), ts: nil, kind: "?", actor: "?",
                                     reason: "not a journal record (no version, seq, link and hash where a record has them)", inChain: false)
                        return
                    }
                    let broken: String?
                    if head.version > Journal.formatVersion {
                        broken = "written by a newer golive (record format \(head.version); this golive reads up to \(Journal.formatVersion)): upgrade golive to judge it"
                    } else if !intact {
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
                    let why: String?
                    switch batch.takeSigner(i) {
                    case let .failure(error): why = "\(error)"
                    case let .success(signer):
                        if let error = batch.unreadable[i] {
                            why = Store.unreadable(error)
                        } else {
                            why = batch.withEvent(i) { event in
                                let why = Store.judge(event, signer: signer, onto: &state, inForce: &inForce)
                                if why == nil, let observe { observe(event, signer) }
                                return why
                            }
                        }
                    }
                    if let why {
                        state.refuse(seq: head.seq, hash: head.hash, ts: nil, kind: ByteSearch.value(after: Store.kindMarker, in: line) ?? "?",
                                     actor: ByteSearch.value(after: Store.actorMarker, in: line) ?? "?", reason: why)
                    }
                }
            }
        }
        // Lines are gathered a few thousand at a time (FoldBatch). In a long fold the next batch
        // is read and prepared on another thread while this one is judged here, in order; a short
        // one (a write's, or the records another process added) is all done here.
        let source = FoldSource(fd: fd, path: path, from: from, upTo: upTo, batchSize: batchSize)
        if upTo - from < threadFrom {
            let batch = FoldBatch()
            repeat {
                try source.fill(batch)
                batch.prepare()
                judge(batch)
                batch.clear()
            } while !source.finished
        } else {
            let preparer = FoldPreparer(source)
            defer { preparer.stop() }
            var current = FoldBatch(), next = FoldBatch()
            preparer.start(current)
            while true {
                try preparer.wait()
                let more = !source.finished
                if more { preparer.start(next) }
                judge(current)
                current.clear()
                if !more { break }
                swap(&current, &next)
            }
        }
        let reader = source.reader
        return (reader.offset, reader.lineNumber, reader.tornTail)
    }

    /// Every record of the journal file at `url` folded through the judge from the first, as a
    /// rebuild would: what `audit verify` believes, record for record the same as every command.
    public static func judgedRebuild(of url: URL, observe: ((Event, SSHPublicKey?) -> Void)? = nil) throws -> RolloutState {
        try judgedRebuildAndChain(of: url, observe: observe).state
    }

    /// `judgedRebuild`, and the chain as `JournalVerifier` checks it, from the same reading.
    public static func judgedRebuildAndChain(of url: URL, observe: ((Event, SSHPublicKey?) -> Void)? = nil) throws -> (state: RolloutState, chain: VerifyReport) {
        try judgedRebuildAndChain(of: url, observe: observe, batchSize: FoldBatch.size, threadFrom: FoldBatch.threadFrom)
    }

    /// The same in batches of `batchSize` lines, prepared on a thread of their own from
    /// `threadFrom` bytes: the tests fold a small journal both ways.
    static func judgedRebuildAndChain(of url: URL, observe: ((Event, SSHPublicKey?) -> Void)?,
                                      batchSize: Int, threadFrom: Int) throws -> (state: RolloutState, chain: VerifyReport) {
        let store = Store(directory: url.deletingLastPathComponent())
        let fd = try SystemCall.openFile(url.path, O_RDONLY | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        let size = try SystemCall.sizeOf(fd, path: url.path)
        var state = RolloutState()
        var check = ChainCheck()
        var number = 0
        let end = try store.fold(fd: fd, from: 0, into: &state, upTo: size, path: url.path, observe: observe, chain: { head, length, intact in
            number += 1
            check.check(line: number, length: length, head) { intact }
        }, batchSize: batchSize, threadFrom: threadFrom)
        return (state, check.report(lineNumber: end.lineNumber, tornTail: end.tornTail))
    }

    /// A record whose decoded seq or hash is not its header's: the header is what the chain was
    /// checked on. Found where the record is decoded (`FoldBatch.prepare`, off the judging thread).
    struct HeaderDisagreement: Error {
        static let reason = "its fields disagree with its header"
    }

    /// The record on `line`, if its seq and hash are its header's.
    static func decode(_ line: UnsafeBufferPointer<UInt8>, agreeingWith head: Journal.LineHead) throws -> Event {
        let event = try EventDecoder.decode(line, head: head)
        guard event.seq == head.seq, event.hash == head.hash else { throw HeaderDisagreement() }
        return event
    }

    static let kindMarker = Array(#""kind":""#.utf8)
    static let actorMarker = Array(#""actor":""#.utf8)

    enum Judged {
        case folded(Event)
        case refused(String)
    }

    /// Folds one chained line onto `state` if the judge lets it count; else why not (and nothing
    /// of it was folded). The writer's door: it decodes the line itself.
    static func judge(_ line: UnsafeBufferPointer<UInt8>, head: Journal.LineHead, onto state: inout RolloutState, inForce: inout ConfigInForce) -> Judged {
        let signer: SSHPublicKey?
        do { signer = try Journal.signingKey(of: line) } catch { return .refused("\(error)") }
        let event: Event
        do { event = try Store.decode(line, agreeingWith: head) } catch { return .refused(unreadable(error)) }
        if let why = judge(event, signer: signer, onto: &state, inForce: &inForce) { return .refused(why) }
        return .folded(event)
    }

    /// Why a record that could not be decoded is refused.
    static func unreadable(_ error: any Error) -> String {
        error is HeaderDisagreement ? HeaderDisagreement.reason : "it cannot be read: \(error)"
    }

    /// The one place a record becomes state, readers and the writer alike: why the judge refuses
    /// `event`, signed by `signer`, or nil once it is folded onto `state`.
    static func judge(_ event: borrowing Event, signer: SSHPublicKey?, onto state: inout RolloutState, inForce: inout ConfigInForce) -> String? {
        let held: ConfigInForce.Held?
        switch inForce.held(for: state) {
        case let .failure(why): return why.message
        case let .success(found): held = found
        }
        let refusal = if let held { RecordJudge.refusal(event, signer: signer, state: state, adopted: held.config) }
            else { RecordJudge.refusal(event, signer: signer, state: state, config: nil) }
        if let why = refusal { return why }
        state.apply(event)
        if event.kind == .configAdopted, let files = event.data.files { inForce.adopted(files, parsed: event.data.parsedSha256) }
        return nil
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
}
