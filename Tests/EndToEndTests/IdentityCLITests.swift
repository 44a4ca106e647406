import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// The identity issue's must-show, as people would do it: three operators on one machine, each
/// with their own key and agent, the real binary, OpenSSH's own tools checking the result.
@Suite(.serialized) struct IdentityCLITests {
    struct Team {
        let store: URL, alice: SSHTestKey, bob: SSHTestKey, carol: SSHTestKey
    }

    /// The sample, READY and in shadow, then re-keyed to this test's own keys (adopted by alice with
    /// her demo key, the roster in force) with the demo keys removed: a store like a real one.
    static func signedStore() throws -> Team {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob"), carol = try SSHTestKey.make("carol")
        let url = store.appendingPathComponent("rollout.yaml")
        var yaml = try String(contentsOf: url, encoding: .utf8)
        for key in [alice, bob, carol] {
            let line = try #require(yaml.split(separator: "\n").first { $0.contains("keys:") && $0.contains(" \(key.name) GOLIVE-DEMO-KEY") })
            yaml = yaml.replacingOccurrences(of: String(line), with: "    keys: [\"\(key.publicLine)\"]")
        }
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        let adopt = try CLI.adopt(store, reason: "the team's own keys")
        #expect(adopt.code == 0, "\(adopt.err)")
        try FileManager.default.removeItem(at: store.appendingPathComponent("demo-keys"))
        return Team(store: store, alice: alice, bob: bob, carol: carol)
    }

