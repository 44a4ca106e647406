import Foundation

/// Everything the gate and the screens need to judge items: config, state and the time.
public struct Readiness: Sendable {
    public let config: RolloutConfig
    public let state: RolloutState
    public let now: Date
    /// Why the store's state.json was not used (the state was rebuilt from the journal), when it
    /// was not: what shows the readiness says so, as `status` does.
    public let storeProblem: String?
    /// Each contour's newest item revision, found once for this state (see `newestRevision`).
    private let newest = Locked<[Contour: Int]?>(nil)
    /// Each item's assessment, made once for this state and time: `status` and the cockpit's
    /// first frame asked for every item three or four times (the summary, the gate, the canary's
    /// verdict, the lists), a sixth of their time at 8,000 items.
    private let assessed = Locked<[String: Assessment]>([:])
    private let assessedInOrder = Locked<[Assessment]?>(nil)
    /// How many assessments and verdicts were made (not read back): what the tests count.
    let made = Locked((assessments: 0, verdicts: 0))
    private let counted = Locked<[Contour: ContourSummary]?>(nil)
    /// The gate's verdict on this state at this time (`Gate.evaluate`): the report and the
    /// canary's overview each asked for it.
    let verdict = Locked<GateVerdict?>(nil)

    public init(config: RolloutConfig, state: RolloutState, now: Date, storeProblem: String? = nil) {
        self.config = config
        self.state = state
        self.now = now
        self.storeProblem = storeProblem
    }

    public func assess(_ item: ItemDefinition) -> Assessment {
        if let all = assessedInOrder.withLock({ $0 }), let i = config.definitions.position(of: item.id) { return all[i] }
        if let kept = assessed.withLock({ $0[item.id] }) { return kept }
        let assessment = assessNow(item, state.item(item.id))
        assessed.withLock { $0[item.id] = assessment }
        made.withLock { $0.assessments += 1 }
        return assessment
    }

    /// Every item's assessment in catalog order, made once for this state and time (on two cores
    /// for a large catalog), for what goes through them all: the counts, the gate's blockers, the
    /// lists. Looking each one up by id in `assessed`, three or four passes over 8,000 items,
    /// cost `status` as much as assessing them (issue 30). An item already assessed alone keeps
    /// that assessment (the same, for the same state and time) and is not counted again.
    public func assessments() -> [Assessment] {
        if let kept = assessedInOrder.withLock({ $0 }) { return kept }
        let catalog = config.catalog
        let before = assessed.withLock { $0 }
        let read = state.items.reader()
        let assess: @Sendable (Int) -> Assessment = { [self] i in
            // Nothing assessed alone yet (as in `status`): no lookup per item in an empty table.
            (before.isEmpty ? nil : before[catalog[i].id]) ?? assessNow(catalog[i], read(catalog[i].id) ?? ItemState())
        }
        let all: [Assessment]
        if catalog.count >= 512 {
            let halves = BackgroundWork.inHalves(catalog.count) { part in part.map(assess) }
            all = halves.first + halves.second
        } else {
            all = catalog.indices.map(assess)
        }
        made.withLock { $0.assessments += before.isEmpty ? catalog.count : catalog.count(where: { before[$0.id] == nil }) }
        assessedInOrder.withLock { $0 = all }
        return all
    }

    private func assessNow(_ item: ItemDefinition, _ s: ItemState) -> Assessment {
        if let waiver = s.waiver, s.status == .waived {
            if waiver.expires > now {
                return Assessment(status: .waived, standing: .satisfied, detail: "waived until \(Timestamp.short(waiver.expires)): \(waiver.reason)")
            }
            if item.derivedFromCapabilityField == nil {
                return Assessment(status: .waived, standing: .open, detail: "waiver expired \(Timestamp.short(waiver.expires))")
            }
        }
        if let field = item.derivedFromCapabilityField {
            if config.capabilities.isEmpty {
                return Assessment(status: .open, standing: .open, detail: "no capabilities declared in rollout.yaml")
            }
            let missing = config.capabilities.filter { $0.missingFields.contains(field) }.map(\.name)
            if missing.isEmpty {
                return Assessment(status: .passed, standing: .satisfied, detail: "all \(config.capabilities.count) capabilities declare \(field.rawValue)")
            }
            return Assessment(status: .failed, standing: .failed, detail: "missing in: " + missing.joined(separator: ", "))
        }
        switch s.status {
        case .passed:
            if let maxAge = item.probe?.maxAgeMinutes, let at = s.resultAt, now.timeIntervalSince(at) > Double(maxAge) * 60 {
                return Assessment(status: .passed, standing: .open, detail: "evidence from \(Timestamp.short(at)) is older than \(maxAge) min")
            }
            return Assessment(status: .passed, standing: .satisfied, detail: s.note ?? "passed")
        case .not_applicable:
            return Assessment(status: .not_applicable, standing: .satisfied, detail: "not applicable: \(s.note ?? "")")
        case .failed:
            return Assessment(status: .failed, standing: .failed, detail: s.note ?? "failed")
        case .open, .waived:
            if let last = s.evidence.last { return Assessment(status: .open, standing: .open, detail: "last note: \(last.text)") }
            return Assessment(status: .open, standing: .open, detail: "not checked yet")
        }
    }

