import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

enum UIFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A fixed "now", a day after the sample journal was recorded, so ages and waivers render the same every run.
    static let now = Timestamp.parse("2026-11-30T00:00:00.000Z")!

    static func store() throws -> Store {
        let dir = TestFolder.make("ui").appendingPathComponent("store")
        return try StoreSetup.create(at: dir, from: repoRoot.appendingPathComponent("sample-data"), name: "",
                                     actor: Actor(operatorID: "alice", osUser: "t", session: "s"), withDemoKeys: true)
    }

    static func dashboard(_ store: Store, as op: String = "alice") throws -> Dashboard {
        Dashboard(readiness: try Cockpit(store: store, clock: .fixed(now)).readiness(), operatorID: op)
    }

    static func state(width: Int = 120, height: Int = 40, as op: String = "alice") throws -> UIState {
        // The screen's clock is the fixtures' clock, as the app's tick keeps it.
        var s = UIState(width: width, height: height, dashboard: try dashboard(try store(), as: op))
        s.now = now
        return s
    }

    static func theme(_ name: String) throws -> Theme {
        let url = repoRoot.appendingPathComponent("themes/\(name).yaml")
        return try ThemeLoader.parse(text: try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    static func press(_ s: UIState, _ keys: Key...) -> (UIState, [Effect]) {
        var state = s
        var all: [Effect] = []
        for k in keys {
            var (next, effects) = Reducer.reduce(state, .key(k))
            // As the runtime does after every event.
            Render.settle(&next)
            state = next
            all += effects
        }
        return (state, all)
    }

    static func type(_ s: UIState, _ text: String) -> UIState {
        var state = s
        for c in text { state = Reducer.reduce(state, .key(.char(c))).0 }
        return state
    }
}

/// Text snapshots of the screen buffer. A missing snapshot is written and the test fails, so a new
/// snapshot is always looked at once; GOLIVE_RECORD_SNAPSHOTS=1 rewrites them after an intended change.
enum Snapshot {
    static let dir = UIFixtures.repoRoot.appendingPathComponent("Tests/GoLiveUITests/Snapshots")

    static func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = dir.appendingPathComponent("\(name).txt")
        let record = ProcessInfo.processInfo.environment["GOLIVE_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded snapshot \(name); check it and run again", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            let exp = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(exp, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(exp.count, got.count)
            Issue.record("snapshot \(name) differs at line \(first + 1):\n expected: \(first < exp.count ? String(exp[first]) : "<end>")\n      got: \(first < got.count ? String(got[first]) : "<end>")",
                         sourceLocation: sourceLocation)
        }
    }
}

extension UIFixtures {
    /// The sample cockpit with its canary set to a given state, for the panel and its keys. `ready`
    /// drops the policy's requirements and passes every blocker so the gate is READY; `approvedBy` adds that operator's fresh
    /// approval of the next step, so the core would accept an advance.
    static func canary(as op: String = "alice", width: Int = 120, height: Int = 40, ready: Bool = false, approvedBy: String? = nil,
                       config configChange: (inout RolloutConfig) -> Void = { _ in },
                       _ change: (inout CanaryState) -> Void) throws -> UIState {
        let store = try store()
        let loaded = try Cockpit(store: store, clock: .fixed(now)).readiness()
        var config = loaded.config, state = loaded.state
        configChange(&config)
        if ready {
            config.policy.require = []
            config.policy.blockIf = []
            config.policy.approvals.requireSignoff = []
            // No policy removes the blockers: they are passed instead.
            for item in config.catalog where item.severity == .blocker && item.derivedFromCapabilityField == nil {
                state.items[item.id, default: ItemState()].status = .passed
                state.items[item.id, default: ItemState()].resultAt = now
            }
            config.capabilities = config.capabilities.map { var c = $0; c.fields[.unknown_side_effect_path] = c.fields[.unknown_side_effect_path] ?? "lookup"; return c }
        }
        change(&state.canary)
        if let approvedBy, let (from, to) = CanaryEngine.nextIncrease(state.canary, config.policy.canary.steps) {
            let v = Gate.evaluate(Readiness(config: config, state: state, now: now))
            state.canary.approvals.append(CanaryApproval(by: approvedBy, role: "safety", from: from, to: to, stateSha256: v.stateSha256,
                                                         policySha256: v.policySha256, at: now, seq: state.seq, note: "",
                                                         key: config.member(approvedBy)?.keys.first?.fingerprint))
        }
        let d = Dashboard(readiness: Readiness(config: config, state: state, now: now), operatorID: op,
                          operatorKey: config.member(op)?.keys.first?.fingerprint)
        var s = UIState(width: width, height: height, dashboard: d)
        s.now = now
        s.mode = .canary
        return s
    }

    static func inShadow(_ c: inout CanaryState) {
        c.stage = .shadow
        // Past the sample's 60-minute minimum, so leaving shadow waits only for the gate and approvals.
        c.shadowSince = now.addingTimeInterval(-2 * 3600)
        c.stageSince = c.shadowSince
    }

    static func atOnePercent(_ c: inout CanaryState) {
        c.stage = .canary
        c.step = 0
        c.exposurePct = 0.9
        c.cohort = ["corner-books", "pet-pantry"]
        c.stageSince = now.addingTimeInterval(-120)
        c.lastHook = HookResult(outcome: .applied, summary: "exit 0: router: shadow -> 1%", exitCode: 0, seconds: 0.02, output: "router: shadow -> 1%")
    }
}
