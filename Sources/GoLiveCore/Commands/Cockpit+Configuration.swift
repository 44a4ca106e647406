import Foundation

/// Adopting a configuration: the only way an edit of rollout.yaml, the policy or a script they
/// name takes effect. The record holds the new files' texts and who adopted them.
extension Cockpit {
    /// The role that may adopt a configuration, judged by the configuration in force, not the one
    /// being adopted: adding yourself as a captain on disk does not make you one.
    public static let adoptingRole = Permissions.captainRole

    /// What differs between the adopted configuration and the files on disk. A configuration
    /// that no longer parses is still compared, by the files the adopted one named.
    public func configurationDiff() throws -> (diff: ConfigDiff, adopted: AdoptedConfig?, loadError: Error?) {
        let state = try store.loadState().state
        let adopted = try store.adoptedFiles(state) ?? []
        do {
            return (ConfigDiff(adopted: adopted, onDisk: try store.loadConfig().files), state.adoptedConfig, nil)
        } catch {
            let onDisk = adopted.map { file in
                let url = file.path.hasPrefix("/") ? URL(fileURLWithPath: file.path) : store.directory.appendingPathComponent(file.path)
                return ConfigFile(path: file.path, bytes: FileManager.default.contents(atPath: url.path))
            }
            return (ConfigDiff(adopted: adopted, onDisk: onDisk), state.adoptedConfig, error)
        }
    }

    /// Nothing after a refused record is believed: as every write but the levers, a configuration
    /// is proposed, approved or adopted only once a captain has set the refused records aside.
    /// The refusal's records, or nil when the store is trusted.
    private func untrusted(_ state: RolloutState, config: RolloutConfig, now: Date, command: String, refusal: inout Refusal?) -> [EventDraft]? {
        guard let why = Readiness(config: config, state: state, now: now).untrustedReason else { return nil }
        refusal = Refusal(why, remedies: [.setAsideRefusedRecords])
        return framed([EventDraft(.actionRefused, EventData(reason: why, command: command))], ending: "refused")
    }

