// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// The store on PostgreSQL, driven through the real binary as operators on several machines would
/// (each machine is a GOLIVE_CACHE folder: its copy of the rollout).
@Suite(.serialized) struct PostgresStoreTests {
    /// A machine's copy of the rollout: the folder in its GOLIVE_CACHE beside its parsed configurations.
    static func copy(on machine: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: machine.path).filter { $0 != "parsed" }
        guard names.count == 1 else { throw CLI.SpawnError(message: "expected one copy in \(machine.path), found \(names)") }
        return machine.appendingPathComponent(names[0])
    }

    static let keys = CLI.repoRoot.appendingPathComponent("sample-data/demo-keys")

    /// A rollout in shadow approved by bob and advanced by alice to its first step, from `machine`.
    static func liveAtTheFirstStep(_ url: String, on machine: URL) throws {
        #expect(try on(machine, ["canary", "approve"], url, as: "bob").code == 0)
        let advanced = try on(machine, ["canary", "advance"], url, as: "alice")
        #expect(advanced.code == 0, "\(advanced.out)\(advanced.err)")
    }

    /// One operator's command on one machine.
    static func on(_ machine: URL, _ args: [String], _ url: String, as op: String? = nil) throws -> CLI.Result {
        var full = args + ["--store", url]
        if let op { full += ["--as", op, "--key", keys.appendingPathComponent(op).path] }
        return try CLI.run(full, env: ["GOLIVE_CACHE": machine.path])
    }

    @Test func aRolloutPushedWrittenAndPulledBackIsByteIdenticalAndVerifies() throws {
        let folder = try CLI.sampleStore()
        let url = try TestPostgres.sampleRollout("roundtrip", from: folder)
        let pushedCount = try TestPostgres.records(url)
        #expect(pushedCount == (try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)).split(separator: "\n").count)
        let laptop = CLI.tempDir("laptop")
        let pass = try Self.on(laptop, ["item", "operations.oncall_owner", "--pass", "--note", "rota checked"], url, as: "carol")
        #expect(pass.code == 0, "\(pass.err)")
        #expect(try TestPostgres.records(url) == pushedCount + 3)
        let back = CLI.tempDir("pulled").appendingPathComponent("store")
        let pull = try CLI.run(["store", "pull", url, back.path])
        #expect(pull.code == 0, "\(pull.err)")
        // The journal pulled is the one every machine holds, byte for byte, and verifies as a folder store.
        let pulled = try Data(contentsOf: back.appendingPathComponent("journal.jsonl"))
        let copy = try Data(contentsOf: try Self.copy(on: laptop).appendingPathComponent("journal.jsonl"))
        #expect(pulled == copy)
        let verify = try CLI.run(["audit", "verify"], store: back)
        #expect(verify.code == 0, "\(verify.out)\(verify.err)")
        // And round trips again: pushed as a new rollout, pulled, the same bytes.
        let again = url.replacingOccurrences(of: "rollout=roundtrip", with: "rollout=again")
        #expect(try CLI.run(["store", "push", back.path, again]).code == 0)
        let back2 = CLI.tempDir("pulled2").appendingPathComponent("store")
        #expect(try CLI.run(["store", "pull", again, back2.path]).code == 0)
        #expect(try Data(contentsOf: back2.appendingPathComponent("journal.jsonl")) == pulled)
        // The pulled folder is a store of its own: its configuration is the adopted one.
        let status = try CLI.run(["status"], store: back)
        #expect(status.code == 0 && status.out.contains("journal seq \(pushedCount + 3)"), "\(status.out)\(status.err)")
    }

    @Test func aWriteOnOneMachineIsSeenOnAnother() throws {
        let url = try TestPostgres.sampleRollout("two-machines")
        let captain = CLI.tempDir("captain"), oncall = CLI.tempDir("oncall")
        let before = try Self.on(oncall, ["status", "--json"], url)
        #expect(before.code == 0, "\(before.err)")
        #expect(try Self.on(captain, ["item", "eval_slo.offline_evals", "--pass", "--note", "7/7"], url, as: "dan").code == 0)
        let after = try Self.on(oncall, ["item", "eval_slo.offline_evals"], url)
        #expect(after.out.contains("passed") && after.out.contains("7/7"), "\(after.out)\(after.err)")
        let status = try Self.on(oncall, ["status"], url)
        #expect(status.out.contains("store postgres://") && !status.out.contains("golive-test"), "the address is shown without its password: \(status.out)")
    }

    /// Issue 27, finding 3: `--store postgres://user:PASSWORD@…` was journaled verbatim in
    /// session.started: in the database, in every machine's copy and in every export.
    @Test func theDatabasePasswordNeverReachesARecord() throws {
        let url = try TestPostgres.sampleRollout("no-secrets")
        #expect(url.contains(":golive-test@"), "the test server's address carries its password: \(url)")
        let laptop = CLI.tempDir("secret-laptop")
        #expect(try Self.on(laptop, ["item", "eval_slo.offline_evals", "--note", "checked"], url, as: "dan").code == 0)
        let copy = try String(contentsOf: try Self.copy(on: laptop).appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(copy.contains("session.started") && !copy.contains("golive-test"), "the password is in a record")
        let md = try Self.on(laptop, ["audit", "export", "--format", "md"], url)
        #expect(md.code == 0 && !md.out.contains("golive-test"))
        // Nor any file of this machine's copy (its acknowledged head, checkpoint, adopted files…).
        let copyFolder = try Self.copy(on: laptop)
        for case let name as String in FileManager.default.enumerator(atPath: copyFolder.path)! {
            let bytes = FileManager.default.contents(atPath: copyFolder.appendingPathComponent(name).path) ?? Data()
            #expect(!String(decoding: bytes, as: UTF8.self).contains("golive-test"), "the password is in \(name)")
        }
    }

    @Test func aRowEditedOnTheServerIsFoundByAuditVerifyWhichReadsTheServerNotTheCopy() throws {
        let url = try TestPostgres.sampleRollout("edited")
        let machine = CLI.tempDir("m")
        let clean = try Self.on(machine, ["audit", "verify"], url)
        #expect(clean.code == 0 && clean.out.hasPrefix("postgres://postgres@"), "\(clean.out)\(clean.err)")
        let db = url.components(separatedBy: "?")[0]
        try TestPostgres.sql("SET session_replication_role = replica; UPDATE golive_records SET line = convert_to(replace(convert_from(line, 'UTF8'), '\"ts\":\"2026', '\"ts\":\"2025'), 'UTF8') WHERE rollout = 'edited' AND seq = 7", on: db)
        let edited = try Self.on(machine, ["audit", "verify"], url)
        #expect(edited.code == 1 && edited.out.contains(":7: FAILED") && edited.out.contains("seq 7"), "\(edited.out)\(edited.err)")
        // A machine that had no copy yet refuses it where it stands, rather than believing it:
        // UNTRUSTED at seq 7, and the levers still act.
        let fresh = CLI.tempDir("fresh")
        let status = try Self.on(fresh, ["status"], url)
        #expect(status.out.contains("UNTRUSTED") && status.out.contains("seq 7") && status.out.contains("its hash does not match its bytes"), "\(status.out)\(status.err)")
        let gate = try Self.on(fresh, ["gate"], url)
        #expect(gate.code == 1 && gate.out.contains("NOT READY"), "\(gate.out)\(gate.err)")
    }

    /// A copy that does not end where the server has it (a write killed between its local append
    /// and its commit, or a copy of another rollout) is replaced from the server, never extended.
    @Test func aCopyThatDivergedFromTheServerIsReplacedNotExtended() throws {
        let folder = try CLI.sampleStore()
        let url = try TestPostgres.sampleRollout("ours", from: folder)
        let other = url.replacingOccurrences(of: "rollout=ours", with: "rollout=theirs")
        #expect(try CLI.run(["store", "push", folder.path, other]).code == 0)
        let ours = CLI.tempDir("ours"), theirs = CLI.tempDir("theirs")
        #expect(try Self.on(ours, ["item", "operations.runbook", "--note", "ours-1"], url, as: "carol").code == 0)
        #expect(try Self.on(theirs, ["item", "operations.runbook", "--note", "theirs-1"], other, as: "carol").code == 0)
        #expect(try Self.on(ours, ["item", "operations.runbook", "--note", "ours-2"], url, as: "carol").code == 0)
        // This machine's copy of "ours" now holds "theirs": same first 97 records, then another history.
        let copy = try Self.copy(on: ours)
        let theirCopy = try Self.copy(on: theirs)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("journal.jsonl"))
        try FileManager.default.copyItem(at: theirCopy.appendingPathComponent("journal.jsonl"), to: copy.appendingPathComponent("journal.jsonl"))
        try? FileManager.default.removeItem(at: copy.appendingPathComponent("state.json"))
        let item = try Self.on(ours, ["item", "operations.runbook"], url)
        #expect(item.code == 0 && item.out.contains("ours-2") && !item.out.contains("theirs-1"), "\(item.out)\(item.err)")
        let pulled = CLI.tempDir("pulled").appendingPathComponent("store")
        #expect(try CLI.run(["store", "pull", url, pulled.path]).code == 0)
        #expect(try Data(contentsOf: copy.appendingPathComponent("journal.jsonl")) == Data(contentsOf: pulled.appendingPathComponent("journal.jsonl")))
    }

    /// The network fails just after the server committed a write, before golive hears so: golive
    /// asks again on a fresh connection and reports what happened (here: written, exit 0), never a
    /// failure for a write that counts.
    @Test func aCommitWhoseAnswerIsLostIsAskedAgainNotReportedAsFailed() throws {
        let url = try TestPostgres.sampleRollout("lost-answer")
        let before = try TestPostgres.records(url)
        let (proxy, proxied, out) = try Self.proxy(to: url)
        defer { proxy.signal(SIGKILL); _ = proxy.wait() }
        let r = try Self.on(CLI.tempDir("m"), ["item", "operations.runbook", "--note", "answer lost"], proxied.string!, as: "carol")
        #expect(((try? String(contentsOf: out, encoding: .utf8)) ?? "").contains("dropped"), "the proxy cut the COMMIT's answer")
        #expect(r.code == 0, "the write was committed, so it is reported as done: \(r.err)")
        #expect(try TestPostgres.records(url) == before + 3)
    }

    /// The configuration lives in the journal: adopted on one machine (edited in its copy), it is
    /// the one in force on every machine, whatever that machine's copy held before.
    @Test func aConfigurationAdoptedOnOneMachineIsInForceOnEveryMachine() throws {
        let url = try TestPostgres.sampleRollout("config")
        let captain = CLI.tempDir("captain"), oncall = CLI.tempDir("oncall")
        #expect(try Self.on(oncall, ["status"], url).code == 0)
        #expect(try Self.on(captain, ["status"], url).code == 0)
        let policy = try Self.copy(on: captain).appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        #expect(text.contains("min_shadow_minutes: 60"))
        try text.replacingOccurrences(of: "min_shadow_minutes: 60", with: "min_shadow_minutes: 75").write(to: policy, atomically: true, encoding: .utf8)
        // Edited but not adopted: the captain's own gate says so, and nobody else is affected.
        #expect(try Self.on(captain, ["gate", "--no-record"], url).out.contains("configuration_adopted"))
        #expect(!(try Self.on(oncall, ["gate", "--no-record"], url).out.contains("configuration_adopted")))
        let adopt = try Self.on(captain, ["config", "adopt", "--reason", "a 75-minute shadow"], url, as: "alice")
        #expect(adopt.code == 0, "\(adopt.err)")
        let theirs = try Self.copy(on: oncall).appendingPathComponent("policy.yaml")
        let gate = try Self.on(oncall, ["gate", "--no-record"], url)
        #expect(!gate.out.contains("configuration_adopted"), "\(gate.out)")
        #expect(try String(contentsOf: theirs, encoding: .utf8).contains("min_shadow_minutes: 75"), "the adopted policy is written into the other machine's copy")
    }

    /// A proxy between golive and the server (scripts/lose-commit-answer.py); its port, once it listens.
    static func proxy(to url: String, _ mode: [String] = []) throws -> (ChildProcess, URLComponents, URL) {
        let server = URLComponents(string: url)!
        let out = TestFolder.file("proxy.out")
        let proxy = try ChildProcess(["python3", CLI.repoRoot.appendingPathComponent("scripts/lose-commit-answer.py").path, server.host!, "\(server.port!)"] + mode,
                                     .init(stdout: .file(out.path), stderr: .null))
        var port = ""
        let deadline = Date().addingTimeInterval(10)
        while port.isEmpty && Date() < deadline {
            port = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: "\n").first.map(String.init) ?? ""
            if port.isEmpty { usleep(20_000) }
        }
        var proxied = server
        proxied.port = Int(port)
        return (proxy, proxied, out)
    }

    /// A network that goes half dead after the connection was made: the server's answers stop
    /// coming. The command gives up at its deadline with words, instead of hanging the terminal.
    @Test func aServerThatStopsAnsweringIsGivenUpOnAtTheDeadline() throws {
        let url = try TestPostgres.sampleRollout("silent")
        let (proxy, proxied, _) = try Self.proxy(to: url, ["hang"])
        defer { proxy.signal(SIGKILL); _ = proxy.wait() }
        let r = try ChildProcess.run([CLI.binary, "status", "--store", proxied.string!],
                                     .init(environment: ChildProcess.environment(adding: ["GOLIVE_CACHE": CLI.tempDir("m").path]),
                                           stdout: .capture(limit: 1 << 16), stderr: .capture(limit: 1 << 16), timeoutSeconds: 60))
        #expect(r.exitCode == 2, "\(r.ending)")
        #expect(r.stderr.text.contains("did not answer within 20 s"), "\(r.stderr.text)")
    }

    @Test func badAddressesAndDatabasesAreExitTwoWithClearWordsAndWriteNothing() throws {
        let url = try TestPostgres.sampleRollout("faults")
        let count = try TestPostgres.records(url)
        let machine = CLI.tempDir("m")
        func refused(_ u: String, _ words: String, _ args: [String] = ["item", "operations.oncall_owner", "--pass", "--note", "x"]) throws {
            let r = try Self.on(machine, args, u, as: "carol")
            #expect(r.code == 2, "\(u): \(r.code) \(r.err)")
            #expect(r.err.contains(words), "\(u): \(r.err)")
            #expect(!r.err.contains("golive-test"), "a password is never printed: \(r.err)")
        }
        try refused(url.replacingOccurrences(of: ":golive-test@", with: ":wrong@"), "refused the password")
        try refused(url.replacingOccurrences(of: "/t_", with: "/nosuch_"), "has no database")
        try refused(url.replacingOccurrences(of: "rollout=faults", with: "rollout=nosuch"), "no rollout 'nosuch'")
        try refused(url.components(separatedBy: "?")[0], "names no rollout")
        try refused(url + "&sslmode=verify-full", "needs the CA certificate")
        try refused(url + "&sslmode=on", "sslmode=on is not an sslmode; expected one of disable, allow, prefer, require, verify-ca, verify-full")
        try refused("postgres://127.0.0.1:1/x?rollout=a", "cannot reach PostgreSQL at 127.0.0.1:1")
        try refused(url, "golive init makes a folder store", ["init"])
        try refused(url.replacingOccurrences(of: "rollout=faults", with: "rollout=a;b"), "rollout 'a;b' must be 1-100 letters")
        let into = try CLI.run(["store", "pull", url, try CLI.sampleStore().path])
        #expect(into.code == 2 && into.err.contains("already holds a store; nothing was pulled"), "\(into.err)")
        let bare = try TestPostgres.freshDatabase()
        try refused(bare + "?rollout=a", "holds no GoLive store; run `golive store init")
        #expect(try TestPostgres.records(url) == count, "nothing was written")
        // A schema from a newer golive: refused by every command and by init, untouched.
        let newer = try TestPostgres.sampleRollout("newer")
        try TestPostgres.sql("UPDATE golive_schema SET version = 99", on: newer.components(separatedBy: "?")[0])
        try refused(newer, "set up by a newer golive (schema version 99")
        let reinit = try CLI.run(["store", "init", newer.components(separatedBy: "?")[0]])
        #expect(reinit.code == 2 && reinit.err.contains("newer golive"), "\(reinit.err)")
        // A database that holds someone else's tables is not initialised over.
        let theirs = try TestPostgres.freshDatabase()
        try TestPostgres.sql("CREATE TABLE invoices (id int)", on: theirs)
        let foreign = try CLI.run(["store", "init", theirs])
        #expect(foreign.code == 2 && foreign.err.contains("tables that are not GoLive's (invoices)"), "\(foreign.err)")
        #expect(try TestPostgres.sql("SELECT to_regclass('golive_records') IS NULL", on: theirs) == "t")
        // Pushing over an existing rollout is refused.
        let again = try CLI.run(["store", "push", try CLI.sampleStore().path, url])
        #expect(again.code == 2 && again.err.contains("already holds rollout 'faults'"), "\(again.err)")
        #expect(try TestPostgres.records(url) == count)
    }

    /// Writers as shell loops: `count` writes each, every one's note unique; a failed write is
    /// printed as "FAIL note" on stderr.
    static func writers(_ plan: [(machine: URL, op: String, item: String, tag: String)], count: Int, url: String) throws -> [ChildProcess] {
        try plan.map { w in
            let script = """
                i=0; while [ $i -lt \(count) ]; do i=$((i+1))
                  case $((i % 3)) in 0) v=--pass;; 1) v=--fail;; *) v=;; esac
                  "$GOLIVE" item \(w.item) $v --note "\(w.tag)-$i" --store "$URL" --as \(w.op) --key "$KEYS/\(w.op)" >/dev/null 2>"$ERR" || { echo "FAIL \(w.tag)-$i: $(cat "$ERR")" >&2; }
                done
                """
            let env = ChildProcess.environment(adding: ["GOLIVE": CLI.binary, "URL": url, "KEYS": keys.path, "GOLIVE_CACHE": w.machine.path,
                                                        "ERR": TestFolder.file("\(w.tag).err").path],
                                               removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"])
            return try ChildProcess(["/bin/sh", "-c", script], .init(environment: env, stdout: .null, stderr: .capture(limit: 1 << 20)))
        }
    }

    @Test func eightProcessesAsFourOperatorsOnFourMachinesWriteOneChain() throws {
        let url = try TestPostgres.sampleRollout("eight")
        let before = try TestPostgres.records(url)
        let machines = (0..<4).map { CLI.tempDir("machine\($0)") }
        // Two processes per machine (they share its copy), each operator on the items their role may touch.
        let plan: [(machine: URL, op: String, item: String, tag: String)] = [
            (machines[0], "alice", "operations.runbook", "a1"), (machines[0], "alice", "observability.key_spans", "a2"),
            (machines[1], "bob", "safety.prechecks_guardrails", "b1"), (machines[1], "bob", "safety.policy_decisions_traced", "b2"),
            (machines[2], "carol", "operations.runbook", "c1"), (machines[2], "carol", "observability.key_spans", "c2"),
            (machines[3], "dan", "eval_slo.offline_evals", "d1"), (machines[3], "dan", "eval_slo.offline_evals", "d2"),
        ]
        let perProcess = 125
        let results = try Self.writers(plan, count: perProcess, url: url).map { $0.wait() }
        for (r, w) in zip(results, plan) {
            #expect(r.exitCode == 0 && r.stderr.text.isEmpty, "\(w.tag): \(r.stderr.text.prefix(2000))")
        }
        // Each write is its session's three records: 1,000 writes, 3,000 records, one chain.
        #expect(try TestPostgres.records(url) == before + 3 * plan.count * perProcess)
        let pulled = CLI.tempDir("pulled").appendingPathComponent("store")
        let pull = try CLI.run(["store", "pull", url, pulled.path])
        #expect(pull.code == 0, "\(pull.err)")
        let verify = try CLI.run(["audit", "verify"], store: pulled)
        #expect(verify.code == 0, "\(verify.out)\(verify.err)")
        let journal = try String(contentsOf: pulled.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        for w in plan {
            for i in [1, perProcess / 2, perProcess] {
                #expect(journal.components(separatedBy: "\"\(w.tag)-\(i)\"").count == 2, "\(w.tag)-\(i) is in the journal once")
            }
        }
        // Every machine's copy is the shared journal, byte for byte, once caught up.
        for m in machines {
            #expect(try Self.on(m, ["status"], url).code == 0)
            let copy = try Self.copy(on: m).appendingPathComponent("journal.jsonl")
            #expect(try Data(contentsOf: copy) == Data(journal.utf8))
        }
    }

    /// The same command from several operators on several machines at once; their results.
    static func race(_ args: [String], _ url: String, ops: [String], machines: [URL]) throws -> [ChildProcess.Result] {
        try ops.enumerated().map { i, op in
            let env = ChildProcess.environment(adding: ["GOLIVE_CACHE": machines[i % machines.count].path],
                                               removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"])
            return try ChildProcess([CLI.binary] + args + ["--store", url, "--as", op, "--key", keys.appendingPathComponent(op).path],
                                    .init(environment: env, stdout: .capture(limit: 1 << 20), stderr: .capture(limit: 1 << 20)))
        }.map { $0.wait() }
    }

    @Test func concurrentAdvancesOnSeveralMachinesStartExactlyOneTransitionPerStep() throws {
        let ready = CLI.tempDir("ready").appendingPathComponent("store")
        try CLI.makeReady(ready, shadowMinutes: "0")
        let url = try TestPostgres.sampleRollout("race", from: ready)
        let machines = (0..<3).map { CLI.tempDir("machine\($0)") }
        let ops = ["alice", "carol", "alice", "carol", "alice", "carol"]
        func transitions() throws -> [String] {
            let pulled = CLI.tempDir("pulled").appendingPathComponent("store")
            #expect(try CLI.run(["store", "pull", url, pulled.path]).code == 0)
            return try String(contentsOf: pulled.appendingPathComponent("journal.jsonl"), encoding: .utf8)
                .split(separator: "\n").filter { $0.contains("\"kind\":\"canary.transition_started\"") }.map(String.init)
        }
        func oneWins(_ results: [ChildProcess.Result], _ step: String) {
            #expect(results.filter { $0.exitCode == 0 }.count == 1, "\(step): \(results.map { "\($0.exitCode ?? -1) \($0.stderr.text)" })")
            for loser in results where loser.exitCode != 0 {
                #expect(loser.exitCode == 1 && loser.stderr.text.contains("refused"), "\(step): the others get the core's refusal: \(loser.stderr.text)")
            }
        }
        oneWins(try Self.race(["canary", "shadow"], url, ops: ops, machines: machines), "shadow")
        #expect(try transitions().count == 1)
        for step in ["1%", "5%"] {
            #expect(try Self.on(machines[1], ["canary", "approve"], url, as: "bob").code == 0)
            oneWins(try Self.race(["canary", "advance"], url, ops: ops, machines: machines), step)
        }
        #expect(try transitions().count == 3)
        let status = try Self.on(machines[2], ["canary", "status", "--json"], url)
        let json = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any]
        let exposure = json?["exposure_pct"] as? Double
        #expect(exposure != nil && exposure! <= 5, "exposure never passes the cap: \(status.out)")
    }

    @Test func killingTheServerTenTimesDuringWritesLosesNothingAcknowledgedAndCountsNothingFailed() throws {
        // A server of this test's own, to kill.
        let cluster = TestFolder.make("pg-fault")
        chmod(cluster.path, 0o755)
        let started = TestPostgres.cluster("start", cluster.path)
        #expect(started.exitCode == 0, "\(started.stderr.text)")
        defer { TestPostgres.cluster("stop", cluster.path) }
        let server = started.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = try TestPostgres.sampleRollout("faults", on: server)
        let machines = (0..<2).map { CLI.tempDir("machine\($0)") }
        // Writers that print, for each write, OK or FAIL with its note.
        let plan: [(machine: URL, op: String, item: String, tag: String)] = [
            (machines[0], "carol", "operations.runbook", "k1"), (machines[1], "dan", "eval_slo.offline_evals", "k2"),
        ]
        let writers = try plan.map { w -> ChildProcess in
            let script = """
                i=0; while [ $i -lt 400 ] && [ ! -e "$STOP" ]; do i=$((i+1))
                  if "$GOLIVE" item \(w.item) --note "\(w.tag)-$i" --store "$URL" --as \(w.op) --key "$KEYS/\(w.op)" >/dev/null 2>>"$ERR"; then echo "OK \(w.tag)-$i"; else echo "FAIL \(w.tag)-$i"; fi
                done
                """
            let env = ChildProcess.environment(adding: ["GOLIVE": CLI.binary, "URL": url, "KEYS": Self.keys.path, "GOLIVE_CACHE": w.machine.path,
                                                        "STOP": cluster.appendingPathComponent("stop-writers").path, "ERR": cluster.appendingPathComponent("\(w.tag).err").path],
                                               removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"])
            return try ChildProcess(["/bin/sh", "-c", script], .init(environment: env, stdout: .capture(limit: 1 << 20), stderr: .capture(limit: 1 << 20)))
        }
        for _ in 0..<10 {
            Thread.sleep(forTimeInterval: 0.8)
            #expect(TestPostgres.cluster("crash", cluster.path).exitCode == 0)
            Thread.sleep(forTimeInterval: 0.2)
            let resumed = TestPostgres.cluster("resume", cluster.path)
            #expect(resumed.exitCode == 0, "\(resumed.stderr.text)")
        }
        Thread.sleep(forTimeInterval: 0.8)
        FileManager.default.createFile(atPath: cluster.appendingPathComponent("stop-writers").path, contents: nil)
        let outcomes = writers.map { $0.wait().stdout.text }.joined().split(separator: "\n").map(String.init)
        let ok = outcomes.filter { $0.hasPrefix("OK ") }.map { String($0.dropFirst(3)) }
        let failed = outcomes.filter { $0.hasPrefix("FAIL ") }.map { String($0.dropFirst(5)) }
        print("fault test: \(ok.count) writes acknowledged, \(failed.count) failed, through 10 server kills")
        #expect(ok.count > 20 && failed.count > 0, "the writes ran through the crashes: \(ok.count) ok, \(failed.count) failed")
        let pulled = CLI.tempDir("pulled").appendingPathComponent("store")
        let pull = try CLI.run(["store", "pull", url, pulled.path])
        #expect(pull.code == 0, "\(pull.err)")
        #expect(try CLI.run(["audit", "verify"], store: pulled).code == 0, "the chain verifies")
        let journal = try String(contentsOf: pulled.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        for note in ok { #expect(journal.components(separatedBy: "\"\(note)\"").count == 2, "acknowledged \(note) is there once") }
        for note in failed { #expect(!journal.contains("\"\(note)\""), "failed \(note) does not count") }
        // The failures said why.
        let errors = plan.map { (try? String(contentsOf: cluster.appendingPathComponent("\($0.tag).err"), encoding: .utf8)) ?? "" }.joined()
        #expect(errors.contains("PostgreSQL at 127.0.0.1"), "\(errors.prefix(500))")
        let kinds = Dictionary(grouping: errors.split(separator: "\n").map { $0.contains("did not answer") ? "no answer" : $0.contains("cannot reach") ? "cannot reach" : $0.contains("closed the connection") ? "closed" : String($0.prefix(80)) }, by: { $0 }).mapValues(\.count)
        print("fault test: failures by kind: \(kinds)")
    }
}

extension PostgresStoreTests {
    /// Issue 27, finding 1: a writer whose network froze right after its INSERT left its
    /// transaction open on the server, holding the rollout's lock until TCP gave up (hours); the
    /// captain's hold and rollback from a healthy machine each failed after 40 s. Every golive
    /// session now bounds what it can hold: the frozen one loses the lock within 10 s.
    @Test func aWriterFrozenAfterItsInsertDoesNotKeepTheLeversFromActing() throws {
        let url = try TestPostgres.rolloutInShadow("frozen")
        let (proxy, proxied, out) = try Self.proxy(to: url, ["freeze"])
        defer { proxy.signal(SIGKILL); _ = proxy.wait() }
        let writer = try ChildProcess([CLI.binary, "item", "runtime.happy_path", "--note", "from the train", "--store", proxied.string!,
                                       "--as", "dan", "--key", Self.keys.appendingPathComponent("dan").path],
                                      .init(environment: ChildProcess.environment(adding: ["GOLIVE_CACHE": CLI.tempDir("train").path]),
                                            stdout: .null, stderr: .null))
        defer { writer.signal(SIGKILL); _ = writer.wait() }
        let deadline = Date().addingTimeInterval(30)
        while !((try? String(contentsOf: out, encoding: .utf8)) ?? "").contains("frozen") && Date() < deadline { usleep(50_000) }
        #expect(((try? String(contentsOf: out, encoding: .utf8)) ?? "").contains("frozen"), "the writer never reached its INSERT")
        // The lock is held now, by a session nobody will hear from again.
        let captain = CLI.tempDir("captain")
        let start = Date()
        let hold = try Self.on(captain, ["canary", "hold", "--reason", "stop the line"], url, as: "alice")
        let held = Date().timeIntervalSince(start)
        #expect(hold.code == 0, "\(hold.out) \(hold.err)")
        #expect(held < 15, "the hold took \(held) s")
        let rollback = try Self.on(captain, ["canary", "rollback", "--reason", "p99 rising"], url, as: "alice")
        #expect(rollback.code == 0 && rollback.out.contains("hook: applied"), "\(rollback.out) \(rollback.err)")
        // The frozen write never committed: the shared journal has no note from the train.
        #expect(try TestPostgres.sql("SELECT count(*) FROM golive_records WHERE convert_from(line, 'UTF8') LIKE '%from the train%'", on: url.components(separatedBy: "?")[0]) == "0")
    }

    /// A session that is alive and keeps the lock (a slow migration) is waited for at most 15 s,
    /// and the lever says who holds it instead of blaming the server.
    @Test func aLeverThatCannotGetTheLockSaysWhoHoldsIt() throws {
        let url = try TestPostgres.sampleRollout("held")
        let db = url.components(separatedBy: "?")[0]
        let holder = try ChildProcess(["psql", "-X", "-q", "-c", "BEGIN; SELECT pg_advisory_xact_lock(hashtext('golive:held')); SELECT pg_sleep(30); COMMIT;", db],
                                      .init(environment: ChildProcess.environment(adding: ["PGAPPNAME": "nightly migration"]), stdout: .null, stderr: .null))
        defer { holder.signal(SIGKILL); _ = holder.wait() }
        let deadline = Date().addingTimeInterval(10)
        while try TestPostgres.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nightly migration' AND state = 'active'") == "0" && Date() < deadline { usleep(50_000) }
        let start = Date()
        let r = try Self.on(CLI.tempDir("m"), ["item", "operations.oncall_owner", "--pass", "--note", "x"], url, as: "carol")
        #expect(Date().timeIntervalSince(start) < 19)
        #expect(r.code != 0 && r.err.contains("the rollout's lock is held by 'nightly migration'") && !r.err.contains("did not answer"), "\(r.err)")
    }

    /// Issue 27, finding 2: a role with only INSERT rights appended one well-formed, correctly
    /// chained record; every write was then refused, hold and rollback included. The judge
    /// refuses it, the levers still act, and a captain's set-aside brings normal writes back.
    @Test func oneInsertedRowNeverWedgesTheLevers() throws {
        let url = try TestPostgres.rolloutInShadow("inserted")
        let db = url.components(separatedBy: "?")[0]
        let head = try TestPostgres.sql("SELECT seq || ' ' || hash FROM golive_records WHERE rollout = 'inserted' ORDER BY seq DESC LIMIT 1", on: db).split(separator: " ")
        let seq = Int(head[0])! + 1, prev = String(head[1])
        let body = #"{"v":2,"seq":\#(seq),"prev":"\#(prev)","actor":"dan","data":{"item":"runtime.happy_path","note":"looks fine","status":"passed"},"kind":"item.set","os_user":"mallory","session":"s-inserted","ts":"\#(Timestamp.format(Date()))""#
        let hash = Digest.sha256Hex(Array(body.utf8))
        let line = body + #","hash":"\#(hash)"}"# + "\n"
        let hex = Array(line.utf8).map { String(format: "%02x", $0) }.joined()
        _ = try TestPostgres.sql("INSERT INTO golive_records (rollout, seq, prev, hash, line) VALUES ('inserted', \(seq), '\(prev)', '\(hash)', decode('\(hex)', 'hex'))", on: db)

        let captain = CLI.tempDir("captain")
        let status = try Self.on(captain, ["status"], url)
        #expect(status.out.contains("UNTRUSTED"), "\(status.out) \(status.err)")
        let hold = try Self.on(captain, ["canary", "hold", "--reason", "a row nobody wrote"], url, as: "alice")
        #expect(hold.code == 0, "\(hold.out) \(hold.err)")
        let rollback = try Self.on(captain, ["canary", "rollback", "--reason", "until we know who wrote it"], url, as: "alice")
        #expect(rollback.code == 0 && rollback.out.contains("hook: applied"), "\(rollback.out) \(rollback.err)")
        let refused = try Self.on(captain, ["item", "operations.runbook", "--note", "x"], url, as: "carol")
        #expect(refused.code == 1 && refused.err.contains("UNTRUSTED"), "\(refused.err)")
        let aside = try Self.on(captain, ["journal", "set-aside", "--reason", "inserted by hand, not by golive"], url, as: "alice")
        #expect(aside.code == 0, "\(aside.out) \(aside.err)")
        let normal = try Self.on(CLI.tempDir("oncall"), ["item", "operations.runbook", "--note", "runbook checked"], url, as: "carol")
        #expect(normal.code == 0, "\(normal.err)")
        #expect(try CLI.run(["audit", "verify", "--store", url]).code == 0)
    }

    /// Issue 27, finding 5: a database user deleted the last write, or rewrote it with a correctly
    /// hashed chain, and every machine silently replaced its copy; `audit verify --store` said ok.
    /// The machine that saw those records says which seqs and whose, keeps its copy as evidence,
    /// refuses writes other than the levers, and fails `audit verify --store` until a captain sets
    /// the divergence aside.
    @Test func aMachineNeverSilentlyGoesBackOnRecordsItSawTheServerHold() throws {
        let url = try TestPostgres.rolloutInShadow("witness")
        let db = url.components(separatedBy: "?")[0]
        let captain = CLI.tempDir("captain"), oncall = CLI.tempDir("oncall")
        let before = try TestPostgres.records(url)
        let failed = try Self.on(captain, ["item", "runtime.happy_path", "--fail", "--note", "p99 doubles under load"], url, as: "dan")
        #expect(failed.code == 0, "\(failed.err)")
        let after = try TestPostgres.records(url)
        // The machine keeps a checkpoint of what it saw committed, signed by the writer's key.
        let checkpoint = try String(contentsOf: try Self.copy(on: captain).appendingPathComponent("checkpoint.json"), encoding: .utf8)
        #expect(checkpoint.contains("\"seq\":\(after),"), "\(checkpoint)")
        #expect(checkpoint.contains("\"signer\"") && checkpoint.contains("dan"), "\(checkpoint)")
        let proved = try Self.on(captain, ["audit", "verify"], url)
        #expect(proved.code == 0 && proved.out.contains("extends checkpoint seq \(after) signed by dan"), "\(proved.out)\(proved.err)")
        // The last write deleted by someone with the database's rights.
        try TestPostgres.sql("SET session_replication_role = replica; DELETE FROM golive_records WHERE rollout = 'witness' AND seq > \(before)", on: db)
        let status = try Self.on(captain, ["status"], url)
        #expect(status.out.contains("UNTRUSTED") && status.out.contains("seqs \(before + 1)-\(after)") && status.out.contains("dan"), "\(status.out) \(status.err)")
        #expect(status.err.contains("DIVERGED"), "\(status.err)")
        let gate = try Self.on(captain, ["gate", "--no-record"], url)
        #expect(gate.code == 1 && gate.out.contains("NOT READY"), "\(gate.out)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: try Self.copy(on: captain).path).filter { $0.hasPrefix("journal.diverged-") }
        #expect(kept.count == 1)
        let evidence = try String(contentsOf: try Self.copy(on: captain).appendingPathComponent(kept[0]), encoding: .utf8)
        #expect(evidence.contains("p99 doubles under load"), "the copy as it was is kept")
        let verify = try Self.on(captain, ["audit", "verify"], url)
        #expect(verify.code == 1 && verify.out.contains("FAILED"), "\(verify.out) \(verify.err)")
        let write = try Self.on(captain, ["item", "operations.runbook", "--note", "x"], url, as: "carol")
        #expect(write.code == 1 && write.err.contains("UNTRUSTED"), "\(write.err)")
        let hold = try Self.on(captain, ["canary", "hold", "--reason", "records went missing"], url, as: "alice")
        #expect(hold.code == 0, "the levers act: \(hold.out) \(hold.err)")
        // A machine that never saw the lost write has nothing to say about it.
        #expect(try Self.on(oncall, ["audit", "verify"], url).code == 0)
        // A captain sets it aside, with the lost records in the side file and a signed record of it.
        let aside = try Self.on(captain, ["journal", "set-aside", "--reason", "a DBA deleted seq \(before + 1)-\(after); re-recorded"], url, as: "alice")
        #expect(aside.code == 0, "\(aside.out) \(aside.err)")
        #expect(try Self.on(captain, ["item", "runtime.happy_path", "--fail", "--note", "again"], url, as: "dan").code == 0)
        #expect(try Self.on(captain, ["audit", "verify"], url).code == 0)

        // A write this machine only read (another machine's), then deleted: `audit verify` from
        // here, the first command after, says so by the head it acknowledged.
        let read = try TestPostgres.records(url)
        #expect(try Self.on(oncall, ["item", "runtime.happy_path", "--note", "read by the captain"], url, as: "dan").code == 0)
        #expect(try Self.on(captain, ["status"], url).code == 0)
        try TestPostgres.sql("SET session_replication_role = replica; DELETE FROM golive_records WHERE rollout = 'witness' AND seq > \(read)", on: db)
        let unread = try Self.on(captain, ["audit", "verify"], url)
        #expect(unread.code == 1 && unread.out.contains("acknowledged head") && unread.out.contains("records were dropped"), "\(unread.out)\(unread.err)")
        // Both machines saw it; each sets its own finding aside.
        for machine in [captain, oncall] {
            #expect(try Self.on(machine, ["journal", "set-aside", "--reason", "a DBA deleted dan's note"], url, as: "alice").code == 0)
        }

        // A rewrite with a correctly hashed chain: the write deleted, another machine's write in its place.
        let seen = try TestPostgres.records(url)
        #expect(try Self.on(oncall, ["status"], url).code == 0)
        #expect(try Self.on(captain, ["item", "operations.runbook", "--note", "checked by carol"], url, as: "carol").code == 0)
        let written = try TestPostgres.records(url)
        try TestPostgres.sql("SET session_replication_role = replica; DELETE FROM golive_records WHERE rollout = 'witness' AND seq > \(seen)", on: db)
        #expect(try Self.on(oncall, ["item", "runtime.happy_path", "--note", "checked by dan"], url, as: "dan").code == 0)
        let rewritten = try Self.on(captain, ["status"], url)
        #expect(rewritten.out.contains("UNTRUSTED") && rewritten.out.contains("rewritten") && rewritten.out.contains("seqs \(seen + 1)-\(written)"), "\(rewritten.out) \(rewritten.err)")
        #expect(try Self.on(captain, ["audit", "verify"], url).code == 1)
    }

    /// Issue 27, finding 7: no TLS, and PGSSLMODE=require silently ignored for cleartext. The test
    /// cluster runs with TLS (a CA and a server certificate for localhost made by openssl); the
    /// proxy is a server without TLS.
    @Test func tlsIsUsedAndVerifiedAsLibpqWouldAndNeverSilentlyDropped() throws {
        let url = try TestPostgres.sampleRollout("tls")
        let ca = TestPostgres.folder + "/ca.crt"
        #expect(FileManager.default.fileExists(atPath: ca), "the test cluster has a CA")
        var byName = URLComponents(string: url)!
        byName.host = "localhost"
        let machine = CLI.tempDir("m")
        let before = try TestPostgres.records(url)
        let full = try Self.on(machine, ["item", "operations.runbook", "--note", "over verified TLS"], byName.string! + "&sslmode=verify-full&sslrootcert=\(ca)", as: "carol")
        #expect(full.code == 0, "\(full.err)")
        #expect(try TestPostgres.records(url) > before)
        // The certificate names localhost, not 127.0.0.1: verify-full by address is refused; verify-ca is not.
        let byAddress = try Self.on(machine, ["status"], url + "&sslmode=verify-full&sslrootcert=\(ca)")
        #expect(byAddress.code == 2 && byAddress.err.contains("TLS handshake failed"), "\(byAddress.err)")
        #expect(try Self.on(machine, ["status"], url + "&sslmode=verify-ca&sslrootcert=\(ca)").code == 0)
        // Another CA's certificate: refused, and nothing written.
        let other = TestFolder.make("other-ca")
        let made = try ChildProcess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=not ours",
                                         "-keyout", other.appendingPathComponent("ca.key").path, "-out", other.appendingPathComponent("ca.crt").path],
                                        .init(stdout: .null, stderr: .null))
        #expect(made.exitCode == 0)
        let counted = try TestPostgres.records(url)
        let wrongCA = try Self.on(machine, ["item", "operations.runbook", "--note", "to an impostor"], byName.string! + "&sslmode=verify-full&sslrootcert=\(other.path)/ca.crt", as: "carol")
        #expect(wrongCA.code == 2 && wrongCA.err.contains("TLS handshake failed") && wrongCA.err.contains("Nothing was written"), "\(wrongCA.err)")
        #expect(try TestPostgres.records(url) == counted)
        // A server without TLS: require refuses it, from the address or from PGSSLMODE; prefer falls back, as libpq's does.
        let (proxy, proxied, _) = try Self.proxy(to: url)
        defer { proxy.signal(SIGKILL); _ = proxy.wait() }
        let required = try Self.on(machine, ["status"], proxied.string! + "&sslmode=require")
        #expect(required.code == 2 && required.err.contains("does not offer TLS"), "\(required.err)")
        let fromEnvironment = try CLI.run(["status", "--store", proxied.string!], env: ["GOLIVE_CACHE": machine.path, "PGSSLMODE": "require"])
        #expect(fromEnvironment.code == 2 && fromEnvironment.err.contains("does not offer TLS"), "\(fromEnvironment.err)")
        #expect(try Self.on(machine, ["status"], proxied.string! + "&sslmode=prefer").code == 0)
        // The server's Unix socket, named as libpq names it.
        let socket = URLComponents(string: url)!
        let local = "postgres://\(socket.user!):\(socket.password!)@:\(socket.port!)\(socket.path)?rollout=tls&host=\(TestPostgres.folder)/data"
        let overSocket = try Self.on(machine, ["status"], local)
        #expect(overSocket.code == 0 && overSocket.out.contains("host=\(TestPostgres.folder)/data"), "\(overSocket.out)\(overSocket.err)")
    }

    /// Issue 27, least privilege: `store init --grant ROLE` gives a role what daily use needs, and
    /// the records are append-only in the database itself, for the owner too. Daily commands,
    /// levers included, run as the least-privileged role.
    @Test func dailyUseRunsAsARoleThatMayOnlyReadAndAppendAndNoRoleRewritesRecords() throws {
        let folder = try CLI.sampleStore()
        try CLI.makeReady(folder, shadowMinutes: "0")
        #expect(try CLI.run(["canary", "shadow"], store: folder, as: "alice").code == 0)
        let db = try TestPostgres.freshDatabase()
        let role = "golive_daily_" + UUID().uuidString.prefix(8).lowercased()
        try TestPostgres.sql("CREATE ROLE \(role) LOGIN PASSWORD 'daily-pw'")
        let missing = try CLI.run(["store", "init", db, "--grant", "nobody_here"])
        #expect(missing.code == 2 && missing.err.contains("has no role 'nobody_here'"), "\(missing.err)")
        let bad = try CLI.run(["store", "init", db, "--grant", "x; DROP TABLE y"])
        #expect(bad.code == 2 && bad.err.contains("not a role name"), "\(bad.err)")
        let initialised = try CLI.run(["store", "init", db, "--grant", role])
        #expect(initialised.code == 0 && initialised.out.contains("role '\(role)'"), "\(initialised.out)\(initialised.err)")
        #expect(try CLI.run(["store", "push", folder.path, db + "?rollout=daily"]).code == 0)
        var daily = URLComponents(string: db + "?rollout=daily")!
        daily.user = role
        daily.password = "daily-pw"
        let url = daily.string!
        let machine = CLI.tempDir("daily")
        #expect(try Self.on(machine, ["status"], url).code == 0)
        let write = try Self.on(machine, ["item", "operations.runbook", "--note", "as the daily role"], url, as: "carol")
        #expect(write.code == 0, "\(write.err)")
        let hold = try Self.on(machine, ["canary", "hold", "--reason", "least privilege"], url, as: "alice")
        #expect(hold.code == 0, "\(hold.out)\(hold.err)")
        let rollback = try Self.on(machine, ["canary", "rollback", "--reason", "least privilege"], url, as: "alice")
        #expect(rollback.code == 0 && rollback.out.contains("hook: applied"), "\(rollback.out)\(rollback.err)")
        #expect(try Self.on(machine, ["audit", "verify"], url).code == 0)
        // The daily role cannot rewrite history, and neither can the owner without turning the triggers off.
        var asDaily = URLComponents(string: db)!
        asDaily.user = role
        asDaily.password = "daily-pw"
        for statement in ["DELETE FROM golive_records WHERE rollout = 'daily'", "UPDATE golive_records SET prev = prev", "TRUNCATE golive_records", "DROP TABLE golive_records"] {
            #expect(throws: (any Error).self, "\(statement) as the daily role") { try TestPostgres.sql(statement, on: asDaily.string!) }
        }
        for statement in ["DELETE FROM golive_records WHERE rollout = 'daily'", "UPDATE golive_records SET prev = prev", "TRUNCATE golive_records CASCADE"] {
            do {
                try TestPostgres.sql(statement, on: db)
                Issue.record("\(statement) as the owner was allowed")
            } catch {
                #expect("\(error)".contains("append-only"), "\(error)")
            }
        }
        #expect(try Self.on(machine, ["audit", "verify"], url).code == 0)
    }

    /// Issue 27, finding 4: with the database down, hold, rollback and even `canary status` failed;
    /// a rollback run on the copy folder moved traffic and was then erased when the server came
    /// back. Now the levers act on this machine and are shared, first, once the server answers.
    @Test func aRollbackDuringAnOutageActsHereAndIsSharedWhenTheServerIsBack() throws {
        let cluster = try TestPostgres.OwnCluster.start("pg-outage")
        defer { cluster.stop() }
        let url = try TestPostgres.rolloutInShadow("outage", on: cluster.url)
        let captain = CLI.tempDir("captain"), oncall = CLI.tempDir("oncall")
        try Self.liveAtTheFirstStep(url, on: captain)
        #expect(try Self.on(oncall, ["canary", "status"], url).out.contains("1%"))
        let router = try Self.copy(on: captain).appendingPathComponent("router.txt")
        let before = try String(contentsOf: router, encoding: .utf8)
        #expect(before.contains("stage=canary") && !before.contains("weight=0\n"), "\(before)")

        cluster.stop()
        // Reads work on this machine's copy, and say so; the gate is not READY on a copy whose server is silent.
        let status = try Self.on(captain, ["canary", "status"], url)
        #expect(status.code != 2 && status.err.contains("working on this machine's copy"), "\(status.out)\(status.err)")
        let gate = try Self.on(captain, ["gate", "--no-record"], url)
        #expect(gate.code == 1 && gate.out.contains("NOT READY") && gate.out.contains("cannot be reached"), "\(gate.out)\(gate.err)")
        // A normal write is refused; the levers act.
        let write = try Self.on(captain, ["item", "operations.runbook", "--note", "x"], url, as: "carol")
        #expect(write.code != 0 && write.err.contains("Only hold and rollback act"), "\(write.err)")
        let rollback = try Self.on(captain, ["canary", "rollback", "--reason", "errors while the database is down"], url, as: "alice")
        #expect(rollback.code == 0 && rollback.out.contains("hook: applied"), "\(rollback.out)\(rollback.err)")
        #expect(try String(contentsOf: router, encoding: .utf8).contains("weight=0\n"), "the router moved")
        let here = try Self.on(captain, ["status"], url)
        #expect(here.out.contains("PENDING: rolled back here by alice") && here.out.contains("not yet shared"), "\(here.out)\(here.err)")
        // The machine's other work never erases it: a second command, still offline, keeps it.
        #expect(try Self.on(captain, ["status"], url).out.contains("PENDING: rolled back here"))

        // A line nobody can read (a hand edit) is said, and kept: nothing pending is ever dropped.
        let pendingFile = try Self.copy(on: captain).appendingPathComponent("pending-levers.jsonl")
        let handle = try FileHandle(forWritingTo: pendingFile)
        handle.seekToEndOfFile()
        handle.write(Data("{\"not\": \"a lever\"}\n".utf8))
        try handle.close()
        #expect(try Self.on(captain, ["status"], url).out.contains("WARNING: 1 line(s) of"))

        #expect(cluster.resume())
        // Any command on the captain's machine shares it first, once, however many start at once;
        // another machine then sees it.
        let racing = try (0..<3).map { _ in
            try ChildProcess([CLI.binary, "status", "--store", url], .init(environment: ChildProcess.environment(adding: ["GOLIVE_CACHE": captain.path]),
                                                                            stdout: .capture(limit: 1 << 20), stderr: .capture(limit: 1 << 20)))
        }.map { $0.wait() }
        #expect(racing.filter { $0.stderr.text.contains("shared the rollback alice made here") }.count == 1, "\(racing.map(\.stderr.text))")
        let back = try Self.on(captain, ["status"], url)
        #expect(!back.out.contains("PENDING") && back.out.contains("WARNING: 1 line(s) of"), "\(back.out)")
        let seen = try Self.on(oncall, ["canary", "status"], url)
        #expect(seen.code != 2 && seen.out.contains("rolled") && seen.out.contains("0%"), "\(seen.out)\(seen.err)")
        let pulled = CLI.tempDir("pulled").appendingPathComponent("store")
        #expect(try CLI.run(["store", "pull", url, pulled.path]).code == 0)
        let journal = try String(contentsOf: pulled.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.contains("while the shared store could not be reached") && journal.contains("errors while the database is down"))
        // The rollback's alert paged people from the captain's machine during the outage; its
        // records are shared with the rollback, after it.
        let alertLines = journal.split(separator: "\n").filter { $0.contains("\"kind\":\"alert.raised\"") && $0.contains("\"kind\":\"rollback\"") }
        #expect(!alertLines.isEmpty, "the rollback's alert is in the shared journal")
        let alertsLog = try String(contentsOf: try Self.copy(on: captain).appendingPathComponent("alerts.log"), encoding: .utf8)
        #expect(alertsLog.contains("rollback"), "the pager ran on the captain's machine: \(alertsLog)")
        let startedLines = journal.split(separator: "\n").filter { $0.contains("\"kind\":\"canary.transition_started\"") && $0.contains("rollback made on") }
        #expect(startedLines.count == 1, "shared once: \(startedLines)")
        #expect(try Self.on(oncall, ["audit", "verify"], url).code == 0)
        #expect(try Self.on(captain, ["audit", "verify"], url).code == 0)
    }
}
#endif
