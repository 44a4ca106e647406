// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// `golive store agent` (issue 27, throughput): a machine's commands on a shared store served by
/// one warm process, with the outcome of the command run alone.
@Suite(.serialized) struct StoreAgentTests {
    /// An agent for `url` on `machine`, started as a person would (in the background), once its
    /// socket answers; and the socket's path.
    static func agent(_ url: String, on machine: URL, extra: [String] = []) throws -> (ChildProcess, String) {
        try AgentUnderTest.start(url, cache: machine, extra: extra)
    }

    /// The session.started records of the shared journal: (pid, command).
    /// After `seq`: the sample's own sessions carry the pids of the processes that made it, which
    /// an agent's pid may happen to equal.
    static func sessions(_ url: String, after seq: Int = 0) throws -> [(pid: Int, command: String)] {
        let rows = try TestPostgres.sql("SELECT convert_from(line, 'UTF8') FROM golive_records WHERE rollout = '\(url.components(separatedBy: "rollout=")[1])' AND seq > \(seq) AND convert_from(line, 'UTF8') LIKE '%\"session.started\"%' ORDER BY seq",
                                        on: url.components(separatedBy: "?")[0])
        return rows.split(separator: "\n").compactMap { line in
            guard let data = String(line).data(using: .utf8), let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let session = (o["data"] as? [String: Any])?["session"] as? [String: Any] else { return nil }
            return ((session["pid"] as? Int) ?? -1, (session["command"] as? String) ?? "")
        }
    }

    @Test func aCommandServedByTheAgentIsTheCommandRunAloneInItsOwnSession() throws {
        let url = try TestPostgres.sampleRollout("served")
        let machine = CLI.tempDir("agentm")
        let (agent, socket) = try Self.agent(url, on: machine)
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        #expect(socket.hasPrefix(machine.path) && socket.hasSuffix("/agent.sock"))
        // Only its owner may connect.
        #expect(SystemCall.linkStatus(socket).map { $0.st_mode & 0o777 } == 0o600)

        let before = try TestPostgres.records(url)
        let pass = try PostgresStoreTests.on(machine, ["item", "eval_slo.offline_evals", "--pass", "--note", "7/7 via the agent"], url, as: "dan")
        #expect(pass.code == 0, "\(pass.out)\(pass.err)")
        #expect(pass.out.contains("eval_slo.offline_evals") && pass.out.contains("passed") && pass.out.contains("7/7 via the agent"), "\(pass.out)")
        #expect(try TestPostgres.records(url) == before + 3)
        // Each command served is a session of its own, with its own command line, written by the agent.
        let served = try Self.sessions(url, after: before).suffix(1)
        #expect(served.map(\.pid) == [Int(agent.pid)], "\(served)")
        #expect(served.first?.command.contains("item eval_slo.offline_evals --pass --note 7/7 via the agent") == true, "\(served)")
        let written = try TestPostgres.sql("SELECT count(DISTINCT convert_from(line, 'UTF8')::json->>'session') FROM golive_records WHERE rollout = 'served' AND seq > \(before)",
                                           on: url.components(separatedBy: "?")[0])
        #expect(written == "1")
        // Bad input: the same words and exit code as a command alone, on the command's own stderr.
        let unknown = try PostgresStoreTests.on(machine, ["item", "eval_slo.nope", "--pass"], url, as: "dan")
        #expect(unknown.code == 2 && unknown.err.contains("unknown item 'eval_slo.nope'") && unknown.out.isEmpty, "\(unknown.code) \(unknown.out) \(unknown.err)")
        let refused = try PostgresStoreTests.on(machine, ["item", "eval_slo.offline_evals", "--fail", "--note", "x"], url, as: "carol")
        #expect(refused.code == 1 && refused.err.contains("carol"), "\(refused.code) \(refused.err)")
        let status = try PostgresStoreTests.on(machine, ["status"], url)
        #expect(status.code == 0 && status.out.contains("journal seq"), "\(status.out)\(status.err)")

        let second = try PostgresStoreTests.on(machine, ["item", "operations.runbook", "--note", "reviewed"], url, as: "carol")
        #expect(second.code == 0, "\(second.err)")
        // Every command served began its own session: as many sessions as session.started records.
        let counts = try TestPostgres.sql("SELECT count(DISTINCT convert_from(line, 'UTF8')::json->>'session') || ' ' || count(*) FILTER (WHERE convert_from(line, 'UTF8') LIKE '%\"session.started\"%') FROM golive_records WHERE rollout = 'served' AND seq > \(before)",
                                          on: url.components(separatedBy: "?")[0])
        let pair = counts.split(separator: " ")
        #expect(pair.count == 2 && pair[0] == pair[1] && Int(pair[0]) ?? 0 >= 3, "\(counts)")
        #expect(Self.sessionsBy(url, pid: agent.pid, after: before).count == Int(pair[1]) ?? -1)
        // The journal the agent wrote verifies as any other.
        let verify = try CLI.run(["audit", "verify", "--store", url], env: ["GOLIVE_CACHE": CLI.tempDir("auditor").path])
        #expect(verify.code == 0, "\(verify.out)\(verify.err)")
    }

