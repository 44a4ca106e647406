import ArgumentParser
import Foundation
import GoLiveCore

struct CanaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary",
        abstract: "Move the canary: shadow, approve, advance, hold, resume, roll back, reconcile, complete.",
        discussion: """
        The stages: planned → shadow (0% live) → each policy step (1%, 5%) → completed; held from a live stage; rolled_back from any stage. Every exposure increase needs a READY gate and approvals from distinct operators.

        Examples:
          golive canary status
          golive canary shadow --as alice
          golive canary approve --as bob --note "dashboards green"
          golive canary advance --as alice      (smallest tenants first)
          golive canary advance --as alice --tenants corner-books,pet-pantry
          golive canary advance --as alice --break-glass "sev1: refunds fail"
          golive canary hold --reason "p99 latency rising"
          golive canary rollback --reason "refund errors" --as carol
          golive canary reconcile --applied --note "router shows 1%"
        """,
        subcommands: [CanaryStatus.self, CanaryShadow.self, CanaryApprove.self, CanaryAdvance.self, CanaryHold.self,
                      CanaryResume.self, CanaryRollback.self, CanaryReconcile.self, CanaryComplete.self, CanaryWatchCommand.self]).parsedOnItsOwn
}

/// Performs one canary action through the core and reports what the hook did.
func performCanary(_ action: CanaryAction, _ storeOptions: StoreOptions, _ expect: ExpectOptions = ExpectOptions()) throws {
    let store = try storeOptions.openStore()
    let cockpit = storeOptions.cockpit(store, command: commandLine())
    let outcome = try cockpit.perform(.canary(action), as: storeOptions.actor(), expecting: expect.expectation)
    keepUntilExit(outcome)
    reportConsequences(outcome)
    let r: Readiness
    do {
        // The outcome's readiness, once the configuration is known to load in full.
        _ = try store.loadConfig()
        r = outcome.readiness
    } catch {
        // Hold and rollback act on a configuration with errors elsewhere; say so, and report on what loads.
        FileHandle.standardError.write(Data("golive: warning: the configuration has errors on disk; \(action.name) acted on the adopted one (its team, policy and hook). \(ErrorReport.describe(error))\n".utf8))
        r = Readiness(config: try store.loadConfigForLevers(), state: outcome.state, now: Date())
    }
    let overview = CanaryOverview(r)
    // A lever says what it acted on: the adopted configuration (never the files on disk) and the
    // hook's adopted text.
    if ["hold", "rollback"].contains(action.name), let adopted = outcome.state.adoptedConfig {
        let hook = (try? store.loadConfigForLevers())?.transitionHook?.split(separator: " ").first.map(String.init)
        let hookText = hook.flatMap { path in adopted.files[path].map { " and its hook \(path) as adopted (sha256 \($0.prefix(12)))" } } ?? ""
        print(safe("acted on the configuration adopted at seq \(adopted.seq) by \(adopted.by) (sha256 \(adopted.sha256.prefix(12)))\(hookText)"))
    }
    if let hook = outcome.hook {
        print(safe("hook: \(hook.outcome.rawValue) — \(hook.summary)"))
        if let output = hook.output, !output.isEmpty { print(output.split(separator: "\n").map { "  | " + $0 }.joined(separator: "\n")) }
    }
    overview.lines.forEach { print($0) }
    if outcome.lateResult, let hook = outcome.hook {
        throw HookNotApplied.late(hook)
    }
    if let hook = outcome.hook {
        switch hook.outcome {
        case .failed: throw HookNotApplied("the hook did not apply the change (\(hook.summary)); the canary stays \(overview.label)")
        case .unknown: throw HookNotApplied("the hook's outcome is unknown (\(hook.summary)); advances are blocked until `golive canary reconcile --applied|--not-applied`")
        case .applied, .none: break
        }
    }
}


struct CanaryStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the stage, exposure, cohort, approvals, hook result and alerts.",
                                                    discussion: CanaryExitStatus.table)
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try storeOptions.openStore()
        let r = try Cockpit(store: store).readiness()
        let o = CanaryOverview(r)
        if output.json {
            struct J: Encodable {
                var stage: String, label: String, exposure_pct: Double, cap_pct: Double, cohort: [String]
                var approvals_fresh: [String], approvals_stale: [String], approvals_needed: Int, next: String?
                var pending: CanaryTransition?, outcome_unknown: Bool, last_hook: HookResult?, alerts: [String], deadline: Date?
                var window: String?, break_glass: String?, exit_code: Int32
            }
            try printJSON(J(stage: o.stage.rawValue, label: o.label, exposure_pct: o.exposurePct, cap_pct: o.capPct, cohort: o.cohort.map(\.id),
                            approvals_fresh: o.approvalsFresh, approvals_stale: o.approvalsStale, approvals_needed: o.approvalsNeeded,
                            next: o.next.map { "\($0.from) → \($0.to)" }, pending: o.pending, outcome_unknown: o.pendingUnknown,
                            last_hook: o.lastHook, alerts: o.alerts.map(\.text), deadline: o.deadline,
                            window: o.windowLine, break_glass: o.breakGlass, exit_code: CanaryExitStatus.of(r, o).rawValue))
        } else {
            o.lines.forEach { print($0) }
        }
        let code = CanaryExitStatus.of(r, o)
        if code != .ok { throw ExitCode(code.rawValue) }
    }
}

