import Foundation

/// The one entry point for every change. It checks the operator's role and the policy's guards
/// before anything is written, journals refusals with their reason, and appends accepted events.
public struct Cockpit: Sendable {
    public let store: Store
    public let clock: TimeSource
    public let readOnly: Bool
    /// A CLI command is a session of its own: its events are framed by session.started/ended in the
    /// same append. The cockpit opens one long session instead (`openSession`/`closeSession`).
    public let commandSession: SessionInfo?
    public let hookRunner: HookRunner
    /// Where the acting operator's key is found, in a signed rollout.
    public let signer: DecisionSigner

    public init(store: Store, clock: TimeSource = .system, readOnly: Bool = false, commandSession: SessionInfo? = nil,
                hookRunner: HookRunner = .process, signer: DecisionSigner = .fromEnvironment()) {
        self.signer = signer
        self.store = store
        self.clock = clock
        self.readOnly = readOnly
        self.commandSession = commandSession
        self.hookRunner = hookRunner
    }

    /// `ending` nil leaves the command's session open: a transition's hook result follows in a later append.
    func framed(_ drafts: [EventDraft], ending reason: String?, opening: Bool = true) -> [EventDraft] {
        guard let info = commandSession else { return drafts }
        return (opening ? [EventDraft(.sessionStarted, EventData(session: info))] : []) + drafts
            + (reason.map { [EventDraft(.sessionEnded, EventData(reason: $0))] } ?? [])
    }

    public func openSession(_ info: SessionInfo, as actor: Actor) throws {
        guard !readOnly else { return }
        let (actor, seal) = sealing(actor)
        try store.append(actor: actor, now: clock.now(), seal: seal) { _ in [EventDraft(.sessionStarted, EventData(session: info))] }
    }

    public func closeSession(reason: String, as actor: Actor) throws {
        guard !readOnly else { return }
        let (actor, seal) = sealing(actor)
        try store.append(actor: actor, now: clock.now(), seal: seal) { _ in [EventDraft(.sessionEnded, EventData(reason: reason))] }
    }

    /// The signature that seals a write of `actor`'s in a signed rollout (see `Store.Seal`), when
    /// their key is at hand; the actor with its fingerprint.
    func sealing(_ actor: Actor, config: RolloutConfig? = nil) -> (Actor, Store.Seal?) {
        guard let config = config ?? (try? store.loadConfigForLevers()) else { return (actor, nil) }
        let (signed, key) = signing(actor, config: config)
        return (signed, seal(key, config: config))
    }