    public func assess(id: String) -> Assessment? { config.item(id).map(assess) }

    /// A fingerprint of a contour's items, their results and definitions (and, for capabilities, of
    /// rollout.yaml's capabilities): a sign-off is bound to it and goes stale when it changes.
    /// The items enter by the seq of the newest change to any of them: every change to an item
    /// (a result, a note, evidence, a waiver) gives it that record's seq, so the newest one moves
    /// with each. It reads `itemRevisions` and the definitions' kept digest, never an item's state
    /// or definition: a write at 8,000 items with sign-offs decoded every item of the contour (issue 30).
    public func contourHash(_ contour: Contour) -> String {
        var text = "2|\(contour.rawValue)|\(config.definitions.definitionsDigest(contour))|\(newestRevision(in: contour))"
        if contour == .capabilities {
            for cap in config.capabilities.sorted(by: { $0.name < $1.name }) {
                text += "|cap:\(cap.name)"
                for f in CapabilityField.allCases { text += ":\(cap.fields[f] ?? "")" }
                text += ":\(cap.highRisk):\(cap.directAccess)"
            }
        }
        return Digest.sha256Hex(Data(text.utf8))
    }

    /// The seq of the newest change to any item of the contour (0 when none changed), found for
    /// every contour at once (`ItemRevisions.newestByContour`). Looking up each of a contour's items
    /// was half of a write in the store agent at 8,000 items (a write judges the sign-offs before
    /// and after it).
    func newestRevision(in contour: Contour) -> Int {
        if let found = newest.withLock({ $0 }) { return found[contour] ?? 0 }
        let found = state.itemRevisions.newestByContour(config.definitions)
        newest.withLock { $0 = found }
        return found[contour] ?? 0
    }

    public enum SignOffStanding: String, Sendable { case fresh, stale, missing }

    public func signoffs(for contour: Contour) -> [(SignOff, SignOffStanding)] {
        let made = state.signoffs.filter { $0.contour == contour }
        // The contour's digest covers every item in it: not computed when there is nothing to compare.
        guard !made.isEmpty else { return [] }
        let hash = contourHash(contour)
        let allowed = Permissions(config).signOffRoles(contour)
        // Fresh while the contour is as it was signed, and the signer is still on the team, still
        // holds the role, and the policy still lets that role sign this contour.
        return made.map { signOff in
            let stillHolds = config.member(signOff.by)?.roles.contains(signOff.role) == true && allowed.contains(signOff.role)
            return (signOff, signOff.itemsHash == hash && stillHolds ? .fresh : .stale)
        }
    }

    public func signoffStanding(_ contour: Contour) -> SignOffStanding {
        let list = signoffs(for: contour)
        if list.contains(where: { $0.1 == .fresh }) { return .fresh }
        return list.isEmpty ? .missing : .stale
    }

    public struct ContourSummary: Sendable {
        public var contour: Contour
        public var total: Int
        public var satisfied: Int
        public var failed: Int
        public var openBlockers: Int
        public var signoff: SignOffStanding

        /// A contour with nothing counted yet (its sign-off is asked for apart).
        init(_ contour: Contour) {
            self.init(contour: contour, total: 0, satisfied: 0, failed: 0, openBlockers: 0, signoff: .missing)
        }

        public init(contour: Contour, total: Int, satisfied: Int, failed: Int, openBlockers: Int, signoff: SignOffStanding) {
            (self.contour, self.total, self.satisfied, self.failed, self.openBlockers, self.signoff) = (contour, total, satisfied, failed, openBlockers, signoff)
        }
    }