struct CanaryShadow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shadow", abstract: "Enter shadow: mirrored traffic, 0% live exposure.")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws { try performCanary(.enterShadow, storeOptions, expect) }
}

struct CanaryApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve the next exposure increase as the state stands now.")
    @Option(name: .long, help: "A note for the record.") var note: String?
    @Flag(name: .customLong("break-glass"), help: "Approve a break-glass advance: one the release windows or a freeze refuse (policy break_glass).")
    var breakGlass = false
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws {
        // What is signed is said first, and the approval binds to the state shown.
        let store = try storeOptions.openStore()
        let (verdict, readiness) = try Cockpit(store: store).gate()
        let o = CanaryOverview(readiness, verdict: verdict)
        var expect = expect
        if let next = o.next {
            let cohort = o.proposedCohort.map { c in "\(Format.percent(c.exposurePct)) of traffic, \(c.tenants.count) tenant\(c.tenants.count == 1 ? "" : "s") (\(c.tenants.joined(separator: ", ")))" } ?? "the tenants are chosen at the advance"
            print(safe("approving \(next.from) → \(next.to): \(Format.percent(o.exposurePct)) → \(cohort)"))
            print(safe("  binds to: gate \(verdict.ready ? "READY" : "NOT READY") at seq \(verdict.journalSeq), state \(verdict.stateSha256.prefix(12)), policy \(verdict.policySha256.prefix(12)); a result, waiver, sign-off or configuration change makes it stale, a note does not"))
            if expect.state == nil { expect.state = verdict.stateSha256 }
            if expect.stage == nil { expect.stage = o.label }
        }
        try performCanary(.approve(note: note ?? "", breakGlass: breakGlass), storeOptions, expect)
    }
}

struct CanaryAdvance: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "advance", abstract: "Increase exposure to the next step.")
    @Option(name: .long, help: "Comma-separated tenant ids; default: smallest tenants first up to the step.") var tenants: String?
    @Option(name: .customLong("break-glass"), help: ArgumentHelp("Advance although the release windows or a freeze refuse it, for this reason: needs a break_glass role and break_glass.extra_approvals more approvals given with `approve --break-glass`. Marked in the journal, the report and the header.", valueName: "reason"))
    var breakGlass: String?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws {
        let cohort = tenants.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        try performCanary(.advance(cohort: cohort, breakGlass: breakGlass), storeOptions, expect)
    }
}

