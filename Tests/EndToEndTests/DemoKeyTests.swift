import Foundation
import GoLiveTestSupport
import Testing

/// Issue 25, finding 10: the sample's published private keys are never a surprise. `init --from`
/// leaves them behind unless asked, and a roster that lists them says DEMO wherever it matters.
@Suite struct DemoKeyTests {
    @Test func initFromTheSampleLeavesTheDemoKeysBehindAndSaysDemo() throws {
        let store = CLI.tempDir("demo-init").appendingPathComponent("store")
        let made = try CLI.run(["init", "--from", CLI.repoRoot.appendingPathComponent("sample-data").path], store: store, as: "alice")
        #expect(made.code == 0, "\(made.err)")
        #expect(!FileManager.default.fileExists(atPath: store.appendingPathComponent("demo-keys").path), "init --from copied the published private keys")
        let status = try CLI.run(["status"], store: store, as: "alice")
        #expect(status.out.contains("DEMO KEYS: alice, bob, carol, dan, erin sign with the published demo keys"), "\(status.out)")
        let verify = try CLI.run(["audit", "verify"], store: store)
        #expect(verify.out.contains("DEMO: 31 of them by the published demo keys"), "\(verify.out)")
        // Asked for, they come along (the demo's own walk needs them).
        let asked = CLI.tempDir("demo-asked").appendingPathComponent("store")
        #expect(try CLI.run(["init", "--from", CLI.repoRoot.appendingPathComponent("sample-data").path, "--demo-keys"], store: asked, as: "alice").code == 0)
        #expect(FileManager.default.fileExists(atPath: asked.appendingPathComponent("demo-keys/alice").path))
    }

    /// Finding 11: `identity: names` edited on disk (never adopted) made status print UNSIGNED for
    /// a rollout still signed. The identity in force is the adopted one; the edit is named instead.
    @Test func anUnadoptedIdentityEditDoesNotMakeTheRolloutUnsigned() throws {
        let store = try CLI.sampleStore()
        let url = store.appendingPathComponent("rollout.yaml")
        try (try String(contentsOf: url, encoding: .utf8)).replacingOccurrences(of: "\nidentity: signed", with: "\nidentity: names").write(to: url, atomically: true, encoding: .utf8)
        let status = try CLI.run(["status"], store: store, as: "alice")
        #expect(!status.out.contains("UNSIGNED") && status.out.contains("rollout.yaml edited"), "\(status.out)")
        let gate = try CLI.run(["gate", "--no-record"], store: store, as: "alice")
        #expect(!gate.out.contains("UNSIGNED"), "\(gate.out)")
    }
}
