import Foundation
import Testing
@testable import GoLiveCore

@Suite struct JournalTests {
    func lines(_ url: URL) -> [Data] {
        Fixtures.bytes(url).split(separator: 0x0a, omittingEmptySubsequences: false).dropLast().map { Data($0) }
    }

    func write(_ lines: [Data], to url: URL) throws {
        var out = Data()
        for l in lines { out += l; out.append(0x0a) }
        try out.write(to: url)
    }

    func verifyUnchanged(_ url: URL) throws -> VerifyReport {
        let before = Fixtures.bytes(url)
        let report = try JournalVerifier.verify(fileAt: url)
        #expect(Fixtures.bytes(url) == before, "verify must not modify the journal")
        return report
    }

    @Test func intactSampleJournalVerifies() throws {
        let store = try Fixtures.sampleStore()
        let r = try verifyUnchanged(store.journalURL)
        #expect(r.ok)
        #expect(r.lines == lines(store.journalURL).count)
        #expect(r.head == (try store.loadState().state.head))
    }

    @Test func oneEditedByteIsNamed() throws {
        let store = try Fixtures.sampleStore()
        var ls = lines(store.journalURL)
        let k = try #require(ls.indices.first { $0 >= 9 && ls[$0].range(of: Data("\"note\":\"".utf8)) != nil })
        var l = ls[k]
        let i = l.range(of: Data("\"note\":\"".utf8))!.upperBound
        l[i] = l[i] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        ls[k] = l
        try write(ls, to: store.journalURL)
        let r = try verifyUnchanged(store.journalURL)
        #expect(r.problem?.line == k + 1)
        #expect(r.problem?.message.contains("altered") == true)
        #expect(r.lines == k, "the records that verified, before the altered one (it counted the altered one too)")
    }

    @Test func deletedLineIsNamed() throws {
        let store = try Fixtures.sampleStore()
        var ls = lines(store.journalURL)
        ls.remove(at: 4)
        try write(ls, to: store.journalURL)
        let r = try verifyUnchanged(store.journalURL)
        #expect(r.problem?.line == 5)
        #expect(r.problem?.message.contains("missing") == true)
    }

    @Test func swappedLinesAreNamed() throws {
        let store = try Fixtures.sampleStore()
        var ls = lines(store.journalURL)
        ls.swapAt(6, 7)
        try write(ls, to: store.journalURL)
        let r = try verifyUnchanged(store.journalURL)
        #expect(r.problem?.line == 7)
    }

    @Test func truncationIsNamedAsATornLine() throws {
        let store = try Fixtures.sampleStore()
        let data = Fixtures.bytes(store.journalURL)
        try data.prefix(data.count - 40).write(to: store.journalURL)
        let r = try verifyUnchanged(store.journalURL)
        let count = lines(store.journalURL).count
        #expect(r.problem?.line == count + 1)
        #expect(r.problem?.message.contains("incomplete") == true)
    }

