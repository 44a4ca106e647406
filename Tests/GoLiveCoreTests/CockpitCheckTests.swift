import Foundation
import Testing
@testable import GoLiveCore

/// The core answers questions: `check` decides on fresh state and writes nothing, so a screen
/// never has to try a command to learn whether it would be refused.
@Suite struct CockpitCheckTests {
    @Test func checkAnswersWithoutWriting() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        let before = Fixtures.bytes(store.journalURL)
        let reconcile = try cockpit.check(.canary(.reconcile(applied: true, note: "")), as: Fixtures.actor("alice"))
        #expect(reconcile?.contains("there is no transition to reconcile") == true, "\(reconcile ?? "accepted")")
        let signOff = try cockpit.check(.signOff(contour: .safety, role: "eval", note: ""), as: Fixtures.actor("dan"))
        #expect(signOff?.contains("role 'eval' may not sign off safety") == true, "\(signOff ?? "accepted")")
        #expect(try cockpit.check(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan")) == nil)
        #expect(try cockpit.check(.addEvidence(id: "nope", text: "x", url: nil), as: Fixtures.actor("dan"))?.contains("unknown item") == true)
        #expect(Fixtures.bytes(store.journalURL) == before, "a question was journaled or performed")
    }
}
