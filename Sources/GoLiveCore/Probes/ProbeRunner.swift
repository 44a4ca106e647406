import Foundation

/// Runs probe commands in their own process group, so a timeout or a cancel kills everything the
/// probe started, not only its first process.
public enum ProbeRunner {
    public static let outputLimit = 64 * 1024

    public static func run(_ spec: ProbeSpec, in directory: URL, environment: [String: String] = [:],
                           cancelled: @Sendable () -> Bool = { false }) -> ProbeOutcome {
        let start = Date()
        if spec.command.hasPrefix("builtin:") { return builtin(spec, in: directory, start: start) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return couldNotRun("cannot make a pipe", start) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        let workdir = spec.workingDirectory.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appendingPathComponent($0) } ?? directory
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        let command = spec.command.hasPrefix("/") || !spec.command.contains("/") ? spec.command : directory.appendingPathComponent(spec.command).path
        // glibc here has no posix_spawn chdir action: a tiny sh changes directory, then execs the probe.
        let argv = ["/bin/sh", "-c", "cd \"$1\" || exit 126; shift; exec \"$@\"", "golive-probe", workdir.path, command] + spec.arguments
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let cenv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cenv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, cargs, cenv)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return couldNotRun("cannot start \(spec.command): \(String(cString: strerror(rc)))", start)
        }
        let flags = fcntl(fds[0], F_GETFL)
        _ = fcntl(fds[0], F_SETFL, flags | O_NONBLOCK)
        var output: [UInt8] = []
        var truncated = false
        var status: Int32 = 0
        var exited = false
        var stopReason: String?
        var stopEnding = ProbeOutcome.Ending.timedOut
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            var p = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 50)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                if output.count < outputLimit { output += buffer[0..<min(n, outputLimit - output.count)] } else { truncated = true }
            }
            if !exited && waitpid(pid, &status, WNOHANG) == pid { exited = true }
            if exited { break }
            if Date().timeIntervalSince(start) > spec.timeoutSeconds { stopReason = "timed out after \(format(spec.timeoutSeconds)) s"; break }
            if cancelled() { stopReason = "cancelled by the operator"; stopEnding = .cancelled; break }
        }
        // Whatever the probe left behind in its group goes too.
        kill(-pid, SIGKILL)
        if !exited { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
        close(fds[0])
        let text = SafeText.sanitize(String(decoding: output, as: UTF8.self), keepNewlines: true) + (truncated ? "\n… (output cut at \(outputLimit / 1024) KiB)" : "")
        let seconds = Date().timeIntervalSince(start)
        let sha = Digest.sha256Hex(output)
        if let stopReason {
            return ProbeOutcome(result: .couldNotRun, summary: "could not run: \(stopReason)", output: text, outputSha256: sha, seconds: seconds, processGroup: pid, ending: stopEnding)
        }
        let signalled = status & 0x7f != 0
        let code = (status >> 8) & 0xff
        if signalled { return ProbeOutcome(result: .couldNotRun, summary: "could not run: killed by signal \(status & 0x7f)", output: text, outputSha256: sha, seconds: seconds, processGroup: pid, ending: .signalled(status & 0x7f)) }
        if code == 126 && output.isEmpty == false && text.contains("can't cd") { return ProbeOutcome(result: .couldNotRun, summary: "could not run: no working directory \(workdir.path)", output: text, outputSha256: sha, seconds: seconds, processGroup: pid, ending: .exited(code)) }
        if code == 127 { return ProbeOutcome(result: .couldNotRun, summary: "could not run: command not found (exit 127)", output: text, outputSha256: sha, seconds: seconds, processGroup: pid, ending: .exited(code)) }
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        let result: ProbeOutcome.Result = code == spec.expectedExit ? .passed : .failed
        return ProbeOutcome(result: result, summary: "exit \(code) (expected \(spec.expectedExit))\(last.isEmpty ? "" : ": \(last.prefix(200))")",
                            output: text, outputSha256: sha, seconds: seconds, processGroup: pid, ending: .exited(code))
    }

    static func format(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }

    static func couldNotRun(_ why: String, _ start: Date) -> ProbeOutcome {
        ProbeOutcome(result: .couldNotRun, summary: "could not run: \(why)", output: "", outputSha256: Digest.sha256Hex([UInt8]()),
                     seconds: Date().timeIntervalSince(start), processGroup: 0)
    }

    /// `builtin:junit FILE [MIN_PASS_RATE]`, `builtin:openslo FILE [SERVICE]`, `builtin:otlp FILE THRESHOLD [KEY_SPAN…]`.
    static func builtin(_ spec: ProbeSpec, in directory: URL, start: Date) -> ProbeOutcome {
        guard let first = spec.arguments.first else { return couldNotRun("\(spec.command) needs a file argument", start) }
        let url = first.hasPrefix("/") ? URL(fileURLWithPath: first) : directory.appendingPathComponent(first)
        let rest = Array(spec.arguments.dropFirst())
        do {
            let verdict: ReaderVerdict
            switch spec.command {
            case "builtin:junit": verdict = try JUnitReader.read(url, minPassRate: rest.first.flatMap(Double.init))
            case "builtin:openslo": verdict = try OpenSLOReader.read(url, service: rest.first)
            case "builtin:otlp": verdict = try OTLPTraceReader.read(url, keySpans: Array(rest.dropFirst()), threshold: rest.first.flatMap(Double.init) ?? 1)
            default: return couldNotRun("unknown built-in probe \(spec.command); expected builtin:junit, builtin:openslo or builtin:otlp", start)
            }
            let sha = (try? AuditSigning.fileSha256(url)) ?? ""
            return ProbeOutcome(result: verdict.passed ? .passed : .failed, summary: verdict.summary, output: verdict.summary,
                                outputSha256: sha, seconds: Date().timeIntervalSince(start), processGroup: 0)
        } catch {
            return couldNotRun("\(error)", start)
        }
    }
}
