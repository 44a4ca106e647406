import Foundation
import Testing
@testable import GoLiveCore

/// A write folds its records onto the state it decided on, in place. A `decide` that keeps that
/// state (issue 28: `let before = state` kept past the closure) made the fold copy every changed
/// item's state, silently, at every write; now the write knows whether it held its state alone
/// (`Store.lastWriteInPlace`), and these tests hold the commands to it.
@Suite struct CopyOnWriteContractTests {
    static func refusalDraft() -> EventDraft { EventDraft(.actionRefused, EventData(reason: "checking the contract", command: "test")) }

    @Test func aCommandsWriteFoldsInPlaceAndOnALiveCanaryToo() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        _ = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "first", url: nil), as: Fixtures.actor("alice"))
        #expect(store.lastWriteInPlace.withLock { $0 } == true)
        // On a live canary the alerts keep the items from before the write: as a copy of their own.
        _ = try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.canary.stage.isLive)
        _ = try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(store.lastWriteInPlace.withLock { $0 } == true)
    }

    @Test func aDecideThatKeepsTheStateIsSeen() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: Policy.sectionNineYAML)
        var kept: RolloutState?
        try store.append(actor: Fixtures.actor("alice"), now: Date()) { state in
            kept = state
            return [Self.refusalDraft()]
        }
        #expect(kept != nil && store.lastWriteInPlace.withLock { $0 } == false)
        kept = nil
        try store.append(actor: Fixtures.actor("alice"), now: Date()) { _ in [Self.refusalDraft()] }
        #expect(store.lastWriteInPlace.withLock { $0 } == true)
    }

    @Test func itemsKeptOnPurposeAreACopyOfTheirOwn() {
        var items: ItemStates = ["a.one": ItemState()]
        let other = items
        withExtendedLifetime(other) {
            let shared = items.isUniquelyHeld
            #expect(!shared, "a plain copy shares the items' storage")
            var own = items.ownCopy()
            let alone = own.isUniquelyHeld
            #expect(alone, "a copy of its own shares nothing")
            own["a.one", default: ItemState()].note = "changed"
            #expect(items["a.one"]?.note == nil)
        }
        // A copy that has been changed holds storage of its own: the original is alone again.
        var original: ItemStates = ["a.one": ItemState()]
        var changedCopy = original
        changedCopy["a.one", default: ItemState()].note = "changed"
        withExtendedLifetime(changedCopy) {
            let alone = original.isUniquelyHeld
            #expect(alone, "a changed copy no longer shares the original's storage")
        }
    }
}
