import ArgumentParser
import Foundation
import GoLiveCore

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until the gate is READY or the canary reaches a stage, for CI: distinct exit codes, progress lines.",
        discussion: """
        Examples:
          golive wait --until ready --timeout 30m
          golive wait --until stage=1% --timeout 2h --json
          golive wait --until completed

        Prints a line whenever what it waits on changes. Waiting for a stage or for completion stops with 3 when the canary is held or rolled back meanwhile.

        \(CanaryExitStatus.table)
        """).parsedOnItsOwn
    @Option(name: .long, help: ArgumentHelp("What to wait for: \(WaitTarget.examples).", valueName: "target")) var until: String
    @Option(name: .long, help: ArgumentHelp("Give up after this long: 90s, 30m, 2h (default: wait for ever).", valueName: "span")) var timeout: String?
    @Option(name: .long, parsing: .unconditional, help: "Seconds between checks.") var interval: Double = 1
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard interval.isFinite, interval >= 0.05, interval <= 600 else { throw ValidationError("--interval must be between 0.05 and 600 seconds") }
    }

    struct Report: Encodable {
        var until: String, result: String, exit_code: Int32, waited_seconds: Double, seq: Int
        var ready: Bool, canary: String, exposure_pct: Double, detail: String
    }

    func run() throws {
        let limit = try timeout.map(Self.seconds)
        let store = try storeOptions.openStore()
        let target = try WaitTarget(parsing: until, policy: try store.loadConfig().policy)
        let started = Date()
        var last = ""
        while true {
            let config = try store.loadConfig()
            let r = Readiness(config: config, state: try store.loadStateWhole(for: config).state, now: Date())
            let waited = Date().timeIntervalSince(started)
            func finish(_ code: CanaryExitStatus, _ result: String, _ detail: String) throws -> Never {
                let o = CanaryOverview(r)
                if output.json {
                    try printJSON(Report(until: target.text, result: result, exit_code: code.rawValue, waited_seconds: (waited * 10).rounded() / 10,
                                         seq: r.state.seq, ready: Gate.evaluate(r).ready, canary: o.label, exposure_pct: o.exposurePct, detail: detail))
                } else {
                    print(safe("\(Timestamp.format(Date())) \(result): \(detail)"))
                }
                throw ExitCode(code.rawValue)
            }
            let verdict = Gate.evaluate(r)
            let o = CanaryOverview(r, verdict: verdict)
            let now = "gate \(verdict.ready ? "READY" : "NOT READY (\(verdict.reasons.joined(separator: ", ")))") · canary \(o.label) \(Format.percent(o.exposurePct))"
                + (o.approvalsLine.map { " · \($0)" } ?? "")
            switch target.standing(r, verdict: verdict) {
            case .reached: try finish(.ok, "reached \(target.text)", now)
            case let .stopped(why): try finish(.heldOrRolledBack, "stopped", why)
            case let .refused(why): try finish(.refused, "refused", why)
            case .waiting:
                if now != last {
                    // Progress goes to stderr with --json, so stdout stays one JSON document.
                    let line = safe("\(Timestamp.format(Date())) waiting for \(target.text): \(now)") + "\n"
                    FileHandle(fileDescriptor: output.json ? 2 : 1).write(Data(line.utf8))
                    last = now
                }
            }
            if let limit, waited >= limit { try finish(.timedOut, "timed out", "after \(Format.duration(waited, roundingUp: false)) waiting for \(target.text); \(now)") }
            // Woken at the moment time alone may change the verdict, whatever the interval.
            let untilChange = r.nextTimeChange.map { max(0.05, $0.timeIntervalSinceNow) } ?? interval
            usleep(UInt32(min(interval, untilChange) * 1_000_000))
        }
    }

    /// "90s", "30m", "2h", "1d" or a number of seconds.
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var t = text.trimmingCharacters(in: .whitespaces), unit = 1.0
        if let last = t.last, let u = units[last] { unit = u; t.removeLast() }
        guard let n = Double(t), n.isFinite, n >= 0, n * unit <= 30 * 86_400 else {
            throw InputError("cannot read --timeout '\(text)'; expected a span like 90s, 30m or 2h (at most 30d)")
        }
        return n * unit
    }
}
