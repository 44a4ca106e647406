import Foundation

/// Setting refused records aside: the way out of an UNTRUSTED store that keeps the record of what
/// happened. The refused lines go to a side file; a signed `journal.set_aside` record names each
/// by seq and hash, with the file's SHA-256, and from it on the store is trusted again.
extension Cockpit {
    public struct SetAsideOutcome: Sendable {
        public var records: [RefusedRecord]
        public var file: String
    }

    /// Sets aside every refused record as `actor`, who must be a captain of the configuration in
    /// force and, in a signed rollout, sign. Nil when nothing is refused.
    @discardableResult
    public func setAsideRefused(reason: String, as actor: Actor) throws -> SetAsideOutcome? {
        if readOnly { throw Refusal("this cockpit is read-only; nothing was set aside", remedies: [.openWritable]) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("setting refused records aside needs a reason", remedies: [.fillIn(.reason(example: "what they were and why they may go"))])
        }
        if let why = store.offlineReason {
            throw StoreError.unreachable("\(why); refused records are set aside in the shared journal, when it can be reached. Nothing was set aside")
        }
        let seen = try store.loadState().state
        guard let inForce = try store.adoptedFiles(seen).map({ try RolloutConfigParser.inForce(files: $0) }) else {
            throw Refusal("no configuration was ever adopted: there is no captain to set records aside")
        }
        let (actor, key) = signing(actor, config: inForce)
        let now = clock.now()
        var refusal: Refusal?
        var outcome: SetAsideOutcome?
        try store.append(actor: actor, now: now, settingAsideTornWrite: true, seal: seal(key, config: inForce)) { state in
            guard !state.refused.isEmpty else { return [] }
            if let why = Permissions(inForce).captainRefusal(actor.operatorID, to: "set refused records aside") {
                refusal = Refusal(why)
                return framed([EventDraft(.actionRefused, EventData(reason: why, command: "journal set-aside"))], ending: "refused")
            }
            // A divergence this machine witnessed is set aside with the records it names, as its
            // kept copy has them; it is not a record of the journal, so the set-aside lists none of it.
            let divergence = store.divergence
            let refused = state.refused.filter { $0.kind != Store.Divergence.kind }
            var side = Data()
            for line in try store.refusedLines(refused) { side.append(contentsOf: line); side.append(0x0a) }
            for line in try divergence.map(store.divergedLines) ?? [] { side.append(contentsOf: line); side.append(0x0a) }
            let name = "journal.refused-\(Timestamp.format(now).replacingOccurrences(of: ":", with: "")).jsonl"
            try store.writeAtomically(side, to: store.directory.appendingPathComponent(name))
            let aside = SetAside(through: refused.map(\.seq).max() ?? 0, records: refused.map { .init(seq: $0.seq, hash: $0.hash) },
                                 file: name, sha256: Digest.sha256Hex(side))
            var data = EventData(reason: reason)
            data.setAside = aside
            var drafts = [EventDraft(.journalSetAside, data)]
            if let why = DecisionSigner.sign(&drafts, config: inForce, key: key) {
                refusal = why
                return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: "journal set-aside"))], ending: "refused")
            }
            outcome = SetAsideOutcome(records: state.refused, file: name)
            return framed(drafts, ending: "completed")
        }
        if let refusal { throw refusal }
        if outcome != nil { store.settleDivergence() }
        return outcome
    }
}