    @Test func tornTailIsReportedWritesRefusedAndRepairedOnlyOnRequest() throws {
        let store = try Fixtures.sampleStore()
        let intact = Fixtures.bytes(store.journalURL)
        let n = lines(store.journalURL).count
        let torn = intact + Data(#"{"v":1,"seq":99,"prev":"abc"#.utf8)
        try torn.write(to: store.journalURL)
        // Reading still works and reports it.
        let loaded = try store.loadState()
        #expect(loaded.tail.tornBytes > 0)
        #expect(loaded.tail.tornLine == n + 1)
        #expect(loaded.state.seq == n)
        // Writing is refused and the file is left as it was.
        #expect(throws: StoreError.self) {
            try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("alice"))
        }
        #expect(Fixtures.bytes(store.journalURL) == torn)
        // The explicit repair sets the bytes aside and records that it did.
        let repair = try #require(try store.repairTornTail(actor: Fixtures.actor("alice"), now: Date()))
        #expect(repair.line == n + 1)
        let side = Fixtures.bytes(store.directory.appendingPathComponent(repair.savedTo))
        #expect(side == Data(#"{"v":1,"seq":99,"prev":"abc"#.utf8))
        let r = try JournalVerifier.verify(fileAt: store.journalURL)
        #expect(r.ok && r.lines == n + 1)
        var last: Event?
        try store.forEachEvent { last = $0; return true }
        #expect(last?.kind == .journalRepaired)
    }

    @Test func snapshotMissingStaleOrCorruptIsRebuiltAndNeverOverrulesTheJournal() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "one", url: nil), as: Fixtures.actor("dan"))
        let truth = try store.loadState().state
        #expect(try Store(directory: store.directory).loadState().source == "snapshot")

        try FileManager.default.removeItem(at: store.snapshotURL)
        let rebuilt = try store.loadState()
        #expect(rebuilt.source == "rebuilt" && rebuilt.state == truth)
        #expect(!FileManager.default.fileExists(atPath: store.snapshotURL.path), "reading never writes")

        try Data("{not json".utf8).write(to: store.snapshotURL)
        #expect(try store.loadState().state == truth)

        // A stale snapshot: state.json from before the last append.
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "two", url: nil), as: Fixtures.actor("dan"))
        let old = Fixtures.bytes(store.snapshotURL)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "three", url: nil), as: Fixtures.actor("dan"))
        let newest = try store.loadState().state
        try old.write(to: store.snapshotURL)
        let caughtUp = try store.loadState()
        #expect(caughtUp.source == "snapshot+1")
        #expect(caughtUp.state == newest)
    }

    @Test func newerFormatsAreRefusedWithoutBeingTouched() throws {
        let store = try Fixtures.sampleStore()
        var ls = lines(store.journalURL)
        let last = String(decoding: ls.removeLast(), as: UTF8.self).replacingOccurrences(of: #"^\{"v":[0-9]+,"#, with: #"{"v":3,"#, options: .regularExpression)
        #expect(last.hasPrefix(#"{"v":3,"#))
        ls.append(Data(last.utf8))
        try write(ls, to: store.journalURL)
        let before = Fixtures.bytes(store.journalURL)
        // Refused where it stands (a hostile record may claim any version too, so the levers must
        // act past it), with the way forward; no ordinary write goes on past it.
        let state = try store.loadState().state
        #expect(state.refused.count == 1 && state.refused[0].reason.contains("newer golive") && state.refused[0].reason.contains("upgrade golive"), "\(state.refused)")
        do {
            try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan"))
            Issue.record("a write went on past a newer record")
        } catch let r as Refusal {
            #expect(r.reason.contains("UNTRUSTED") && r.reason.contains("newer golive"), "\(r.reason)")
        }
        #expect(!String(decoding: Fixtures.bytes(store.journalURL).dropFirst(before.count), as: UTF8.self).contains("item.evidence"))

        // A snapshot only saves time: a newer one is ignored by reads (and left as it is) and set
        // aside by the next write, never a lock on the store.
        let other = try Fixtures.sampleStore()
        try Data(#"{"format":9,"seq":1}"#.utf8).write(to: other.snapshotURL)
        #expect(try other.loadState().source == "rebuilt")
        #expect(Fixtures.bytes(other.snapshotURL) == Data(#"{"format":9,"seq":1}"#.utf8))
    }

    @Test func everyEventCarriesWhoWhenSessionAndOSUser() throws {
        let store = try Fixtures.sampleStore()
        let actor = Actor(operatorID: "carol", osUser: "root", session: "s-abc")
        try Cockpit(store: store).perform(.setItem(id: "operations.oncall_owner", status: .passed, note: "rota", evidenceURL: nil), as: actor)
        var last: Event?
        try store.forEachEvent { last = $0; return true }
        #expect(last?.actor == "carol" && last?.osUser == "root" && last?.session == "s-abc")
        #expect(last?.data.note == "rota")
        #expect(abs((last?.ts ?? .distantPast).timeIntervalSinceNow) < 60)
    }
}

@Suite struct InterruptedRepairTests {
    /// Integrity finding 3: a SIGKILL between the cut and the `journal.repaired` record left no
    /// record of the repair. The repair now notes what it does before cutting; the next write records it.
    @Test func aRepairKilledAfterItCutTheJournalIsRecordedByTheNextWrite() throws {
        let store = try Fixtures.sampleStore()
        let handle = try FileHandle(forWritingTo: store.journalURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"v":2,"seq":97,"prev":"ab"#.utf8))
        try handle.close()
        // The repair's first half, as if the process died right after cutting the journal.
        _ = try store.setAside(try store.tail(), now: Date())
        #expect(try store.tail().tornBytes == 0)
        let outcome = try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "next", url: nil), as: Fixtures.actor("dan"))
        let repaired = try #require(outcome.events.first { $0.kind == .journalRepaired })
        #expect(repaired.data.note?.contains("the repair was interrupted") == true)
        #expect(repaired.data.note?.contains("journal.torn-") == true)
        // Recorded once: the write after that records nothing more.
        let again = try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "later", url: nil), as: Fixtures.actor("dan"))
        #expect(!again.events.contains { $0.kind == .journalRepaired })
    }
}