    /// Records the configuration on disk as the one in force. It must load without error.
    /// Returns nil when it already is the adopted one (nothing is written).
    @discardableResult
    public func adoptConfiguration(reason: String, as actor: Actor) throws -> Outcome? {
        if readOnly { throw Refusal("this cockpit is read-only; the configuration was not adopted", remedies: [.openWritable]) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("adopting a configuration needs a reason", remedies: [.fillIn(.reason(example: "what changed and why"))])
        }
        // A named script that does not exist is adopted as absent: creating it later is a change.
        let config = try store.loadConfig()
        let seen = try store.loadState().state
        let inForce = try store.adoptedFiles(seen).map { try RolloutConfigParser.inForce(files: $0) }
        let now = clock.now()
        var refusal: Refusal?
        // The adopting operator signs with a key of the roster in force, not of the one adopted.
        let (actor, key) = signing(actor, config: inForce ?? config)
        let (state, events) = try store.append(actor: actor, now: now, seal: seal(key, config: inForce ?? config)) { state in
            guard state.adoptedConfig == seen.adoptedConfig else {
                refusal = "another configuration was adopted meanwhile (seq \(state.adoptedConfig?.seq ?? 0)); review `golive config diff` and adopt again"
                return framed([EventDraft(.actionRefused, EventData(reason: refusal?.reason, command: "config adopt"))], ending: "refused")
            }
            guard state.adoptedConfig?.sha256 != config.sha256 else { return [] }
            // A store older than adoption has no configuration in force: its first adoption is
            // judged by the files themselves, and the record says so.
            let authority = inForce ?? config
            if let refused = untrusted(state, config: authority, now: now, command: "config adopt", refusal: &refusal) { return refused }
            if let why = Permissions(authority).captainRefusal(actor.operatorID) {
                refusal = Refusal(why + (state.adoptedConfig.map { " (the configuration in force was adopted at seq \($0.seq))" } ?? ""))
                return framed([EventDraft(.actionRefused, EventData(reason: refusal?.reason, command: "config adopt"))], ending: "refused")
            }
            // Loosening takes more than one person: the same rule the judge holds the record to.
            if let inForce, let why = RecordJudge.looseningRefusal(adopting: config.files, digest: config.sha256, by: actor.operatorID,
                                                                   signerKey: Self.fingerprint(key), state: state, config: inForce) {
                refusal = Refusal(why)
                return framed([EventDraft(.actionRefused, EventData(reason: why, command: "config adopt"))], ending: "refused")
            }
            let note = inForce == nil ? "first adoption: no configuration was in force" : nil
            var adoption = EventData(note: note, reason: reason, from: state.adoptedConfig?.sha256, files: config.files, configSha256: config.sha256)
            adoption.previous = state.adoptedConfig.map { AdoptionRef(seq: $0.seq, sha256: $0.sha256) }
            let consents = state.configApprovals.filter { $0.digest == config.sha256 && $0.base == state.adoptedConfig?.sha256 }.map(\.seq)
            if !consents.isEmpty { adoption.approvals = consents }
            adoption.parsedSha256 = ParsedConfigCache.parsedDigest(of: config)
            var drafts = [EventDraft(.configAdopted, adoption)]
            // A stricter configuration can cost a live canary its gate: it holds in the same write.
            if let hold = CanaryWatch.autoHold(Readiness(config: config, state: state.previewing(drafts, actor: actor, now: now), now: now)) {
                drafts.append(hold)
            }
            if let why = DecisionSigner.sign(&drafts, config: inForce ?? config, key: key) {
                refusal = why
                return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: "config adopt"))], ending: "refused")
            }
            return framed(drafts, ending: "completed")
        }
        if let refusal { throw refusal }
        guard !events.isEmpty else { return nil }
        let after = Readiness(config: config, state: state, now: now)
        // Adopting changes the digest every approval is bound to: the captain is told whose lapsed.
        return Outcome(state: state, events: events, readiness: after,
                       consequences: Consequences.of(before: Readiness(config: inForce ?? config, state: seen, now: now), after: after))
    }

    static func fingerprint(_ key: Result<DecisionSigner.Key, Refusal>?) -> String? {
        guard case let .success(k)? = key else { return nil }
        return k.publicKey.fingerprint
    }

    /// What a proposal changes that loosens, against the configuration in force (empty: a captain
    /// adopts it alone).
    public func loosening() throws -> (changes: [String], inForce: RolloutConfig?, onDisk: RolloutConfig) {
        let config = try store.loadConfig()
        guard let files = try store.adoptedFiles(try store.loadState().state) else { return ([], nil, config) }
        let inForce = try RolloutConfigParser.inForce(files: files)
        return (Loosening.changes(from: inForce, to: config), inForce, config)
    }

    /// Puts the configuration on disk to the team: its texts go into the journal, so approvers on
    /// any machine see exactly what they consent to. The proposer's consent counts.
    @discardableResult
    public func proposeConfiguration(reason: String, as actor: Actor) throws -> Outcome {
        if readOnly { throw Refusal("this cockpit is read-only; nothing was proposed", remedies: [.openWritable]) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("a proposal needs a reason", remedies: [.fillIn(.reason(example: "what changes and why"))])
        }
        let (changes, inForce, config) = try loosening()
        guard let inForce else { throw InputError("no configuration is in force yet: adopt the first one with `golive config adopt`") }
        guard !changes.isEmpty else {
            throw InputError("this configuration loosens nothing the canary rests on: a captain adopts it alone with `golive config adopt`")
        }
        return try writeConsent(.configProposed, EventData(note: changes.joined(separator: "; "), reason: reason, from: nil, files: config.files, configSha256: config.sha256),
                                inForce: inForce, as: actor, command: "config propose") { state in
            Permissions(inForce).captainRefusal(actor.operatorID, to: "propose a configuration")
        }
    }

    /// The proposal waiting against the configuration in force, with its texts (from its record)
    /// and what it loosens: what an approver is shown before signing.
    public func pendingProposal() throws -> (approval: ConfigApproval, config: RolloutConfig, changes: [String], diff: ConfigDiff)? {
        let state = try store.loadState().state
        guard let base = state.adoptedConfig, let proposal = state.configApprovals.last(where: { $0.proposal && $0.base == base.sha256 }),
              let line = try store.recordLine(seq: proposal.seq) else { return nil }
        let event = try EventDecoder.decode(Data(line))
        guard let files = event.data.files, let adopted = try store.adoptedFiles(state) else { return nil }
        let proposed = try RolloutConfigParser.inForce(files: files)
        let inForce = try RolloutConfigParser.inForce(files: adopted)
        return (proposal, proposed, Loosening.changes(from: inForce, to: proposed), ConfigDiff(adopted: adopted, onDisk: files))
    }

    /// Consents to the proposal whose digest starts with `digest`, signed and bound to it and to the
    /// configuration in force.
    @discardableResult
    public func approveConfiguration(digest: String, reason: String, as actor: Actor) throws -> Outcome {
        if readOnly { throw Refusal("this cockpit is read-only; nothing was approved", remedies: [.openWritable]) }
        guard let pending = try pendingProposal() else { throw Refusal("there is no proposed configuration to approve") }
        guard digest.count >= 12, pending.approval.digest.hasPrefix(digest.lowercased()) else {
            throw Refusal("changed since you looked: the proposal waiting is \(pending.approval.digest.prefix(12)) (seq \(pending.approval.seq) by \(pending.approval.by)), not \(digest.prefix(12)); read it with `golive config approve` and approve what is there", code: .changedSinceYouLooked)
        }
        let state = try store.loadState().state
        guard let files = try store.adoptedFiles(state) else { throw Refusal("no configuration is in force") }
        let inForce = try RolloutConfigParser.inForce(files: files)
        return try writeConsent(.configApproved, EventData(reason: reason, configSha256: pending.approval.digest), inForce: inForce, as: actor, command: "config approve") { state in
            guard state.configApprovals.contains(where: { $0.proposal && $0.digest == pending.approval.digest && $0.base == state.adoptedConfig?.sha256 }) else {
                return "changed since you looked: the proposal \(pending.approval.digest.prefix(12)) is no longer waiting (adopted or replaced)"
            }
            return Permissions(inForce).configApproverRefusal(actor.operatorID)
        }
    }

    private func writeConsent(_ kind: EventKind, _ data: EventData, inForce: RolloutConfig, as actor: Actor, command: String,
                              refusal check: @escaping (RolloutState) -> String?) throws -> Outcome {
        let (actor, key) = signing(actor, config: inForce)
        let now = clock.now()
        var refusal: Refusal?
        let (state, events) = try store.append(actor: actor, now: now, seal: seal(key, config: inForce)) { state in
            if let refused = untrusted(state, config: inForce, now: now, command: command, refusal: &refusal) { return refused }
            if let why = check(state) {
                refusal = Refusal(why)
                return framed([EventDraft(.actionRefused, EventData(reason: why, command: command))], ending: "refused")
            }
            var d = data
            d.from = state.adoptedConfig?.sha256
            var drafts = [EventDraft(kind, d)]
            if let why = DecisionSigner.sign(&drafts, config: inForce, key: key) {
                refusal = why
                return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: command))], ending: "refused")
            }
            return framed(drafts, ending: "completed")
        }
        if let refusal { throw refusal }
        return Outcome(state: state, events: events, readiness: Readiness(config: inForce, state: state, now: now), consequences: [])
    }
}