    func seal(_ key: Result<DecisionSigner.Key, Refusal>?, config: RolloutConfig) -> Store.Seal? {
        guard case let .success(key)? = key else { return nil }
        return Store.Seal(rollout: config.name, key: key.publicKey, unattended: key.unattended) { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix)).base64 }
    }

    /// Journals the verdict an operator was shown. Anyone may read the gate, so no role is needed.
    /// The same verdict shown to the same operator again, with nothing journaled since (CI
    /// polling `golive gate`), is not journaled again: the journal says it once.
    public func recordShown(_ verdict: GateVerdict, surface: String, as actor: Actor) throws {
        guard !readOnly else { return }
        let shown = ShownVerdict(verdict, surface: surface)
        let tail = try store.recentEvents(limit: 3)
        let (actor, seal) = sealing(actor)
        try store.append(actor: actor, now: clock.now(), seal: seal) { state in
            if let last = tail.last, last.seq == state.seq, Self.alreadyShown(shown, to: actor.operatorID, tail: tail) { return [] }
            return framed([EventDraft(.gateShown, EventData(verdict: shown))], ending: "completed")
        }
    }

    static func alreadyShown(_ shown: ShownVerdict, to operatorID: String, tail: [Event]) -> Bool {
        guard let i = tail.lastIndex(where: { $0.kind == .gateShown }), tail[i].actor == operatorID, tail[i].data.verdict == shown else { return false }
        return tail[(i + 1)...].allSatisfy { $0.kind == .sessionEnded && $0.actor == operatorID }
    }

    public struct Outcome: Sendable {
        public var state: RolloutState
        public var events: [Event]
        /// The readiness after the command, so that neither front end reads the store again to show it.
        public var readiness: Readiness
        /// What the command did to other people's decisions (approvals and sign-offs it made stale).
        public var consequences: [String] = []
        /// The transition hook's result, when the command moved traffic through one.
        public var hook: HookResult?
        /// The hook finished after its transition was reconciled or replaced: journaled, not counted.
        public var lateResult = false
        /// Alerts the command raised that could not be delivered (they are journaled as such).
        public var alertProblems: [String] = []
    }

    /// The command on the store as it stands (`perform` decides first whether the shared store is there).
    func performHere(_ command: Command, as actor: Actor, expecting: SeenState?) throws -> Outcome {
        if readOnly {
            // Review mode writes nothing, not even the refusal.
            throw Refusal("this cockpit is read-only; \(command.named) was not performed", remedies: [.openWritable])
        }
        // The emergency levers work past a write that did not complete (they set it aside in their
        // own write) and past a broken part of the configuration (they need only the team and hook).
        let lever = command.isLever
        let config = lever ? try store.loadConfigForLevers() : try store.loadConfig()
        try validate(command, config: config)
        // Found before the lock: asking an agent takes a round trip. Who may sign is checked
        // against the roster of this configuration; the rules then count the key, not the name.
        let (actor, key) = signing(actor, config: config)
        let now = clock.now()
        var refusal: Refusal?
        var notices: [String] = []
        var hookTransition: CanaryTransition?
        var before: Readiness?
        let appended: (RolloutState, [Event])
        do { appended = try store.append(actor: actor, now: now, settingAsideTornWrite: lever, seal: seal(key, config: config)) { state in
            let readiness = Readiness(config: config, state: state, now: now)
            // The items before the write are kept only when the alerts read them (Consequences
            // reads `itemRevisions` and digests only), and then as a copy of their own: the write
            // must hold its state alone to apply its records in place (Store.commit checks it);
            // a copy of every item's state was 5% of a write at 2,000 items.
            let judged = AlertDetector.readsItems(before: state)
            before = Readiness(config: config, state: judged ? state.withOwnItems : state.withoutItems, now: now)
            // What the person confirmed must still be what is there: else nothing happens.
            let mismatch = expecting?.mismatch(command, readiness)
            let decision = mismatch.map { Decision.refuse(Refusal($0, code: .changedSinceYouLooked)) } ?? Self.decide(command, actor: actor, readiness: readiness)
            switch decision {
            case let .accept(drafts):
                notices = Self.notices(command, actor: actor, readiness: readiness)
                var all = drafts
                // Watch: whatever costs a live canary its gate (this change, or time: a waiver that
                // expired with no cockpit open) holds it in the same append, at every command.
                // Only a live canary under auto_hold is held, and only canary records move it: the
                // look ahead (a copy of every item's state) is made only when one may be held.
                let mayHold = config.policy.canary.autoHold && (state.canary.stage.isLive || drafts.contains { $0.kind.movesCanary })
                if mayHold, !drafts.contains(where: { $0.kind == .canaryHeld }),
                   let hold = CanaryWatch.autoHold(Readiness(config: config, state: state.previewing(drafts, actor: actor, now: now), now: now)) {
                    all.append(hold)
                }
                if let why = DecisionSigner.sign(&all, config: config, key: key) {
                    refusal = why
                    return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: command.spelled))], ending: "refused")
                }
                hookTransition = Self.awaitingHook(all)
                return framed(all, ending: hookTransition == nil ? "completed" : nil)
            case let .refuse(why):
                refusal = why
                return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: command.spelled))], ending: "refused")
            }
        } } catch let failure as DecisionSigner.SigningFailure {
            // Nothing was written: the refusal is, like any other, unsigned.
            let why = "not signed, so not done: \(failure.reason)"
            _ = try? store.append(actor: actor, now: clock.now(), settingAsideTornWrite: lever, seal: nil) { _ in
                framed([EventDraft(.actionRefused, EventData(reason: why, command: command.spelled))], ending: "refused")
            }
            throw Refusal(why)
        }
        let (state, events) = appended
        if let refusal { throw refusal }
        let readiness = Readiness(config: config, state: state, now: now)
        let consequences = notices + (before.map { Consequences.of(before: $0, after: readiness) } ?? [])
        guard let transition = hookTransition, let command = config.transitionHook else {
            var outcome = Outcome(state: state, events: events, readiness: readiness, consequences: consequences,
                                  hook: events.last { $0.kind == .canaryTransitionDone }?.data.hook)
            outcome.alertProblems = alert(events, before: before, after: readiness, config: config, actor: actor)
            return outcome
        }
        // The hook runs outside the lock: other operators can still hold, approve or read meanwhile.
        let result = hookRunner.run(.init(transition: transition, command: command, store: store, config: config, operatorID: actor.operatorID,
                                          timeoutSeconds: config.policy.canary.hookTimeoutSeconds))
        let kind: EventKind = result.outcome == .applied ? .canaryTransitionDone : result.outcome == .unknown ? .canaryOutcomeUnknown : .canaryTransitionFailed
        var late = false
        // The hook has acted: its outcome is written whatever the key does. A key that does not
        // sign now (an agent past its deadline) leaves the outcome unsigned, which the judge takes
        // for a rollback's and records as a late result for any other move.
        func recordOutcome(_ key: Result<DecisionSigner.Key, Refusal>?) throws -> (RolloutState, [Event]) {
        try store.append(actor: actor, now: clock.now(), settingAsideTornWrite: lever, seal: seal(key, config: config)) { current in
            // Under the lock: is this still the transition in flight? It may have been reconciled
            // (its process looked dead) or replaced while the hook ran.
            let leaseEnds = (current.canary.pendingSince ?? .distantPast).addingTimeInterval(CanaryEngine.leaseSeconds(config))
            guard current.canary.pending?.id == transition.id, !current.canary.pendingUnknown, clock.now() <= leaseEnds else {
                late = true
                let why = current.canary.pending.map { $0.id == transition.id && !current.canary.pendingUnknown
                    ? "its lease expired at \(Timestamp.short(leaseEnds)) (\(Format.duration(CanaryEngine.leaseSeconds(config))) after it started): only a reconcile settles it now"
                    : "now in flight: \($0.title)" } ?? "it was reconciled meanwhile"
                return framed([EventDraft(.canaryResultLate, EventData(reason: why, transition: transition, hook: result))],
                              ending: "hook result late", opening: false)
            }
            // The outcome is signed like the move it settles (a rollback's, as a lever, when a key is at hand).
            var outcome = [EventDraft(kind, EventData(transition: transition, hook: result))]
            if let why = DecisionSigner.sign(&outcome, config: config, key: key) {
                return framed([EventDraft(.canaryResultLate, EventData(reason: "the hook's outcome could not be signed: \(why)", transition: transition, hook: result))],
                              ending: "hook outcome unsigned", opening: false)
            }
            return framed(outcome, ending: result.outcome == .applied ? "completed" : "hook \(result.outcome.rawValue)", opening: false)
        }
        }
        let (after, more): (RolloutState, [Event])
        do { (after, more) = try recordOutcome(key) } catch let failure as DecisionSigner.SigningFailure {
            (after, more) = try recordOutcome(.failure(Refusal("the key did not sign: \(failure.reason)")))
        }
        let final = Readiness(config: config, state: after, now: clock.now())
        var outcome = Outcome(state: after, events: events + more, readiness: final, consequences: consequences, hook: result, lateResult: late)
        outcome.alertProblems = alert(events + more, before: before, after: final, config: config, actor: actor)
        return outcome
    }

    /// The actor with the fingerprint of the key they sign with, and the key (or why there is none).
    func signing(_ actor: Actor, config: RolloutConfig) -> (Actor, Result<DecisionSigner.Key, Refusal>?) {
        var actor = actor
        let key = signingKey(for: actor.operatorID, config: config)
        if case let .success(found)? = key { actor.key = found.publicKey.fingerprint }
        return (actor, key)
    }

    /// The acting operator's key in a signed rollout (nil in a rollout of typed names).
    func signingKey(for operatorID: String, config: RolloutConfig) -> Result<DecisionSigner.Key, Refusal>? {
        config.identity == .signed ? signer.key(for: operatorID, config: config, store: store.directory) : nil
    }

    /// What the core would answer to `command` now, on fresh state, without writing anything: nil
    /// when it would be accepted, else the refusal (its reason and remedies). Screens ask this;
    /// they never try a command to find out.
    public func check(_ command: Command, as actor: Actor) throws -> Refusal? {
        if readOnly { return Refusal("this cockpit is read-only; \(command.named) would not be performed", remedies: [.openWritable]) }
        let config = command.isLever ? try store.loadConfigForLevers() : try store.loadConfig()
        do { try validate(command, config: config) } catch let e as InputError { return Refusal(e.message, remedies: e.remedies) }
        let (actor, _) = signing(actor, config: config)
        let state: RolloutState
        do {
            state = try store.loadState().state
        } catch let StoreError.unreachable(why) where command.isLever && store.shared != nil {
            // A lever is asked of this machine's copy when the server is silent (see Cockpit+Offline).
            store.workOffline(why)
            state = try store.loadState().state
        }
        let readiness = Readiness(config: config, state: state, now: clock.now())
        if case let .refuse(why) = Self.decide(command, actor: actor, readiness: readiness) { return why }
        return nil
    }

    /// What an accepted command replaces or passes over that its author may not have seen: another
    /// person's waiver or result, open or failed blockers under a sign-off. Said in the outcome
    /// both front ends show; the journal has the records themselves.
    static func notices(_ command: Command, actor: Actor, readiness r: Readiness) -> [String] {
        switch command {
        case let .waive(id, _, _):
            guard let w = r.state.item(id).waiver, w.by != actor.operatorID, w.expires > r.now else { return [] }
            return ["this replaces \(w.by)'s waiver of \(id) (until \(Timestamp.short(w.expires)): \(w.reason))"]
        case let .setItem(id, _, _, _):
            let s = r.state.item(id)
            guard [.passed, .failed, .not_applicable].contains(s.status), let by = s.updatedBy, by != actor.operatorID else { return [] }
            return ["this replaces \(by)'s result on \(id) (\(s.status.word)\(s.resultAt.map { " at \(Timestamp.short($0))" } ?? "")\(s.note.map { ": \($0)" } ?? ""))"]
        case let .signOff(contour, _, _):
            let open = r.config.items(in: contour).filter { $0.severity == .blocker }.compactMap { item -> String? in
                let a = r.assess(item)
                return a.standing == .satisfied ? nil : "\(item.id) (\(a.standing == .failed ? "failed" : "open"): \(a.detail))"
            }
            guard !open.isEmpty else { return [] }
            return ["signed off over \(open.count) blocker\(open.count == 1 ? "" : "s") not passed: \(open.joined(separator: "; "))"]
        default:
            return []
        }
    }

    /// What a screen asks when a key would be refused, before any form opens: the refusal, decided
    /// under the lock on the state there is now and journaled like every refusal (the key press was
    /// an attempt, and an auditor sees it). Nil, and nothing written, when the command would be
    /// accepted now (the screen was behind). Input errors and a read-only cockpit write nothing.
    public func explain(_ command: Command, as actor: Actor) throws -> Refusal? {
        if readOnly { return try check(command, as: actor) }
        let config = command.isLever ? try store.loadConfigForLevers() : try store.loadConfig()
        do { try validate(command, config: config) } catch let e as InputError { return Refusal(e.message, remedies: e.remedies) }
        let (actor, key) = signing(actor, config: config)
        let now = clock.now()
        var refusal: Refusal?
        try store.append(actor: actor, now: now, seal: seal(key, config: config)) { state in
            guard case let .refuse(why) = Self.decide(command, actor: actor, readiness: Readiness(config: config, state: state, now: now)) else { return [] }
            refusal = why
            return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: command.spelled))], ending: "refused")
        }
        return refusal
    }

    /// The fingerprint of the key `operatorID` would sign with now, if any: for screens that
    /// predict what the core will count.
    public func signingKeyFingerprint(for operatorID: String, config: RolloutConfig) -> String? {
        guard case let .success(key)? = signingKey(for: operatorID, config: config) else { return nil }
        return key.publicKey.fingerprint
    }

    /// Runs an item's probe and records its outcome. Everything that would refuse the record is
    /// checked before the probe's command runs: a read-only cockpit or an operator without the
    /// item's role never executes the script.
    @discardableResult
    public func runProbe(id: String, as actor: Actor, cancelled: @escaping @Sendable () -> Bool = { false }) throws -> (ProbeOutcome, Outcome) {
        if readOnly { throw Refusal("read-only: probes are not run; \(id) was not checked", remedies: [.openWritable]) }
        let config = try store.loadConfig()
        let item = try config.requireItem(id)
        guard let spec = item.probe else { throw InputError("\(id) has no probe in rollout.yaml") }
        // A probe script replaced outside the journal is not run at all.
        let change = Readiness(config: config, state: try store.loadState().state, now: clock.now()).configurationChange
        if let reason = change ?? Permissions(config).refusal(actor.operatorID, "run the probe of", item) {
            let (actor, seal) = sealing(actor, config: config)
            try store.append(actor: actor, now: clock.now(), seal: seal) { _ in
                framed([EventDraft(.actionRefused, EventData(reason: reason, command: "probe run \(id)"))], ending: "refused")
            }
            throw Refusal(reason)
        }
        let outcome = ProbeRunner.run(spec, in: store.directory, allowedPaths: config.policy.probeAllowedPaths, cancelled: cancelled)
        return (outcome, try perform(.recordProbe(id: id, outcome: outcome), as: actor))
    }

    /// The transition a batch started and did not finish: its hook is still to run.
    static func awaitingHook(_ drafts: [EventDraft]) -> CanaryTransition? {
        guard let started = drafts.last(where: { $0.kind == .canaryTransitionStarted })?.data.transition,
              !drafts.contains(where: { $0.kind == .canaryTransitionDone }) else { return nil }
        return started
    }

    /// Holds a live canary whose gate was lost to time (a waiver expired, evidence aged) rather than
    /// to a change; the cockpit calls this as it watches. Returns whether it held.
    @discardableResult
    /// `alertProblem` hears of each alert that could not be delivered (it is journaled as such).
    public func watch(as actor: Actor, alertProblem: (String) -> Void = { _ in }) throws -> Bool {
        guard !readOnly else { return false }
        let config = try store.loadConfig()
        let now = clock.now()
        let key = signingKey(for: actor.operatorID, config: config)
        let (state, events) = try store.append(actor: actor, now: now, seal: seal(key, config: config)) { state in
            guard let hold = CanaryWatch.autoHold(Readiness(config: config, state: state, now: now)) else { return [] }
            // Signed when the watching operator's key is at hand; a hold never waits for one.
            var drafts = [hold]
            _ = DecisionSigner.sign(&drafts, config: config, key: key)
            return framed(drafts, ending: "completed")
        }
        if !config.alertRoutes.isEmpty {
            let r = Readiness(config: config, state: state, now: now)
            let problems = send(AlertDetector.raised(by: events, before: nil, after: r, who: actor.operatorID) + AlertDetector.dueByTime(r, who: actor.operatorID),
                                config: config, actor: actor)
            problems.forEach(alertProblem)
        }
        return !events.isEmpty
    }

    /// Input errors are the caller's typo, not a decision: they are reported (exit 2) and not journaled.
    func validate(_ command: Command, config: RolloutConfig) throws {
        for (what, text) in command.texts where text.count > Command.noteLimit {
            throw InputError("the \(what) has \(text.count) characters; a note is at most \(Command.noteLimit) (put long text in a document and link it)")
        }
        switch command {
        case let .setItem(id, status, note, evidenceURL):
            _ = try config.requireItem(id)
            guard [.passed, .failed, .not_applicable].contains(status) else {
                throw InputError("an item can be set to passed, failed or not applicable; use waive for a waiver")
            }
            if status == .not_applicable && note.trimmingCharacters(in: .whitespaces).isEmpty {
                throw InputError("not applicable needs a reason", remedies: [.fillIn(.note(example: "why this does not apply"))])
            }
            // A blocker's result is what the gate stands on: it says what was checked.
            if config.item(id)?.severity == .blocker, note.trimmingCharacters(in: .whitespaces).isEmpty, evidenceURL == nil {
                throw InputError("\(id) is a blocker: its result needs a note saying what was checked (or an evidence link)")
            }
        case let .addEvidence(id, text, url):
            _ = try config.requireItem(id)
            if text.isEmpty && (url ?? "").isEmpty { throw InputError("evidence needs a note or a link") }
        case let .waive(id, reason, _):
            _ = try config.requireItem(id)
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw InputError("a waiver needs a reason", remedies: [.fillIn(.reason(example: "…"))]) }
        case let .recordProbe(id, _):
            _ = try config.requireItem(id)
        case .signOff:
            break
        case let .canary(action):
            switch action {
            case let .hold(reason), let .rollback(reason), let .resume(reason):
                if reason.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw InputError("\(action.name) needs a reason", remedies: [.fillIn(.reason(example: "…"))])
                }
            case let .advance(_, breakGlass?) where breakGlass.trimmingCharacters(in: .whitespaces).isEmpty:
                throw InputError("break-glass needs a reason", remedies: [.fillIn(.breakGlassReason(example: "why exposure must increase now"))])
            case let .advance(cohort?, _):
                if cohort.isEmpty { throw InputError("the cohort names no tenant; give tenant ids separated by commas, or none for smallest first") }
                for id in cohort where !config.tenants.contains(where: { $0.id == id }) {
                    throw InputError("tenant '\(id)' is not in rollout.yaml; \(Suggest.didYouMean(id, in: config.tenants.map(\.id)))")
                }
            default: break
            }
        }
    }

    /// The decision on a given readiness, with no input checks and nothing written: `perform` and
    /// `check` use it on fresh state under the lock; a screen may use it on what it shows to know
    /// whether a form is worth opening (and then asks `check` why not).
    public static func decide(_ command: Command, actor: Actor, readiness r: Readiness) -> Decision {
        let config = r.config
        // Nothing edited outside the journal takes effect, except that the levers still work.
        if !command.isLever, let change = r.configurationChange { return .refuse(Refusal(change)) }
        // Records the judge refused stand in the journal: until a captain sets them aside, only the levers act.
        if !command.isLever, let why = r.untrustedReason { return .refuse(Refusal(why, remedies: r.notCurrent ? [] : [.setAsideRefusedRecords])) }
        guard config.member(actor.operatorID) != nil else {
            let team = config.team.map(\.id).joined(separator: ", ")
            return .refuse(Refusal("operator '\(actor.operatorID)' is not in the team of rollout.yaml (team: \(team))", remedies: [.actAsATeamMember]))
        }
        let permissions = Permissions(config)
        switch command {
        case let .setItem(id, status, note, url):
            let item = config.item(id)!
            if let field = item.derivedFromCapabilityField {
                return .refuse("\(id) is computed from the capabilities in rollout.yaml; fill in '\(field.rawValue)' there instead")
            }
            if let why = permissions.refusal(actor.operatorID, "set", item) { return .refuse(Refusal(why)) }
            let evidence = url.map { Evidence(kind: "link", text: note, url: $0, at: r.now, by: actor.operatorID) }
            return .accept([EventDraft(.itemSet, EventData(item: id, status: status, note: note, evidence: evidence))])
        case let .addEvidence(id, text, url):
            let item = config.item(id)!
            if let why = permissions.refusal(actor.operatorID, "add evidence to", item) { return .refuse(Refusal(why)) }
            let e = Evidence(kind: url == nil ? "note" : "link", text: text, url: url, at: r.now, by: actor.operatorID)
            return .accept([EventDraft(.itemEvidence, EventData(item: id, evidence: e))])
        case let .waive(id, reason, expires):
            let item = config.item(id)!
            if let why = permissions.waiverRefusal(actor.operatorID, item, expires: expires, now: r.now) { return .refuse(Refusal(why)) }
            return .accept([EventDraft(.itemWaived, EventData(item: id, reason: reason, expires: expires))])
        case let .recordProbe(id, outcome):
            let item = config.item(id)!
            if let why = permissions.refusal(actor.operatorID, "record a probe for", item) { return .refuse(Refusal(why)) }
            // Could not run counts as failed, never as open.
            let status: ItemStatus = outcome.result == .passed ? .passed : .failed
            let evidence = Evidence(kind: "probe", text: outcome.summary, sha256: outcome.outputSha256, at: r.now, by: actor.operatorID)
            return .accept([EventDraft(.itemSet, EventData(item: id, status: status, note: outcome.summary, evidence: evidence))])
        case let .signOff(contour, role, note):
            if let why = permissions.signOffRefusal(actor.operatorID, role: role, contour: contour) { return .refuse(Refusal(why)) }
            return .accept([EventDraft(.contourSignedOff, EventData(note: note, contour: contour, role: role, itemsHash: r.contourHash(contour)))])
        case let .canary(action):
            return CanaryEngine.decide(action, actor: actor.operatorID, actorKey: actor.key, readiness: r)
        }
    }

    /// Journals a what-if question and its answer, when the operator asks for a record of it.
    public func recordWhatIf(_ answer: WhatIfAnswer, as actor: Actor) throws {
        if readOnly { throw Refusal("this cockpit is read-only; the what-if was not recorded", remedies: [.openWritable]) }
        let config = try store.loadConfigForLevers()
        let (signed, key) = signing(actor, config: config)
        try store.append(actor: signed, now: clock.now(), seal: seal(key, config: config)) { _ in
            var drafts = [EventDraft(.whatIfAsked, EventData(note: answer.question, reason: answer.summary))]
            _ = DecisionSigner.sign(&drafts, config: config, key: key)
            return framed(drafts, ending: "completed")
        }
    }

    /// Sets aside a torn last line so that writing can resume, on an operator's request: through
    /// the core like every other write, so a read-only cockpit refuses it and the record is the
    /// operator's, with their key's fingerprint in a signed rollout.
    public func repairJournal(as actor: Actor) throws -> Store.Repair? {
        if readOnly { throw Refusal("this cockpit is read-only; the journal was not repaired", remedies: [.openWritable]) }
        let config = try? store.loadConfigForLevers()
        let signed = config.map { signing(actor, config: $0).0 } ?? actor
        return try store.repairTornTail(actor: signed, now: clock.now())
    }

    /// The current verdict, computed from what is on disk now. Reads only.
    public func gate() throws -> (GateVerdict, Readiness) {
        let config = try store.loadConfig()
        // Every item is read: a piece of state.json not as vouched is rebuilt, not shown failed.
        let loaded = try store.loadStateWhole(for: config)
        let r = Readiness(config: config, state: loaded.state, now: clock.now())
        return (Gate.evaluate(r), r)
    }

    public func readiness() throws -> Readiness {
        let config = try store.loadConfig()
        let loaded = try store.loadStateWhole(for: config)
        return Readiness(config: config, state: loaded.state, now: clock.now(), storeProblem: loaded.snapshotProblem)
    }
}
