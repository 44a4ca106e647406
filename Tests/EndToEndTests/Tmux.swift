import Foundation
import Testing
import GoLiveCore

/// Drives a real terminal: the binary runs inside tmux, keys go in with send-keys, the screen comes
/// back with capture-pane. Every wait polls for a condition with a deadline; none sleeps blindly.
final class Tmux {
    let socket = "golive-test-\(Identity.randomHex(bytes: 4))"
    let session = "cockpit"

    static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// In CI a missing tmux is a failure, not a skip: the cockpit must be seen.
    static func require() -> Bool {
        if available { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("tmux is not installed; .ci/run must install it") }
        return false
    }

    /// Spawned with posix_spawn and waitpid, and output through a file: the first command forks the
    /// tmux server, which would inherit (and hold open forever) the pipe or the termination socket
    /// that Foundation's Process waits on.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(Identity.randomHex(bytes: 4)).out").path
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket] + args
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        // The test runner's threads block signals; the tmux server (and so the cockpit) must not inherit that.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, cargs, environ)
        guard rc == 0 else { throw CLI.SpawnError(message: "cannot run tmux: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    func start(width: Int, height: Int, command: String) throws {
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session,
                  "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \(command); echo GOLIVE-EXITED $?; sleep 60"])
    }

    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }
    func resize(_ w: Int, _ h: Int) throws { try tmux(["resize-window", "-t", session, "-x", "\(w)", "-y", "\(h)"]) }

    /// Polls the screen until `condition` holds; fails with the last screen if the deadline passes.
    @discardableResult
    func wait(for what: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
              _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(30_000)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func wait(forText text: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try wait(for: "'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Sends a signal to the golive process running in the pane; true when one was found.
    @discardableResult
    func signalCockpit(_ signal: String) throws -> Bool {
        let pid = try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        p.arguments = ["-\(signal)", "-P", pid, "-f", "golive"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    func kill() { _ = try? tmux(["kill-server"]) }
    deinit { kill() }
}
