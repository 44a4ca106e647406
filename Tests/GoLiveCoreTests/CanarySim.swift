import Foundation
@testable import GoLiveCore

/// The canary core in memory: the engine decides, events fold into the state, no disk and no hook
/// process, so thousands of sequences run in seconds. A simulated hook answers with `hookAnswer`.
struct CanarySim {
    static let rollout = """
    name: sim
    version: "1"
    policy: policy.yaml
    team:
      - {id: alice, roles: [captain]}
      - {id: bob, roles: [safety]}
      - {id: carol, roles: [sre]}
      - {id: dan, roles: [eval]}
    tenants:
      - {id: t-small, name: Small, share_pct: 0.4}
      - {id: t-mid, name: Mid, share_pct: 0.5}
      - {id: t-reg, name: Regulated, share_pct: 0.3, excluded: true, note: regulated}
      - {id: t-wide, name: Wide, share_pct: 1.2}
      - {id: t-big, name: Big, share_pct: 2.5}
      - {id: t-huge, name: Huge, share_pct: 95.1}
    capabilities:
      - {name: a, owner: x, transport: y, timeout: 1s, retry_policy: none, idempotency: k, unknown_side_effect_path: p, outcome_telemetry: t}
    %HOOK%
    """

    static let policy = Policy.sectionNineYAML + """
      canary:
        steps: [1, 5]
        min_shadow_minutes: 60
        decision_timeout_minutes: 30
        auto_hold: %AUTOHOLD%
        hook_timeout_seconds: 10
      approvals:
        exposure_increase: 2
        approver_roles: [captain, safety, sre]

    """

    static func config(hook: Bool = false, autoHold: Bool = false) throws -> RolloutConfig {
        try RolloutConfigParser.load(directory: try directory(hook: hook, autoHold: autoHold))
    }

    /// A folder holding the simulation's rollout.yaml and policy.yaml.
    static func directory(hook: Bool = false, autoHold: Bool = false) throws -> URL {
        let text = rollout.replacingOccurrences(of: "%HOOK%", with: hook ? "hooks: {transition: sim-hook}" : "")
        let policyText = policy.replacingOccurrences(of: "%AUTOHOLD%", with: autoHold ? "true" : "false")
        let dir = Fixtures.tempDir("sim")
        try Data(text.utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
        try Data(policyText.utf8).write(to: dir.appendingPathComponent("policy.yaml"))
        return dir
    }

    var config: RolloutConfig
    var state = RolloutState()
    var now = Date(timeIntervalSince1970: 2_000_000_000)
    var hookAnswer: HookResult.Outcome = .applied
    var log: [Event] = []

    init(hook: Bool = false, autoHold: Bool = false) throws {
        config = try Self.config(hook: hook, autoHold: autoHold)
        fold([EventDraft(.rolloutInitialized, EventData(name: "sim")),
              EventDraft(.configAdopted, EventData(reason: "sim", files: config.files, configSha256: config.sha256))], by: "alice")
        setReady(true)
    }

    var readiness: Readiness { Readiness(config: config, state: state, now: now) }
    var canary: CanaryState { state.canary }

    mutating func fold(_ drafts: [EventDraft], by actor: String) {
        for d in drafts {
            let seq = state.seq + 1
            let e = Event(v: 1, seq: seq, prev: state.head, ts: now, session: "sim", actor: actor, osUser: "sim",
                          kind: d.kind, data: d.data, hash: Digest.sha256Hex(Data("sim-\(seq)".utf8)))
            state.apply(e)
            log.append(e)
        }
    }

    /// Passes every item (ready) or fails the trace coverage items (NOT READY).
    mutating func setReady(_ ready: Bool) {
        var drafts: [EventDraft] = []
        for item in config.catalog where item.derivedFromCapabilityField == nil {
            let status: ItemStatus = !ready && item.id == "observability.key_spans" ? .failed : .passed
            if state.item(item.id).status != status {
                drafts.append(EventDraft(.itemSet, EventData(item: item.id, status: status, note: "sim")))
            }
        }
        fold(drafts, by: "alice")
        if let hold = CanaryWatch.autoHold(readiness) { fold([hold], by: "alice") }
    }

    enum Result: Equatable {
        case done([EventKind])
        case refused(String, [Remedy])
        var refusal: String? { if case let .refused(r, _) = self { return r } else { return nil } }
        var remedies: [Remedy] { if case let .refused(_, r) = self { return r } else { return [] } }
    }

    /// Decides, folds, and answers a started transition's hook with `hookAnswer`.
    @discardableResult
    mutating func act(_ action: CanaryAction, by actor: String) -> Result {
        switch CanaryEngine.decide(action, actor: actor, readiness: readiness) {
        case let .refuse(reason):
            fold([EventDraft(.actionRefused, EventData(reason: reason.reason, command: "canary \(action.name)"))], by: actor)
            return .refused(reason.reason, reason.remedies)
        case let .accept(drafts):
            fold(drafts, by: actor)
            var kinds = drafts.map(\.kind)
            if let t = Cockpit.awaitingHook(drafts) {
                let kind: EventKind = hookAnswer == .applied ? .canaryTransitionDone : hookAnswer == .unknown ? .canaryOutcomeUnknown : .canaryTransitionFailed
                fold([EventDraft(kind, EventData(transition: t, hook: HookResult(outcome: hookAnswer, summary: "sim", seconds: 0)))], by: actor)
                kinds.append(kind)
            }
            return .done(kinds)
        }
    }

    /// Brings the canary to a stage the table starts from, by the book.
    mutating func reach(_ label: String) {
        func must(_ a: CanaryAction, _ by: String) {
            let r = act(a, by: by)
            precondition(r.refusal == nil, "setup \(label): \(a) by \(by): \(r)")
        }
        if label == "planned" { return }
        must(.enterShadow, "alice")
        if label == "shadow" { return }
        now += 61 * 60
        if label == "rolled_back" { must(.rollback(reason: "setup"), "carol"); return }
        must(.approve(note: ""), "bob")
        must(.advance(cohort: nil), "alice")
        if label == "1%" { return }
        if label == "held" { must(.hold(reason: "setup"), "dan"); return }
        if label == "unknown" {
            must(.approve(note: ""), "bob")
            hookAnswer = .unknown
            must(.advance(cohort: nil), "alice")
            hookAnswer = .applied
            return
        }
        must(.approve(note: ""), "bob")
        must(.advance(cohort: nil), "alice")
        if label == "5%" { return }
        must(.complete, "alice")
        precondition(label == "completed", "unknown setup label \(label)")
    }
}
