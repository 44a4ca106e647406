import Foundation
import Testing
import GoLiveCore

/// `golive canary` as a script sees it: exit codes, messages on stderr, JSON on stdout.
@Suite struct CanaryCLITests {
    @Test func refusalsAreExitOneWithTheCoresReasonAndBadInputIsExitTwo() throws {
        let store = try CLI.sampleStore()
        let notReady = try CLI.run(["canary", "shadow"], store: store, as: "alice")
        #expect(notReady.code == 1)
        #expect(notReady.err.contains("refused: cannot enter shadow: the gate is NOT READY: trace_coverage, offline_eval_pass, oncall_owner, block unknown_side_effect_path_missing"))
        let wrongRole = try CLI.run(["canary", "shadow"], store: store, as: "dan")
        #expect(wrongRole.code == 1 && wrongRole.err.contains("dan (eval) may not shadow the canary"))
        let noReason = try CLI.run(["canary", "hold", "--reason", " "], store: store, as: "alice")
        // The remedy is data; the CLI words it as its flag (the cockpit as its field).
        #expect(noReason.code == 2 && noReason.err == "golive: error: hold needs a reason; pass --reason \"…\"\n", "\(noReason.err)")
        let noWhy = try CLI.run(["canary", "resume", "--reason", " "], store: store, as: "alice")
        #expect(noWhy.code == 2 && noWhy.err.contains("resume needs a reason"), "\(noWhy.err)")
        let typo = try CLI.run(["canary", "advance", "--tenants", "corner-book"], store: store, as: "alice")
        #expect(typo.code == 2 && typo.err.contains("tenant 'corner-book' is not in rollout.yaml; did you mean 'corner-books'?"))
        let empty = try CLI.run(["canary", "advance", "--tenants", ",,"], store: store, as: "alice")
        #expect(empty.code == 2 && empty.err.contains("the cohort names no tenant"))
        let unknown = try CLI.run(["canary", "frobnicate"])
        #expect(unknown.code == 2 && unknown.err.contains("Unexpected argument 'frobnicate'") && unknown.err.contains("golive canary <subcommand>"))
        let which = try CLI.run(["canary", "reconcile"], store: store, as: "alice")
        #expect(which.code == 2 && which.err.contains("--applied or --not-applied"))
        let status = try CLI.run(["canary", "status", "--json"], store: store)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
        #expect(json["stage"] as? String == "planned" && json["cap_pct"] as? Double == 5)
        // Refusals are journaled with the command that was refused; input errors are not.
        let refused = try CLI.run(["audit", "export", "--format", "csv"], store: store)
        #expect(refused.out.contains("canary shadow") && !refused.out.contains("canary hold"))
    }

    @Test func aHookThatSaysNoIsExitOneAndTheCanaryStays() throws {
        let store = try CanaryTmuxTests.readyStore()
        let hook = store.appendingPathComponent("scripts/set-weight.sh")
        try "#!/bin/sh\necho 'router: weight change rejected (maintenance window)'\nexit 4\n".write(to: hook, atomically: true, encoding: .utf8)
        chmod(hook.path, 0o755)
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").err.contains("scripts/set-weight.sh edited"), "a replaced hook is not run")
        #expect(try CLI.adopt(store, reason: "router in maintenance").code == 0)
        let r = try CLI.run(["canary", "shadow"], store: store, as: "alice")
        #expect(r.code == 1)
        #expect(r.out.contains("hook: failed — exit 4: router: weight change rejected (maintenance window)"))
        #expect(r.err.contains("the hook did not apply the change") && r.err.contains("the canary stays planned"))
        let status = try CLI.run(["canary", "status"], store: store)
        #expect(status.out.hasPrefix("canary: planned · exposure 0% of cap 5%"))
    }

