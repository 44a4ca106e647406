import Foundation

/// The fold of the journal. Everything here is derived from events; nothing is written elsewhere.
public struct RolloutState: Codable, Sendable, Equatable {
    public var items = ItemStates()
    /// The seq of each item's last change, beside the items: a sign-off's digest reads it for a
    /// whole contour without decoding one item's state (issue 30), and a write updates it for the
    /// items it changes only.
    public var itemRevisions = ItemRevisions()
    public var signoffs: [SignOff] = []
    public var refusals: Int = 0
    public var seq: Int = 0
    public var head: String = Journal.genesis
    /// Hash of the last event that changed an input of the verdict (EventKind.movesVerdictInputs):
    /// what a verdict's state hash, and so every approval, is built on; recording a session, a
    /// shown verdict or a note does not make the state look different.
    public var readinessHead: String = Journal.genesis
    /// The seq of that event.
    public var readinessSeq: Int = 0
    public var initializedAt: Date?
    public var lastEventAt: Date?
    public var canary = CanaryState()
    /// Nil until a `config.adopted` record: then no configuration is in force, and the gate says so.
    public var adoptedConfig: AdoptedConfig?
    /// Consents to proposed configurations against the one in force; cleared by each adoption.
    public var configApprovals: [ConfigApproval] = []
    /// Records the judge refused (`RecordJudge`) and no captain has set aside: the store is
    /// UNTRUSTED from the first one. All are kept, so a set-aside names each by its hash.
    public var refused: [RefusedRecord] = []

    /// Whether the journal holds records that were refused and not set aside.
    public var untrusted: Bool { !refused.isEmpty }

    public init() {}

    public func item(_ id: String) -> ItemState { items[id] ?? ItemState() }

    /// A record the judge refused: the chain runs through it (its hash is the next record's link),
    /// nothing of it is folded, and it is remembered until a captain sets it aside.
    /// `inChain`: false for a line that is not a record, which the chain goes on past.
    public mutating func refuse(seq: Int, hash: String, ts: Date?, kind: String, actor: String, reason: String, inChain: Bool = true) {
        if inChain {
            self.seq = seq
            head = hash
        }
        if let ts, ts > (lastEventAt ?? .distantPast) { lastEventAt = ts }
        refused.append(RefusedRecord(seq: seq, hash: hash, kind: kind, actor: actor, reason: reason))
    }

