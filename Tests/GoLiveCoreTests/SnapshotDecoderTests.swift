import Foundation
import Testing
@testable import GoLiveCore

/// state.json's reader must read every state as JSONDecoder does, and refuse what it refuses.
@Suite struct SnapshotDecoderTests {
    /// Item revisions are written in the order of their ids' bytes, whatever the ids hold: the
    /// same state always gives the same bytes, which the journal commits to.
    @Test func itemRevisionsAreWrittenInTheOrderOfTheirIdsBytes() throws {
        var revisions: [String: Int] = ["runtime.b": 3, "runtime.a": 12_345_678_901, "Runtime.z": 0, "safety.x_10": -7,
                                        "safety.x_9": 1, "é.acute": 5, "e\u{301}.decomposed": 6, "😀.emoji": 7, "z": 8, "a\"quote": 9]
        for k in 0..<200 { revisions["eval_slo.extra_\(k * 37 % 1000)"] = k }
        var out: [UInt8] = []
        SnapshotEncoder.appendRevisions(revisions, to: &out)
        let expected = revisions.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\(String(decoding: try! JSONEncoder().encode($0.key), as: UTF8.self)):\($0.value)" }.joined(separator: ",")
        #expect(String(decoding: out, as: UTF8.self) == "{" + expected + "}")
    }

