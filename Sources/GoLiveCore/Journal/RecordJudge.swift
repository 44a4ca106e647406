import Foundation

/// Whether a record read from the store counts. Every record a command folds, and every record
/// `audit verify` reads, is judged here as golive's writer would have judged the command that
/// made it, against the configuration in force before it: the actor holds a role that may do it,
/// the policy's limits hold, a decision carries its actor's signature in a signed rollout, canary
/// records are legal moves, and time does not run backwards. The writer folds its own records
/// through this same judge before it keeps them (`Store.append`), so a command and a reader can
/// never disagree about a record. A refused record is never folded (`RolloutState.refuse`).
public enum RecordJudge {
    /// How far a record's time may fall behind the newest time before it: clocks of machines
    /// sharing a store differ a little, never by minutes.
    public static let clockTolerance: TimeInterval = 120

    /// Why `e` must not be folded onto `state`, or nil when it counts. `signer`: the key whose
    /// signature over the record verified (nil: unsigned). `config`: the configuration in force
    /// before the record, nil while none was adopted.
    public static func refusal(_ e: Event, signer: SSHPublicKey?, state: RolloutState, config: RolloutConfig?) -> String? {
        if let config { return refusal(e, signer: signer, state: state, adopted: config) }
        return clockRefusal(e, state: state) ?? beforeAnyAdoption(e, signer: signer)
    }

    /// The same under an adopted configuration, which the fold passes without copying it.
    static func refusal(_ e: Event, signer: SSHPublicKey?, state: RolloutState, adopted config: RolloutConfig) -> String? {
        if let why = clockRefusal(e, state: state) { return why }
        if let why = signatureRefusal(e, signer: signer, config: config, state: state) { return why }
        if let member = config.member(e.actor), member.automation != (e.data.automation == true), e.kind != .sessionStarted, e.kind != .sessionEnded {
            return member.automation ? "\(e.actor) is automation in the roster in force, and the record does not say so" : "it claims to be written by automation, and \(e.actor) is a person in the roster in force"
        }
        return ruleRefusal(e, state: state, config: config)
    }

    /// Before the first adoption nothing is in force: only framing, initialisation and the first
    /// adoption itself, which is judged by its own files (its actor must be a captain in them).
    static func clockRefusal(_ e: Event, state: RolloutState) -> String? {
        guard let last = state.lastEventAt, e.ts < last.addingTimeInterval(-clockTolerance) else { return nil }
        return "clock skew: written at \(Timestamp.format(e.ts)), \(Format.duration(last.timeIntervalSince(e.ts))) before a record already in the journal (\(Timestamp.format(last))); a record's time may fall back at most \(Format.duration(clockTolerance))"
    }

    static func beforeAnyAdoption(_ e: Event, signer: SSHPublicKey?) -> String? {
        switch e.kind {
        case .configAdopted:
            guard let files = e.data.files else { return "a configuration adoption without its files" }
            if let why = filesProblem(files, digest: e.data.configSha256) { return why }
            guard let adopted = try? RolloutConfigParser.inForce(files: files, vouched: e.data.parsedSha256, stands: false) else { return "the configuration it adopts does not parse" }
            if let why = Permissions(adopted).captainRefusal(e.actor) { return "first adoption: \(why)" }
            if let signer, adopted.member(e.actor)?.keys.contains(signer) != true {
                return "signed by \(signer.fingerprint), which is not \(e.actor)'s key in the configuration it adopts"
            }
            if let member = adopted.member(e.actor), let why = touchRefusal(e, member: member, policy: adopted.policy) { return "first adoption: \(why)" }
            return nil
        case .sessionStarted, .sessionEnded, .rolloutInitialized, .gateShown, .actionRefused, .journalRepaired, .whatIfAsked:
            return nil
        default:
            return "\(e.kind.rawValue) before any configuration was adopted: no team or policy to judge it by"
        }
    }

