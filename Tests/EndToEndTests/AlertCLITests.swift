import Foundation
import Testing
import GoLiveCore

/// `hooks.alert` as an operator meets it: the sample's pager, a failing pager, a hanging one.
@Suite struct AlertCLITests {
    static func alerts(_ store: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: store.appendingPathComponent("alerts.log"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func theSamplesAlertHookReceivesTheAutoHoldAsJSON() throws {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        #expect(try Self.alerts(store).isEmpty, "entering shadow alerts nobody")
        // Carol's failed result costs the live canary its gate: it is held in the same write, and the pager hears of it.
        let fail = try CLI.run(["item", "observability.trace_id", "--fail", "--note", "trace ids missing since rc4"], store: store, as: "carol")
        #expect(fail.code == 0, "\(fail.err)")
        let sent = try Self.alerts(store)
        let hold = try #require(sent.first { $0["kind"] as? String == "auto_hold" }, "\(sent)")
        #expect(hold["rollout"] as? String == "support-copilot")
        #expect(hold["stage"] as? String == "held at shadow")
        #expect(hold["who"] as? String == "carol")
        #expect((hold["reason"] as? String)?.contains("auto-hold (canary.auto_hold): NOT READY: trace_coverage") == true, "\(hold)")
        #expect((hold["next"] as? String)?.contains("golive canary resume") == true)
        #expect(hold["contours"] as? [String] == ["observability"])
        // The payload links to the hold's own record.
        let csv = try CLI.run(["audit", "export", "--format", "jsonl"], store: store).out
        let held = try #require(csv.split(separator: "\n").first { $0.contains("\"canary.held\"") })
        #expect(held.contains("\"seq\":\(hold["seq"] as? Int ?? -1),"), "\(held)")
        #expect(csv.contains("\"alert.raised\"") && csv.contains("\"alert.delivered\""))
        // A manual rollback is an alert too; the record says who and why.
        #expect(try CLI.run(["canary", "rollback", "--reason", "trace ids lost"], store: store, as: "alice").code == 0)
        let rollback = try #require(try Self.alerts(store).first { $0["kind"] as? String == "rollback" })
        #expect(rollback["who"] as? String == "alice" && (rollback["reason"] as? String)?.contains("trace ids lost") == true)
    }

    @Test func aPagerThatFailsOrHangsNeverDelaysTheHoldBeyondItsTimeout() throws {
        let store = try CanaryTmuxTests.readyStore()
        let scripts = store.appendingPathComponent("scripts")
        try "#!/bin/sh\necho 'webhook said 503' >&2\nexit 1\n".write(to: scripts.appendingPathComponent("pager-down.sh"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\ncat > /dev/null\nsleep 60\n".write(to: scripts.appendingPathComponent("pager-hangs.sh"), atomically: true, encoding: .utf8)
        chmod(scripts.appendingPathComponent("pager-down.sh").path, 0o755)
        chmod(scripts.appendingPathComponent("pager-hangs.sh").path, 0o755)
        let rollout = store.appendingPathComponent("rollout.yaml")
        let text = try String(contentsOf: rollout, encoding: .utf8).replacingOccurrences(of: "  alert: scripts/alert.sh\n", with: """
          alert:
            - {command: scripts/pager-down.sh, kinds: [auto_hold]}
            - {command: scripts/pager-hangs.sh, kinds: [auto_hold], timeout_seconds: 1}
            - {command: scripts/alert.sh, contours: [safety]}

        """)
        try text.write(to: rollout, atomically: true, encoding: .utf8)
        #expect(try CLI.adopt(store, reason: "two pagers").code == 0)
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let started = Date()
        let fail = try CLI.run(["item", "observability.trace_id", "--fail", "--note", "trace ids missing"], store: store, as: "carol")
        let took = Date().timeIntervalSince(started)
        #expect(fail.code == 0, "the change and its hold stand: \(fail.err)")
        #expect(took < 8, "a hanging pager is cut at its 1 s timeout, not waited for (took \(took) s)")
        #expect(fail.err.contains("warning: alert auto_hold to scripts/pager-down.sh not delivered: exit 1: webhook said 503"), "\(fail.err)")
        #expect(fail.err.contains("warning: alert auto_hold to scripts/pager-hangs.sh not delivered: timed out after 1 s"), "\(fail.err)")
        let status = try CLI.run(["canary", "status", "--json"], store: store)
        #expect(status.out.contains("\"stage\" : \"held\"") || status.out.contains("\"stage\":\"held\""), "\(status.out)")
        let journal = try CLI.run(["audit", "export", "--format", "csv"], store: store).out
        #expect(journal.contains("alert auto_hold NOT delivered to scripts/pager-down.sh"), "\(journal.suffix(800))")
        #expect(journal.contains("alert auto_hold NOT delivered to scripts/pager-hangs.sh"))
        // Routed by contour: the observability alert did not go to the safety channel.
        #expect(try Self.alerts(store).isEmpty)
    }
}