    public func summary(_ contour: Contour) -> ContourSummary {
        var sum = counts()[contour] ?? ContourSummary(contour)
        sum.signoff = signoffStanding(contour)
        return sum
    }

    /// Every contour's counts, in one pass over the catalog: the screens ask for all seven, and
    /// filtering the catalog once per contour copied every definition seven times.
    private func counts() -> [Contour: ContourSummary] {
        if let kept = counted.withLock({ $0 }) { return kept }
        var all: [Contour: ContourSummary] = [:]
        for (item, a) in zip(config.catalog, assessments()) {
            var sum = all[item.contour] ?? ContourSummary(item.contour)
            sum.total += 1
            switch a.standing {
            case .satisfied: sum.satisfied += 1
            case .failed: sum.failed += 1
            case .open: break
            }
            if item.severity == .blocker && a.standing != .satisfied { sum.openBlockers += 1 }
            all[item.contour] = sum
        }
        counted.withLock { $0 = all }
        return all
    }

    /// Why the configuration read from disk is not the one the journal adopted, in words; nil when
    /// it is. A configuration built in memory (no files read) is not compared.
    /// Why the journal cannot be relied on now, or nil: records the judge refused stand in it.
    /// Whether the state is a shared store's copy whose server cannot be reached now.
    public var notCurrent: Bool { state.refused.first?.kind == Store.unreachableKind }

    public var untrustedReason: String? {
        guard let first = state.refused.first else { return nil }
        // A copy whose server is silent is not refused by anyone: it is waiting, and says for what.
        if notCurrent {
            return "\(first.reason); only hold and rollback act (here, shared when the server answers)"
        }
        let more = state.refused.count - 1
        return "the store is UNTRUSTED from seq \(first.seq): \(first.summary)\(more > 0 ? " (and \(more) more refused record(s))" : ""); nothing refused is believed, and only hold and rollback act until a captain sets the refused records aside"
    }

    /// A loosening configuration proposed against the one in force and waiting for consents, in
    /// one line for every surface; nil when there is none.
    public var pendingProposal: String? {
        guard let base = state.adoptedConfig,
              let proposal = state.configApprovals.last(where: { $0.proposal && $0.base == base.sha256 }) else { return nil }
        var people: [String] = []
        for a in state.configApprovals where a.digest == proposal.digest && a.base == base.sha256 && !people.contains(a.by) { people.append(a.by) }
        let needed = config.policy.approvals.exposureIncrease
        return "configuration \(proposal.digest.prefix(12)) proposed by \(proposal.by) at seq \(proposal.seq) loosens what the canary rests on and is NOT in force: \(people.count) of \(needed) consents (\(people.joined(separator: ", "))); others read and approve it with `golive config approve`, then a captain adopts it"
    }

    public var configurationChange: String? {
        guard !config.files.isEmpty else { return nil }
        guard let adopted = state.adoptedConfig else {
            return "no configuration has been adopted into the journal; an operator with the captain role adopts it with `golive config adopt`"
        }
        guard adopted.sha256 != config.sha256 else { return nil }
        let onDisk = Dictionary(config.files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        let changes = Set(onDisk.keys).union(adopted.files.keys).sorted().compactMap { path -> String? in
            switch (adopted.files[path], onDisk[path]) {
            case (nil, _): return "\(path) newly named"
            case (_, nil): return "\(path) no longer named"
            case let (was?, now?) where was != now:
                return now == ConfigFile.absent ? "\(path) deleted" : was == ConfigFile.absent ? "\(path) created" : "\(path) edited"
            default: return nil
            }
        }
        return "configuration changed outside the journal (\(changes.joined(separator: ", "))) since seq \(adopted.seq), adopted by \(adopted.by); review it with `golive config diff`, then a captain adopts it with `golive config adopt`"
    }

    /// The state a verdict was computed on, which approvals bind to: the last record that moved an
    /// input of the verdict, the adopted files, and the standing of each sign-off the gate requires
    /// (a note can make one stale; it is otherwise not an input).
    public func stateHash(requiredSignoffs standings: [(Contour, SignOffStanding)]) -> String {
        var text = state.readinessHead + ":" + config.sha256
        for (contour, standing) in standings { text += ":\(contour.rawValue)=\(standing.rawValue)" }
        return Digest.sha256Hex(Data(text.utf8))
    }

    public var stateHash: String {
        stateHash(requiredSignoffs: config.policy.approvals.requireSignoff.map { ($0, signoffStanding($0)) })
    }
}
