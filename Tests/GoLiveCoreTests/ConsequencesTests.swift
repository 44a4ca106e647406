import Foundation
import Testing
@testable import GoLiveCore

/// Finding 7: an approval or a sign-off that a change makes stale is said to the person who made
/// the change, in the outcome both front ends show, not discovered at the next advance.
@Suite struct ConsequencesTests {
    /// Issue 26, finding 5: carol's note on an unrelated, passed item made bob's approval stale.
    /// An approval binds to the verdict's inputs: a note leaves it standing, a failure does not.
    @Test func aNoteLeavesAnApprovalStandingAndAFailureStalesItSayingWhose() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        let note = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "rerun looked the same", url: nil), as: Fixtures.actor("alice"))
        #expect(note.consequences.isEmpty, "\(note.consequences)")
        #expect(CanaryOverview(note.readiness).approvalsStale.isEmpty)
        #expect(CanaryOverview(note.readiness).approvalsFresh == ["bob"])
        let failure = try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(failure.consequences.contains { $0.contains("bob's approval of shadow → 1% no longer counts") }, "\(failure.consequences)")
        // The outcome carries the new readiness: no front end reads the store again to show it.
        #expect(failure.readiness.state.seq == failure.state.seq)
        #expect(CanaryOverview(failure.readiness).approvalsStale == ["bob"])
        // A change that stales nothing says nothing.
        let again = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "and once more", url: nil), as: Fixtures.actor("alice"))
        #expect(again.consequences.isEmpty)
    }

    /// An approval confirmed on a screen binds to the state that screen showed.
    @Test func anApprovalShownOnOneStateIsRefusedOnAnother() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let shown = try cockpit.gate().0.stateSha256
        try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "broke", evidenceURL: nil), as: Fixtures.actor("alice"))
        var seen = SeenState(stage: "shadow")
        seen.verdictState = shown
        do {
            try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"), expecting: seen)
            Issue.record("an approval of a state no longer there was signed")
        } catch let r as Refusal {
            #expect(r.reason.contains("changed since you looked") && r.reason.contains("the state an approval binds to"), "\(r.reason)")
            #expect(r.code == .changedSinceYouLooked)
        }
        #expect(try store.loadState().state.canary.approvals.isEmpty)
    }

    /// A note is an input of the verdict only where it makes a sign-off the gate requires stale.
    @Test func aNoteMovesTheVerdictsInputsOnlyThroughARequiredSignOff() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        let start = try cockpit.gate().0.stateSha256
        let r = try cockpit.readiness()
        #expect(r.config.policy.approvals.requireSignoff == [.safety] && r.signoffStanding(.safety) == .fresh)
        try cockpit.perform(.addEvidence(id: "operations.alerting", text: "pager test at 14:02", url: nil), as: Fixtures.actor("carol"))
        #expect(try cockpit.gate().0.stateSha256 == start, "a note on an unrelated item moved what approvals bind to")
        try cockpit.perform(.addEvidence(id: "safety.no_gateway_bypass", text: "rescan", url: nil), as: Fixtures.actor("bob"))
        #expect(try cockpit.gate().0.stateSha256 != start, "the required safety sign-off went stale: an input changed")
    }

    /// An approval of the next increase is judged on the digests it binds to, not on the items:
    /// a write no longer keeps the items it was decided on for Consequences (issue 30).
    @Test func anApprovalMadeStaleIsJudgedWithoutTheItemsBeforeTheWrite() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        // Without its sign-offs, so that only the approval can make Consequences read the items.
        func unsigned(_ r: Readiness) -> Readiness {
            var s = r.state
            s.signoffs = []
            return Readiness(config: r.config, state: s, now: r.now)
        }
        let before = unsigned(try cockpit.readiness())
        let after = unsigned(try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "rerun failed", evidenceURL: nil), as: Fixtures.actor("alice")).readiness)
        let said = Consequences.of(before: before, after: after)
        #expect(said.contains { $0.contains("bob's approval of shadow → 1% no longer counts") }, "\(said)")
        var bare = before.state
        bare.items = [:]
        #expect(Consequences.of(before: Readiness(config: before.config, state: bare, now: before.now), after: after) == said)
    }

    @Test func aChangeThatStalesASignOffSaysWhose() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store, clock: .fixed(DecisionGuardTests.now))
        let r = try cockpit.readiness()
        let signed = try #require(Contour.allCases.first { r.signoffStanding($0) == .fresh })
        let item = try #require(r.config.items(in: signed).first { $0.derivedFromCapabilityField == nil })
        let signer = try #require(r.signoffs(for: signed).first?.0)
        let outcome = try cockpit.perform(.setItem(id: item.id, status: .failed, note: "broke in staging", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(outcome.consequences.contains { $0.contains("the sign-off of \(signed.title) by \(signer.by)") && $0.contains("is now stale") },
                "\(outcome.consequences)")
    }
}

