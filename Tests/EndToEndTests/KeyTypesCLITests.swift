import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// Issue 29: the keys people really have. Approvers with an ECDSA key in a real ssh-agent (as
/// PIV cards and the Secure Enclave offer), an encrypted key file signed through `ssh-keygen -Y
/// sign`, a FIDO2 key whose touch the policy requires, and agents that never answer.
@Suite(.serialized) struct KeyTypesCLITests {
    /// The sample, READY and in shadow, re-keyed to `lines` (operator → public key line) and
    /// adopted, with the demo keys removed.
    static func store(keys lines: [String: String], policyEdit: ((String) -> String)? = nil, extra: [String: String] = [:]) throws -> URL {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let url = store.appendingPathComponent("rollout.yaml")
        var yaml = try String(contentsOf: url, encoding: .utf8)
        for (name, line) in lines {
            let old = try #require(yaml.split(separator: "\n").first { $0.contains("keys:") && $0.contains(" \(name) GOLIVE-DEMO-KEY") })
            yaml = yaml.replacingOccurrences(of: String(old), with: "    keys: [\"\(line)\"]" + (extra[name].map { "\n    \($0)" } ?? ""))
        }
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        if let policyEdit {
            let policy = store.appendingPathComponent("policy.yaml")
            try policyEdit(try String(contentsOf: policy, encoding: .utf8)).write(to: policy, atomically: true, encoding: .utf8)
        }
        let adopt = try CLI.adopt(store, reason: "the team's own keys")
        #expect(adopt.code == 0, "\(adopt.out) \(adopt.err)")
        try FileManager.default.removeItem(at: store.appendingPathComponent("demo-keys"))
        return store
    }

    static func advance(_ store: URL, key: SSHTestKey) throws -> CLI.Result {
        var moved = try CLI.run(["canary", "advance", "--key", key.privatePath], store: store, as: "alice")
        let deadline = Date().addingTimeInterval(20)
        while moved.code != 0 && moved.err.contains("shadow has run") && Date() < deadline {
            usleep(250_000)
            moved = try CLI.run(["canary", "advance", "--key", key.privatePath], store: store, as: "alice")
        }
        return moved
    }

    static func freshApprovals(_ store: URL) throws -> [String] {
        let out = try CLI.run(["canary", "status", "--json"], store: store).out
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        return try #require(json["approvals_fresh"] as? [String], "\(out)")
    }