    /// A golive of another build is never served by the agent: it runs alone, and says so.
    @Test func anotherBuildRunsAloneAndADeadAgentIsNoObstacle() throws {
        let url = try TestPostgres.sampleRollout("other-build")
        let pushed = try TestPostgres.records(url)
        let machine = CLI.tempDir("agentb")
        let (agent, socket) = try Self.agent(url, on: machine)
        let copy = CLI.tempDir("bin").appendingPathComponent("golive")
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: copy.path)
        let keys = PostgresStoreTests.keys
        let other = try ChildProcess.run([copy.path, "item", "runtime.happy_path", "--note", "from another build", "--store", url, "--as", "dan", "--key", keys.appendingPathComponent("dan").path],
                                         .init(environment: ChildProcess.environment(adding: ["GOLIVE_CACHE": machine.path], removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE"]),
                                               stdout: .capture(limit: 1 << 20), stderr: .capture(limit: 1 << 20)))
        #expect(other.exitCode == 0 && other.stderr.text.contains("declined (it runs another golive build"), "\(other.stderr.text)")
        #expect(try Self.sessions(url, after: pushed).last?.pid != Int(agent.pid))

        // Killed without a word, it leaves its socket: commands run alone, and a new agent takes the place.
        agent.signal(SIGKILL)
        _ = agent.wait()
        #expect(SystemCall.linkStatus(socket) != nil)
        let alone = try PostgresStoreTests.on(machine, ["item", "runtime.happy_path", "--note", "no agent"], url, as: "dan")
        #expect(alone.code == 0 && alone.err.isEmpty, "\(alone.err)")
        let (again, _) = try Self.agent(url, on: machine)
        defer { again.signal(SIGTERM); _ = again.wait() }
        // Two agents for one store on one machine: the second is refused.
        let twice = try CLI.run(["store", "agent", "--store", url], env: ["GOLIVE_CACHE": machine.path])
        #expect(twice.code == 2 && twice.err.contains("already serves"), "\(twice.code) \(twice.err)")
        let served = try PostgresStoreTests.on(machine, ["item", "runtime.happy_path", "--note", "new agent"], url, as: "dan")
        #expect(served.code == 0)
        #expect(try Self.sessions(url, after: pushed).last?.pid == Int(again.pid))
    }

    /// A stopped agent (SIGSTOP) still takes connections, and never answers: the command runs
    /// alone after the wait, once, and the levers never go near it.
    @Test func aStoppedAgentIsNotWaitedForAndNeverServesTheLevers() throws {
        let url = try TestPostgres.rolloutInShadow("stopped-agent")
        let pushed = try TestPostgres.records(url)
        let machine = CLI.tempDir("agents")
        let (agent, _) = try Self.agent(url, on: machine)
        defer { agent.signal(SIGKILL); _ = agent.wait() }
        let hold = try PostgresStoreTests.on(machine, ["canary", "hold", "--reason", "lever"], url, as: "alice")
        #expect(Self.sessionsBy(url, pid: agent.pid, after: pushed).isEmpty, "a lever was served by the agent")
        #expect(!hold.err.contains("agent"), "a lever asked the agent: \(hold.err)")
        agent.signal(SIGSTOP)
        let before = try TestPostgres.records(url)
        let start = Date()
        // (With a deadline: a command that waited on the stopped agent would wait for ever.)
        let note = try CLI.run(["item", "runtime.happy_path", "--note", "agent stopped", "--store", url, "--as", "dan",
                                "--key", PostgresStoreTests.keys.appendingPathComponent("dan").path], env: ["GOLIVE_CACHE": machine.path], timeout: 30)
        #expect(note.code == 0, "\(note.code) \(note.err)")
        #expect(Date().timeIntervalSince(start) < 10)
        agent.signal(SIGCONT)
        // The agent, woken, finds the command gone and does not run it a second time.
        let status = try PostgresStoreTests.on(machine, ["status"], url)
        #expect(status.code == 0)
        #expect(try TestPostgres.records(url) == before + 3)
    }

    static func sessionsBy(_ url: String, pid: Int32, after seq: Int = 0) -> [String] {
        ((try? sessions(url, after: seq)) ?? []).filter { $0.pid == Int(pid) }.map(\.command)
    }

