import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// `golive store agent` on a folder store (issue 30: a write at 8,000 items near a process's
/// start): the commands of this user on that store run in one warm golive that keeps the state
/// and configuration it proved, with the outcome of the command run alone.
@Suite(.serialized) struct FolderStoreAgentTests {
    static func agent(_ store: URL, cache: URL) throws -> (ChildProcess, String) {
        try AgentUnderTest.start(store.path, cache: cache)
    }

    /// The pid of each session.started record after `seq`, in order.
    static func sessionPids(_ store: URL, after seq: Int) throws -> [Int] {
        try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], (o["seq"] as? Int ?? 0) > seq,
                  o["kind"] as? String == "session.started", let session = (o["data"] as? [String: Any])?["session"] as? [String: Any] else { return nil }
            return session["pid"] as? Int
        }
    }

    static func lastSeq(_ store: URL) throws -> Int {
        try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(separator: "\n").count
    }

    @Test func aFolderStoresCommandsAreServedByItsAgentWithTheOutcomeOfOneRunAlone() throws {
        let store = try CLI.sampleStore()
        let cache = CLI.tempDir("fagent")
        let (agent, socket) = try Self.agent(store, cache: cache)
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        // In this user's own cache folder, never in the store's (others may write there); only its owner may connect.
        #expect(socket.hasPrefix(cache.appendingPathComponent("agents").path + "/") && socket.hasSuffix(".sock"), "\(socket)")
        #expect(SystemCall.linkStatus(socket).map { $0.st_mode & 0o777 } == 0o600)
        let withAgent = ["GOLIVE_CACHE": cache.path]

        let before = try Self.lastSeq(store)
        let pass = try CLI.run(["item", "eval_slo.offline_evals", "--pass", "--note", "7/7 via the agent"], store: store, as: "dan", env: withAgent)
        #expect(pass.code == 0, "\(pass.out)\(pass.err)")
        #expect(pass.out.contains("eval_slo.offline_evals") && pass.out.contains("passed") && pass.out.contains("7/7 via the agent"), "\(pass.out)")
        #expect(try Self.sessionPids(store, after: before) == [Int(agent.pid)], "the agent did not write the session")

        // Another process writes alone (no agent in its cache folder); the agent's next command sees it.
        let alone = try CLI.run(["item", "runtime.happy_path", "--note", "written alone"], store: store, as: "dan")
        #expect(alone.code == 0, "\(alone.err)")
        let seen = try CLI.run(["item", "runtime.happy_path"], store: store, env: withAgent)
        #expect(seen.code == 0 && seen.out.contains("written alone"), "\(seen.out)\(seen.err)")
        // What it says is what a golive alone says.
        let served = try CLI.run(["status"], store: store, env: withAgent)
        let own = try CLI.run(["status"], store: store)
        #expect(served.code == own.code && served.out == own.out, "\(served.out)\n---\n\(own.out)")
        // rollout.yaml edited while it runs: the agent reads it again, as a golive alone does.
        let rollout = store.appendingPathComponent("rollout.yaml")
        try (try Data(contentsOf: rollout) + Data("\n# edited while the agent runs\n".utf8)).write(to: rollout)
        let servedAfterEdit = try CLI.run(["status"], store: store, env: withAgent)
        let ownAfterEdit = try CLI.run(["status"], store: store)
        #expect(ownAfterEdit.out != own.out, "the edit shows")
        #expect(servedAfterEdit.code == ownAfterEdit.code && servedAfterEdit.out == ownAfterEdit.out, "\(servedAfterEdit.out)\n---\n\(ownAfterEdit.out)")
        // A refusal through it is the same refusal, with the same exit code.
        let refused = try CLI.run(["signoff", "eval_slo", "--role", "nosuchrole"], store: store, as: "dan", env: withAgent)
        let refusedAlone = try CLI.run(["signoff", "eval_slo", "--role", "nosuchrole"], store: store, as: "dan")
        #expect(refused.code == refusedAlone.code && refused.code != 0 && refused.err == refusedAlone.err, "\(refused.err) / \(refusedAlone.err)")

        // A lever is never run inside it.
        let mark = try Self.lastSeq(store)
        _ = try CLI.run(["canary", "hold", "--reason", "not through the agent"], store: store, as: "alice", env: withAgent)
        #expect(!(try Self.sessionPids(store, after: mark)).contains(Int(agent.pid)))
        // A second agent for the same store is refused while the first answers.
        let second = try CLI.run(["store", "agent", "--store", store.path], env: withAgent, timeout: 20)
        #expect(second.code != 0 && second.err.contains("already serves this store"), "\(second.err)")
    }

    /// golive's main heap is asked for huge pages as it starts (issue 30: `status` at 8,000 items
    /// spent a fifth of its time faulting in 4 KB pages), as the kernel records it for a golive
    /// that stays up.
    @Test func golivesMainHeapIsAdvisedToUseHugePages() throws {
        let store = try CLI.sampleStore()
        let (agent, _) = try Self.agent(store, cache: CLI.tempDir("fagenth"))
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        let heap = try #require(ProcessMappings(pid: String(agent.pid))?.all.filter { $0.name == "[heap]" })
        #expect(heap.contains { $0.flags.contains("hg") }, "the break's mappings: \(heap.map { "\(String($0.start, radix: 16)) \($0.flags)" })")
    }

    /// Another store's command is declined by an agent, even one asked directly: it runs alone.
    @Test func anAgentServesOnlyItsOwnStore() throws {
        let store = try CLI.sampleStore()
        let other = try CLI.sampleStore()
        let cache = CLI.tempDir("fagento")
        let (agent, socket) = try Self.agent(store, cache: cache)
        defer { agent.signal(SIGTERM); _ = agent.wait() }
        // The other store's path as this agent's socket: as if the two stores hashed alike.
        let otherSocket = StoreAgentPaths.folderSocket(other, cache: cache)
        try FileManager.default.createDirectory(atPath: (otherSocket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(symlink(socket, otherSocket) == 0)
        let before = try Self.lastSeq(other)
        let r = try CLI.run(["item", "runtime.happy_path", "--note", "other store"], store: other, as: "dan", env: ["GOLIVE_CACHE": cache.path])
        #expect(r.code == 0 && r.err.contains("declined (it serves another store)"), "\(r.err)")
        #expect(!(try Self.sessionPids(other, after: before)).contains(Int(agent.pid)))
    }

    /// A socket where this user's agent would be, held by another user, is never handed a command:
    /// the kernel names who listens, and the command runs alone.
    @Test(.enabled(if: getuid() == 0, "needs root, to listen as another user"))
    func anotherUsersListenerIsNeverAsked() throws {
        let store = try CLI.sampleStore()
        let cache = CLI.tempDir("fagentu")
        let socket = StoreAgentPaths.folderSocket(store, cache: cache)
        try FileManager.default.createDirectory(atPath: (socket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Bound here (as root, in root's folder), listening as nobody: SO_PEERCRED names nobody.
        let script = """
        import os, socket, sys
        s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
        os.setgid(65534); os.setuid(65534); s.listen(8)
        print("listening", flush=True)
        c, _ = s.accept(); c.settimeout(5)
        try:
            data = c.recv(1)
        except Exception:
            data = b""
        print("asked" if data else "never asked", flush=True)
        """
        let listener = try ChildProcess(["python3", "-c", script, socket], .init(stdout: .capture(limit: 1 << 12), stderr: .capture(limit: 1 << 12)))
        var stopped = false
        defer { if !stopped { listener.signal(SIGKILL); _ = listener.wait() } }
        let deadline = Date().addingTimeInterval(20)
        while SystemCall.linkStatus(socket) == nil || !FileManager.default.isWritableFile(atPath: socket), Date() < deadline { usleep(20_000) }
        usleep(200_000)
        let r = try CLI.run(["item", "runtime.happy_path", "--note", "not through a stranger"], store: store, as: "dan", env: ["GOLIVE_CACHE": cache.path])
        #expect(r.code == 0, "\(r.err)")
        listener.signal(SIGTERM)
        let heard = listener.wait()
        stopped = true
        #expect(!heard.stdout.text.split(separator: "\n").contains("asked"), "the command was handed to another user's listener: \(heard.stdout.text)")
    }

    @Test func theAgentSaysWhatItNeeds() throws {
        let missing = CLI.tempDir("fagentm").appendingPathComponent("nothing")
        let r = try CLI.run(["store", "agent", "--store", missing.path])
        #expect(r.code == 2 && r.err.contains("no GoLive store at"), "\(r.code) \(r.err)")
        let idle = try CLI.run(["store", "agent", "--idle-exit", "-1", "--store", missing.path])
        #expect(idle.code == 2 && idle.err.contains("--idle-exit takes 0 or more seconds, not -1"), "\(idle.err)")
    }
}

/// Where golive puts a folder store's agent socket (CacheFolder.agentSocket(folderStore:)), computed
/// here from its documented rule so the tests check the rule, not reuse it.
enum StoreAgentPaths {
    static func folderSocket(_ store: URL, cache: URL) -> String {
        let resolved = SystemCall.resolvedPath(store.path) ?? store.path
        return cache.appendingPathComponent("agents").appendingPathComponent(String(Digest.sha256Hex(Data(resolved.utf8)).prefix(32)) + ".sock").path
    }
}

/// `golive store agent` started as a person would (in the background, its cache folder given),
/// once it says where it listens; and that path. Its words go to `agent.log` in the cache folder.
enum AgentUnderTest {
    static func start(_ store: String, cache: URL, extra: [String] = []) throws -> (ChildProcess, String) {
        let log = cache.appendingPathComponent("agent.log")
        let agent = try ChildProcess([CLI.binary, "store", "agent", "--store", store] + extra,
                                     .init(environment: ChildProcess.environment(adding: ["GOLIVE_CACHE": cache.path, "TMPDIR": TestFolder.root.path],
                                                                                  removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"]),
                                           stdout: .null, stderr: .file(log.path)))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOf: log, encoding: .utf8), let at = text.range(of: " at "), let end = text.range(of: " (pid", range: at.upperBound..<text.endIndex) {
                return (agent, String(text[at.upperBound..<end.lowerBound]))
            }
            usleep(20_000)
        }
        agent.signal(SIGKILL)
        _ = agent.wait()
        throw CLI.SpawnError(message: "the agent never said it serves: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }
}
