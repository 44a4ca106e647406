import Foundation
import Testing
@testable import GoLiveCore

/// Every stage × every action, with the stage it leads to or the reason it is refused.
@Suite struct CanaryTransitionTableTests {
    static let actions: [(String, CanaryAction)] = [
        ("shadow", .enterShadow), ("approve", .approve(note: "")), ("advance", .advance(cohort: nil)),
        ("hold", .hold(reason: "looking")), ("resume", .resume(reason: "p99 back to normal")), ("rollback", .rollback(reason: "bad")),
        ("reconcile", .reconcile(applied: true, note: "router checked")), ("complete", .complete),
    ]

    /// Row: the stage; columns in the order of `actions`. "→ x" is the stage label after, "! text"
    /// a refusal containing the text.
    static let table: [(String, [String])] = [
        ("planned", ["→ shadow", "! no exposure increase to approve", "! enter shadow first", "! only a live canary",
                     "! only a held canary", "→ rolled back", "! no transition to reconcile", "! completes from its last step"]),
        ("shadow", ["! shadow is entered from planned", "→ shadow", "→ at 1%", "→ held at shadow",
                    "! only a held canary", "→ rolled back", "! no transition to reconcile", "! completes from its last step"]),
        ("1%", ["! shadow is entered from planned", "→ at 1%", "→ at 5%", "→ held at 1%",
                "! only a held canary", "→ rolled back", "! no transition to reconcile", "! completes from its last step"]),
        ("5%", ["! shadow is entered from planned", "! no exposure increase to approve", "! at its last step 5%", "→ held at 5%",
                "! only a held canary", "→ rolled back", "! no transition to reconcile", "→ completed"]),
        ("held", ["! shadow is entered from planned", "→ held at 1%", "! resume it before advancing", "! only a live canary",
                  "→ at 1%", "→ rolled back", "! no transition to reconcile", "! completes from its last step"]),
        ("completed", ["! shadow is entered from planned", "! no exposure increase to approve", "! no exposure increase from completed",
                       "! only a live canary", "! only a held canary", "→ rolled back", "! no transition to reconcile",
                       "! completes from its last step"]),
        ("rolled_back", ["→ shadow", "! no exposure increase to approve", "! no exposure increase from rolled back",
                         "! only a live canary", "! only a held canary", "! already rolled back", "! no transition to reconcile",
                         "! completes from its last step"]),
        ("unknown", ["! outcome of 1% → 5% is unknown", "! outcome of 1% → 5% is unknown", "! outcome of 1% → 5% is unknown",
                     "→ held at 1%", "! outcome of 1% → 5% is unknown", "→ rolled back", "→ at 5%",
                     "! outcome of 1% → 5% is unknown"]),
    ]

    @Test(arguments: table.map(\.0))
    func everyActionFrom(stage: String) throws {
        let row = try #require(Self.table.first { $0.0 == stage }?.1)
        for (i, (name, action)) in Self.actions.enumerated() {
            var sim = try CanarySim(hook: true)
            sim.reach(stage)
            sim.now += 61 * 60
            // The other operator's approval is in place wherever one can be given, so only the guard under test can refuse.
            if stage != "unknown" { sim.act(.approve(note: ""), by: "bob") }
            let result = sim.act(action, by: "alice")
            let got = result.refusal.map { "refused: \($0)" } ?? "→ " + CanaryEngine.describe(sim.canary, sim.config.policy.canary.steps)
            let want = row[i]
            if want.hasPrefix("→ ") {
                #expect(got == want, "\(stage) × \(name)")
            } else {
                #expect(got.hasPrefix("refused: ") && got.contains(want.dropFirst(2)), "\(stage) × \(name): got \(got)")
            }
            #expect(sim.canary.exposurePct <= sim.config.policy.maxTenantExposurePct)
        }
    }

    @Test func refusalsAreJournaledWithTheirReason() throws {
        var sim = try CanarySim()
        sim.act(.advance(cohort: nil), by: "alice")
        let last = try #require(sim.log.last)
        #expect(last.kind == .actionRefused && last.data.reason?.contains("enter shadow first") == true)
    }

    @Test func theRequesterAloneNeverSuffices() throws {
        var sim = try CanarySim()
        sim.reach("shadow")
        sim.now += 61 * 60
        sim.act(.approve(note: ""), by: "alice")
        let r = sim.act(.advance(cohort: nil), by: "alice")
        #expect(r.refusal?.contains("needs approvals from 2 distinct operators") == true)
        #expect(r.refusal?.contains("alice (requesting)") == true)
        // An eval engineer's approval does not count: the role is not an approving one.
        #expect(sim.act(.approve(note: ""), by: "dan").refusal?.contains("may not approve") == true)
        sim.act(.approve(note: ""), by: "carol")
        #expect(sim.act(.advance(cohort: nil), by: "alice") == .done([.canaryTransitionStarted, .canaryTransitionDone]))
    }

