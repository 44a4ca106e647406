import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// Issue 26's walk as a new team does it, through the real binary: init with a real key, add two
/// teammates with theirs, adopt, then a loosening change proposed by the captain, refused alone,
/// approved by a second person and adopted; the report shows the adoptions as diffs.
@Suite struct NewTeamWalkTests {
    @Test func aNewTeamAddsItsPeopleAndLoosensOnlyTogether() throws {
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob"), carol = try SSHTestKey.make("carol")
        let store = CLI.tempDir("walk").appendingPathComponent("store")
        let initd = try CLI.run(["init", "--name", "shop", "--key", alice.privatePath], store: store, as: "alice")
        #expect(initd.code == 0 && initd.out.contains("identity: signed"), "\(initd.out) \(initd.err)")
        // The first adoption is signed with the creating captain's key, so an auditor's anchors
        // reach the journal's first configuration (it was unsigned, judged by its own files).
        let journal = try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let first = try #require(journal.split(separator: "\n").first { $0.contains(#""kind":"config.adopted""#) })
        let sig = try #require(first.range(of: #""sig":""#).map { String(first[$0.upperBound...].prefix { $0 != "\"" }) })
        #expect(try SSHSignature(base64: sig).publicKey.line == alice.publicLine.split(separator: " ").prefix(2).joined(separator: " "), "signed by another key")
        let anchors = CLI.tempDir("anchors").appendingPathComponent("allowed_signers")
        try "alice namespaces=\"golive\" \(alice.publicLine)\n".write(to: anchors, atomically: true, encoding: .utf8)
        let anchored = try CLI.run(["audit", "verify", "--allowed-signers", anchors.path], store: store)
        #expect(anchored.code == 0, "\(anchored.out)\(anchored.err)")
        let pubs = CLI.tempDir("pubs")
        for key in [bob, carol] { try (key.publicLine + "\n").write(to: pubs.appendingPathComponent("\(key.name).pub"), atomically: true, encoding: .utf8) }
        #expect(try CLI.run(["team", "add", "bob", "--role", "safety", "--public-key", pubs.appendingPathComponent("bob.pub").path], store: store, as: "alice").code == 0)
        #expect(try CLI.run(["team", "add", "carol", "--role", "sre", "--public-key", pubs.appendingPathComponent("carol.pub").path], store: store, as: "alice").code == 0)
        let dup = try CLI.run(["team", "add", "bob", "--role", "sre"], store: store, as: "alice")
        #expect(dup.code == 2 && dup.err.contains("already in the team"), "\(dup.err)")
        // The lone captain adds the team: a roster of one could never gather two consents.
        let team = try CLI.run(["config", "adopt", "--reason", "the team", "--key", alice.privatePath], store: store, as: "alice")
        #expect(team.code == 0, "\(team.err)")
        let signers = try CLI.run(["team", "allowed-signers"], store: store).out
        #expect(signers.contains("bob ") && signers.contains("carol "), "\(signers)")

        // Now a loosening change needs two people.
        let policy = store.appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        #expect(text.contains("max_tenant_exposure_pct: 5"))
        try (text.replacingOccurrences(of: "max_tenant_exposure_pct: 5", with: "max_tenant_exposure_pct: 4") + "  canary:\n    steps: [1, 4]\n")
            .write(to: policy, atomically: true, encoding: .utf8)
        // Tightening: alice alone.
        #expect(try CLI.run(["config", "adopt", "--reason", "a 4% cap", "--key", alice.privatePath], store: store, as: "alice").code == 0)
        try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(of: "max_tenant_exposure_pct: 4", with: "max_tenant_exposure_pct: 5")
            .replacingOccurrences(of: "steps: [1, 4]", with: "steps: [1, 5]").write(to: policy, atomically: true, encoding: .utf8)
        let alone = try CLI.run(["config", "adopt", "--reason", "back to 5%", "--key", alice.privatePath], store: store, as: "alice")
        #expect(alone.code == 1 && alone.err.contains("it loosens what the canary rests on") && alone.err.contains("max_tenant_exposure_pct 4% → 5%"), "\(alone.err)")
        let proposed = try CLI.run(["config", "propose", "--reason", "back to 5%", "--key", alice.privatePath], store: store, as: "alice")
        #expect(proposed.code == 0 && proposed.out.contains("max_tenant_exposure_pct 4% → 5%"), "\(proposed.out) \(proposed.err)")
        let status = try CLI.run(["status"], store: store)
        #expect(status.out.contains("PROPOSED:") && status.out.contains("1 of 2 consents (alice)"), "\(status.out)")
        // bob reads the diff before he signs.
        let approved = try CLI.run(["config", "approve", "--reason", "agreed in the release call", "--key", bob.privatePath], store: store, as: "bob")
        #expect(approved.code == 0 && approved.out.contains("+    max_tenant_exposure_pct: 5") && approved.out.contains("Approved"), "\(approved.out) \(approved.err)")
        let adopted = try CLI.run(["config", "adopt", "--reason", "back to 5%, agreed", "--key", alice.privatePath], store: store, as: "alice")
        #expect(adopted.code == 0, "\(adopted.err)")
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)

