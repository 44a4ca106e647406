import CLinux
import Foundation

/// An ssh-agent of GoLive's own, for one session: when the operator's key file is encrypted and no
/// agent holds it, `ssh-add` asks for the passphrase on the terminal (OpenSSH's prompt: never
/// echoed, never seen by GoLive) and the session signs through this agent. It stops with the
/// session, and dies with the process that started it even when that process is killed (-9): a
/// small shell holds the agent and reads a pipe only this process writes; when the process goes,
/// for whatever reason, the kernel closes the pipe and the shell ends the agent. (A parent-death
/// signal would not survive: Debian's ssh-agent is set-group-ID, and exec clears it.)
public final class SSHAgentProcess: @unchecked Sendable {
    public let socket: String
    let process: ChildProcess
    let folder: String
    /// The write end of the lifeline: closed, the agent ends.
    let lifeline: Int32

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("golive-agent-\(Identity.randomHex(bytes: 6))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        socket = folder + "/agent.sock"
        var ends: [Int32] = [0, 0]
        try SystemCall.retrying("cannot make a pipe") { pipe2(&ends, O_CLOEXEC) }
        lifeline = ends[1]
        var options = ChildProcess.Options(stdout: .null, stderr: .null)
        options.stdinDescriptor = ends[0]
        defer { SystemCall.closeFile(ends[0]) }
        do {
            process = try ChildProcess(["sh", "-c", #"ssh-agent -D -a "$0" </dev/null & agent=$!; cat >/dev/null; kill $agent; wait $agent"#, socket], options)
        } catch {
            SystemCall.closeFile(ends[1])
            throw error
        }
        let deadline = Date().addingTimeInterval(5)
        // The socket file appears at bind(), before the agent listens: wait until a connection is taken.
        while (try? SystemCall.connectUnixSocket(socket)).map({ SystemCall.closeFile($0); return true }) != true {
            guard Date() < deadline else { throw InputError("ssh-agent did not start (no socket at \(socket))") }
            usleep(10_000)
        }
    }

    public var client: SSHAgent { SSHAgent(socket: socket) }


    /// Runs `ssh-add FILE` on the terminal; throws when the key was not added (a wrong passphrase
    /// three times, or an interrupt).
    public func add(_ keyFile: String) throws {
        let env = ChildProcess.environment(adding: ["SSH_AUTH_SOCK": socket], removing: ["SSH_ASKPASS", "DISPLAY"])
        let result = try ChildProcess.run(["ssh-add", keyFile], .init(environment: env, stdout: .inherit, stderr: .inherit, inheritStdin: true))
        guard result.exitCode == 0 else { throw InputError("the key \(keyFile) was not unlocked (ssh-add exited \(result.exitCode.map(String.init) ?? "by a signal"))") }
    }

    deinit {
        SystemCall.closeFile(lifeline)
        _ = process.wait()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
