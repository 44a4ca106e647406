import Foundation

/// Runs rollout.yaml's `hooks.transition` command for one traffic change. The hook is the actuator
/// (a router, a feature flag); GoLive records the change as done only when it exits 0.
public enum TransitionHook {
    /// Output kept in the journal; the full output's SHA-256 is kept beside it.
    public static let journalOutputLimit = 4096

    public static func run(_ t: CanaryTransition, command: String, store: Store, config: RolloutConfig, operatorID: String,
                           timeoutSeconds: Double, cancelled: @escaping @Sendable () -> Bool = { false }) -> HookResult {
        let cohortFile: URL
        do {
            cohortFile = try writeCohort(t, store: store)
        } catch {
            return HookResult(outcome: .failed, summary: "hook not run: cannot write the cohort file: \(error)", seconds: 0)
        }
        let env = [
            "GOLIVE_ACTION": t.action,
            "GOLIVE_STAGE": t.stage.rawValue,
            "GOLIVE_FROM": t.from,
            "GOLIVE_TO": t.to,
            "GOLIVE_EXPOSURE_PCT": Format.percentNumber(t.exposurePct),
            "GOLIVE_COHORT_FILE": cohortFile.path,
            "GOLIVE_COHORT_SIZE": String(t.cohort.count),
            "GOLIVE_ROLLOUT": config.name,
            "GOLIVE_OPERATOR": operatorID,
            "GOLIVE_TRANSITION_ID": t.id,
            "GOLIVE_REASON": t.reason ?? "",
            "GOLIVE_STORE": store.directory.path,
        ]
        return runCommand(command, store: store, config: config, environment: env, timeoutSeconds: timeoutSeconds, cancelled: cancelled)
    }

    /// A configured command (a transition hook, an alert route) run in the store's folder, in its
    /// own process group, under a timeout; its ending as a hook result.
    static func runCommand(_ command: String, store: Store, config: RolloutConfig, environment: [String: String], timeoutSeconds: Double,
                           stdinFile: String? = nil, cancelled: @escaping @Sendable () -> Bool = { false }) -> HookResult {
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let run: AdoptedScript
        switch AdoptedScript.prepare(words.first ?? command, config: config, store: store) {
        case let .failure(why): return HookResult(outcome: .failed, summary: "not run: \(why.message)", seconds: 0)
        case let .success(prepared): run = prepared
        }
        defer { run.remove() }
        if !words.isEmpty { words[0] = run.path }
        let spec = ProbeSpec(command: words.first ?? command, arguments: Array(words.dropFirst()), timeoutSeconds: timeoutSeconds)
        let o = ProbeRunner.run(spec, in: store.directory, environment: environment, stdinFile: stdinFile, cancelled: cancelled)
        return result(from: o, timeoutSeconds: timeoutSeconds)
    }

    /// Exit 0 applied; any other exit is a clear "no"; a timeout, a signal or a cancel leaves
    /// nobody knowing whether traffic moved.
    static func result(from o: ProbeOutcome, timeoutSeconds: Double) -> HookResult {
        let outcome: HookResult.Outcome, summary: String
        var exit: Int32?
        switch o.ending {
        case let .exited(code):
            exit = code
            outcome = code == 0 ? .applied : .failed
            let last = o.output.split(separator: "\n").last.map { String($0.prefix(160)) } ?? ""
            summary = "exit \(code)\(last.isEmpty ? "" : ": \(last)")"
        case .timedOut: (outcome, summary) = (.unknown, "timed out after \(Format.number(timeoutSeconds)) s")
        case let .signalled(signal): (outcome, summary) = (.unknown, "killed by signal \(signal)")
        case .cancelled: (outcome, summary) = (.unknown, "cancelled")
        case .notStarted: (outcome, summary) = (.failed, o.summary)
        }
        let output = o.output.count > journalOutputLimit ? String(o.output.prefix(journalOutputLimit)) + "\n… (cut; full output sha256 \(o.outputSha256))" : o.output
        return HookResult(outcome: outcome, summary: summary, exitCode: exit, seconds: (o.seconds * 100).rounded() / 100,
                          outputSha256: o.outputSha256, output: output, processGroup: o.processGroup == 0 ? nil : o.processGroup)
    }

    /// One tenant id per line, kept under the store so the journal's transition can be traced to it.
    static func writeCohort(_ t: CanaryTransition, store: Store) throws -> URL {
        let dir = store.directory.appendingPathComponent("canary")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("cohort-\(t.id).txt")
        try store.writeAtomically(Data(t.cohort.map { $0 + "\n" }.joined().utf8), to: url)
        return url
    }
}