        let report = try CLI.run(["audit", "export", "--format", "md"], store: store).out
        let bobKey = try SSHPrivateKey(file: bob.privatePath).publicKey.fingerprint
        #expect(report.contains("key added: bob \(bobKey)"), "\(report)")
        #expect(report.contains("loosens: max_tenant_exposure_pct 4% → 5%") && report.contains("approved by bob"), "\(report)")
        #expect(report.contains("## Exposure increases"))
    }
}

extension NewTeamWalkTests {
    /// The whole walk with the cockpit: a fresh store with a real key, the team added and
    /// adopted, every item checked, a shorter shadow proposed by alice and approved by bob, then
    /// the canary taken to 5% in alice's cockpit with bob's approvals from his own command line;
    /// the report shows the adoptions as diffs and one row per increase.
    @Test func aNewTeamTakesItsCanaryToFivePercent() throws {
        guard Tmux.require() else { return }
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob"), carol = try SSHTestKey.make("carol")
        let store = CLI.tempDir("walk5").appendingPathComponent("store")
        #expect(try CLI.run(["init", "--name", "shop", "--key", alice.privatePath], store: store, as: "alice").code == 0)
        let pubs = CLI.tempDir("pubs5")
        for key in [bob, carol] { try (key.publicLine + "\n").write(to: pubs.appendingPathComponent("\(key.name).pub"), atomically: true, encoding: .utf8) }
        #expect(try CLI.run(["team", "add", "bob", "--role", "safety", "--public-key", pubs.appendingPathComponent("bob.pub").path], store: store, as: "alice").code == 0)
        #expect(try CLI.run(["team", "add", "carol", "--role", "sre", "--public-key", pubs.appendingPathComponent("carol.pub").path], store: store, as: "alice").code == 0)
        // What the rollout moves: one capability, three tenants, the sample's router hook.
        let rollout = store.appendingPathComponent("rollout.yaml")
        var yaml = try String(contentsOf: rollout, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "tenants: []\n", with: """
            hooks:
              transition: scripts/set-weight.sh
            tenants:
              - {id: small, share_pct: 0.9}
              - {id: mid, share_pct: 3.0}
              - {id: big, share_pct: 96.1}

            """)
        yaml = yaml.replacingOccurrences(of: "capabilities: []\n", with: """
            capabilities:
              - {name: search, owner: carol, transport: grpc, timeout: 2s, retry_policy: none, idempotency: read-only, unknown_side_effect_path: none, outcome_telemetry: span}

            """)
        try yaml.write(to: rollout, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: store.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let hook = store.appendingPathComponent("scripts/set-weight.sh")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("sample-data/scripts/set-weight.sh"), to: hook)
        let adopted = try CLI.run(["config", "adopt", "--reason", "the team, the tenants, the router", "--key", alice.privatePath], store: store, as: "alice")
        #expect(adopted.code == 0, "\(adopted.err)")
        // Every item checked (the captain may set any).
        let items = try #require(try JSONSerialization.jsonObject(with: Data(CLI.run(["items", "--json"], store: store).out.utf8)) as? [[String: Any]])
        for case let id as String in items.map({ $0["id"] }) where !id.hasPrefix("capabilities.") {
            let r = try CLI.run(["item", id, "--pass", "--note", "checked", "--key", alice.privatePath], store: store, as: "alice")
            #expect(r.code == 0, "\(id): \(r.err)")
        }
        #expect(try CLI.run(["gate", "--no-record"], store: store).code == 0)
        // A shorter shadow loosens: alice proposes, bob approves after reading it, alice adopts.
        let policy = store.appendingPathComponent("policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "  canary:\n    steps: [1, 5]\n    min_shadow_minutes: 0.05\n").write(to: policy, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["config", "adopt", "--reason", "a 3-second shadow for the walk", "--key", alice.privatePath], store: store, as: "alice").code == 1)
        #expect(try CLI.run(["config", "propose", "--reason", "a 3-second shadow for the walk", "--key", alice.privatePath], store: store, as: "alice").code == 0)
        #expect(try CLI.run(["config", "approve", "--reason", "fine for a walk", "--key", bob.privatePath], store: store, as: "bob").code == 0)
        #expect(try CLI.run(["config", "adopt", "--reason", "a 3-second shadow, agreed", "--key", alice.privatePath], store: store, as: "alice").code == 0)

        // The canary, in alice's cockpit.
        let t = Tmux()
        try t.start(width: 140, height: 40, command: "env -u SSH_AUTH_SOCK \(CLI.binary) --store \(store.path) --as alice --key \(alice.privatePath)")
        try t.wait(forText: "gate: ✓ READY")
        try t.keys("c")
        try t.wait(forText: "S shadow")
        try t.keys("S")
        try t.wait(forText: "Enter shadow")
        try t.type("shadow")
        try t.keys("Enter")
        try t.wait(forText: "entered shadow", timeout: 20)
        for step in ["1%", "5%"] {
            // bob approves from his own command line; the cockpit shows it without a key press.
            var approve = try CLI.run(["canary", "approve", "--key", bob.privatePath], store: store, as: "bob")
            let deadline = Date().addingTimeInterval(20)
            while approve.code != 0 && Date() < deadline {
                usleep(250_000)
                approve = try CLI.run(["canary", "approve", "--key", bob.privatePath], store: store, as: "bob")
            }
            #expect(approve.code == 0, "\(approve.out) \(approve.err)")
            // Leaving shadow also waits for its minimum: the screen says when it is met.
            try t.wait(for: "bob's approval of \(step)", timeout: 20) { $0.contains("1/2") && $0.contains("bob") && (step != "1%" || $0.contains("minimum 3 s met")) }
            try t.keys("A")
            try t.wait(forText: "Advance the canary")
            try t.type(step)
            try t.keys("Enter")
            try t.wait(forText: "advanced to \(step)", timeout: 20)
        }
        let router = try String(contentsOf: store.appendingPathComponent("router.txt"), encoding: .utf8)
        #expect(router.contains("stage=canary") && router.contains("tenants=small,mid"), "\(router)")
        try t.keys("q")

        let report = try CLI.run(["audit", "export", "--format", "md"], store: store).out
        #expect(report.contains("loosens: min_shadow_minutes 60 → 0.05") && report.contains("approved by bob"), "\(report)")
        let increases = try #require(report.range(of: "## Exposure increases"))
        let table = report[increases.upperBound...].prefix(2000)
        #expect(table.contains("shadow → 1%") && table.contains("1% → 5%") && table.contains("bob (safety"), "\(table)")
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
    }
}
