import Foundation
import Testing
@testable import GoLiveCore

/// A command reads the state ahead, before it takes the write lock (issue 14). What it read ahead
/// must never be what it writes on once someone else has written in between.
@Suite struct PrefetchTests {
    @Test func aStateReadAheadThatAnotherWriteOvertookIsReadAgainNotWrittenOn() throws {
        let ours = try Fixtures.sampleStore()
        let before = try ours.loadState().state.seq
        // This command reads ahead, then another process (another Store on the same folder)
        // writes before this command takes the lock.
        let fresh = Store(directory: ours.directory)
        fresh.prefetch()
        fresh.prefetching.withLock { $0 }?.wait()
        let theirs = Store(directory: ours.directory)
        try Cockpit(store: theirs).perform(.addEvidence(id: "runtime.happy_path", text: "theirs", url: nil), as: Fixtures.actor("alice"))
        let theirSeq = try theirs.loadState().state.seq
        #expect(theirSeq > before)
        let outcome = try Cockpit(store: fresh).perform(.addEvidence(id: "runtime.happy_path", text: "ours", url: nil), as: Fixtures.actor("alice"))
        // Ours continues their records: one chain, no seq written twice, both notes kept.
        #expect(outcome.events.first?.seq == theirSeq + 1, "\(outcome.events.map(\.seq))")
        let report = try JournalVerifier.verify(fileAt: ours.journalURL)
        #expect(report.problem == nil, "\(String(describing: report.problem))")
        let reader = Store(directory: ours.directory)
        let item = try reader.loadState().state.item("runtime.happy_path")
        let texts = try reader.events(seqs: Set(item.history)).compactMap { $0.data.evidence?.text }
        #expect(texts.suffix(2) == ["theirs", "ours"], "\(texts)")
        #expect(item.evidence.map(\.text) == ["ours"])
    }
}

/// The read ahead starts once: golive starts it before the command line is parsed, and the
/// command's own `openStore` asks again (issue 30). A second read would race the first for the
/// same cores and be the one waited for.
@Suite struct PrefetchOnceTests {
    @Test func aSecondPrefetchWhileTheFirstIsUnderWayStartsNoSecondRead() throws {
        let store = Store(directory: try Fixtures.sampleStore().directory)
        store.prefetch()
        let first = try #require(store.prefetching.withLock { $0 })
        store.prefetch()
        #expect(store.prefetching.withLock { $0 } === first, "the read under way is the one waited for")
        _ = try store.loadState()
        // Once waited for, the next prefetch (a later command in a long-lived process) reads again.
        store.prefetch()
        let next = try #require(store.prefetching.withLock { $0 })
        #expect(next !== first)
        next.wait()
    }
}
