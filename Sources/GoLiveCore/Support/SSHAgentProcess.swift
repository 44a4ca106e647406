import Foundation

/// An ssh-agent of GoLive's own, for one session: when the operator's key file is encrypted and no
/// agent holds it, `ssh-add` asks for the passphrase on the terminal (OpenSSH's prompt: never
/// echoed, never seen by GoLive) and the session signs through this agent. It stops with the
/// session, and dies with the process that started it even when that process is killed (-9): the
/// kernel sends it SIGKILL when its parent goes (PR_SET_PDEATHSIG, set by util-linux's setpriv),
/// so no agent holding a decrypted key outlives a killed cockpit.
public final class SSHAgentProcess: @unchecked Sendable {
    public let socket: String
    let process: ChildProcess
    let folder: String

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("golive-agent-\(Identity.randomHex(bytes: 6))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        socket = folder + "/agent.sock"
        process = try ChildProcess(Self.diesWithParent + ["ssh-agent", "-D", "-a", socket], .init(stdout: .null, stderr: .null))
        let deadline = Date().addingTimeInterval(5)
        // The socket file appears at bind(), before the agent listens: wait until a connection is taken.
        while (try? SystemCall.connectUnixSocket(socket)).map({ SystemCall.closeFile($0); return true }) != true {
            guard Date() < deadline else { throw InputError("ssh-agent did not start (no socket at \(socket))") }
            usleep(10_000)
        }
    }

    public var client: SSHAgent { SSHAgent(socket: socket) }

    /// The agent's process id (for tests that watch it go).
    public var pid: Int32 { process.pid }

    /// `setpriv --pdeathsig KILL` before the program, where setpriv is installed.
    static let diesWithParent: [String] = {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/setpriv" }
        return path.contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) ? ["setpriv", "--pdeathsig", "KILL", "--"] : []
    }()

    /// Runs `ssh-add FILE` on the terminal; throws when the key was not added (a wrong passphrase
    /// three times, or an interrupt).
    public func add(_ keyFile: String) throws {
        let env = ChildProcess.environment(adding: ["SSH_AUTH_SOCK": socket], removing: ["SSH_ASKPASS", "DISPLAY"])
        let result = try ChildProcess.run(["ssh-add", keyFile], .init(environment: env, stdout: .inherit, stderr: .inherit, inheritStdin: true))
        guard result.exitCode == 0 else { throw InputError("the key \(keyFile) was not unlocked (ssh-add exited \(result.exitCode.map(String.init) ?? "by a signal"))") }
    }

    deinit {
        process.signal(SIGTERM)
        _ = process.wait()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