    /// A configuration that loosens what the canary rests on takes effect only with as many
    /// distinct approvers (distinct keys, in a signed rollout) as an exposure increase, the
    /// adopting captain among them, each bound to this proposal against the configuration in force.
    /// `vouched`: the parse the adoption record names (the judge's case; the writer has parsed).
    public static func looseningRefusal(adopting files: [ConfigFile], digest: String, by actor: String, signerKey adopterKey: String?,
                                        state: RolloutState, config: RolloutConfig, vouched: String? = nil) -> String? {
        guard let proposed = try? RolloutConfigParser.inForce(files: files, vouched: vouched, stands: false) else { return "the configuration it adopts does not parse" }
        let loosened = Loosening.changes(from: config, to: proposed)
        guard !loosened.isEmpty else { return nil }
        let needed = config.policy.approvals.exposureIncrease
        // A roster with fewer approving people than the rule needs could never meet it (a new
        // store's lone captain adding the team): until it has them, a captain adopts alone.
        let approvers = config.team.filter { !$0.automation && Permissions(config).configApproverRefusal($0.id) == nil }
        guard approvers.count >= needed else { return nil }
        let signed = config.identity == .signed
        var people: [String] = [actor], keys: Set<String> = adopterKey.map { [$0] } ?? []
        for a in state.configApprovals where a.digest == digest && a.base == state.adoptedConfig?.sha256 && !people.contains(a.by) {
            guard Permissions(config).configApproverRefusal(a.by) == nil else { continue }
            if signed {
                guard let key = a.key, config.member(a.by)?.keys.contains(where: { $0.fingerprint == key }) == true, !keys.contains(key) else { continue }
                keys.insert(key)
            }
            people.append(a.by)
        }
        guard people.count < needed else { return nil }
        return "it loosens what the canary rests on (\(loosened.joined(separator: "; "))) and has the consent of \(people.joined(separator: ", ")) only: \(needed) distinct people in approving roles must agree (golive config propose, then golive config approve by the others)"
    }

    /// A signature, when there is one, is by a key of the actor's roster entry in force and names
    /// this rollout; a decision in a signed rollout must carry one.
    static func signatureRefusal(_ e: Event, signer: SSHPublicKey?, config: RolloutConfig, state: RolloutState) -> String? {
        guard let signer else {
            if SignaturePolicy.requiresSignature(e.kind, e.data, config: config) {
                return "\(e.kind.rawValue) by \(e.actor) is not signed; this rollout is identity: signed, and a decision counts only with its actor's signature"
            }
            return nil
        }
        guard let member = config.member(e.actor) else {
            return "signed by \(signer.fingerprint) for \(e.actor), who is not in the team in force"
        }
        guard member.keys.contains(signer) else {
            return "claims \(e.actor) but is signed by \(signer.fingerprint), which is not \(e.actor)'s key in the roster in force"
        }
        guard e.data.rollout == config.name else {
            return "signed for rollout '\(e.data.rollout ?? "?")', not '\(config.name)'"
        }
        return touchRefusal(e, member: member, policy: config.policy)
    }

    /// An approval or adoption shows the touch its approver's roster entry or the policy asks for.
    static func touchRefusal(_ e: Event, member: Operator, policy: Policy) -> String? {
        guard let required = TouchRequirement.required(of: member, for: e.kind, policy: policy) else { return nil }
        return required.refusal(e.sig.flatMap { try? SSHSignature(base64: $0) }, kind: e.kind, actor: e.actor)
    }

