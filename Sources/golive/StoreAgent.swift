import Foundation
import GoLiveCore
import GoLivePostgres

/// A long-lived golive for one store on this machine, serving this user's commands
/// (`AgentClient.served`) over a socket only this user can use. Each command runs as in a golive
/// of its own: its arguments, environment, working folder and standard descriptors, its own
/// session, the same dispatch, the same judge; what the agent keeps between commands is what a
/// command in its own process pays to make again: for a PostgreSQL store the open connection and
/// the loaded copy (process start, connect with TLS and SCRAM, catching up; issue 27's
/// throughput), for a folder store the state and configuration already proven (state.json and
/// the adoption in force read, hashed and judged: most of a write at 8,000 items, issue 30).
/// One command at a time: they queue on the socket as they would on the rollout's lock.
final class StoreAgent {
    let socketPath: String
    let listener: Int32
    let build: String
    let idleSeconds: Int
    /// The agent's own environment, put back after each command: read once, as building it from
    /// the process's variables at every command was 4% of a write in the agent.
    let ownEnvironment = ProcessInfo.processInfo.environment

    static func socketPath(_ copyFolder: URL) -> String { copyFolder.appendingPathComponent("agent.sock").path }

    /// The running binary as the file system has it: an agent serves commands of its own build only.
    static func buildIdentity() -> String {
        guard let s = SystemCall.targetStatus("/proc/self/exe") else { return "unknown" }
        return "\(s.st_dev):\(s.st_ino):\(s.st_size):\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(GoLiveVersion.current)"
    }

    /// Takes the socket at `socketPath`. Refuses when an agent already answers there; a socket
    /// left by one that died is replaced.
    init(socketPath: String, idleSeconds: Int) throws {
        self.socketPath = socketPath
        if SystemCall.linkStatus(socketPath) != nil {
            if let fd = try? SystemCall.connectUnixSocket(socketPath) {
                SystemCall.closeFile(fd)
                throw InputError("a store agent already serves this store on this machine (\(socketPath) answers); stop it first (Ctrl-C, or SIGTERM)")
            }
            SystemCall.removeFile(socketPath)
        }
        listener = try SystemCall.listenUnixSocket(socketPath)
        build = StoreAgent.buildIdentity()
        self.idleSeconds = idleSeconds
        StoreAgent.removeOnSignal(socketPath)
    }

    /// Serves until stopped (SIGINT, SIGTERM, SIGHUP) or idle for `idleSeconds` (0: never).
    func serve() throws {
        signal(SIGPIPE, SIG_IGN)
        var idleSince = DispatchTime.now().uptimeNanoseconds
        while true {
            if idleSeconds > 0 {
                let left = Int64(idleSeconds) * 1000 - Int64(DispatchTime.now().uptimeNanoseconds - idleSince) / 1_000_000
                if left <= 0 { break }
                if try !SystemCall.waitReadable(listener, milliseconds: Int(left), path: socketPath) { continue }
            }
            let connection = try SystemCall.acceptConnection(listener, path: socketPath)
            defer {
                SystemCall.closeFile(connection)
                idleSince = DispatchTime.now().uptimeNanoseconds
            }
            // Only this user's commands: the socket's mode says so, the kernel's word checks it.
            guard SystemCall.peerUserID(connection) == geteuid() else { continue }
            serveOne(connection)
        }
        SystemCall.removeFile(socketPath)
    }

    func serveOne(_ connection: Int32) {
        // A command that connects and then says nothing must not stop the others.
        var wait = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        guard let fds = try? SystemCall.receiveDescriptors(connection, max: 3, path: socketPath) else { return }
        defer { fds.forEach(SystemCall.closeFile) }
        guard fds.count == 3, let body = try? AgentFrame.readFrame(connection, path: socketPath),
              let request = AgentRequest(bytes: body) else { return }
        func decline(_ why: String) { _ = try? SystemCall.sendAll(connection, [AgentFrame.declined] + AgentFrame.framed(Array(why.utf8)), path: socketPath) }
        guard request.build == build else { return decline("it runs another golive build; restart it") }
        guard let name = request.arguments.first, AgentClient.served.contains(name) else { return decline("it does not serve this command") }
        guard let home = try? SystemCall.openFile(".", O_RDONLY | O_DIRECTORY) else { return decline("it cannot note its own folder") }
        defer { SystemCall.closeFile(home) }
        guard chdir(request.directory) == 0 else { return decline("it cannot enter \(request.directory)") }
        defer { _ = fchdir(home) }
        // Only the store it serves, named as the command names it from where it was typed.
        let variables = request.variables
        let variable: (String) -> String? = { variables[$0] }
        guard AgentClient.socketPath(AgentClient.storeText(request.arguments, variable: variable), variable: variable,
                                     environment: { variables }) == socketPath else {
            return decline("it serves another store")
        }
        guard (try? SystemCall.sendAll(connection, [AgentFrame.accepted], path: socketPath)) != nil,
              (try? AgentFrame.readExactly(connection, 1, path: socketPath)) == [AgentFrame.go] else { return }
        let code = runAsCommand(request, variables: variables, descriptors: fds)
        _ = try? SystemCall.sendAll(connection, AgentFrame.bytes(UInt32(bitPattern: code)), path: socketPath)
    }

    /// The command with the requester's descriptors as 0, 1 and 2 and its environment, then this
    /// process's own back.
    func runAsCommand(_ request: AgentRequest, variables: [String: String], descriptors: [Int32]) -> Int32 {
        let saved = (0...2).map { dup($0) }
        fflush(nil)
        for (i, fd) in descriptors.enumerated() { dup2(fd, Int32(i)) }
        StoreAgent.replaceEnvironment(with: variables)
        Invocation.serving(request.arguments)
        Session.begin()
        ParsedConfigCache.use(folder: ParsedConfigCache.defaultFolder())
        WritePhases.start()
        let code = CommandDispatch.run(request.arguments)
        WritePhases.finishCommand()
        fflush(nil)
        releaseKept()
        StoreAgent.replaceEnvironment(with: ownEnvironment)
        for (i, fd) in saved.enumerated() where fd >= 0 {
            dup2(fd, Int32(i))
            SystemCall.closeFile(fd)
        }
        return code
    }

    static func replaceEnvironment(with environment: [String: String]) {
        clearenv()
        for (name, value) in environment where !name.isEmpty && !name.contains("=") { setenv(name, value, 1) }
    }

    /// The socket goes when the agent is stopped, so that commands run alone again at once.
    static func removeOnSignal(_ path: String) {
        socketToRemove = strdup(path)
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { _ in
                if let path = socketToRemove { unlink(path) }
                _exit(0)
            }
        }
    }
}

nonisolated(unsafe) private var socketToRemove: UnsafeMutablePointer<CChar>?
