import Foundation

/// Who vouches for a snapshot. state.json is believed when the journal commits to its digest; in
/// a signed rollout only a commitment signed by its writer counts (anyone who can write the folder
/// can append an unsigned one), and the configuration that names that writer's key must itself
/// have been adopted by a captain of the one before it, back to the first.
extension Store {
    /// Why the commitment `event` (at `line`) does not vouch for `state`, or nil when it does.
    func commitmentProblem(_ event: Event, line: ArraySlice<UInt8>, state: RolloutState) -> String? {
        guard let adopted = state.adoptedConfig else { return nil }
        // The adoptions first: the configuration they put in force is read (and a kept parse of
        // it believed) only once each of them is shown to stand.
        if let why = adoptionChainProblem(AdoptionRef(seq: adopted.seq, sha256: adopted.sha256)) { return why }
        var inForce = ConfigInForce(store: self)
        let config: RolloutConfig
        switch inForce.config(for: state) {
        case let .failure(why): return why.message
        case .success(nil): return "the configuration it names (seq \(adopted.seq)) is not in the journal"
        case let .success(found?): config = found
        }
        guard config.identity == .signed else { return nil }
        let signer = try? line.withUnsafeBufferPointer { try Journal.signingKey(of: $0) }
        guard let signer, config.member(event.actor)?.keys.contains(signer) == true, event.data.rollout == config.name else {
            return "the record that commits to it (seq \(event.seq)) is not signed by its writer's key in the roster in force; in a signed rollout only a signed commitment is believed"
        }
        return nil
    }

    /// Walks the adoptions back from `ref`, judging each by the configuration before it
    /// (`RecordJudge`, as the fold would have); nil when every one stands.
    func adoptionChainProblem(_ ref: AdoptionRef) -> String? {
        var next: AdoptionRef? = ref
        var walked: [String] = []
        while let ref = next {
            let key = "\(directory.path) \(ref.seq) \(ref.sha256)"
            if Store.trustedAdoptions.withLock({ $0.contains(key) }) { break }
            guard let (event, signer) = adoptionRecord(ref) else {
                return "the adoption at seq \(ref.seq) behind it is not in the journal as named"
            }
            var before = RolloutState()
            let config: RolloutConfig?
            if let previous = event.data.previous {
                guard let (earlier, _) = adoptionRecord(previous), let files = earlier.data.files,
                      let parsed = try? RolloutConfigParser.inForce(files: files, vouched: earlier.data.parsedSha256, stands: false),
                      parsed.sha256 == previous.sha256 else {
                    return "the adoption at seq \(previous.seq), which seq \(ref.seq) replaced, cannot be read"
                }
                before.adoptedConfig = AdoptedConfig(sha256: previous.sha256, seq: previous.seq, by: earlier.actor, at: earlier.ts, files: [:])
                config = parsed
            } else if event.data.from != nil {
                return "the adoption at seq \(ref.seq) does not name the one it replaced (written by an older golive)"
            } else {
                config = nil
            }
            if let why = RecordJudge.refusal(event, signer: signer, state: before, config: config) {
                return "the adoption at seq \(ref.seq) behind it does not stand: \(why)"
            }
            walked.append(key)
            next = event.data.previous
        }
        Store.trustedAdoptions.withLock { $0.formUnion(walked) }
        return nil
    }

    /// The adoption record `ref` names, checked against its own hash, with its signer.
    func adoptionRecord(_ ref: AdoptionRef) -> (Event, SSHPublicKey?)? {
        guard let (_, line) = try? lines(seqs: [ref.seq]).first,
              line.withUnsafeBufferPointer({ Journal.hashMatches($0) }),
              let event = try? line.withUnsafeBufferPointer({ try EventDecoder.decode($0) }),
              event.kind == .configAdopted, event.data.configSha256 == ref.sha256 else { return nil }
        // A signature that does not verify is no adoption at all; none at all is judged below.
        do { return (event, try line.withUnsafeBufferPointer { try Journal.signingKey(of: $0) }) } catch { return nil }
    }

    /// Adoptions already walked in this process (by store, seq and digest): a command reads the
    /// state more than once.
    static let trustedAdoptions = Locked<Set<String>>([])
}