    @Test func typedNamesAreRefusedAndOwnAgentsMoveTheCanaryAndOpenSSHAgrees() throws {
        let t = try Self.signedStore()
        // The repro: one OS user, no keys, three names.
        let bob = try CLI.run(["canary", "approve", "--note", "lgtm"], store: t.store, as: "bob")
        #expect(bob.code == 1 && bob.err.contains("no key for bob"), "\(bob.err)")
        let carol = try CLI.run(["canary", "approve"], store: t.store, env: ["GOLIVE_OPERATOR": "carol"])
        #expect(carol.code == 1 && carol.err.contains("no key for carol"), "\(carol.err)")
        let advance = try CLI.run(["canary", "advance"], store: t.store, as: "alice")
        #expect(advance.code == 1, "\(advance.out)")
        let csv = try CLI.run(["audit", "export", "--format", "csv"], store: t.store).out
        #expect(csv.contains("REFUSED canary approve: no key for bob") && csv.contains("REFUSED canary approve: no key for carol"))

        // bob's and carol's keys, each in their own agent; alice signs with her key file.
        let bobAgent = try SSHTestAgent([t.bob]), carolAgent = try SSHTestAgent([t.carol])
        #expect(try CLI.run(["canary", "approve", "--note", "safety ok"], store: t.store, as: "bob", env: bobAgent.environment).code == 0)
        #expect(try CLI.run(["canary", "approve", "--note", "sre ok"], store: t.store, as: "carol", env: carolAgent.environment).code == 0)
        // bob's agent cannot sign as carol: her approval is not his to give.
        let asCarol = try CLI.run(["canary", "approve"], store: t.store, as: "carol", env: bobAgent.environment)
        #expect(asCarol.code == 1 && asCarol.err.contains("holds keys of bob"), "\(asCarol.err)")
        // Issue 26, point 6: it said "as well as carol's" when it held none of hers.
        #expect(!asCarol.err.contains("as well as") && asCarol.err.contains("and none of carol's"), "\(asCarol.err)")
        // The shadow minimum (3 s here) is served on the real clock: ask until it is.
        var moved = try CLI.run(["canary", "advance", "--key", t.alice.privatePath], store: t.store, as: "alice")
        let deadline = Date().addingTimeInterval(20)
        while moved.code != 0 && moved.err.contains("shadow has run") && Date() < deadline {
            usleep(250_000)
            moved = try CLI.run(["canary", "advance", "--key", t.alice.privatePath], store: t.store, as: "alice")
        }
        #expect(moved.code == 0 && moved.out.contains("exposure 0.9%"), "\(moved.out) \(moved.err)")

        let verify = try CLI.run(["audit", "verify", "--json"], store: t.store)
        #expect(verify.code == 0, "\(verify.out)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(verify.out.utf8)) as? [String: Any])
        let keys = try #require(json["signing_keys"] as? [String: String])
        for key in [t.alice, t.bob, t.carol] { #expect(keys[key.publicKey.fingerprint] == key.name, "\(keys)") }

        // OpenSSH checks bob's approval from an export, with the roster GoLive prints.
        let export = try CLI.run(["audit", "export", "--format", "jsonl"], store: t.store).out
        let line = try #require(export.split(separator: "\n").last { $0.contains(#""kind":"canary.approved""#) && $0.contains(#""actor":"bob""#) })
        let (prefix, base64) = try #require(Journal.signature(of: Array(line.utf8)))
        let dir = TestFolder.make("openssh")
        let payload = dir.appendingPathComponent("payload"), sig = dir.appendingPathComponent("payload.sig"), signers = dir.appendingPathComponent("allowed_signers")
        try Data(Journal.signedPayload(recordPrefix: prefix)).write(to: payload)
        try Data(try SSHSignature(base64: base64).armored.utf8).write(to: sig)
        try Data(try CLI.run(["team", "allowed-signers"], store: t.store).out.utf8).write(to: signers)
        func sshVerify(_ file: URL) throws -> Int32? {
            try ChildProcess.run(["sh", "-c", "ssh-keygen -Y verify -f \"$1\" -I bob -n golive -s \"$2\" < \"$3\"", "sh", signers.path, sig.path, file.path],
                                 .init(stdout: .null)).exitCode
        }
        #expect(try sshVerify(payload) == 0)
        var changed = try Data(contentsOf: payload)
        changed[changed.count - 10] ^= 0x01
        let tampered = dir.appendingPathComponent("tampered")
        try changed.write(to: tampered)
        #expect(try sshVerify(tampered) != 0)
    }

    @Test func aCutTailAndARewrittenHistoryFailTheCheckpoint() throws {
        let t = try Self.signedStore()
        let checkpoint = TestFolder.file("cp.json")
        let made = try CLI.run(["audit", "checkpoint", "--out", checkpoint.path, "--key", t.alice.privatePath], store: t.store, as: "alice")
        #expect(made.code == 0 && made.out.contains("signed by alice"), "\(made.out) \(made.err)")
        #expect(try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: t.store).code == 0)
        let journal = t.store.appendingPathComponent("journal.jsonl")
        let original = try Data(contentsOf: journal)
        let lines = original.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }

        // Cut at a record boundary, state.json gone with it: consistent, and shorter than vouched for.
        try Data((lines.dropLast(4).joined(separator: "\n") + "\n").utf8).write(to: journal)
        try? FileManager.default.removeItem(at: t.store.appendingPathComponent("state.json"))
        let cut = try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: t.store)
        #expect(cut.code == 1 && cut.out.contains("records were dropped"), "\(cut.out)")