/// Issue 30: a write judged the sign-offs it made stale by decoding every item of each signed
/// contour (half of a write at 8,000 items). It reads each contour's newest change instead
/// (`itemRevisions`, updated per changed item) and decodes only what it touches.
@Suite struct AWriteTouchesWhatItChangesTests {
    @Test func aWriteWithSignOffsDecodesOnlyTheItemItChanges() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store, clock: .fixed(DecisionGuardTests.now))
        // Enough records for a state.json whose items stay as bytes until asked for.
        for i in 0..<(Store.snapshotEveryRecords + 2) {
            try cockpit.perform(.addEvidence(id: "operations.alerting", text: "drill \(i)", url: nil), as: Fixtures.actor("alice"))
        }
        let fresh = Cockpit(store: Store(directory: store.directory), clock: .fixed(DecisionGuardTests.now))
        let r = try fresh.readiness()
        let signed = Contour.allCases.filter { r.signoffStanding($0) == .fresh }
        #expect(signed.count >= 2, "the sample has fresh sign-offs on several contours")
        let item = try #require(r.config.items(in: signed[0]).first { $0.derivedFromCapabilityField == nil })

        let writer = Cockpit(store: Store(directory: store.directory), clock: .fixed(DecisionGuardTests.now))
        let outcome = try writer.perform(.setItem(id: item.id, status: .failed, note: "broke in staging", evidenceURL: nil), as: Fixtures.actor("alice"))
        let after = outcome.readiness.state
        #expect(after.items.keptBytes != nil, "the write read a state.json with kept items")
        // The item it changes, and the one the records after state.json touched (folded onto it).
        #expect(after.items.decodedCount <= 2, "a write decoded \(after.items.decodedCount) items: more than it touches")
        // And read only the pieces of state.json those items lie in.
        let pieces = try #require(after.items.piecesRead, "the items were read from state.json's pieces")
        #expect(pieces <= 2, "a write read \(pieces) of state.json's \(SnapshotPieceFile.count) pieces")
        // And what it judged is right: the changed contour's sign-off is stale, the others hold.
        #expect(outcome.consequences.contains { $0.contains("the sign-off of \(signed[0].title)") && $0.contains("is now stale") }, "\(outcome.consequences)")
        for other in signed.dropFirst() { #expect(outcome.readiness.signoffStanding(other) == .fresh, "\(other) went stale for a change elsewhere") }
    }
}

