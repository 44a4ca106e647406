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

    /// Records the configuration on disk as the one in force. It must load without error.
    /// Returns nil when it already is the adopted one (nothing is written).
    @discardableResult
    public func adoptConfiguration(reason: String, as actor: Actor) throws -> Outcome? {
        if readOnly { throw Refusal("this cockpit is read-only (--readonly); the configuration was not adopted") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("adopting a configuration needs a reason: --reason \"what changed and why\"")
        }
        // A named script that does not exist is adopted as absent: creating it later is a change.
        let config = try store.loadConfig()
        let seen = try store.loadState().state
        let inForce = try store.adoptedFiles(seen).map { try RolloutConfigParser.inForce(files: $0) }
        let now = clock.now()
        var refusal: String?
        // The adopting operator signs with a key of the roster in force, not of the one adopted.
        let (actor, key) = signing(actor, config: inForce ?? config)
        let (state, events) = try store.append(actor: actor, now: now, seal: seal(key, config: inForce ?? config)) { state in
            guard state.adoptedConfig == seen.adoptedConfig else {
                refusal = "another configuration was adopted meanwhile (seq \(state.adoptedConfig?.seq ?? 0)); review `golive config diff` and adopt again"
                return framed([EventDraft(.actionRefused, EventData(reason: refusal, command: "config adopt"))], ending: "refused")
            }
            guard state.adoptedConfig?.sha256 != config.sha256 else { return [] }
            // A store older than adoption has no configuration in force: its first adoption is
            // judged by the files themselves, and the record says so.
            let authority = inForce ?? config
            if let why = Permissions(authority).captainRefusal(actor.operatorID) {
                refusal = why + (state.adoptedConfig.map { " (the configuration in force was adopted at seq \($0.seq))" } ?? "")
                return framed([EventDraft(.actionRefused, EventData(reason: refusal, command: "config adopt"))], ending: "refused")
            }
            let note = inForce == nil ? "first adoption: no configuration was in force" : nil
            var adoption = EventData(note: note, reason: reason, from: state.adoptedConfig?.sha256, files: config.files, configSha256: config.sha256)
            adoption.previous = state.adoptedConfig.map { AdoptionRef(seq: $0.seq, sha256: $0.sha256) }
            var drafts = [EventDraft(.configAdopted, adoption)]
            // A stricter configuration can cost a live canary its gate: it holds in the same write.
            if let hold = CanaryWatch.autoHold(Readiness(config: config, state: state.previewing(drafts, actor: actor, now: now), now: now)) {
                drafts.append(hold)
            }
            if let why = DecisionSigner.sign(&drafts, config: inForce ?? config, key: key) {
                refusal = why
                return framed([EventDraft(.actionRefused, EventData(reason: why, command: "config adopt"))], ending: "refused")
            }
            return framed(drafts, ending: "completed")
        }
        if let refusal { throw Refusal(refusal) }
        guard !events.isEmpty else { return nil }
        let after = Readiness(config: config, state: state, now: now)
        // Adopting changes the digest every approval is bound to: the captain is told whose lapsed.
        return Outcome(state: state, events: events, readiness: after,
                       consequences: Consequences.of(before: Readiness(config: inForce ?? config, state: seen, now: now), after: after))
    }
}
