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