    /// The rules of the command that writes each kind, with the record's own time as "now".
    static func ruleRefusal(_ e: Event, state: RolloutState, config: RolloutConfig) -> String? {
        let d = e.data
        // Made where it is asked: it holds a copy of the configuration.
        var permissions: Permissions { Permissions(config) }
        switch e.kind {
        case .itemSet:
            guard let id = d.item, let item = config.item(id) else { return "an item result for '\(d.item ?? "?")', which is not in the configuration in force" }
            guard let status = d.status, [.passed, .failed, .not_applicable].contains(status) else { return "an item result must be passed, failed or not applicable" }
            if let field = item.derivedFromCapabilityField { return "\(id) is computed from the capabilities ('\(field.rawValue)'), never set" }
            return Permissions.refusal(e.actor, "set", item, in: config)
        case .itemEvidence:
            guard let id = d.item, let item = config.item(id) else { return "evidence for '\(d.item ?? "?")', which is not in the configuration in force" }
            guard d.evidence != nil else { return "evidence without its entry" }
            return Permissions.refusal(e.actor, "add evidence to", item, in: config)
        case .itemWaived:
            guard let id = d.item, let item = config.item(id), let expires = d.expires else { return "a waiver without its item or expiry" }
            return permissions.waiverRefusal(e.actor, item, expires: expires, now: e.ts)
        case .contourSignedOff:
            guard let contour = d.contour, let role = d.role, d.itemsHash != nil else { return "a sign-off without its contour, role or items hash" }
            return permissions.signOffRefusal(e.actor, role: role, contour: contour)
        case .configAdopted:
            guard let files = d.files else { return "a configuration adoption without its files" }
            if let why = filesProblem(files, digest: d.configSha256) { return why }
            if let previous = d.previous, previous.seq != state.adoptedConfig?.seq || previous.sha256 != state.adoptedConfig?.sha256 {
                return "it names the adoption at seq \(previous.seq) as the one it replaces, but the one in force was adopted at seq \(state.adoptedConfig?.seq ?? 0)"
            }
            // The consents it names are consents to it, given since the one in force was adopted.
            for seq in d.approvals ?? [] where !state.configApprovals.contains(where: { $0.seq == seq && $0.digest == d.configSha256 && $0.base == state.adoptedConfig?.sha256 }) {
                return "it names seq \(seq) as a consent to it, which is no proposal or approval of it against the configuration in force"
            }
            // Judged by the configuration in force: adding yourself as captain in the new one does not count.
            if let why = permissions.captainRefusal(e.actor) { return why }
            return looseningRefusal(adopting: files, digest: d.configSha256 ?? "", by: e.actor,
                                    signerKey: e.sig.flatMap { try? SSHSignature(base64: $0) }?.publicKey.fingerprint, state: state, config: config,
                                    vouched: d.parsedSha256)
        case .configProposed:
            guard let files = d.files, let digest = d.configSha256 else { return "a proposal without its files" }
            if let why = filesProblem(files, digest: digest) { return why }
            guard d.from == state.adoptedConfig?.sha256 else { return "it proposes a change of \((d.from ?? "?").prefix(12)), not of the configuration in force" }
            return permissions.captainRefusal(e.actor, to: "propose a configuration")
        case .configApproved:
            guard let digest = d.configSha256, d.from == state.adoptedConfig?.sha256,
                  state.configApprovals.contains(where: { $0.proposal && $0.digest == digest && $0.base == d.from }) else {
                return "it approves \((d.configSha256 ?? "?").prefix(12)), which is not a proposal against the configuration in force"
            }
            return Permissions(config).configApproverRefusal(e.actor)
        case .journalSetAside:
            guard let aside = d.setAside else { return "a set-aside without what it sets aside" }
            if let why = permissions.captainRefusal(e.actor, to: "set refused records aside") { return why }
            for entry in aside.records where !state.refused.contains(where: { $0.seq == entry.seq && $0.hash == entry.hash }) {
                return "it sets aside seq \(entry.seq), which is not a refused record of this journal (or has another hash)"
            }
            return nil
        case .canaryApproved, .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed, .canaryOutcomeUnknown,
             .canaryReconciled, .canaryHeld, .canaryResumed:
            return canaryRefusal(e, state: state, config: config)
        case .rolloutInitialized, .actionRefused, .journalRepaired, .sessionStarted, .sessionEnded, .gateShown,
             .canaryResultLate, .whatIfAsked, .alertRaised, .alertDelivered:
            return nil
        }
    }

    static func canaryRefusal(_ e: Event, state: RolloutState, config: RolloutConfig) -> String? {
        let d = e.data, canary = state.canary, policy = config.policy, steps = policy.canary.steps
        guard let member = config.member(e.actor) else { return "\(e.actor) is not in the team in force" }
        let role = Permissions(config).approvingRole(of: member)
        // Anyone on the team may hold; every other canary decision takes an approving role.
        if e.kind != .canaryHeld, role == nil {
            return "\(e.actor) (\(member.roles.joined(separator: ", "))) holds no approving role (approvals.approver_roles: \(policy.approvals.approverRoles.joined(separator: ", ")))"
        }
        switch e.kind {
        case .canaryApproved:
            guard let from = d.from, let to = d.to, d.stateSha256 != nil, d.policySha256 != nil else { return "an approval without what it approves" }
            guard let (next, target) = CanaryRules.nextIncrease(canary, steps), next == from, target == to else {
                return "it approves \(from) → \(to), which is not the canary's next increase"
            }
            return nil
        case .canaryHeld:
            return canary.stage.isLive ? nil : "only a live canary can be held"
        case .canaryResumed:
            return canary.stage == .held ? nil : "only a held canary can be resumed"
        case .canaryReconciled:
            return canary.pending == nil ? "there is no transition to reconcile" : nil
        case .canaryTransitionStarted:
            guard let t = d.transition else { return "a transition without its target" }
            return transitionRefusal(t, e: e, state: state, config: config)
        default:
            // A hook's result settles its own transition, whole: never another, never another target.
            guard let pending = canary.pending else { return "it reports the outcome of a transition, and none is in flight" }
            if let t = d.transition, t != pending {
                return "it reports the outcome of \(t.id) (\(t.title)), but the transition in flight is \(pending.id) (\(pending.title))"
            }
            return nil
        }
    }