    /// Another user cannot have the agent run a command as its own, even through a socket made
    /// writable: the kernel names the caller, and the agent hangs up.
    @Test(.enabled(if: getuid() == 0, "needs root, to run a command as another user"))
    func anotherUsersCommandIsNeverServed() throws {
        let url = try TestPostgres.sampleRollout("other-user")
        let machine = CLI.tempDir("agentu")
        chmod(machine.path, 0o755)
        let (agent, socket) = try Self.agent(url, on: machine)
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        chmod(socket, 0o666)
        // The same binary (a hard link: the same build), where the other user can run it.
        let bin = CLI.tempDir("ubin")
        chmod(bin.path, 0o755)
        let linked = bin.appendingPathComponent("golive").path
        guard link(CLI.binary, linked) == 0 else {
            Issue.record("cannot link \(CLI.binary) into \(bin.path): \(String(cString: strerror(errno)))")
            return
        }
        let pushed = try TestPostgres.records(url)
        let before = Self.sessionsBy(url, pid: agent.pid, after: pushed).count
        let r = try ChildProcess.run(["runuser", "-u", "postgres", "--", "env", "GOLIVE_CACHE=\(machine.path)", "HOME=/tmp",
                                      linked, "item", "runtime.happy_path", "--note", "as another user", "--store", url, "--as", "dan"],
                                     .init(stdout: .capture(limit: 1 << 16), stderr: .capture(limit: 1 << 16), timeoutSeconds: 60))
        #expect(Self.sessionsBy(url, pid: agent.pid, after: pushed).count == before, "the agent served another user's command: \(r.stderr.text)")
        // The command above asks no agent of another user's (it checks who listens); asked
        // directly, descriptors and request written by hand, the agent hangs up without a word.
        let script = """
        import socket, struct, sys
        s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
        text = lambda t: struct.pack(">I", len(t.encode())) + t.encode()
        # A request as golive writes one (AgentRequest): build, folder, the arguments, the environment.
        body = text("x") + text("/") + struct.pack(">I", 1) + text("status") + struct.pack(">I", 0)
        try:
            socket.send_fds(s, [b"x"], [0, 1, 2])
            s.sendall(struct.pack(">I", len(body)) + body)
            answer = s.recv(1)
        except OSError:
            answer = b""
        print("answered" if answer else "hung up")
        """
        let asked = try ChildProcess.run(["runuser", "-u", "postgres", "--", "python3", "-c", script, socket],
                                         .init(stdout: .capture(limit: 1 << 12), stderr: .capture(limit: 1 << 12), timeoutSeconds: 30))
        #expect(asked.stdout.text.contains("hung up"), "\(asked.stdout.text)\(asked.stderr.text)")
    }

    /// The agent itself declines what it does not serve, whoever asks (its own build included):
    /// a lever never runs inside it.
    @Test func theAgentDeclinesALeverEvenFromItsOwnBuild() throws {
        let url = try TestPostgres.rolloutInShadow("agent-lever")
        let pushed = try TestPostgres.records(url)
        let machine = CLI.tempDir("agentl")
        let (agent, socket) = try Self.agent(url, on: machine)
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        let version = try CLI.run(["--version"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let s = try #require(SystemCall.targetStatus(CLI.binary))
        let build = "\(s.st_dev):\(s.st_ino):\(s.st_size):\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(version)"
        func ask(_ arguments: [String]) throws -> UInt8? {
            let fd = try SystemCall.connectUnixSocket(socket)
            defer { SystemCall.closeFile(fd) }
            let null = open("/dev/null", O_RDWR)
            defer { close(null) }
            try SystemCall.sendDescriptors(fd, [null, null, null], path: socket)
            let body = AgentRequest(build: build, arguments: arguments, environment: [("GOLIVE_CACHE", machine.path)], directory: "/").bytes
            let n = UInt32(body.count)
            try SystemCall.sendAll(fd, [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + Array(body), path: socket)
            var answer: UInt8 = 0
            return read(fd, &answer, 1) == 1 ? answer : nil
        }
        #expect(try ask(["canary", "hold", "--reason", "through the agent", "--store", url, "--as", "alice"]) == UInt8(ascii: "D"))
        // A caller that hears "A" and hangs up without its "G" (it gave up just then) is not served.
        #expect(try ask(["item", "runtime.happy_path", "--note", "never said go", "--store", url, "--as", "dan",
                         "--key", PostgresStoreTests.keys.appendingPathComponent("dan").path]) == UInt8(ascii: "A"))
        // The same request for a command it serves is accepted: the build was right.
        #expect(try ask(["status", "--store", url]) == UInt8(ascii: "A"))
        // (A command served after them: the agent is past both.)
        #expect(try PostgresStoreTests.on(machine, ["status"], url).code == 0)
        #expect(Self.sessionsBy(url, pid: agent.pid, after: pushed).isEmpty)
        #expect(try TestPostgres.sql("SELECT count(*) FROM golive_records WHERE rollout = 'agent-lever' AND convert_from(line, 'UTF8') LIKE '%never said go%'",
                                     on: url.components(separatedBy: "?")[0]) == "0")
    }

    @Test func theAgentSaysWhatItNeeds() throws {
        let idle = try CLI.run(["store", "agent", "--idle-exit", "-1", "--store", "postgres://x@127.0.0.1:1/db?rollout=r"])
        #expect(idle.code == 2 && idle.err.contains("--idle-exit takes 0 or more seconds, not -1"), "\(idle.err)")
    }
}
#endif