    /// Revisions kept as state.json's bytes, with changes since (to kept ids and new ones, before,
    /// between and after them), are written as the whole would be, and read back the same.
    @Test func keptRevisionsWithChangesAreWrittenAsTheWholeWouldBe() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var kept: [String: Int] = [:]
            for _ in 0..<Int.random(in: 0...60, using: &generator) { kept["c\(Int.random(in: 10...99, using: &generator)).i_\(Int.random(in: 0...9, using: &generator))"] = Int.random(in: 0...5_000, using: &generator) }
            var bytes: [UInt8] = []
            SnapshotEncoder.appendRevisions(kept, to: &bytes)
            var revisions = try ItemRevisions(keeping: bytes[...])
            var truth = kept
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                let id = Bool.random(using: &generator) && !kept.isEmpty ? kept.keys.randomElement(using: &generator)! : "\(["a", "c5", "c50.i_", "z"].randomElement(using: &generator)!)\(Int.random(in: 0...99, using: &generator))"
                let seq = 5_001 + Int.random(in: 0...999, using: &generator)
                revisions[id] = seq
                truth[id] = seq
            }
            #expect(revisions.all == truth, "round \(round)")
            #expect(revisions[truth.keys.first ?? "none"] == truth[truth.keys.first ?? "none"])
            var written: [UInt8] = [], expected: [UInt8] = []
            revisions.appendJSON(to: &written)
            SnapshotEncoder.appendRevisions(truth, to: &expected)
            #expect(written == expected, "round \(round): \(String(decoding: written, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// Revisions not as golive writes them (a leading zero, an id that is not plain ASCII, spaces)
    /// are read as JSONDecoder reads them, or refused as it refuses them: never kept as bytes.
    @Test func revisionsNotAsGoLiveWritesThemAreReadAsJSONDecoderReadsThem() throws {
        for text in [#"{"a":01}"#, #"{"a":1,"b":007}"#] {
            #expect(throws: (any Error).self, "\(text)") { _ = try ItemRevisions(keeping: ArraySlice(text.utf8)) }
        }
        for (text, id, seq) in [(#"{"é":5}"#, "é", 5), (#"{ "a" : 3 }"#, "a", 3), (#"{"a\"b":4}"#, "a\"b", 4), (#"{"a":0}"#, "a", 0)] {
            let read = try ItemRevisions(keeping: ArraySlice(text.utf8))
            #expect(read[id] == seq, "\(text)")
            #expect(read.all == (try JSONDecoder().decode([String: Int].self, from: Data(text.utf8))), "\(text)")
        }
    }

    static func states() throws -> [RolloutState] {
        var out: [RolloutState] = []
        let store = try Fixtures.sampleStore()
        out.append(try store.loadState().state)
        for stage in ["shadow", "1%", "held", "unknown", "completed", "rolled_back"] {
            var sim = try CanarySim(hook: true)
            sim.reach(stage)
            sim.fold([EventDraft(.itemWaived, EventData(item: "operations.runbook", reason: "r \"quoted\"\n é", expires: sim.now.addingTimeInterval(86_400)))], by: "alice")
            out.append(sim.state)
        }
        return out
    }

    @Test func everyStateReadsTheSameAsWithJSONDecoder() throws {
        for state in try Self.states() {
            let bytes = try JSONCoding.encoder().encode(state)
            let fast = try SnapshotDecoder.decode(bytes)
            #expect(fast == (try JSONCoding.decoder().decode(RolloutState.self, from: bytes)))
            #expect(fast == state)
            // As a command reads it: the items located, each decoded when asked for.
            let located = try SnapshotDecoder.decode(keepingItems: ArraySlice(bytes))
            #expect(located == state)
            for id in state.items.ids { #expect(located.items[id] == state.items[id]) }
            #expect(try JSONCoding.encoder().encode(located) == bytes)
        }
    }

    /// The state a write starts from: the item it changes is taken out of the kept bytes once and
    /// changed in place; every other item is still read from the bytes, and the state encodes as
    /// if it had all been decoded.
    @Test func anItemChangedAfterReadingWinsOverItsKeptBytes() throws {
        var sim = try CanarySim(hook: true)
        sim.fold([EventDraft(.itemSet, EventData(item: "operations.runbook", status: .passed, note: "reviewed"))], by: "alice")
        sim.fold([EventDraft(.itemSet, EventData(item: "observability.trace_id", status: .failed, note: "gaps"))], by: "alice")
        let bytes = try JSONCoding.encoder().encode(sim.state)
        var located = try SnapshotDecoder.decode(keepingItems: ArraySlice(bytes))
        var eager = try SnapshotDecoder.decode(bytes)
        located.items["operations.runbook", default: ItemState()].evidenceCount += 5
        eager.items["operations.runbook", default: ItemState()].evidenceCount += 5
        #expect(located.item("operations.runbook").evidenceCount == sim.state.item("operations.runbook").evidenceCount + 5)
        #expect(located.item("operations.runbook").status == .passed, "the rest of its state came with it")
        #expect(located.item("observability.trace_id") == sim.state.item("observability.trace_id"))
        #expect(located == eager)
        #expect(try JSONCoding.encoder().encode(located) == (try JSONCoding.encoder().encode(eager)))
    }

    /// What a write saves: the items it did not change copied as the bytes they were read from,
    /// the rest encoded; read back (whole or located), it is the state, whatever its notes say.
    @Test func aSavedStateCopiesTheUnchangedItemsAndReadsBackAsTheState() throws {
        for var state in try Self.states() {
            state.signoffs.append(SignOff(contour: .observability, role: "sre", by: "alice", at: Date(timeIntervalSince1970: 1_800_000_000),
                                          itemsHash: "h", note: #"tricky "items":{} note"#, seq: 1))
            let written = try SnapshotEncoder.encode(state)
            #expect(try SnapshotDecoder.decode(Data(written)) == state)
            // Read as a command reads it, one item changed, and saved again.
            var located = try SnapshotDecoder.decode(keepingItems: ArraySlice(written))
            let changed = try #require(state.items.ids.sorted().first)
            located.items[changed, default: ItemState()].note = "changed after reading"
            located.items["brand.new_item", default: ItemState()].status = .passed
            let again = try SnapshotEncoder.encode(located)
            #expect(try SnapshotDecoder.decode(Data(again)) == located)
            #expect(try SnapshotDecoder.decode(Data(again)).item(changed).note == "changed after reading")
            // Every unchanged item's bytes are in the new file exactly as they were.
            let old = String(decoding: written, as: UTF8.self), new = String(decoding: again, as: UTF8.self)
            for id in state.items.ids where id != changed {
                let entry = "\"\(id)\":" + String(decoding: try JSONCoding.encoder().encode(try #require(state.items[id])), as: UTF8.self)
                #expect(old.contains(entry) && new.contains(entry), "\(id)")
            }
            #expect(try SnapshotEncoder.encode(located) == again, "the same state gives the same bytes")
            #expect(new.components(separatedBy: "\"\(changed)\":{").count == 2, "a changed item is written once, not beside its old bytes")
        }
    }

    /// Item revisions are written by hand (JSONText), not by JSONEncoder: every id, whatever its
    /// characters, reads back as JSONDecoder reads it, and the same revisions give the same bytes.
    @Test func revisionsWrittenByHandReadBackAsWritten() throws {
        var state = try Self.states()[0]
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", ".", "_", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "日", "🚀", " "]
        for n in 0..<200 {
            let id = String((0..<Int.random(in: 1...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            state.itemRevisions[id] = n
        }
        let written = try SnapshotEncoder.encode(state)
        #expect(try JSONCoding.decoder().decode(RolloutState.self, from: Data(written)).itemRevisions == state.itemRevisions)
        #expect(try SnapshotDecoder.decode(Data(written)).itemRevisions == state.itemRevisions)
        #expect(try SnapshotEncoder.encode(state) == written)
    }

    /// Bytes the journal vouched for that still do not decode (a golive bug, or a forged pair of
    /// journal and state.json): that item is shown failed and says why, never passed or absent.
    /// `status`, `gate` and the cockpit decode every item at once, half on another core (issue
    /// 30): each the state it is when read alone, the unreadable one failed saying why.
    @Test func everyItemReadAheadOnTwoCoresIsTheItemReadAlone() throws {
        var items: [String: ItemState] = [:]
        for i in 0..<2_000 {
            var s = ItemState()
            s.status = i % 3 == 0 ? .passed : .open
            s.note = i == 999 ? "BREAK-HERE" : "item \(i) \"quoted\" é"
            items["c.item\(i)"] = s
        }
        var state = RolloutState()
        state.items = ItemStates(items)
        var text = String(decoding: try JSONCoding.encoder().encode(state), as: UTF8.self)
        let mark = try #require(text.range(of: "BREAK-HERE"))
        let status = try #require(text.range(of: #""status":"passed""#, range: mark.upperBound..<text.endIndex))
        text.replaceSubrange(status, with: #""status":"sideways""#)
        let bytes = ArraySlice(Array(text.utf8))
        let ahead = try SnapshotDecoder.decode(keepingItems: bytes), alone = try SnapshotDecoder.decode(keepingItems: bytes)
        ahead.items.readAhead()
        #expect(ahead.items.decodedCount == 2_000)
        for id in items.keys where id != "c.item999" { #expect(ahead.items[id] == items[id]) }
        #expect(ahead.items["c.item999"] == alone.items["c.item999"])
        #expect(ahead.items["c.item999"]?.status == .failed)
        #expect(ahead.items["c.item999"]?.note?.contains("cannot be read") == true)
    }

    @Test func aKeptItemThatDoesNotDecodeIsShownFailedSayingWhy() throws {
        var sim = try CanarySim(hook: true)
        sim.fold([EventDraft(.itemSet, EventData(item: "operations.runbook", status: .passed, note: "reviewed"))], by: "alice")
        let text = String(decoding: try JSONCoding.encoder().encode(sim.state), as: UTF8.self)
        let item = try #require(text.range(of: "\"operations.runbook\":{"))
        let status = try #require(text.range(of: "\"status\":\"passed\"", range: item.upperBound..<text.endIndex))
        let broken = text.replacingCharacters(in: status, with: "\"status\":\"perhaps\"")
        let located = try SnapshotDecoder.decode(keepingItems: ArraySlice(Array(broken.utf8)))
        let s = located.item("operations.runbook")
        #expect(s.status == .failed)
        #expect(s.note?.contains("state.json's entry for this item cannot be read") == true)
        #expect(throws: (any Error).self) { try located.items.readAll() }
        #expect((try? SnapshotDecoder.decode(Data(broken.utf8))) == nil, "read whole, the same bytes are refused")
    }

    @Test func aStateMissingARequiredFieldIsRefusedByBoth() throws {
        let state = try #require(try Self.states().first)
        let text = String(decoding: try JSONCoding.encoder().encode(state), as: UTF8.self)
        for (key, replacement) in [(#""changes":"#, #""changez":"#), (#""readinessSeq":"#, #""readinessSeqX":"#)] {
            let broken = Data(text.replacingOccurrences(of: key, with: replacement).utf8)
            #expect((try? SnapshotDecoder.decode(broken)) == nil, "\(key)")
            #expect((try? JSONCoding.decoder().decode(RolloutState.self, from: broken)) == nil, "\(key)")
        }
    }

    @Test func mutatedStatesAreAcceptedAndRefusedAlike() throws {
        var rng = SystemRandomNumberGenerator()
        let encoded = try Self.states().map { [UInt8](try JSONCoding.encoder().encode($0)) }
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"#.utf8) + [0x0A, 0xC3]
        var disagreements: [String] = []
        for _ in 0..<3000 {
            var bytes = encoded.randomElement(using: &rng)!
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes[i] = alphabet.randomElement(using: &rng)!
            case 1: bytes.remove(at: i)
            default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
            }
            let data = Data(bytes)
            let fast = try? SnapshotDecoder.decode(data)
            let slow = try? JSONCoding.decoder().decode(RolloutState.self, from: data)
            // Located, then every item read: accepted and refused alike too.
            let located = try? { () throws -> RolloutState in
                let s = try SnapshotDecoder.decode(keepingItems: ArraySlice(bytes))
                try s.items.readAll()
                return s
            }()
            if fast != slow || located != slow {
                disagreements.append("fast \(fast == nil ? "refused" : "read"), located \(located == nil ? "refused" : "read"), JSONDecoder \(slow == nil ? "refused" : "read") at byte \(i): …\(String(decoding: bytes[max(0, i - 60)..<min(bytes.count, i + 40)], as: UTF8.self))…")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count):\n\(disagreements.prefix(8).joined(separator: "\n"))")
    }
}