/// A sign-off covers the questions as they were asked: rewording one of its contour's items (an
/// adopted edit of rollout.yaml) makes it stale, and leaves another contour's sign-off fresh.
@Suite struct AConfigEditStalesTheSignOffTests {
    @Test func rewordingAnItemStalesItsContoursSignOffOnly() throws {
        let store = try Fixtures.sampleStore()
        let r = try Cockpit(store: store).readiness()
        #expect(r.signoffStanding(.safety) == .fresh && r.signoffStanding(.runtime) == .fresh)
        let rollout = store.rolloutURL
        let text = try String(contentsOf: rollout, encoding: .utf8)
        try (text + "\n  safety.no_gateway_bypass:\n    title: Can nothing reach a tool without the gateway, not even a batch job?\n")
            .write(to: rollout, atomically: true, encoding: .utf8)
        let edited = try String(contentsOf: rollout, encoding: .utf8)
        #expect(edited.contains("items:"), "the sample's items: section is last, so the override lands in it")
        try Fixtures.adopt(store)
        let after = try Cockpit(store: store).readiness()
        #expect(after.config.item("safety.no_gateway_bypass")?.title.contains("batch job") == true)
        #expect(after.signoffStanding(.safety) == .stale)
        #expect(after.signoffStanding(.runtime) == .fresh)
    }
}