    public mutating func apply(_ event: borrowing Event) {
        seq = event.seq
        head = event.hash
        lastEventAt = event.ts
        if event.kind.movesVerdictInputs {
            readinessHead = event.hash
            readinessSeq = event.seq
        }
        // The fields are read from `event` where they are: a copy of the record's data (a large
        // struct) and of the record, with a retain of every string, was a third of a rebuild.
        switch event.kind {
        case .rolloutInitialized:
            initializedAt = event.ts
        case .itemSet:
            guard let id = event.data.item, let status = event.data.status else { return }
            touch(id, at: event.ts, by: event.actor, seq: event.seq) { s in
                s.status = status
                s.note = event.data.note
                s.resultAt = event.ts
                if status != .waived { s.waiver = nil }
                if let e = event.data.evidence { s.addEvidence(e) }
            }
        case .itemEvidence:
            guard let id = event.data.item, let e = event.data.evidence else { return }
            touch(id, at: event.ts, by: event.actor, seq: event.seq) { s in s.addEvidence(e) }
        case .itemWaived:
            guard let id = event.data.item, let expires = event.data.expires else { return }
            touch(id, at: event.ts, by: event.actor, seq: event.seq) { s in
                s.status = .waived
                s.note = event.data.reason
                s.waiver = Waiver(reason: event.data.reason ?? "", expires: expires, by: event.actor, at: event.ts)
            }
        case .contourSignedOff:
            let d = event.data
            guard let contour = d.contour, let role = d.role, let hash = d.itemsHash else { return }
            signoffs.removeAll { $0.contour == contour && $0.role == role }
            signoffs.append(SignOff(contour: contour, role: role, by: event.actor, at: event.ts,
                                    itemsHash: hash, note: d.note ?? "", seq: event.seq))
        case .configAdopted:
            guard let digest = event.data.configSha256, let files = event.data.files else { return }
            adoptedConfig = AdoptedConfig(sha256: digest, seq: event.seq, by: event.actor, at: event.ts,
                                          files: Dictionary(files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a }))
            configApprovals = []
        case .configProposed, .configApproved:
            guard let digest = event.data.configSha256, let base = event.data.from else { return }
            configApprovals.removeAll { $0.by == event.actor && $0.digest == digest }
            configApprovals.append(ConfigApproval(by: event.actor, key: event.sig.flatMap { try? SSHSignature(base64: $0) }?.publicKey.fingerprint, base: base, digest: digest, seq: event.seq,
                                                  at: event.ts, proposal: event.kind == .configProposed))
        case .actionRefused:
            refusals += 1
        case .journalSetAside:
            // The refused records up to `through` are set aside: kept in a side file, no longer in question.
            guard let through = event.data.setAside?.through else { return }
            refused.removeAll { $0.seq <= through }
        case .journalRepaired, .sessionStarted, .sessionEnded, .gateShown, .canaryResultLate, .whatIfAsked, .alertDelivered:
            break
        case .canaryApproved, .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed,
             .canaryOutcomeUnknown, .canaryReconciled, .canaryHeld, .canaryResumed, .alertRaised:
            // The same kinds as EventKind.movesCanary, which decisions read.
            canary.apply(event)
        }
    }

    private mutating func touch(_ id: String, at ts: Date, by actor: String, seq: Int, _ change: (inout ItemState) -> Void) {
        // Changed in place: copying the item out and back would copy its arrays at every record.
        Self.touch(&items[id, default: ItemState()], at: ts, by: actor, seq: seq, change)
        itemRevisions[id] = seq
    }

    private static func touch(_ s: inout ItemState, at ts: Date, by actor: String, seq: Int, _ change: (inout ItemState) -> Void) {
        change(&s)
        s.updatedAt = ts
        s.updatedBy = actor
        s.revision = seq
        s.history.append(seq)
        if s.history.count > ItemState.historyKept { s.history.removeFirst(s.history.count - ItemState.historyKept) }
        s.changes += 1
    }
}

extension RolloutState {
    /// What state.json will hold, its state the bytes a write commits to (`state_digest`): this
    /// state's JSON with the fields that depend on record hashes blank (the head, and the readiness
    /// head when this write set it), since a record cannot contain its own hash. The journal fills
    /// them back in when it proves a snapshot.
    /// `planned`: the pieces already encoded for items with these same changes (the write's
    /// preview), used as they are instead of encoded again.
    func snapshot(batchStart: Int, planned: (changes: ItemStates.Changes, pieces: [SnapshotEncoder.Piece])? = nil) throws -> SnapshotEncoder.InPieces {
        var blank = self
        blank.head = ""
        if readinessSeq >= batchStart { blank.readinessHead = "" }
        let pieces = planned.flatMap { $0.changes == items.changes ? $0.pieces : nil }
        return try SnapshotEncoder.encodeInPieces(blank, pieces: pieces)
    }

    /// The state with no items: what is judged of a state before a write when its items cannot
    /// change the judgement (see Cockpit.perform).
    var withoutItems: RolloutState {
        var s = self
        s.items = [:]
        return s
    }

    /// The state with items of its own: for a caller that keeps the items from before a write on
    /// purpose (the alerts compare them), paying the copy here so that the write still folds its
    /// records in place (Store.commit checks that it can).
    var withOwnItems: RolloutState {
        var s = self
        s.items = items.ownCopy()
        return s
    }

    /// The state as it would be after `drafts`, for decisions that look one step ahead. The events
    /// are not real (no hash), so this state is for judging, never for saving.
    func previewing(_ drafts: [EventDraft], actor: Actor, now: Date) -> RolloutState {
        var copy = self
        for (i, d) in drafts.enumerated() {
            copy.apply(Event(v: Journal.formatVersion, seq: seq + i + 1, prev: "", ts: now, session: actor.session, actor: actor.operatorID,
                             osUser: actor.osUser, kind: d.kind, data: d.data, hash: "preview-\(i)"))
        }
        return copy
    }
}
