import Foundation

/// Who vouches for a snapshot. state.json is believed when the journal commits to its digest; in
/// a signed rollout only a commitment signed by its writer counts (anyone who can write the folder
/// can append an unsigned one), and the configuration that names that writer's key must itself
/// have been adopted by a captain of the one before it, back to the first.
extension Store {
    /// Why the commitment `event` (at `line`) does not vouch for `state`, or nil when it does.
    /// `judged`: the adoption the state names, already judged (on another core, while the state's
    /// items were read); used only if it is the one the decoded state names.
    func commitmentProblem(_ event: Event, line: ArraySlice<UInt8>, state: RolloutState, judged: AdoptionJudgement? = nil) -> String? {
        guard let adopted = state.adoptedConfig else { return nil }
        let judgement = judged.flatMap { $0.adopted == adopted ? $0 : nil } ?? AdoptionJudgement(adopted, in: self)
        let config: RolloutConfig
        switch judgement.config {
        case let .failure(why): return why.message
        case let .success(found): config = found
        }
        guard config.identity == .signed else { return nil }
        let signer = try? line.withUnsafeBufferPointer { try Journal.signingKey(of: $0) }
        guard let signer, config.member(event.actor)?.keys.contains(signer) == true, event.data.rollout == config.name else {
            return "the record that commits to it (seq \(event.seq)) is not signed by its writer's key in the roster in force; in a signed rollout only a signed commitment is believed"
        }
        return nil
    }

    /// The adoption a snapshot names, judged: its chain of adoptions walked back, and the
    /// configuration it put in force read (or why not). It needs none of the state's items.
    struct AdoptionJudgement: Sendable {
        let adopted: AdoptedConfig
        let config: Result<RolloutConfig, ProofFailure>

        init(_ adopted: AdoptedConfig, in store: Store) {
            self.adopted = adopted
            config = Self.judge(adopted, in: store)
        }

        private static func judge(_ adopted: AdoptedConfig, in store: Store) -> Result<RolloutConfig, ProofFailure> {
            // The adoptions first: the configuration they put in force is read (and a kept parse
            // of it believed) only once each of them is shown to stand.
            var walked: (files: [ConfigFile], parsed: String?)?
            if let why = store.adoptionChainProblem(AdoptionRef(seq: adopted.seq, sha256: adopted.sha256), inForce: &walked) {
                return .failure(ProofFailure(message: why))
            }
            var inForce = ConfigInForce(store: store)
            // The adoption just judged in the walk, its files checked against their hashes: not
            // read from the journal a second time (a megabyte of text at 8,000 items).
            if let walked { inForce.adopted(walked.files, parsed: walked.parsed) }
            var named = RolloutState()
            named.adoptedConfig = adopted
            switch inForce.config(for: named) {
            case let .failure(why): return .failure(ProofFailure(message: why.message))
            case .success(nil): return .failure(ProofFailure(message: "the configuration it names (seq \(adopted.seq)) is not in the journal"))
            case let .success(found?): return .success(found)
            }
        }
    }

    /// Walks the adoptions back from `ref`, judging each by the configuration before it
    /// (`RecordJudge`, as the fold would have); nil when every one stands. `inForce`: the files
    /// and vouched parse of `ref` itself, when it was read and judged in this walk.
    func adoptionChainProblem(_ ref: AdoptionRef, inForce: inout (files: [ConfigFile], parsed: String?)?) -> String? {
        var next: AdoptionRef? = ref
        var walked: [String] = []
        while let ref = next {
            // Trusted by this process only as the very record it judged (by its hash, read from the
            // record's end where this process last found it): a journal replaced or rewritten under a
            // long-lived process (the store agent, a cockpit) has its adoptions judged again.
            let key = "\(directory.path) \(ref.seq) \(ref.sha256)"
            if let hash = recordHashAtItsEnd(seq: ref.seq), Store.trustedAdoptions.withLock({ $0.contains(key + " " + hash) }) { break }
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
                // The consents it names, each judged and applied as the fold would: only a proposal
                // or approval of it, between the two adoptions, that the judge lets stand counts.
                let named = (event.data.approvals.map(Set.init) ?? consentsJustBefore(ref, since: previous)).filter { $0 > previous.seq && $0 < ref.seq }
                for (_, line) in ((try? lines(seqs: named)) ?? []).sorted(by: { $0.seq < $1.seq }) {
                    // Unsigned is judged as unsigned (the rollout may ask for no signatures); a
                    // signature that does not verify is no consent.
                    guard line.withUnsafeBufferPointer({ Journal.hashMatches($0) }),
                          let consent = try? line.withUnsafeBufferPointer({ try EventDecoder.decode($0) }),
                          consent.kind == .configProposed || consent.kind == .configApproved, consent.data.configSha256 == ref.sha256,
                          case let .success(signer) = Result(catching: { try line.withUnsafeBufferPointer { try Journal.signingKey(of: $0) } }),
                          RecordJudge.refusal(consent, signer: signer, state: before, config: parsed) == nil else { continue }
                    before.apply(consent)
                }
            } else if event.data.from != nil {
                return "the adoption at seq \(ref.seq) does not name the one it replaced (written by an older golive)"
            } else {
                config = nil
            }
            if let why = RecordJudge.refusal(event, signer: signer, state: before, config: config) {
                return "the adoption at seq \(ref.seq) behind it does not stand: \(why)"
            }
            walked.append(key + " " + event.hash)
            if walked.count == 1, let files = event.data.files { inForce = (files, event.data.parsedSha256) }
            next = event.data.previous
        }
        Store.trustedAdoptions.withLock { $0.formUnion(walked) }
        return nil
    }

    /// The seqs of the proposals and approvals among the records just before an adoption that names
    /// none (written before adoptions named their consents), after the one it replaced and at most
    /// `consentsLookBack` back: read in one piece, only the kinds picked out. Judged where used.
    func consentsJustBefore(_ ref: AdoptionRef, since previous: AdoptionRef) -> Set<Int> {
        let first = max(previous.seq + 1, ref.seq - Store.consentsLookBack)
        guard first < ref.seq, let fd = try? SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        guard let index = try? JournalIndex(fd: fd, path: journalURL.path),
              let start = (try? index.offset(ofSeq: first)) ?? nil, let end = (try? index.offset(ofSeq: ref.seq)) ?? nil, end > start,
              let bytes = try? SystemCall.readExactly(fd, count: end - start, at: start, path: journalURL.path) else { return [] }
        let kinds = [EventKind.configProposed, .configApproved].map { Array(#""kind":"\#($0.rawValue)""#.utf8) }
        var found: Set<Int> = []
        for line in bytes.split(separator: 0x0a) where kinds.contains(where: { line.firstRange(of: $0) != nil }) {
            if let seq = JournalIndex.seq(atStartOf: line) { found.insert(seq) }
        }
        return found
    }

    /// How far back an adoption that names no consents has them looked for.
    static let consentsLookBack = 4_096

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
