import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// Finding 6: the cockpit speaks in keys and fields, not in the CLI's flags.
@Suite struct CockpitWordingTests {
    /// Each phrase the cockpit rewords is still what the core says; a reworded core would
    /// otherwise bring the flags back to the screen unnoticed.
    @Test func everyRewordedPhraseIsStillInTheCore() throws {
        let core = UIFixtures.repoRoot.appendingPathComponent("Sources/GoLiveCore")
        var text = ""
        for case let url as URL in FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            text += try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\\\"", with: "\"")
        }
        for (cli, _) in CockpitWording.phrases {
            #expect(text.contains(cli), "the core no longer says \(cli)")
        }
    }

    @Test func aRefusalFromTheCoreReachesTheScreenWithoutFlags() throws {
        let store = try UIFixtures.store()
        let cockpit = Cockpit(store: store, clock: .fixed(UIFixtures.now))
        let alice = Actor(operatorID: "alice", osUser: "t", session: "s")
        let refusal = CockpitApp.describe {
            try cockpit.perform(.waive(id: "operations.oncall_owner", reason: " ", expires: UIFixtures.now.addingTimeInterval(3600)), as: alice)
        }
        let said = try #require(refusal)
        #expect(said.text.contains("--reason"), "the CLI is told its flag")
        let s = Reducer.reduce(try UIFixtures.state(), .performed(success: "", failure: said)).0
        let shown = try #require(s.message?.text)
        #expect(!shown.contains("--"), "shown: \(shown)")
        #expect(shown.contains("reason field"))
        let reconcile = Reducer.reduce(s, .performed(success: "", error: "refused: the outcome of 1% is unknown (its hook did not finish); reconcile it first: golive canary reconcile --applied or --not-applied")).0
        #expect(reconcile.message?.text.contains("U in the canary panel") == true)
        #expect(reconcile.message?.text.contains("--") == false)
    }
}
