import Foundation
import Testing
@testable import GoLiveCore

/// Issue 30: every command hashed and located all of state.json (3.7 MB at 8,000 items once items
/// hold their history), so a write grew 1.56× from 1k to 1M records. Its items are now in pieces,
/// each with its own digest in the state the journal commits to, read when one of their items is
/// asked for. A piece read later than the proof must be believed on the same terms.
@Suite(.serialized) struct SnapshotPiecesTests {
    static let id = "eval_slo.offline_evals"

    /// The sample after a write (state.json made), with the item's true state.
    static func written() throws -> (store: Store, truth: ItemState) {
        let store = try Fixtures.sampleStore()
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "one", url: nil), as: Fixtures.actor("dan"))
        let truth = try Store(directory: store.directory).loadState()
        #expect(truth.source == "snapshot")
        #expect(truth.state.item(id).status != .passed)
        return (store, truth.state.item(id))
    }

    @Test func aPieceEditedByHandIsNeverShownPassedAndWhatShowsEveryItemRebuilds() throws {
        let (store, truth) = try Self.written()
        // The item made to pass in its piece; the state's table, which the journal vouches for, not touched.
        try SnapshotProofTests.forgePass(store, fixingTable: false)

        // The state itself still proves, so a command that reads one item uses it: that item reads
        // failed, saying why, never passed.
        let one = try Store(directory: store.directory).loadState()
        #expect(one.source == "snapshot")
        let shown = one.state.item(Self.id)
        #expect(shown.status == .failed)
        #expect(shown.note?.contains("piece \(SnapshotPieceFile.piece(of: Self.id)) of its items differs from the one the journal committed to") == true, "\(shown.note ?? "no note")")
        #expect(one.state.items.snapshotFailure != nil)

        // What shows every item rebuilds from the journal and says why.
        let whole = try Self.whole(store)
        #expect(whole.source == "rebuilt")
        #expect(whole.snapshotProblem?.contains("differs from the one the journal committed to") == true, "\(whole.snapshotProblem ?? "no problem named")")
        #expect(whole.state.item(Self.id) == truth)
        let (verdict, r) = try Cockpit(store: Store(directory: store.directory)).gate()
        #expect(!verdict.ready)
        #expect(r.state.item(Self.id).status == truth.status)
    }

    /// A piece edited to the same length was copied as it lay into every later save (a save copies
    /// the pieces no item changed without reading them), so each `status` rebuilt the whole journal
    /// until a write touched that item. What finds it sets that state.json aside, kept for whoever
    /// looks into it, and the next write saves one the journal vouches for.
    @Test func aPieceFoundNotAsVouchedIsSetAsideAndTheNextWriteSavesAGoodOne() throws {
        let (store, truth) = try Self.written()
        try SnapshotProofTests.forgePass(store, fixingTable: false)
        let forged = try Data(contentsOf: store.snapshotURL)

        let whole = try Self.whole(store)
        #expect(whole.source == "rebuilt")
        let problem = try #require(whole.snapshotProblem)
        #expect(problem.contains("differs from the one the journal committed to") && problem.contains("it was set aside as state.json.unproven-"), "\(problem)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("state.json.unproven-") }
        #expect(aside.count == 1 && problem.contains(aside.first ?? "none"))
        #expect(try Data(contentsOf: store.directory.appendingPathComponent(aside.first ?? "none")) == forged, "kept as it was found")

        // A write to another item saves a state.json from the rebuilt state, which every reader then believes.
        try Cockpit(store: Store(directory: store.directory)).perform(.addEvidence(id: "runtime.happy_path", text: "after the forgery", url: nil), as: Fixtures.actor("dan"))
        let after = try Self.whole(store)
        #expect(after.source == "snapshot", "\(after.source) \(after.snapshotProblem ?? "")")
        #expect(after.snapshotProblem == nil)
        #expect(after.state.item(Self.id) == truth)
    }

    /// Only the file judged is set aside: one a write saved meanwhile is another file, and stays.
    @Test func aStateJsonSavedSinceItWasJudgedIsNotSetAside() throws {
        let (store, _) = try Self.written()
        try SnapshotProofTests.forgePass(store, fixingTable: false)
        let reader = Store(directory: store.directory)
        _ = try reader.loadState()
        reader.distrust("judged")
        try Cockpit(store: Store(directory: store.directory)).perform(.addEvidence(id: "runtime.happy_path", text: "a write meanwhile", url: nil), as: Fixtures.actor("dan"))
        let saved = try Data(contentsOf: store.snapshotURL)
        try Data(saved).write(to: store.snapshotURL.appendingPathExtension("new"))
        try FileManager.default.removeItem(at: store.snapshotURL)
        try FileManager.default.moveItem(at: store.snapshotURL.appendingPathExtension("new"), to: store.snapshotURL)
        #expect(reader.setAsideDistrusted() == nil)
        #expect(try Data(contentsOf: store.snapshotURL) == saved)
    }

    @Test func aWriteIsNeverBuiltOnAPieceThatDiffersFromItsDigest() throws {
        let (store, truth) = try Self.written()
        try SnapshotProofTests.forgePass(store, fixingTable: false)
        let lines = try String(contentsOf: store.journalURL, encoding: .utf8).split(separator: "\n").count

        // A write to the forged item: it reads the piece, finds it not as vouched, and decides
        // again on the state rebuilt from the journal.
        try Cockpit(store: Store(directory: store.directory)).perform(.addEvidence(id: Self.id, text: "rerun 41", url: nil), as: Fixtures.actor("dan"))
        #expect(try String(contentsOf: store.journalURL, encoding: .utf8).split(separator: "\n").count == lines + 1, "one record, written once")

        let after = try Store(directory: store.directory).loadState()
        #expect(after.source == "snapshot", "the write saved a state.json the journal vouches for: \(after.source) \(after.snapshotProblem ?? "")")
        try after.state.items.readAll()
        let item = after.state.item(Self.id)
        #expect(item.status == truth.status, "the item's status came from the forged piece")
        #expect(item.note == truth.note)
        #expect(item.evidence.last?.text == "rerun 41")
        #expect(item.changes == truth.changes + 1)
    }

    @Test func onlyTheChangedItemsPiecesAreEncodedAgainAndTheSameStateGivesTheSameBytes() throws {
        let (store, _) = try Self.written()
        let state = try Store(directory: store.directory).loadState().state
        let before = try SnapshotEncoder.encodeInPieces(state)
        #expect(try SnapshotEncoder.encodeInPieces(state).state == before.state)
        #expect(state.items.piecesRead == 0, "nothing was read to write the unchanged pieces again")

        // An item that shares its piece with another, so that the other must be kept as it was.
        let byPiece = Dictionary(grouping: state.items.ids.sorted()) { SnapshotPieceFile.piece(of: $0) }
        let shared = try #require(byPiece.values.first { $0.count >= 2 }, "two of the sample's items share a piece")
        let id = shared[0], k = SnapshotPieceFile.piece(of: id)
        var changed = state
        changed.items[id, default: ItemState()].note = "changed after reading"
        let after = try SnapshotEncoder.encodeInPieces(changed)
        for i in 0..<SnapshotPieceFile.count where i != k { #expect(after.pieces[i] == before.pieces[i], "piece \(i)") }
        #expect(after.pieces[k] != before.pieces[k])
        #expect(after.state != before.state, "the state lists the changed piece's new digest")

        // Written and read back by a new process: the same items, the changed one included.
        try store.writeSnapshot(after, seq: state.seq, offset: 1, adoptedSeq: nil)
        let file = try #require(store.readSnapshotFile()).get()
        let read = try SnapshotDecoder.decode(inPieces: file.stateBytes) { ItemStates(pieces: SnapshotPieceFile(file.file, start: file.piecesStart, table: $0)) }
        try read.items.readAll()
        #expect(read.items == changed.items)
        #expect(read.item(id).note == "changed after reading")
        for other in shared.dropFirst() { #expect(read.items[other] == state.items[other], "\(other), in the changed piece, was kept") }
        #expect(try SnapshotEncoder.encodeInPieces(read).state == after.state)

        // Saved again from a state whose other pieces were never read: those are copied as they
        // lie in the file read (by the kernel), and read back as they were.
        let unread = try SnapshotDecoder.decode(inPieces: file.stateBytes) { ItemStates(pieces: SnapshotPieceFile(file.file, start: file.piecesStart, table: $0)) }
        var again = unread
        again.items[Self.id, default: ItemState()].note = "changed again"
        try store.writeSnapshot(try SnapshotEncoder.encodeInPieces(again), seq: state.seq, offset: 1, adoptedSeq: nil)
        #expect(again.items.piecesRead == 1, "only the changed item's piece was read")
        let second = try #require(store.readSnapshotFile()).get()
        let reread = try SnapshotDecoder.decode(inPieces: second.stateBytes) { ItemStates(pieces: SnapshotPieceFile(second.file, start: second.piecesStart, table: $0)) }
        try reread.items.readAll()
        var expected = changed
        expected.items[Self.id, default: ItemState()].note = "changed again"
        #expect(reread.items == expected.items)
    }

    /// state.json is no longer flushed to disk (its fsync grew with the file): what a crash can
    /// leave of it (nothing, half of it, the one before) costs one rebuild and no record, and the
    /// next write saves one the journal vouches for again.
    @Test func aStateJsonLostInACrashCostsOneRebuildAndNoRecord() throws {
        let (store, truth) = try Self.written()
        let saved = try Data(contentsOf: store.snapshotURL)
        let seq = try store.loadState().state.seq
        for left in [Data(), saved.prefix(saved.count / 2), Data(count: saved.count)] {
            try left.write(to: store.snapshotURL)
            // What shows every item (status, the cockpit) reads them all first.
            let read = try Self.whole(store)
            #expect(read.source == "rebuilt")
            #expect(read.state.seq == seq)
            #expect(read.state.item(Self.id) == truth)
        }
        try Cockpit(store: Store(directory: store.directory)).perform(.addEvidence(id: "runtime.happy_path", text: "after the crash", url: nil), as: Fixtures.actor("dan"))
        let after = try Store(directory: store.directory).loadState()
        #expect(after.source == "snapshot")
        #expect(after.state.seq > seq && after.state.item(Self.id) == truth)
    }

    /// state.json that does not read as one (garbage, a header that is not one, a header that lies
    /// about the state's length) was set aside without a word: every `status` rebuilt and said
    /// nothing. The store says why it did not use it, as it does for one the journal does not vouch for.
    @Test func aStateJsonThatDoesNotReadSaysWhyItWasNotUsed() throws {
        let (store, truth) = try Self.written()
        let saved = try Data(contentsOf: store.snapshotURL)
        let newline = try #require(saved.firstIndex(of: 0x0a))
        let header = String(decoding: saved[..<newline], as: UTF8.self)
        let length = String(header[try #require(header.firstRange(of: /"state_length":[0-9]+/))])
        let longer = header.replacingOccurrences(of: length, with: "\"state_length\":\(saved.count * 2)")
        let cases: [(left: Data, why: String)] = [
            (Data("garbage\n".utf8) + saved[...], "its first line is not a GoLive state header"),
            (Data("{\"format\":9,\"seq\":\"many\"}\n".utf8) + saved[(newline + 1)...], "its first line is not a GoLive state header"),
            (Data(longer.utf8) + saved[newline...], "it ends before the \(saved.count * 2) bytes of state its header announces"),
            (Data(header.replacingOccurrences(of: length, with: "\"state_length\":0").utf8) + saved[newline...], "its header announces no state"),
            (Data(), "it is empty"),
        ]
        let seq = try store.loadState().state.seq
        for (left, why) in cases {
            try left.write(to: store.snapshotURL)
            let read = try Self.whole(store)
            #expect(read.source == "rebuilt")
            #expect(read.snapshotProblem == "state.json was not used: \(why); the state was rebuilt from the journal", "\(String(decoding: left.prefix(60), as: UTF8.self))")
            #expect(read.state.seq == seq && read.state.item(Self.id) == truth)
        }
        // What shows the readiness (the cockpit) says so too.
        #expect(try Cockpit(store: Store(directory: store.directory)).readiness().storeProblem == "state.json was not used: it is empty; the state was rebuilt from the journal")
        // One this golive does not write (an older format) is replaced by the next write, as ever.
        try Data(header.replacingOccurrences(of: "\"format\":9", with: "\"format\":8").utf8 + [0x0a]).write(to: store.snapshotURL)
        #expect(try Self.whole(store).snapshotProblem == nil)
    }

    /// A write that saves state.json encodes its pieces for the preview it commits to; the state
    /// folded from the records written uses them again only when its items changed the same.
    @Test func aSaveUsesThePreviewsPiecesOnlyForItemsChangedTheSame() throws {
        let (store, _) = try Self.written()
        var state = try Store(directory: store.directory).loadState().state
        state.items[Self.id, default: ItemState()].note = "one"
        let batch = state.seq + 1
        var planned = try state.snapshot(batchStart: batch).pieces
        // A marker in the planned pieces shows which were used.
        let k = SnapshotPieceFile.piece(of: Self.id)
        planned[k] = .written(Array("{}".utf8), digest: String(repeating: "0", count: 64))
        let same = try state.snapshot(batchStart: batch, planned: (state.items.changes, planned))
        #expect(same.pieces == planned)
        var other = state
        other.items[Self.id, default: ItemState()].note = "two"
        let differently = try other.snapshot(batchStart: batch, planned: (state.items.changes, planned))
        #expect(differently.pieces[k] != planned[k])
        #expect(differently.state == (try other.snapshot(batchStart: batch)).state)
        #expect(differently.pieces == (try other.snapshot(batchStart: batch)).pieces)
    }

    /// A piece edited by hand to another length: the pieces after it no longer lie where the state
    /// lists them. Every later save copied them from there, ran into the file's end and failed
    /// without a word: state.json stayed where it was (seq 322 while the journal reached 577 on the
    /// sample), so each write folded ever more records and each `status` rebuilt. Such a file is not
    /// as written: it is not believed, and the next write saves one the journal vouches for.
    @Test func aPieceEditedToAnotherLengthIsNotBelievedAndTheNextWriteSavesAGoodOne() throws {
        let (store, truth) = try Self.written()
        var file = try StateFileText.read(store)
        try file.editItem(Self.id, fixingTable: false) { $0["note"] = "FORGED: the release evals all pass, every one of them" }
        try file.write(store)
        let before = try #require(try StateFileText.read(store).header["seq"] as? Int)

        let read = try Store(directory: store.directory).loadState()
        #expect(read.source == "rebuilt")
        #expect(read.snapshotProblem?.contains("bytes") == true, "\(read.snapshotProblem ?? "no problem named")")
        #expect(read.state.item(Self.id) == truth)

        // A write to an item in another piece saves a state.json the journal vouches for.
        let other = try #require(DefaultCatalog.items.map(\.id).first { SnapshotPieceFile.piece(of: $0) != SnapshotPieceFile.piece(of: Self.id) && $0.hasPrefix("runtime.") })
        for n in 0..<Store.snapshotEveryRecords {
            try Cockpit(store: Store(directory: store.directory)).perform(.addEvidence(id: other, text: "note \(n)", url: nil), as: Fixtures.actor("dan"))
            if (try StateFileText.read(store).header["seq"] as? Int) != before { break }
        }
        let after = try StateFileText.read(store)
        #expect((after.header["seq"] as? Int) != before, "state.json was never saved again")
        #expect(!after.pieces.contains { String(decoding: $0, as: UTF8.self).contains("FORGED") })
        let whole = try Self.whole(store)
        #expect(whole.source.hasPrefix("snapshot"))
        #expect(whole.snapshotProblem == nil)
        #expect(whole.state.item(Self.id) == truth)
    }

    @Test func aTableOfAnotherNumberOfPiecesIsNotAState() throws {
        let (store, _) = try Self.written()
        let file = try StateFileText.read(store)
        let table = try #require(file.state["items"] as? [[Any]])
        // One piece short, and a piece without its digest or with more than it.
        for wrong in [Array(table.dropLast()), [[table[0][0]]] + table.dropFirst(), [table[0] + ["x"]] + table.dropFirst()] {
            var state = file.state
            state["items"] = wrong
            let bytes = try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys])
            #expect(throws: (any Error).self, "\(wrong.prefix(1))") {
                _ = try SnapshotDecoder.decode(inPieces: ArraySlice(bytes)) { _ in ItemStates() }
            }
        }
    }

    /// Pieces written by hand at `dir`/state.json, each `{…}` of its items as given, in order.
    /// The state every item of which is shown, as `status` reads it (a fresh reader, its configuration's definitions beside).
    static func whole(_ store: Store) throws -> Store.Loaded {
        let reader = Store(directory: store.directory)
        return try reader.loadStateWhole(for: try reader.loadConfig())
    }

    static func pieceFile(_ dir: URL, _ byPiece: [[(id: String, json: [UInt8])]]) throws -> SnapshotPieceFile {
        var file: [UInt8] = [], table: [(length: Int, digest: String)] = []
        for members in byPiece {
            var piece = Array("{".utf8)
            for (n, m) in members.enumerated() { piece += Array("\(n == 0 ? "" : ",")\"\(m.id)\":".utf8) + m.json }
            piece += Array("}".utf8)
            table.append((piece.count, Digest.sha256Hex(piece)))
            file += piece + [0x0a]
        }
        let path = dir.appendingPathComponent("state.json").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        return SnapshotPieceFile(SnapshotPieceFile.Opened(fd: try SystemCall.openFile(path, O_RDONLY), path: path), start: 0, table: table)
    }

    /// `status` and the cockpit decode every item as each piece is located, on both cores (issue
    /// 30): each item is the state it is when read alone, from the same pieces, whatever the piece
    /// holds: an item that does not decode, an id written twice, a piece not as vouched.
    @Test func everyItemDecodedAsItsPieceIsLocatedIsTheItemReadAlone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pieces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var byPiece = Array(repeating: [(id: String, json: [UInt8])](), count: SnapshotPieceFile.count)
        var ids: [String] = []
        for i in 0..<1_500 {
            var s = ItemState()
            s.status = i % 3 == 0 ? .passed : .open
            s.note = "item \(i) \"quoted\" é"
            s.evidence = (0..<(i % 4)).map { Evidence(kind: "note", text: "run \($0) of \(i)", at: Date(timeIntervalSince1970: 1_800_000_000), by: "dan") }
            let id = "c.item\(i)"
            ids.append(id)
            var json = [UInt8](try JSONCoding.encoder().encode(s))
            if i == 999 { json = Array(String(decoding: json, as: UTF8.self).replacingOccurrences(of: #""status":"passed""#, with: #""status":"sideways""#).utf8) }
            byPiece[SnapshotPieceFile.piece(of: id)].append((id, json))
        }
        // Written twice in its piece: the later entry is the one read.
        let twice = ids[7]
        var later = ItemState()
        later.note = "the later entry"
        byPiece[SnapshotPieceFile.piece(of: twice)].append((twice, [UInt8](try JSONCoding.encoder().encode(later))))
        // A piece holding an item of another: none of its items is believed.
        let strayPiece = SnapshotPieceFile.piece(of: ids[0])
        let misplaced = try #require((0..<100).map { "stray\($0)" }.first { SnapshotPieceFile.piece(of: $0) != strayPiece })
        byPiece[strayPiece].append((misplaced, [UInt8](try JSONCoding.encoder().encode(ItemState()))))

        let ahead = ItemStates(pieces: try Self.pieceFile(dir, byPiece))
        let alone = ItemStates(pieces: try Self.pieceFile(dir, byPiece))
        ahead.readAhead()
        #expect(ahead.piecesRead == SnapshotPieceFile.count)
        for id in ids { #expect(ahead[id] == alone[id], "\(id)") }
        #expect(ahead.decodedCount == ids.filter { SnapshotPieceFile.piece(of: $0) != strayPiece }.count, "every item of every believed piece, once")
        #expect(ahead[ids[999]]?.status == .failed)
        #expect(ahead[ids[999]]?.note?.contains("state.json's entry for this item cannot be read") == true)
        #expect(ahead[twice]?.note == "the later entry")
        #expect(ahead[ids[0]]?.status == .failed, "an item of the piece that is not believed")
        #expect(ahead.snapshotFailure?.contains("belongs in piece") == true)
        #expect(ahead[ids[3]]?.status == .passed)
        #expect(ahead[ids[3]]?.evidence.count == 3)
    }

    @Test func aPieceHoldingAnItemOfAnotherPieceIsNotBelieved() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pieces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stray = try #require(["a", "b", "c", "d"].first { SnapshotPieceFile.piece(of: $0) != 0 })
        let item = try JSONCoding.encoder().encode(ItemState())
        let piece = Array(#"{"\#(stray)":"#.utf8) + [UInt8](item) + Array("}".utf8)
        let path = dir.appendingPathComponent("state.json").path
        try Data(piece + [0x0a]).write(to: URL(fileURLWithPath: path))
        let opened = SnapshotPieceFile.Opened(fd: try SystemCall.openFile(path, O_RDONLY), path: path)
        let table = [(length: piece.count, digest: Digest.sha256Hex(piece))] + Array(repeating: (length: 2, digest: String(repeating: "0", count: 64)), count: SnapshotPieceFile.count - 1)
        let pieces = SnapshotPieceFile(opened, start: 0, table: table)
        guard case let .failure(why) = pieces.piece(0) else {
            Issue.record("a piece holding \(stray), which belongs in piece \(SnapshotPieceFile.piece(of: stray)), was believed")
            return
        }
        #expect(why.message.contains("belongs in piece"))
    }
}