struct CanaryHold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Pause a live canary. Anyone on the team may hold.",
        discussion: """
        Stop the line: `golive canary hold --reason "…" --all-stores DIR…` holds every live canary among the stores given, with the same reason, journaled in each store as the acting operator. A store whose canary is not live is reported and skipped; one that cannot be held does not stop the others. Exit 0 when every live canary is held, 1 when one was refused, 2 when a DIR is not a store.
        """)
    @Option(name: .long, help: "Why.") var reason: String
    @Flag(name: .customLong("all-stores"), help: "Hold the live canary of every store named after the options (stop the line).") var allStores = false
    @Argument(help: ArgumentHelp("With --all-stores: the store directories.", valueName: "dir")) var stores: [String] = []
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions

    func validate() throws {
        if allStores && stores.isEmpty { throw ValidationError("--all-stores needs the store directories to hold, e.g. --all-stores /srv/golive/eu /srv/golive/us") }
        if !allStores && !stores.isEmpty { throw ValidationError("store directories are for --all-stores; for one store use --store DIR") }
        if allStores && storeOptions.store != nil { throw ValidationError("--all-stores names its stores itself; leave out --store") }
    }

    func run() throws {
        guard allStores else { return try performCanary(.hold(reason: reason), storeOptions, expect) }
        var worst: Int32 = 0
        for dir in stores {
            var one = storeOptions
            one.store = dir
            do {
                let store = try one.openStore()
                let canary = try store.loadState().state.canary
                let steps = (try? store.loadConfigForLevers().policy.canary.steps) ?? []
                guard canary.stage.isLive else {
                    print(safe("\(dir): not live (\(CanaryEngine.describe(canary, steps))); nothing to hold"))
                    continue
                }
                let outcome = try one.cockpit(store, command: commandLine()).perform(.canary(.hold(reason: reason)), as: one.actor())
                reportConsequences(outcome)
                print(safe("\(dir): held at \(CanaryEngine.describe(outcome.state.canary, steps).replacingOccurrences(of: "held at ", with: "")) (seq \(outcome.state.seq))"))
            } catch {
                FileHandle.standardError.write(Data("golive: \(safe(dir)): \(CommandLineWording.describe(error))\n".utf8))
                worst = max(worst, ErrorReport.of(error)?.exitCode ?? 2)
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

struct CanaryResume: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a held canary (its gate must be READY again).")
    @Option(name: .long, help: "Why it is safe to go on: what the hold was about, and what changed.") var reason: String
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws { try performCanary(.resume(reason: reason), storeOptions, expect) }
}

struct CanaryRollback: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Roll back to 0% from any stage.")
    @Option(name: .long, help: "Why.") var reason: String
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws { try performCanary(.rollback(reason: reason), storeOptions, expect) }
}

struct CanaryReconcile: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile",
                                                    abstract: "Settle a transition whose hook outcome is unknown: was it applied or not?")
    @Flag(name: .long, help: "The change reached the traffic.") var applied = false
    @Flag(name: .customLong("not-applied"), help: "The change did not reach the traffic.") var notApplied = false
    @Option(name: .long, help: "What you checked.") var note: String?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func validate() throws {
        if applied == notApplied { throw ValidationError("say which: --applied or --not-applied") }
    }
    func run() throws { try performCanary(.reconcile(applied: applied, note: note ?? ""), storeOptions, expect) }
}

struct CanaryComplete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complete", abstract: "Complete the canary from its last step.")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var expect: ExpectOptions
    func run() throws { try performCanary(.complete, storeOptions, expect) }
}

struct CanaryWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Hold a live canary as soon as time costs it its gate (a waiver expires, evidence ages), with or without a cockpit open.",
        discussion: "Runs until stopped (suited to a systemd unit or a CI job), checking every --interval seconds; each hold is journaled with its reason, as the acting operator. --once checks once and exits: 0 when nothing was held, 1 when it held the canary.")
    @Option(name: .long, parsing: .unconditional, help: "Seconds between checks.") var interval: Double = 5
    @Flag(name: .long, help: "Check once and exit.") var once = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard interval.isFinite, interval >= 0.2, interval <= 3600 else { throw ValidationError("--interval must be between 0.2 and 3600 seconds") }
    }

    func run() throws {
        let store = try storeOptions.openStore()
        let cockpit = storeOptions.cockpit(store, command: commandLine())
        let actor = storeOptions.actor()
        while true {
            if try cockpit.watch(as: actor, alertProblem: { FileHandle.standardError.write(Data("golive: warning: \(safe($0))\n".utf8)) }) {
                let canary = try store.loadState().state.canary
                FileHandle.standardOutput.write(Data("\(Timestamp.format(Date())) held: \(safe(canary.holdReason ?? "auto-hold"))\n".utf8))
                if once { throw ExitCode(1) }
            }
            if once { return }
            usleep(UInt32(interval * 1_000_000))
        }
    }
}

/// What a script saw before it asked: the core does nothing if the canary has moved since.
struct ExpectOptions: ParsableArguments {
    @Option(name: .customLong("expect-stage"), help: ArgumentHelp("Act only if the canary is still at this stage (planned, shadow, 1%, held at 1% …); else refused with what it is now.", valueName: "stage"))
    var stage: String?
    @Option(name: .customLong("expect-target"), help: ArgumentHelp("For advance: act only if the next step is still this one.", valueName: "step"))
    var target: String?

    @Option(name: .customLong("expect-state"), help: ArgumentHelp("For approve: act only if the verdict's state hash still starts with this (12 or more hex digits, as `golive gate` shows it).", valueName: "sha256"))
    var state: String?

    func validate() throws {
        if let state, state.count < 12 || !state.allSatisfy(\.isHexDigit) {
            throw ValidationError("--expect-state needs at least 12 hex digits of the state hash, as `golive gate` prints it; got '\(state)'")
        }
    }

    var expectation: SeenState? {
        stage == nil && target == nil && state == nil ? nil : SeenState(stage: stage, target: target, verdictState: state?.lowercased())
    }
}
