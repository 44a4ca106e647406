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
        #expect(reconcile?.reason.contains("there is no transition to reconcile") == true, "\(reconcile?.reason ?? "accepted")")
        let signOff = try cockpit.check(.signOff(contour: .safety, role: "eval", note: ""), as: Fixtures.actor("dan"))
        #expect(signOff?.reason.contains("role 'eval' may not sign off safety") == true, "\(signOff?.reason ?? "accepted")")
        #expect(try cockpit.check(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan")) == nil)
        #expect(try cockpit.check(.addEvidence(id: "nope", text: "x", url: nil), as: Fixtures.actor("dan"))?.reason.contains("unknown item") == true)
        #expect(Fixtures.bytes(store.journalURL) == before, "a question was journaled or performed")
    }

    /// Issue 26, point 6: a refusal the cockpit caught before a form opened was not journaled,
    /// though the README says refusals are. The key press was an attempt: it is journaled, and a
    /// command that would be accepted is neither performed nor written.
    @Test func aRefusalCaughtBeforeAFormOpensIsJournaled() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        let seq = try store.loadState().state.seq
        let why = try cockpit.explain(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(why?.reason.contains("the gate is NOT READY") == true, "\(why?.reason ?? "accepted")")
        var last: Event?
        try store.forEachEvent { e in if e.kind == .actionRefused { last = e }; return true }
        #expect(last?.seq ?? 0 > seq && last?.data.command == "canary shadow" && last?.actor == "alice", "\(String(describing: last))")
        let before = Fixtures.bytes(store.journalURL)
        #expect(try cockpit.explain(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan")) == nil)
        #expect(try cockpit.explain(.addEvidence(id: "nope", text: "x", url: nil), as: Fixtures.actor("dan"))?.reason.contains("unknown item") == true)
        #expect(Fixtures.bytes(store.journalURL) == before, "an acceptable command or an input error was journaled or performed")
    }
}
