import Foundation
import Testing
@testable import GoLiveCore

/// Deterministic, so a failing sequence can be replayed from its number.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct CanaryPropertyTests {
    static let operators = ["alice", "bob", "carol", "dan", "mallory"]
    static let approvers: Set<String> = ["alice", "bob", "carol"]

    /// 10,000 random sequences of actions by random operators, with the clock moving, readiness
    /// flipping and hooks failing or hanging at random. Checked against the journal the sequence
    /// wrote, with bookkeeping of the test's own rather than the engine's.
    @Test func randomSequencesKeepTheCapTheApprovalsAndTheShadowPeriod() throws {
        let base = try CanarySim(hook: true, autoHold: true)
        let cap = base.config.policy.maxTenantExposurePct
        let minShadow = base.config.policy.canary.minShadowMinutes * 60
        var rng = SplitMix64(state: 0x601_1FE)
        var increases = 0, refusals = 0, stagesSeen = Set<String>()
        for sequence in 0..<10_000 {
            var sim = base
            var approvals: [(by: String, from: String, to: String, head: String)] = []
            var shadowEntered: Date?
            for _ in 0..<20 {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0, 1: sim.now += Double(Int.random(in: 0...70 * 60, using: &rng))
                case 2: sim.setReady(Int.random(in: 0..<6, using: &rng) != 0)
                default: break
                }
                sim.hookAnswer = [.applied, .applied, .applied, .applied, .failed, .unknown].randomElement(using: &rng)!
                let actions: [CanaryAction] = [
                    .enterShadow, .approve(note: ""), .approve(note: ""), .approve(note: ""), .advance(cohort: nil), .advance(cohort: nil),
                    .advance(cohort: ["t-reg", "t-small"]), .advance(cohort: ["t-big", "t-wide"]), .hold(reason: "h"), .resume,
                    .rollback(reason: "r"), .reconcile(applied: Bool.random(using: &rng), note: ""), .complete,
                ]
                let action = actions.randomElement(using: &rng)!
                let actor = Self.operators.randomElement(using: &rng)!
                let before = sim.log.count
                let head = sim.state.readinessHead
                let now = sim.now
                if case .refused = sim.act(action, by: actor) { refusals += 1 }
                for e in sim.log[before...] {
                    let d = e.data
                    switch e.kind {
                    case .canaryApproved:
                        #expect(Self.approvers.contains(e.actor), "sequence \(sequence): approval by \(e.actor)")
                        approvals.append((e.actor, d.from ?? "", d.to ?? "", head))
                    case .canaryTransitionStarted:
                        guard let t = d.transition, t.action == "advance" else { break }
                        let distinct = Set(approvals.filter { $0.from == t.from && $0.to == t.to && $0.head == head }.map(\.by))
                        #expect(distinct.count >= 2, "sequence \(sequence): \(t.from) → \(t.to) started with approvals \(distinct)")
                        if t.from == "shadow" {
                            let served = shadowEntered.map { now.timeIntervalSince($0) } ?? -1
                            #expect(served >= minShadow, "sequence \(sequence): left shadow after \(served) s")
                        }
                        #expect(t.exposurePct <= cap && !t.cohort.contains("t-reg"), "sequence \(sequence): \(t)")
                    case .canaryTransitionDone, .canaryReconciled:
                        guard e.kind == .canaryTransitionDone || d.applied == true, let t = d.transition else { break }
                        if t.stage == .shadow { shadowEntered = e.ts }
                        if t.action == "advance" { increases += 1 }
                        approvals.removeAll()
                    default: break
                    }
                }
                #expect(sim.canary.exposurePct <= cap, "sequence \(sequence): exposure \(sim.canary.exposurePct)")
                #expect(!sim.canary.cohort.contains("t-reg"))
                stagesSeen.insert(CanaryEngine.describe(sim.canary, sim.config.policy.canary.steps))
            }
        }
        // The walk reached every stage and moved traffic often, so the checks above were exercised.
        #expect(increases > 150, "only \(increases) exposure increases")
        #expect(refusals > 10_000)
        for stage in ["shadow", "at 1%", "at 5%", "completed", "rolled back", "held at 1%"] {
            #expect(stagesSeen.contains(stage), "never reached \(stage); saw \(stagesSeen.sorted())")
        }
    }
}