        // The last records rewritten, after the last signature: every hash and signature checks;
        // only the checkpoint knows.
        var tail = lines
        let last = tail.count - 1
        tail[last] = Self.reseal(tail[last].replacingOccurrences(of: #""reason":"completed""#, with: #""reason":"completed!""#))
        #expect(tail[last] != lines[last])
        try Data((tail.joined(separator: "\n") + "\n").utf8).write(to: journal)
        let quiet = try CLI.run(["audit", "verify"], store: t.store)
        #expect(quiet.code == 0, "without the checkpoint nothing is wrong: \(quiet.out)")
        let vouched = try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: t.store)
        #expect(vouched.code == 1 && vouched.out.contains("diverges from this checkpoint at or before seq \(lines.count)"), "\(vouched.out)")

        // History rewritten from an early record onward, every hash recomputed.
        var rewritten = lines
        let early = try #require(rewritten.firstIndex { $0.contains("212/212") })
        rewritten[early] = rewritten[early].replacingOccurrences(of: "212/212", with: "211/212")
        for i in early..<rewritten.count {
            if i > early { rewritten[i] = rewritten[i].replacingOccurrences(of: Self.prev(rewritten[i]), with: Self.hash(rewritten[i - 1])) }
            rewritten[i] = Self.reseal(rewritten[i])
        }
        try Data((rewritten.joined(separator: "\n") + "\n").utf8).write(to: journal)
        let forged = try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: t.store)
        #expect(forged.code == 1, "\(forged.out)")
        // The first signed decision after the rewrite no longer verifies: it signed the old history.
        #expect(forged.out.contains("does not verify") || forged.out.contains("diverges"), "\(forged.out)")
    }

    /// Bob approves in his own cockpit through his own agent; the captain's cockpit, open on the
    /// same store, shows the approval and the key behind it without a key press.
    @Test func bobApprovesInHisCockpitAndTheCaptainSeesHisKey() throws {
        guard Tmux.require() else { return }
        let t = try Self.signedStore()
        let bobAgent = try SSHTestAgent([t.bob])
        let captain = Tmux(), bob = Tmux()
        try captain.start(width: 120, height: 40, command: "env -u SSH_AUTH_SOCK \(CLI.binary) --store \(t.store.path) --as alice")
        try bob.start(width: 120, height: 40, command: "env SSH_AUTH_SOCK=\(bobAgent.socket) \(CLI.binary) --store \(t.store.path) --as bob")
        for cockpit in [captain, bob] {
            try cockpit.wait(forText: "gate: ✓ READY")
            try cockpit.keys("c")
            try cockpit.wait(forText: "approvals shadow → 1%: 0/2")
        }
        try bob.keys("a")
        try bob.wait(forText: "Approve the next increase")
        try bob.wait(forText: "binds to: gate READY")
        try bob.type("approve")
        try bob.keys("Enter")
        try bob.wait(forText: "approved shadow → 1% as bob")
        let short = String(t.bob.publicKey.fingerprint.prefix(20))
        let seen = try captain.wait(for: "bob's approval with his key") { $0.contains("approved by bob (key \(short)") }
        #expect(seen.contains("1/2"))
    }

    /// With an encrypted key and no agent, the cockpit unlocks the key for its session: OpenSSH
    /// asks for the passphrase (not echoed), and the approval made in the cockpit is signed.
    @Test func anEncryptedKeyIsUnlockedOnceForTheCockpitSession() throws {
        guard Tmux.require() else { return }
        let t = try Self.signedStore()
        let passphrase = "correct horse battery staple"
        let path = TestFolder.make("enc").appendingPathComponent("alice").path
        #expect(try ChildProcess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "alice@enc", "-f", path], .init(stdout: .null)).exitCode == 0)
        let url = t.store.appendingPathComponent("rollout.yaml")
        let yaml = try String(contentsOf: url, encoding: .utf8)
        let encrypted = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try yaml.replacingOccurrences(of: t.alice.publicLine, with: encrypted).write(to: url, atomically: true, encoding: .utf8)
        // A new key loosens the roster: bob approves it with his own key.
        let adopted = try CLI.adopt(t.store, reason: "alice's new key", args: ["--key", t.alice.privatePath], approverArgs: ["--key", t.bob.privatePath])
        #expect(adopted.code == 0, "\(adopted.err)")
        let cockpit = Tmux()
        try cockpit.start(width: 120, height: 40, command: "env -u SSH_AUTH_SOCK \(CLI.binary) --store \(t.store.path) --as alice --key \(path)")
        try cockpit.wait(forText: "Enter passphrase")
        try cockpit.type(passphrase)
        try cockpit.keys("Enter")
        try cockpit.wait(forText: "gate: ✓ READY")
        try cockpit.keys("c")
        try cockpit.wait(forText: "approvals shadow → 1%")
        try cockpit.keys("a")
        try cockpit.wait(forText: "Approve the next increase")
        try cockpit.type("approve")
        try cockpit.keys("Enter")
        let screen = try cockpit.wait(for: "the approval") { $0.contains("approved shadow → 1% as alice") }
        #expect(!screen.contains(passphrase))
        let journal = try String(contentsOf: t.store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(!journal.contains(passphrase), "the passphrase reached the journal")
        let approval = try #require(journal.split(separator: "\n").last { $0.contains(#""kind":"canary.approved""#) })
        let key = try #require(try Journal.signingKey(of: Array(approval.utf8)))
        #expect(key == (try SSHPublicKey(line: encrypted)), "signed with the unlocked key")

        // Issue 29: the agent holding the decrypted key dies with the cockpit, even a killed one.
        let agents = try ChildProcess.run(["pgrep", "-f", "ssh-agent -D -a .*golive-agent-"], .init()).stdout.text
        let agentPIDs = agents.split(separator: "\n").compactMap { Int32($0) }
        #expect(!agentPIDs.isEmpty, "the cockpit's own agent runs while it is open")
        // The cockpit itself (its command line starts with the binary; the pane's shell's does not).
        // The pane outlives it, as a terminal does when a cockpit is killed from another one.
        let cockpitPIDs = try ChildProcess.run(["pgrep", "-f", "^\(CLI.binary) --store \(t.store.path) --as alice"], .init()).stdout.text.split(separator: "\n")
        #expect(cockpitPIDs.count == 1, "\(cockpitPIDs)")
        let cockpitPID = try #require(Int32(cockpitPIDs.first ?? ""))
        kill(cockpitPID, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while agentPIDs.contains(where: { kill($0, 0) == 0 }), Date() < deadline { usleep(50_000) }
        #expect(!agentPIDs.contains(where: { kill($0, 0) == 0 }), "an agent with the decrypted key outlived the killed cockpit")
    }

    /// A checkpoint is judged by the roster in force at its seq: a key rotated out afterwards
    /// still vouches for the checkpoint it signed then.
    @Test func aCheckpointSignedBeforeAKeyRotationStillVerifies() throws {
        let t = try Self.signedStore()
        let checkpoint = TestFolder.file("before-rotation.json")
        #expect(try CLI.run(["audit", "checkpoint", "--out", checkpoint.path, "--key", t.alice.privatePath], store: t.store, as: "alice").code == 0)
        let rotated = try SSHTestKey.make("alice-2027")
        let url = t.store.appendingPathComponent("rollout.yaml")
        try (try String(contentsOf: url, encoding: .utf8)).replacingOccurrences(of: t.alice.publicLine, with: rotated.publicLine)
            .write(to: url, atomically: true, encoding: .utf8)
        let adopted = try CLI.adopt(t.store, reason: "alice's new key", args: ["--key", t.alice.privatePath], approverArgs: ["--key", t.bob.privatePath])
        #expect(adopted.code == 0, "\(adopted.err)")
        let verify = try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: t.store)
        #expect(verify.code == 0 && verify.out.contains("signed by alice"), "\(verify.out)")
    }

    /// Issue 26, finding 3: `team allowed-signers` printed the roster on disk (a captain "eve"
    /// added and never adopted was in it); there was no roster at a seq, no history, and
    /// `audit verify` could not be pinned to signers the auditor chose.
    @Test func theAuditorsAnchorsComeFromTheJournal() throws {
        let t = try Self.signedStore()
        let bobAgent = try SSHTestAgent([t.bob])
        #expect(try CLI.run(["canary", "approve", "--note", "safety ok"], store: t.store, as: "bob", env: bobAgent.environment).code == 0)
        let eve = try SSHTestKey.make("eve")
        let url = t.store.appendingPathComponent("rollout.yaml")
        let yaml = try String(contentsOf: url, encoding: .utf8)
        let team = try #require(yaml.range(of: "team:\n"))
        try yaml.replacingCharacters(in: team, with: "team:\n  - {id: eve, roles: [captain], keys: [\"\(eve.publicLine)\"]}\n").write(to: url, atomically: true, encoding: .utf8)

        let now = try CLI.run(["team", "allowed-signers"], store: t.store)
        #expect(now.code == 0 && !now.out.contains("eve") && now.out.contains(t.bob.publicLine.split(separator: " ")[1]), "\(now.out)")
        #expect(now.err.contains("differs from the roster adopted at seq"), "\(now.err)")
        // Before the team's own keys were adopted, the demo keys were the roster.
        var adoptions: [Int] = []
        try Store(directory: t.store).forEachEvent { e in if e.kind == .configAdopted { adoptions.append(e.seq) }; return true }
        let earlier = try CLI.run(["team", "allowed-signers", "--at", "\(adoptions[adoptions.count - 2])"], store: t.store)
        #expect(earlier.out.contains("GOLIVE-DEMO-KEY") && !earlier.out.contains(t.bob.publicLine.split(separator: " ")[1]), "\(earlier.out)")
        let history = try CLI.run(["team", "allowed-signers", "--history"], store: t.store)
        let demoBob = try #require(history.out.split(separator: "\n").first { $0.hasPrefix("bob ") && $0.contains("GOLIVE-DEMO-KEY") })
        #expect(demoBob.contains("valid-after=\"") && demoBob.contains("valid-before=\""), "\(demoBob)")
        let ownBob = try #require(history.out.split(separator: "\n").first { $0.hasPrefix("bob ") && $0.contains(t.bob.publicLine.split(separator: " ")[1]) })
        #expect(ownBob.contains("valid-after=\"") && !ownBob.contains("valid-before"), "\(ownBob)")

        // The auditor's own anchors: the whole history verifies; a file without bob's key does not.
        let folder = TestFolder.make("anchors")
        let all = folder.appendingPathComponent("allowed_signers"), some = folder.appendingPathComponent("without_bob")
        try history.out.write(to: all, atomically: true, encoding: .utf8)
        try history.out.split(separator: "\n").filter { !$0.hasPrefix("bob ") }.joined(separator: "\n").write(to: some, atomically: true, encoding: .utf8)
        let good = try CLI.run(["audit", "verify", "--allowed-signers", all.path], store: t.store)
        #expect(good.code == 0, "\(good.out) \(good.err)")
        let bad = try CLI.run(["audit", "verify", "--allowed-signers", some.path], store: t.store)
        #expect(bad.code == 1 && bad.out.contains("signer not allowed") && bad.out.contains("by bob"), "\(bad.out) \(bad.err)")
        let broken = folder.appendingPathComponent("broken")
        try "bob namespaces=\"golive\" ssh-ed25519 AAAAnotbase64!\n".write(to: broken, atomically: true, encoding: .utf8)
        let unreadable = try CLI.run(["audit", "verify", "--allowed-signers", broken.path], store: t.store)
        #expect(unreadable.code == 2 && unreadable.err.contains("\(broken.path):1:"), "\(unreadable.err)")

        // One record checked by OpenSSH alone, from what golive prints.
        let journal = try String(contentsOf: t.store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let approval = try #require(journal.split(separator: "\n").last { $0.contains(#""kind":"canary.approved""#) })
        let seq = try #require(Int(approval.split(separator: ",")[1].split(separator: ":")[1]))
        let out = TestFolder.make("sig")
        let printed = try CLI.run(["audit", "signature", "\(seq)", "--out", out.path], store: t.store)
        #expect(printed.code == 0, "\(printed.err)")
        let command = try #require(printed.out.split(separator: "\n").first { $0.contains("ssh-keygen -Y verify") })
        let args = command.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
        let payloadPath = try #require(args.last)
        var argv = Array(args.prefix { $0 != "<" })
        argv[argv.firstIndex(of: "allowed_signers")!] = all.path
        var fromPayload = ChildProcess.Options()
        fromPayload.stdinFile = payloadPath
        let verified = try ChildProcess.run(argv, fromPayload)
        #expect(verified.exitCode == 0 && verified.stdout.text.contains("Good \"golive\" signature for bob"), "\(argv) \(verified.stdout.text) \(verified.stderr.text)")
        let wrongKey = try ChildProcess.run(argv.map { $0 == all.path ? some.path : $0 }, fromPayload)
        #expect(wrongKey.exitCode != 0)
    }

    static func reseal(_ line: String) -> String {
        let body = String(line[..<line.range(of: #","hash":""#, options: .backwards)!.lowerBound])
        return body + #","hash":""# + Digest.sha256Hex(Array(body.utf8)) + #""}"#
    }
    static func hash(_ line: String) -> String { String(line.suffix(66).prefix(64)) }
    static func prev(_ line: String) -> String { String(line[line.range(of: #""prev":""#)!.upperBound...].prefix(64)) }
}
