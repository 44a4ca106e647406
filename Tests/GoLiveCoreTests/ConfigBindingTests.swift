import Foundation
import Testing
@testable import GoLiveCore

/// Integrity finding 5, in part: decisions bind to the configuration they were made under.
@Suite(.serialized) struct ConfigBindingTests {
    /// Replacing the hook script after approvals were given sent 100% to the router while the
    /// journal recorded 0.9%: approvals now bind to the hook script's bytes too.
    @Test func approvalsLapseWhenTheHookScriptIsReplaced() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(1)
        let hook = store.directory.appendingPathComponent("hook.sh")
        try Data("#!/bin/sh\necho \"router: $GOLIVE_EXPOSURE_PCT%\"\n".utf8).write(to: hook)
        chmod(hook.path, 0o755)
        let rollout = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        try rollout.replacingOccurrences(of: "transition: sim-hook", with: "transition: ./hook.sh").write(to: store.rolloutURL, atomically: true, encoding: .utf8)
        let cockpit = Cockpit(store: store, clock: .fixed(CanaryPropertyTests.t0),
                              hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "ok", seconds: 0) })
        try Fixtures.adoptWithConsent("the router hook") { _ in cockpit }
        try cockpit.perform(.canary(.approve(note: "looks good")), as: Fixtures.actor("bob"))
        try Data("#!/bin/sh\necho \"router: 100%\"\n".utf8).write(to: hook)
        // Adopted, so that the approval's own binding is what refuses (without adoption nothing runs at all).
        try Fixtures.adoptWithConsent("router v2") { _ in cockpit }
        do {
            try cockpit.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
            Issue.record("the advance ran a hook nobody approved")
        } catch let refusal as Refusal {
            #expect(refusal.reason.contains("stale"), "\(refusal.reason)")
        }
        #expect(try store.loadState().state.canary.exposurePct == 0)
    }

    /// Sign-offs stayed fresh after the signer left the team or lost the role.
    @Test func aSignOffGoesStaleWhenTheSignerLeavesOrLosesTheRole() throws {
        let store = try Fixtures.sampleStore()
        #expect(try Cockpit(store: store).readiness().signoffStanding(.runtime) == .fresh)
        let rollout = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        try rollout.replacingOccurrences(of: "    roles: [captain]", with: "    roles: [eval]").write(to: store.rolloutURL, atomically: true, encoding: .utf8)
        #expect(try Cockpit(store: store).readiness().signoffStanding(.runtime) != .fresh, "alice no longer holds captain")
        let gone = rollout.replacingOccurrences(of: "  - id: alice\n", with: "  - id: alicia\n")
        #expect(gone != rollout)
        try gone.write(to: store.rolloutURL, atomically: true, encoding: .utf8)
        #expect(try Cockpit(store: store).readiness().signoffStanding(.runtime) != .fresh, "alice is no longer on the team")
    }
}