/// Issue 30: a write judges sign-offs from each contour's newest revision.
@Suite struct ContourNewestRevisionTests {
    /// Each contour's newest revision, found from the newest revisions down (issue 30: a write in
    /// the store agent looked up every item of each signed contour, twice), is the newest of its
    /// items' revisions: with few revisions and many, items outside the catalog, contours none of
    /// whose items is among the newest, and ties.
    @Test func eachContoursNewestRevisionIsTheNewestOfItsItems() throws {
        // (Held three ways below: each must give the same.)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let count = [3, 40, 64, 65, 200, 2_000][round % 6]
            let weights = Contour.allCases.map { _ in Int.random(in: 0...5, using: &generator) }
            let catalog = ItemCatalog((0..<count).map { i in
                var pick = Int.random(in: 0..<max(1, weights.reduce(0, +)), using: &generator)
                var contour = Contour.allCases[0]
                for (c, w) in zip(Contour.allCases, weights) { if pick < w { contour = c; break }; pick -= w }
                return ItemDefinition(id: "item.\(i)", contour: contour, title: "t", why: "w", severity: .blocker, owner: "o")
            })
            var revisions: [String: Int] = [:]
            for i in 0..<count where Bool.random(using: &generator) { revisions["item.\(i)"] = Int.random(in: 1...(round % 2 == 0 ? 50 : 100_000), using: &generator) }
            for i in 0..<5 { revisions["gone.\(i)"] = Int.random(in: 1...200_000, using: &generator) }
            // Held as a dictionary, as state.json's bytes, and as those bytes with changes since
            // (some to kept ids, some new; a change is always newer than the kept revision).
            var whole: [UInt8] = []
            SnapshotEncoder.appendRevisions(revisions, to: &whole)
            // A third kept as they are, a third kept older and changed since, a third new since.
            let groups = Dictionary(uniqueKeysWithValues: revisions.keys.sorted().enumerated().map { ($0.element, $0.offset % 3) })
            var older: [UInt8] = []
            SnapshotEncoder.appendRevisions(Dictionary(uniqueKeysWithValues: groups.filter { $0.value != 0 }.map { ($0.key, revisions[$0.key]! - ($0.value == 2 ? 1 : 0)) }), to: &older)
            var changed = try ItemRevisions(keeping: older[...])
            for (id, group) in groups where group != 1 { changed[id] = revisions[id]! }
            #expect(changed.all == revisions)
            // The newest few changed since, past what a kept object finds once (`newestKept`).
            var newestChanged = try ItemRevisions(keeping: whole[...])
            for (id, seq) in revisions.sorted(by: { $0.value > $1.value }).prefix(300) { newestChanged[id] = seq }
            for held in [ItemRevisions(revisions), try ItemRevisions(keeping: whole[...]), changed, newestChanged] {
                // Asked twice, as a write asks (before and after it): the second from what the first found.
                for _ in 0..<2 {
                    let found = held.newestByContour(catalog)
                    for contour in Contour.allCases {
                        let expected = catalog.ids(in: contour).compactMap { revisions[$0] }.max() ?? 0
                        #expect((found[contour] ?? 0) == expected, "round \(round), \(contour): \(found[contour] ?? 0) ≠ \(expected)")
                    }
                }
            }
        }
    }

    /// A contour with few items none of which is among the newest (capabilities, in a long rollout)
    /// has each of its items looked up by halving the kept entries, which golive writes in the
    /// order of the ids' bytes; entries in any other order are read whole, never halved.
    @Test func aContourOfFewItemsIsLookedUpByHalvingOnlyInEntriesThatRise() throws {
        var revisions: [String: Int] = [:]
        for i in 0..<3_000 { revisions["runtime.item\(i)"] = 1_000 + i }
        revisions["capabilities.a"] = 17
        revisions["capabilities.b"] = 503
        let catalog = ItemCatalog((0..<3_000).map { ItemDefinition(id: "runtime.item\($0)", contour: .runtime, title: "t", why: "w", severity: .blocker, owner: "o") }
            + ["capabilities.a", "capabilities.b", "capabilities.c"].map { ItemDefinition(id: $0, contour: .capabilities, title: "t", why: "w", severity: .blocker, owner: "o") })
        var bytes: [UInt8] = []
        SnapshotEncoder.appendRevisions(revisions, to: &bytes)
        let kept = try KeptItemRevisions(bytes[...])
        for (id, seq) in revisions { #expect(kept.revision(of: id) == seq, "\(id)") }
        for absent in ["capabilities.c", "", "a", "zzz", "runtime.item", "runtime.item30000", "runtime.item2999 "] {
            #expect(kept.revision(of: absent) == nil, "\(absent)")
        }
        #expect(kept.newestByContour(catalog)[.capabilities] == 503)
        #expect(kept.newestByContour(catalog)[.runtime] == 3_999)
        // The same entries newest id first: a search by halving would miss them.
        let descending = "{" + revisions.keys.sorted(by: >).map { "\"\($0)\":\(revisions[$0]!)" }.joined(separator: ",") + "}"
        let unordered = try KeptItemRevisions(ArraySlice(Array(descending.utf8)))
        #expect(unordered.revision(of: "capabilities.b") == nil)
        #expect(unordered.newestByContour(catalog)[.capabilities] == 503)
        #expect(unordered.newestByContour(catalog)[.runtime] == 3_999)
    }

    /// A write asks each contour's newest revision before and after it, and the store agent at each
    /// write: the kept revisions are searched once per catalog, not each time (39% of a write in the
    /// agent at 8,000 items scanned all of them).
    @Test func theKeptRevisionsAreSearchedOncePerCatalog() throws {
        let catalog = ItemCatalog((0..<2_000).map { i in
            ItemDefinition(id: "item.\(i)", contour: Contour.allCases[i % Contour.allCases.count], title: "t", why: "w", severity: .blocker, owner: "o")
        })
        var bytes: [UInt8] = []
        SnapshotEncoder.appendRevisions(Dictionary(uniqueKeysWithValues: (0..<2_000).map { ("item.\($0)", $0 + 1) }), to: &bytes)
        var held = try ItemRevisions(keeping: bytes[...])
        for write in 0..<5 {
            held["item.\(write)"] = 10_000 + write
            _ = held.newestByContour(catalog)
            _ = held.newestByContour(catalog)
        }
        #expect(held.keptContourSearches == 1)
        // Another catalog (another configuration adopted) is searched afresh.
        let other = ItemCatalog(catalog.all.map { var d = $0; d.contour = .runtime; return d })
        #expect(held.newestByContour(other)[.runtime] == 10_004)
        #expect(held.keptContourSearches == 2)
        // The newest few the search starts from.
        #expect(try KeptItemRevisions(bytes[...]).newest(64).map(\.seq) == Array((1_937...2_000).reversed()))
    }
}