    /// Issue 26, finding 5: `canary approve` said what it approved only after signing; a note
    /// by carol made bob's approval stale.
    @Test func approveSaysWhatItBindsToAndANoteLeavesItStanding() throws {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let gate = try CLI.run(["gate", "--json", "--no-record"], store: store)
        let state = try #require((try JSONSerialization.jsonObject(with: Data(gate.out.utf8)) as? [String: Any])?["state_sha256"] as? String)
        let stale = try CLI.run(["canary", "approve", "--expect-state", "000000000000"], store: store, as: "bob")
        #expect(stale.code == 1 && stale.err.contains("changed since you looked") && stale.err.contains("the state an approval binds to is \(state.prefix(12))"), "\(stale.err)")
        let bob = try CLI.run(["canary", "approve"], store: store, as: "bob")
        #expect(bob.code == 0, "\(bob.err)")
        let lines = bob.out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("approving shadow → 1%: 0% → 0.9% of traffic, 2 tenants (corner-books, pet-pantry)") == true, "\(bob.out)")
        #expect(lines.dropFirst().first?.contains("binds to: gate READY at seq") == true && lines[1].contains("state \(state.prefix(12))"), "\(bob.out)")
        // carol's note on an unrelated, passed item: bob's approval stands.
        #expect(try CLI.run(["item", "operations.alerting", "--note", "pager test at 14:02"], store: store, as: "carol").code == 0)
        let after = try CLI.run(["canary", "status", "--json"], store: store)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(after.out.utf8)) as? [String: Any])
        #expect(json["approvals_fresh"] as? [String] == ["bob"] && (json["approvals_stale"] as? [String])?.isEmpty == true, "\(after.out)")
    }
}

@Suite struct LeverCLITests {
    @Test func rollbackFromTheCommandLineWorksWithABrokenPolicy() throws {
        let store = try CLI.sampleStore()
        let policy = store.appendingPathComponent("policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "  waivers:\n    max_days: thirty\n").write(to: policy, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "x"], store: store, as: "alice").code == 2)
        let rollback = try CLI.run(["canary", "rollback", "--reason", "refund errors"], store: store, as: "carol")
        #expect(rollback.code == 0, "\(rollback.err)")
        #expect(rollback.err.contains("the configuration has errors"), "\(rollback.err)")
        #expect(rollback.out.contains("rolled back"), "\(rollback.out)")
    }

    /// Cockpit finding 5: the time-driven auto-hold ran only on a cockpit's timer. With no cockpit
    /// open, `golive canary watch` holds the live canary once a waiver it relied on expires.
    @Test func withNoCockpitOpenTheWatchHoldsWhenAWaiverExpires() throws {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["item", "observability.key_spans", "--fail", "--note", "one span missing"], store: store, as: "carol").code == 0)
        let expires = Timestamp.format(Date().addingTimeInterval(4)).prefix(19) + "Z"
        let waived = try CLI.run(["waive", "observability.key_spans", "--reason", "lands in rc4", "--expires", String(expires)], store: store, as: "alice")
        #expect(waived.code == 0, "\(waived.err)")
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let once = try CLI.run(["canary", "watch", "--once"], store: store, as: "carol")
        #expect(once.code == 0, "nothing to hold while the waiver runs: \(once.out)")
        let watcher = try ChildProcess([CLI.binary, "canary", "watch", "--interval", "0.5", "--store", store.path, "--as", "carol"], .init(environment: CLI.childEnvironment, stderr: .null))
        defer { watcher.signal(SIGTERM); _ = watcher.wait() }
        let deadline = Date().addingTimeInterval(20)
        var canary = try Store(directory: store).loadState().state.canary
        while canary.stage != .held && Date() < deadline {
            usleep(200_000)
            canary = try Store(directory: store).loadState().state.canary
        }
        #expect(canary.stage == .held && canary.holdAuto, "the watch did not hold: \(canary.stage)")
        #expect(canary.holdReason?.contains("NOT READY: trace_coverage") == true)
        let held = try Store(directory: store).recentEvents(limit: 5).first { $0.kind == .canaryHeld }
        #expect(held?.actor == "carol" && held?.data.auto == true)
    }
}