    static func askpass(_ passphrase: String) throws -> [String: String] {
        let path = TestFolder.make("askpass").appendingPathComponent("askpass").path
        try Data("#!/bin/sh\necho '\(passphrase)'\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return ["SSH_ASKPASS": path, "SSH_ASKPASS_REQUIRE": "force"]
    }

    @Test func anEcdsaKeyInAnAgentAndAnEncryptedKeyFileApproveAnAdvanceAndOpenSSHAgrees() throws {
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob", type: "ecdsa")
        let carol = try SSHTestKey.make("carol", passphrase: "correct horse")
        #expect(bob.publicLine.hasPrefix("ecdsa-sha2-nistp256 "))
        let store = try Self.store(keys: ["alice": alice.publicLine, "bob": bob.publicLine, "carol": carol.publicLine])

        let bobAgent = try SSHTestAgent([bob])
        let byBob = try CLI.run(["canary", "approve", "--note", "safety ok"], store: store, as: "bob", env: bobAgent.environment)
        #expect(byBob.code == 0, "\(byBob.err)")
        // carol's key file is encrypted: ssh-keygen asks for its passphrase (here through askpass), GoLive never sees it.
        let noPassphrase = try CLI.run(["canary", "approve", "--key", carol.privatePath], store: store, as: "carol",
                                       env: ["SSH_ASKPASS": "/bin/false", "SSH_ASKPASS_REQUIRE": "force"])
        #expect(noPassphrase.code == 1 && noPassphrase.err.contains("ssh-keygen could not sign with"), "\(noPassphrase.err)")
        let byCarol = try CLI.run(["canary", "approve", "--note", "sre ok", "--key", carol.privatePath], store: store, as: "carol",
                                  env: try Self.askpass("correct horse"))
        #expect(byCarol.code == 0, "\(byCarol.err)")
        #expect(byCarol.err.contains("through ssh-keygen; OpenSSH may ask for its passphrase"), "\(byCarol.err)")
        let moved = try Self.advance(store, key: alice)
        #expect(moved.code == 0 && moved.out.contains("exposure 0.9%"), "\(moved.out) \(moved.err)")

        let verify = try CLI.run(["audit", "verify", "--json"], store: store)
        #expect(verify.code == 0, "\(verify.out)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(verify.out.utf8)) as? [String: Any])
        let keys = try #require(json["signing_keys"] as? [String: String])
        for key in [alice, bob, carol] { #expect(keys[key.publicKey.fingerprint] == key.name, "\(keys)") }

        // OpenSSH checks bob's ECDSA approval and carol's with the roster GoLive prints.
        let signers = TestFolder.file("allowed_signers")
        try Data(try CLI.run(["team", "allowed-signers"], store: store).out.utf8).write(to: signers)
        let export = try CLI.run(["audit", "export", "--format", "jsonl"], store: store).out
        for name in ["bob", "carol"] {
            let line = try #require(export.split(separator: "\n").last { $0.contains(#""kind":"canary.approved""#) && $0.contains(#""actor":"\#(name)""#) })
            let (prefix, base64) = try #require(Journal.signature(of: Array(line.utf8)))
            let payload = TestFolder.file("payload-\(name)"), sig = TestFolder.file("sig-\(name)")
            try Data(Journal.signedPayload(recordPrefix: prefix)).write(to: payload)
            try Data(try SSHSignature(base64: base64).armored.utf8).write(to: sig)
            let ok = try ChildProcess.run(["sh", "-c", "exec ssh-keygen -Y verify -f \"$0\" -I \(name) -n golive -s \"$1\" < \"$2\"", signers.path, sig.path, payload.path], .init())
            #expect(ok.exitCode == 0 && ok.stdout.text.contains("Good \"golive\" signature for \(name)"), "\(ok.stdout.text) \(ok.stderr.text)")
        }
    }

    @Test func anAgentThatNeverAnswersIsRefusedWithinItsDeadline() throws {
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob")
        let store = try Self.store(keys: ["alice": alice.publicLine, "bob": bob.publicLine])
        // A socket that takes the connection and stays silent.
        let silent = try SoftwareAgent([], silent: true)
        let started = Date()
        let stalled = try CLI.run(["canary", "approve"], store: store, as: "bob", env: silent.environment.merging(["GOLIVE_AGENT_TIMEOUT": "2"]) { $1 })
        let took = Date().timeIntervalSince(started)
        #expect(stalled.code == 1, "\(stalled.out)")
        #expect(stalled.err.contains("did not answer within 2.0 s when asked to list its keys"), "\(stalled.err)")
        #expect(stalled.err.contains("waiting for the ssh-agent"), "the person is told while it waits: \(stalled.err)")
        #expect(took < 8, "refused after \(took) s")

        // A real agent whose key needs a confirmation nobody gives: the signature request times out.
        let confirming = try SSHTestAgent.confirming([bob])
        let unconfirmed = try CLI.run(["canary", "approve"], store: store, as: "bob", env: confirming.environment.merging(["GOLIVE_AGENT_TIMEOUT": "2"]) { $1 })
        #expect(unconfirmed.code == 1 && unconfirmed.err.contains("did not answer within 2.0 s when asked to sign with \(bob.publicKey.fingerprint)"), "\(unconfirmed.err)")
        #expect(unconfirmed.err.contains("it may be asking you to confirm, or to touch your key"), "\(unconfirmed.err)")
        #expect(unconfirmed.err.contains("golive: refused: not signed, so not done: "), "a refusal, in its words: \(unconfirmed.err)")
        let refusals = try CLI.run(["audit", "export", "--format", "csv"], store: store).out
        #expect(refusals.contains("REFUSED canary approve") && refusals.contains("did not answer within 2.0 s"), "the refusal is journaled")
    }

    @Test func aPolicyThatRequiresATouchCountsTouchedApprovalsOnly() throws {
        let alice = try SSHTestKey.make("alice"), carol = try SSHTestKey.make("carol")
        let token = SoftwareSKKey(comment: "bob@yubikey")
        let store = try Self.store(keys: ["alice": alice.publicLine, "bob": token.publicLine, "carol": carol.publicLine],
                                   extra: ["bob": "touch: present"])
        // The software key signs as a token does: OpenSSH accepts its signatures.
        let agent = try SoftwareAgent([token])
        token.flags = 0x00
        let untouched = try CLI.run(["canary", "approve"], store: store, as: "bob", env: agent.environment)
        #expect(untouched.code != 0, "an approval without a touch is not written: \(untouched.out)")
        #expect(untouched.err.contains("the key was not touched"), "\(untouched.err)")
        #expect(try Self.freshApprovals(store).isEmpty)

        token.flags = 0x01
        let touched = try CLI.run(["canary", "approve", "--note", "touched"], store: store, as: "bob", env: agent.environment)
        #expect(touched.code == 0, "\(touched.err)")
        let fresh = try Self.freshApprovals(store)
        #expect(fresh.contains { $0.contains("bob") }, "\(fresh)")
        let verify = try CLI.run(["audit", "verify"], store: store)
        #expect(verify.code == 0 && verify.out.contains("1 of them show a touch of a hardware key"), "\(verify.out)")
        let report = try CLI.run(["audit", "export", "--format", "md"], store: store).out
        #expect(report.contains("\(token.publicKey.fingerprint)` (touched)"), "the report shows the touch per decision")

        // OpenSSH agrees the software token's signature is a real sk-ssh-ed25519 signature.
        let signers = TestFolder.file("allowed_signers")
        try Data(try CLI.run(["team", "allowed-signers"], store: store).out.utf8).write(to: signers)
        let export = try CLI.run(["audit", "export", "--format", "jsonl"], store: store).out
        let line = try #require(export.split(separator: "\n").last { $0.contains(#""kind":"canary.approved""#) && $0.contains(#""actor":"bob""#) })
        let (prefix, base64) = try #require(Journal.signature(of: Array(line.utf8)))
        let payload = TestFolder.file("payload"), sig = TestFolder.file("sig")
        try Data(Journal.signedPayload(recordPrefix: prefix)).write(to: payload)
        try Data(try SSHSignature(base64: base64).armored.utf8).write(to: sig)
        let ok = try ChildProcess.run(["sh", "-c", "exec ssh-keygen -Y verify -f \"$0\" -I bob -n golive -s \"$1\" < \"$2\"", signers.path, sig.path, payload.path], .init())
        #expect(ok.exitCode == 0, "\(ok.stdout.text) \(ok.stderr.text)")
    }

    /// In the cockpit, a key that waits for the person says so on the screen while it waits.
    @Test func theCockpitSaysWhileAKeyWaitsForATouch() throws {
        guard Tmux.require() else { return }
        let alice = try SSHTestKey.make("alice"), carol = try SSHTestKey.make("carol")
        let token = SoftwareSKKey(comment: "bob@yubikey")
        let store = try Self.store(keys: ["alice": alice.publicLine, "bob": token.publicLine, "carol": carol.publicLine])
        let agent = try SoftwareAgent([token])
        let touched = DispatchSemaphore(value: 0)
        let cockpit = Tmux()
        try cockpit.start(width: 120, height: 40, command: "env SSH_AUTH_SOCK=\(agent.socket) \(CLI.binary) --store \(store.path) --as bob")
        try cockpit.wait(forText: "Runtime correctness")
        agent.beforeSigning = { _ = touched.wait(timeout: .now() + 20) }
        try cockpit.keys("l")
        try cockpit.wait(forText: "Safety and policy · safety")
        try cockpit.keys("s")
        try cockpit.wait(forText: "Sign off Safety")
        try cockpit.type("red team done")
        try cockpit.keys("Enter")
        try cockpit.wait(forText: "touch your key or confirm in your agent if it asks")
        agent.beforeSigning = nil
        touched.signal()
        try cockpit.wait(forText: "signed off Safety as bob (safety)")
    }
}