    static func transitionRefusal(_ t: CanaryTransition, e: Event, state: RolloutState, config: RolloutConfig) -> String? {
        let canary = state.canary, policy = config.policy, steps = policy.canary.steps
        if t.action != "rollback", let pending = canary.pending {
            return "\(pending.title) is still in flight; only a rollback supersedes it"
        }
        switch t.action {
        case "rollback":
            guard t.stage == .rolledBack, t.exposurePct == 0, t.cohort.isEmpty else { return "a rollback goes to no exposure" }
            return canary.stage == .rolledBack ? "the canary is already rolled back" : nil
        case "shadow":
            guard t.stage == .shadow, t.exposurePct == 0, t.cohort.isEmpty else { return "shadow exposes no tenant" }
            return canary.stage == .planned || canary.stage == .rolledBack ? nil : "shadow is entered from planned or after a rollback"
        case "complete":
            guard canary.stage == .canary, let step = canary.step, step == steps.count - 1 else { return "the canary completes from its last step only" }
            guard t.stage == .completed, t.exposurePct == canary.exposurePct, Set(t.cohort) == Set(canary.cohort) else {
                return "completing keeps the cohort and exposure it has"
            }
            return nil
        case "advance":
            guard canary.stage == .shadow || canary.stage == .canary else { return "an advance goes from shadow or a canary step, not from \(canary.stage.rawValue)" }
            guard let target = CanaryRules.nextStep(canary, steps), let (from, to) = CanaryRules.nextIncrease(canary, steps) else {
                return "there is no increase from \(canary.label(steps: steps))"
            }
            guard t.stage == .canary, t.step == target else { return "an advance goes to the next step (\(to)), not to \(t.to)" }
            if let why = CanaryRules.cohortProblem(t, config: config, limit: CanaryRules.exposureLimit(policy, target)) { return why }
            if t.exposurePct <= canary.exposurePct { return "an advance must increase exposure" }
            if canary.stage == .shadow, policy.requireShadowPeriod, let since = canary.shadowSince,
               e.ts.timeIntervalSince(since) < policy.canary.minShadowMinutes * 60 {
                return "shadow had run \(Format.duration(e.ts.timeIntervalSince(since), roundingUp: false)) of its minimum \(Format.duration(policy.canary.minShadowMinutes * 60))"
            }
            if t.breakGlass == nil, let closed = policy.calendar.refusal(at: e.ts) { return "exposure may not increase then: \(closed)" }
            if t.breakGlass != nil, config.member(e.actor).map({ Set($0.roles).isDisjoint(with: policy.calendar.breakGlass.roles) }) ?? true {
                return "\(e.actor) may not break the glass (break_glass.roles)"
            }
            return approvalsRefusal(from: from, to: to, breakGlass: t.breakGlass != nil, state: state, config: config)
        default:
            return "'\(t.action)' is not a transition golive makes"
        }
    }

    /// An increase stands on enough approvals for it, bound to one state, by distinct people with
    /// an approving role, and in a signed rollout by distinct keys of theirs.
    static func approvalsRefusal(from: String, to: String, breakGlass: Bool, state: RolloutState, config: RolloutConfig) -> String? {
        let permissions = Permissions(config)
        let all = state.canary.approvals.filter { $0.from == from && $0.to == to && (!breakGlass || $0.breakGlass == true) }
        guard let newest = all.last else { return "no approval of \(from) → \(to) precedes it" }
        var people = Set<String>(), keys = Set<String>()
        for a in all where a.stateSha256 == newest.stateSha256 && a.policySha256 == newest.policySha256 {
            guard let member = config.member(a.by), permissions.approvingRole(of: member) != nil else { continue }
            if config.identity == .signed {
                guard let key = a.key, member.keys.contains(where: { $0.fingerprint == key }), keys.insert(key).inserted else { continue }
            }
            people.insert(a.by)
        }
        let needed = CanaryRules.approvalsNeeded(config.policy, breakGlass: breakGlass)
        return people.count >= needed ? nil : "\(from) → \(to) needs \(needed) approvals by distinct people\(config.identity == .signed ? " and keys" : ""), bound to one state; it has \(people.count)"
    }

    /// The adopted files must be what the record says: each text its hash, all of them the digest.
    static func filesProblem(_ files: [ConfigFile], digest: String?) -> String? {
        guard files.allSatisfy(\.textMatchesHash) else { return "a file's text does not match its hash" }
        guard ConfigFile.digest(files) == digest else { return "its files do not give the digest it names" }
        return nil
    }
}
