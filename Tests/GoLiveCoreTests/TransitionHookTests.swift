import Foundation
import Testing
@testable import GoLiveCore

/// The hook through the real entry point: a store on disk, a shell script, the journal.
@Suite struct TransitionHookTests {
    /// A ready store whose transition hook is `script`, with the policy's hook timeout.
    static func store(hook script: String, timeout: Double = 10) throws -> Store {
        let rollout = CanarySim.rollout.replacingOccurrences(of: "%HOOK%", with: "hooks: {transition: ./hook.sh}")
        let policy = CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false")
            .replacingOccurrences(of: "hook_timeout_seconds: 10", with: "hook_timeout_seconds: \(timeout)")
            .replacingOccurrences(of: "min_shadow_minutes: 60", with: "min_shadow_minutes: 0")
        let store = try Fixtures.store(rollout: rollout, policy: policy)
        let hook = store.directory.appendingPathComponent("hook.sh")
        try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: hook)
        chmod(hook.path, 0o755)
        try Fixtures.adopt(store, "the test's hook")
        let cockpit = Cockpit(store: store)
        for item in try store.loadConfig().catalog where item.derivedFromCapabilityField == nil {
            try cockpit.perform(.setItem(id: item.id, status: .passed, note: "ok", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        return store
    }

    static func kinds(_ store: Store) throws -> [EventKind] {
        var out: [EventKind] = []
        try store.forEachEvent { e in
            if e.kind.rawValue.hasPrefix("canary.") { out.append(e.kind) }
            return true
        }
        return out
    }

    @Test func aHookThatExitsZeroMovesTheCanaryAndItsOutputIsEvidence() throws {
        let store = try Self.store(hook: #"echo "weight=$GOLIVE_EXPOSURE_PCT stage=$GOLIVE_STAGE cohort=$(paste -sd, "$GOLIVE_COHORT_FILE") by=$GOLIVE_OPERATOR" > router.txt; cat router.txt"#)
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        let outcome = try cockpit.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        #expect(outcome.hook?.outcome == .applied)
        #expect(outcome.state.canary.stage == .canary && outcome.state.canary.exposurePct == 0.9)
        let router = String(decoding: Fixtures.bytes(store.directory.appendingPathComponent("router.txt")), as: UTF8.self)
        #expect(router == "weight=0.9 stage=canary cohort=t-small,t-mid by=alice\n")
        #expect(outcome.hook?.output?.contains("weight=0.9") == true && outcome.hook?.outputSha256?.count == 64)
        #expect(try Self.kinds(store) == [.canaryTransitionStarted, .canaryTransitionDone, .canaryApproved, .canaryApproved,
                                          .canaryTransitionStarted, .canaryTransitionDone])
    }

    @Test func aHookThatExitsNonZeroLeavesTheCanaryWhereItWas() throws {
        let store = try Self.store(hook: "echo 'router refused: weight locked' >&2; exit 3")
        let outcome = try Cockpit(store: store).perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(outcome.hook?.outcome == .failed && outcome.hook?.exitCode == 3)
        #expect(outcome.hook?.summary == "exit 3: router refused: weight locked")
        #expect(outcome.state.canary.stage == .planned && outcome.state.canary.pending == nil)
        #expect(try Self.kinds(store) == [.canaryTransitionStarted, .canaryTransitionFailed])
    }

    @Test func aHookThatHangsIsKilledWithItsGroupAndBlocksAdvancesUntilReconciled() throws {
        let store = try Self.store(hook: "sleep 30 & sleep 30", timeout: 0.5)
        let cockpit = Cockpit(store: store)
        let outcome = try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let hook = try #require(outcome.hook)
        #expect(hook.outcome == .unknown && hook.summary.contains("timed out after 0.5 s"))
        #expect(outcome.state.canary.pendingUnknown && outcome.state.canary.stage == .planned)
        let group = try #require(hook.processGroup)
        #expect(try ProcessTable.waitGone(group).isEmpty, "the hook's process group \(group) is still running")
        #expect(throws: Refusal.self) { try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice")) }
        do {
            try cockpit.perform(.canary(.complete), as: Fixtures.actor("carol"))
            Issue.record("complete was not refused")
        } catch let r as Refusal {
            #expect(r.reason.contains("outcome of planned → shadow is unknown") && r.reason.contains("reconcile"))
        }
        try cockpit.perform(.canary(.reconcile(applied: true, note: "router shows mirror on")), as: Fixtures.actor("carol"))
        let state = try store.loadState().state.canary
        #expect(state.stage == .shadow && state.pending == nil)
        #expect(try Self.kinds(store) == [.canaryTransitionStarted, .canaryOutcomeUnknown, .canaryReconciled])
    }

    @Test func reconcilingAsNotAppliedLeavesTheStageAndFreesTheNextTry() throws {
        let store = try Self.store(hook: "kill -9 $$", timeout: 5)
        let cockpit = Cockpit(store: store)
        let crashed = try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(crashed.hook?.outcome == .unknown && crashed.hook?.summary.contains("killed by signal 9") == true)
        try cockpit.perform(.canary(.reconcile(applied: false, note: "router unchanged")), as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.canary.stage == .planned)
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: store.directory.appendingPathComponent("hook.sh"))
        try Fixtures.adopt(store, "the fixed hook")
        #expect(try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice")).state.canary.stage == .shadow)
    }

    @Test func escapeSequencesFromAHookAreSanitisedInTheJournal() throws {
        let store = try Self.store(hook: #"printf '\033]0;owned\007\033[2Jweight set\n'"#)
        let outcome = try Cockpit(store: store).perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let hook = try #require(outcome.hook)
        #expect(hook.outcome == .applied)
        #expect(!hook.summary.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
        #expect(hook.summary.contains("weight set"))
        let journal = Fixtures.bytes(store.journalURL)
        #expect(!journal.contains(0x1b) && !journal.contains(0x07))
        // JSON would escape a raw ESC as \u001b; the sanitiser turned it into visible text before that.
        #expect(!String(decoding: journal, as: UTF8.self).contains("\\u001b"))
    }
}
