import Foundation
import GoLiveTestSupport
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

    /// Opens the rollback dialog (the canary view is open), gives the reason and confirms by typing "rollback".
    func rollBack(reason: String) throws {
        try keys("X")
        try wait(forText: "Roll back the canary")
        try type(reason)
        try keys("Tab")
        try type("rollback")
        try keys("Enter")
    }

    /// A missing tmux is a failure, not a green skip: the cockpit must be seen. Only someone who
    /// says so (GOLIVE_SKIP_TMUX_TESTS=1) runs the rest without it.
    static func require() -> Bool {
        if available { return true }
        if ProcessInfo.processInfo.environment["GOLIVE_SKIP_TMUX_TESTS"] != "1" {
            Issue.record("tmux is not installed (apt-get install -y tmux; .ci/run installs it), so the cockpit was not seen; GOLIVE_SKIP_TMUX_TESTS=1 skips these tests on purpose")
        }
        return false
    }

    /// Output goes through a file, not a pipe: the first command forks the tmux server, which
    /// would inherit the pipe and hold it open for as long as it lives.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let outPath = TestFolder.file("\(socket).out").path
        defer { unlink(outPath) }
        _ = try ChildProcess.run(["tmux", "-L", socket] + args, .init(stdout: .file(outPath), stderr: .null))
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    func start(width: Int, height: Int, command: String) throws {
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session,
                  "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 GOLIVE_CACHE='\(CLI.cacheFolder)' TMPDIR='\(TestFolder.root.path)' \(command); echo GOLIVE-EXITED $?; sleep 60"])
    }

    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }
    /// Pastes `text` as a terminal paste does (bracketed, since the cockpit asks for it).
    func paste(_ text: String) throws {
        let file = TestFolder.file("paste")
        try Data(text.utf8).write(to: file)
        try tmux(["load-buffer", file.path])
        try tmux(["paste-buffer", "-p", "-d", "-t", session])
    }
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
        return try ChildProcess.run(["pkill", "-\(signal)", "-P", pid, "-f", "golive"], .init(stdout: .null, stderr: .null)).exitCode == 0
    }

    func kill() { _ = try? tmux(["kill-server"]) }
    deinit { kill() }
}
