import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 14, finding 3: the cockpit read the journal from the start on every cursor move. A
/// record is now found by bisection; it must find exactly the records a full read finds.
@Suite struct JournalIndexTests {
    @Test func everyRecordIsFoundByItsSeqAndNoOtherIs() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        var rng = SeededGenerator(seed: SeededGenerator.seedFromEnvironment())
        // Lines from a few hundred bytes to ten thousand characters, so bisection lands inside long
        // lines, short ones, and the configuration record at the start.
        for i in 0..<300 {
            let note = String(repeating: "x", count: Int.random(in: 1...9_000, using: &rng))
            try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "\(i) \(note)", url: nil), as: Fixtures.actor("alice"))
        }
        var all: [Event] = []
        try store.forEachEvent { all.append($0); return true }
        #expect(all.count > 300)
        let found = try store.events(seqs: Set(all.map(\.seq)))
        #expect(found.map(\.seq) == all.map(\.seq))
        #expect(found.map(\.hash) == all.map(\.hash))
        let some = Set((0..<40).map { _ in Int.random(in: 1...all.count, using: &rng) })
        #expect(try store.events(seqs: some).map(\.seq) == some.sorted())
        #expect(try store.events(seqs: [0, all.count + 1, all.count + 500]).isEmpty)
    }

    @Test func aRecordEditedInPlaceIsNotShown() throws {
        let store = try Fixtures.sampleStore()
        var text = try String(contentsOf: store.journalURL, encoding: .utf8)
        let target = try #require(text.range(of: "golden-paths"))
        text.replaceSubrange(target, with: "golden-PATHS")
        try Data(text.utf8).write(to: store.journalURL)
        var seqs: [Int] = []
        try store.forEachEvent { seqs.append($0.seq); return true }
        let shown = try store.events(seqs: Set(seqs))
        #expect(shown.count == seqs.count - 1, "the edited record is left out, the others are shown")
        #expect(!shown.contains { $0.data.note?.contains("golden-PATHS") == true || $0.data.evidence?.text.contains("golden-PATHS") == true })
    }

    /// A position remembered (or hinted by state.json) is used only where a line starts: the same
    /// `{"v":1,"seq":N,` can stand inside a record as a nested object.
    @Test func aRememberedPositionInsideALineIsNotBelieved() throws {
        let folder = TestFolder.make("journal-index-hint")
        let first = #"{"v":1,"seq":1,"kind":"x","inner":{"v":1,"seq":2,"k":0}}"#
        let second = #"{"v":1,"seq":2,"kind":"y"}"#
        try Data((first + "\n" + second + "\n").utf8).write(to: folder.appendingPathComponent("journal.jsonl"))
        let store = Store(directory: folder)
        let inside = try #require(first.range(of: #"{"v":1,"seq":2"#)).lowerBound.utf16Offset(in: first)
        store.knownOffsets.withLock { $0[2] = inside }
        let found = try store.lines(seqs: [2])
        #expect(found.map { String(decoding: $0.line, as: UTF8.self) } == [second])
    }
}