    @Test func anApprovalGoesStaleWhenTheStateChanges() throws {
        var sim = try CanarySim()
        sim.reach("shadow")
        sim.now += 61 * 60
        sim.act(.approve(note: ""), by: "bob")
        // A note is commentary: the approval stands.
        sim.fold([EventDraft(.itemEvidence, EventData(item: "operations.runbook", evidence: Evidence(kind: "note", text: "edited")))], by: "carol")
        #expect(CanaryOverview(sim.readiness).approvalsFresh == ["bob"])
        // A result is an input of the verdict: the approval is stale.
        sim.fold([EventDraft(.itemSet, EventData(item: "operations.runbook", status: .passed, note: "re-checked"))], by: "carol")
        let r = sim.act(.advance(cohort: nil), by: "alice")
        #expect(r.refusal?.contains("stale (the state changed since): bob") == true)
        sim.act(.approve(note: ""), by: "bob")
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal == nil)
    }

    @Test func leavingShadowWaitsForTheMinimumPeriod() throws {
        var sim = try CanarySim()
        sim.reach("shadow")
        sim.now += 59 * 60
        sim.act(.approve(note: ""), by: "bob")
        let r = sim.act(.advance(cohort: nil), by: "alice")
        #expect(r.refusal?.contains("shadow has run 59 min of the minimum 60 min") == true)
        sim.now += 60
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal == nil)
    }

    @Test func aNotReadyGateRefusesTheAdvanceAndAutoHoldHolds() throws {
        var sim = try CanarySim(autoHold: true)
        sim.reach("1%")
        sim.setReady(false)
        #expect(sim.canary.stage == .held && sim.canary.holdAuto)
        #expect(sim.canary.holdReason?.contains("NOT READY: trace_coverage") == true)
        #expect(sim.act(.resume(reason: "p99 back to normal"), by: "alice").refusal?.contains("gate is NOT READY") == true)
        sim.setReady(true)
        #expect(sim.act(.resume(reason: "p99 back to normal"), by: "alice").refusal == nil)
        #expect(sim.canary.stage == .canary)
    }

    @Test func cohortsTakeSmallestTenantsFirstAndNeverAnExcludedOne() throws {
        var sim = try CanarySim()
        sim.reach("1%")
        #expect(sim.canary.cohort == ["t-small", "t-mid"] && sim.canary.exposurePct == 0.9)
        sim.act(.approve(note: ""), by: "bob")
        let r = sim.act(.advance(cohort: ["t-reg", "t-wide"]), by: "alice")
        #expect(r.refusal?.contains("tenant t-reg is excluded from every canary (regulated)") == true)
        let over = sim.act(.advance(cohort: ["t-big", "t-wide", "t-small", "t-mid", "t-huge"]), by: "alice")
        #expect(over.refusal?.contains("more than the step's 5%") == true)
        #expect(sim.act(.advance(cohort: ["t-big", "t-wide"]), by: "alice").refusal == nil)
        #expect(sim.canary.cohort == ["t-big", "t-wide"] && sim.canary.exposurePct == 3.7)
    }

    @Test func aTransitionLeftInFlightCanBeReconciledOnlyOnceItsHookMustHaveEnded() throws {
        var sim = try CanarySim(hook: true)
        // The process that started shadow died before its hook answered: only the start is journaled.
        guard case let .accept(drafts) = CanaryEngine.decide(.enterShadow, actor: "alice", readiness: sim.readiness) else {
            Issue.record("shadow refused")
            return
        }
        sim.fold(drafts, by: "alice")
        #expect(sim.canary.pending != nil && !sim.canary.pendingUnknown)
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal?.contains("is in flight since") == true)
        #expect(sim.act(.approve(note: ""), by: "bob").refusal?.contains("wait for it to finish") == true)
        #expect(sim.act(.reconcile(applied: false, note: ""), by: "alice").refusal?.contains("can be reconciled once it is 40 s old") == true)
        sim.now += 41
        #expect(sim.act(.reconcile(applied: false, note: "router never changed"), by: "alice").refusal == nil)
        #expect(sim.canary.stage == .planned && sim.canary.pending == nil)
    }

    @Test func theDecisionDeadlineRaisesAnAlert() throws {
        var sim = try CanarySim()
        sim.reach("1%")
        #expect(!CanaryWatch.alerts(sim.readiness).contains { $0.kind == .deadline })
        sim.now += 31 * 60
        let alert = try #require(CanaryWatch.alerts(sim.readiness).first { $0.kind == .deadline })
        #expect(alert.text.contains("decision overdue by 1 min"))
    }
}
