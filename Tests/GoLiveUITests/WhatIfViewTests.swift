import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// The cockpit's what-if: asked from the keyboard, answered in the gate's place, nothing written.
@Suite struct WhatIfViewTests {
    @Test func iAsksAndTheAnswerShowsUntilEscThenTheGateIsTheGateAgain() throws {
        var s = try UIFixtures.state()
        s = UIFixtures.press(s, .char("i")).0
        #expect(s.commandLine?.text == "whatif at ")
        s = UIFixtures.type(s, "2099-01-01")
        let (asked, effects) = UIFixtures.press(s, .enter)
        #expect(effects.isEmpty, "a what-if asks for no write and no reload")
        let screen = Render.frame(asked).text
        #expect(screen.contains("What-if · the gate under a question · nothing written"), "\(screen)")
        #expect(screen.contains("what-if: at 2099-01-01 23:59 UTC"))
        #expect(screen.contains("⌛ operations.runbook: waived until"), "\(screen)")
        #expect(screen.contains("nothing was written · esc returns to the gate"))
        let back = UIFixtures.press(asked, .escape).0
        #expect(back.mode == .gate && back.whatIf == nil)
        #expect(Render.frame(back).text.contains("Readiness gate · policy"))
    }

    @Test func aWaiverOfTheSelectedItemAndABadQuestionAreAnswered() throws {
        var s = try UIFixtures.state()
        s.commandLine = TextField("whatif waive eval_slo.offline_evals")
        s = UIFixtures.press(s, .enter).0
        let screen = Render.frame(s).text
        #expect(screen.contains("✓ offline_eval_pass"), "\(screen)")
        #expect(screen.contains("would be refused"), "the policy forbids waiving a blocker: \(screen)")
        var bad = try UIFixtures.state()
        bad.commandLine = TextField("whatif at yesterday-ish")
        bad = UIFixtures.press(bad, .enter).0
        #expect(bad.whatIf == nil && bad.message?.kind == .error)
        #expect(bad.message?.text.contains("cannot read the time 'yesterday-ish'") == true, "\(String(describing: bad.message))")
    }
}
