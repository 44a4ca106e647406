import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// Finding 7: a form opens only for what the core would take, so nobody types a note to lose it;
/// the blockers' owner filter stays in the blockers view.
@Suite struct FormPreflightTests {
    @Test func anOperatorWhoMayNotSetTheItemHearsWhyBeforeTyping() throws {
        // erin holds only the capability_owner role; the runtime items belong to other roles.
        let s = try UIFixtures.state(as: "erin")
        let row = try #require(s.selectedRow)
        #expect(row.owner != "capability_owner")
        let (after, effects) = UIFixtures.press(s, .char(" "))
        #expect(after.dialog == nil, "no form to type into")
        guard case let .explain(.setItem(id, status, _, _))? = effects.first else {
            Issue.record("expected the core to be asked why, got \(effects)")
            return
        }
        #expect(id == row.id && status == .passed)
        // The owner may: the form opens.
        #expect(UIFixtures.press(try UIFixtures.state(as: "alice"), .char(" ")).0.dialog != nil)
    }

    @Test func aBlockerThePolicyForbidsWaivingOpensNoFormThatPromisesTheGate() throws {
        var s = try UIFixtures.state(as: "alice")
        #expect(s.dashboard.config.policy.waivers.allowBlockers == false)
        let rows = s.visibleRows
        s.selectedIndex = try #require(rows.firstIndex { $0.severity == .blocker })
        let (after, effects) = UIFixtures.press(s, .char("w"))
        #expect(after.dialog == nil)
        guard case .explain(.waive)? = effects.first else {
            Issue.record("expected the core to be asked why, got \(effects)")
            return
        }
        // A required item may be waived by a captain: its form opens.
        s.selectedIndex = try #require(rows.firstIndex { $0.severity != .blocker })
        #expect(UIFixtures.press(s, .char("w")).0.dialog != nil)
        // Where the policy allows it, the blocker's form says what the waiver does to the gate.
        var allowing = s.dashboard.config
        allowing.policy.waivers.allowBlockers = true
        s.dashboard = Dashboard(readiness: Readiness(config: allowing, state: s.dashboard.readiness.state, now: s.now), operatorID: "alice")
        s.selectedIndex = try #require(s.visibleRows.firstIndex { $0.severity == .blocker })
        let form = UIFixtures.press(s, .char("w")).0
        #expect(form.dialog != nil && Render.frame(form).text.contains("BLOCKER: the gate will count it as satisfied"))
    }

    @Test func theOwnerFilterDoesNotFollowIntoTheChecklist() throws {
        var s = UIFixtures.press(try UIFixtures.state(), .char("b"), .char("o")).0
        let owner = try #require(s.ownerFilter)
        // The gate view and back: the checklist again, with the filter still set for the blockers.
        s = UIFixtures.press(s, .char("v"), .char("v")).0
        #expect(s.mode == .checklist)
        let all = s.dashboard.rows[s.contour] ?? []
        #expect(s.visibleRows.count == all.count, "the checklist of \(s.contour.title) is narrowed to owner \(owner)")
        #expect(!Render.frame(s).text.contains("no item matches"))
    }
}
