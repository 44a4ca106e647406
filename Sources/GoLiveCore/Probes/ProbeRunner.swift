import Foundation

/// Runs probe commands in their own process group, so a timeout or a cancel kills everything the
/// probe started, not only its first process.
public enum ProbeRunner {
    public static let outputLimit = 64 * 1024

    /// `allowedPaths`: folders outside the store that the policy lets built-in probes read.
    public static func run(_ spec: ProbeSpec, in directory: URL, allowedPaths: [String] = [], environment: [String: String] = [:],
                           stdinFile: String? = nil, cancelled: @escaping @Sendable () -> Bool = { false }) -> ProbeOutcome {
        let start = Date()
        if spec.command.hasPrefix("builtin:") { return builtin(spec, in: directory, allowedPaths: allowedPaths, start: start) }
        let workdir = spec.workingDirectory.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appendingPathComponent($0) } ?? directory
        let command = spec.command.hasPrefix("/") || !spec.command.contains("/") ? spec.command : directory.appendingPathComponent(spec.command).path
        if spec.command.contains("/") && !spec.command.hasPrefix("/") && !isInside(URL(fileURLWithPath: command), directory) {
            return couldNotRun("\(spec.command) is outside the store; a relative probe command must be under \(directory.path)", start)
        }
        var options = ChildProcess.Options(environment: ChildProcess.environment(adding: environment), workingDirectory: workdir.path,
                                           stdout: .capture(limit: outputLimit), stderr: .sameAsStdout, ownProcessGroup: true,
                                           timeoutSeconds: spec.timeoutSeconds, cancelled: cancelled)
        options.stdinFile = stdinFile
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workdir.path, isDirectory: &isFolder), isFolder.boolValue else {
            return couldNotRun("no working directory \(workdir.path)", start)
        }
        let run: ChildProcess.Result
        do {
            run = try ChildProcess.run([command] + spec.arguments, options)
        } catch let error as ChildProcess.StartError where error.code == ENOENT {
            return couldNotRun("command not found: \(spec.command)", start)
        } catch {
            return couldNotRun("\(error)", start)
        }
        let output = run.stdout
        let text = SafeText.sanitize(output.text, keepNewlines: true) + (output.truncated ? "\n… (output cut at \(outputLimit / 1024) KiB of \(output.totalBytes) bytes)" : "")
        let seconds = Date().timeIntervalSince(start)
        func outcome(_ result: ProbeOutcome.Result, _ summary: String, _ ending: ProbeOutcome.Ending) -> ProbeOutcome {
            ProbeOutcome(result: result, summary: summary, output: text, outputSha256: output.sha256, seconds: seconds, processGroup: run.pid, ending: ending)
        }
        switch run.ending {
        case .timedOut: return outcome(.couldNotRun, "could not run: timed out after \(Format.number(spec.timeoutSeconds)) s", .timedOut)
        case .cancelled: return outcome(.couldNotRun, "could not run: cancelled by the operator", .cancelled)
        case let .signalled(signal): return outcome(.couldNotRun, "could not run: killed by signal \(signal)", .signalled(signal))
        case let .exited(code):
            if code == 127 { return outcome(.couldNotRun, "could not run: command not found (exit 127)", .exited(code)) }
            let last = text.split(separator: "\n").last.map(String.init) ?? ""
            let result: ProbeOutcome.Result = code == spec.expectedExit ? .passed : .failed
            return outcome(result, "exit \(code) (expected \(spec.expectedExit))\(last.isEmpty ? "" : ": \(last.prefix(200))")", .exited(code))
        }
    }

    /// Whether `url`, with links and `..` resolved, lies under `directory`.
    static func isInside(_ url: URL, _ directory: URL) -> Bool {
        let base = directory.resolvingSymlinksInPath().standardizedFileURL.path
        let path = url.resolvingSymlinksInPath().standardizedFileURL.path
        return path == base || path.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    static func couldNotRun(_ why: String, _ start: Date) -> ProbeOutcome {
        ProbeOutcome(result: .couldNotRun, summary: "could not run: \(why)", output: "", outputSha256: Digest.sha256Hex([UInt8]()),
                     seconds: Date().timeIntervalSince(start), processGroup: 0)
    }

    /// `builtin:junit FILE [MIN_PASS_RATE]`, `builtin:openslo FILE [SERVICE]`, `builtin:otlp FILE THRESHOLD [KEY_SPAN…]`.
    static func builtin(_ spec: ProbeSpec, in directory: URL, allowedPaths: [String], start: Date) -> ProbeOutcome {
        guard let first = spec.arguments.first else { return couldNotRun("\(spec.command) needs a file argument", start) }
        let url = first.hasPrefix("/") ? URL(fileURLWithPath: first) : directory.appendingPathComponent(first)
        guard isInside(url, directory) || allowedPaths.contains(where: { isInside(url, URL(fileURLWithPath: $0)) }) else {
            let allowed = allowedPaths.isEmpty ? "" : " or the policy's probes.allowed_paths (\(allowedPaths.joined(separator: ", ")))"
            return couldNotRun("\(first) is outside the store; a probe reads only files under \(directory.path)\(allowed)", start)
        }
        let rest = Array(spec.arguments.dropFirst())
        do {
            let verdict: ReaderVerdict
            switch spec.command {
            case "builtin:junit": verdict = try JUnitReader.read(url, minPassRate: rest.first.flatMap(Double.init))
            case "builtin:openslo": verdict = try OpenSLOReader.read(url, service: rest.first)
            case "builtin:otlp": verdict = try OTLPTraceReader.read(url, keySpans: Array(rest.dropFirst()), threshold: rest.first.flatMap(Double.init) ?? 1)
            default: return couldNotRun("unknown built-in probe \(spec.command); expected builtin:junit, builtin:openslo or builtin:otlp", start)
            }
            let sha = (try? Digest.fileSha256(url)) ?? ""
            return ProbeOutcome(result: verdict.passed ? .passed : .failed, summary: verdict.summary, output: verdict.summary,
                                outputSha256: sha, seconds: Date().timeIntervalSince(start), processGroup: 0)
        } catch {
            return couldNotRun("\(error)", start)
        }
    }
}
