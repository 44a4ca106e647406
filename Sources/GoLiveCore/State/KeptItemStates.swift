import Foundation

/// state.json's item states as proven bytes, each decoded the first time it is asked for and then
/// remembered. Either one piece held whole (a state read from one JSON text) or state.json's
/// pieces (`SnapshotPieceFile`), each read and checked when one of its items is first asked for.
/// Immutable but for that memory, so copies of a state share it safely.
final class KeptItemStates: Sendable {
    struct Entry: Sendable {
        var id: String
        /// `"id":{…}` as written.
        var whole: Range<Int>
        /// `{…}`.
        var value: Range<Int>
    }

    /// Items located in proven bytes: offsets in `entries` are into `bytes`.
    struct Piece: Sendable {
        let bytes: ArraySlice<UInt8>
        let entries: [Entry]
        /// Where each id's entry is (the last one, should an id be written twice, as a decoder reads it).
        let index: [String: Int]

        init(bytes: ArraySlice<UInt8>, entries: [Entry]) {
            self.bytes = bytes
            self.entries = entries
            var index: [String: Int] = [:]
            index.reserveCapacity(entries.count)
            for (i, entry) in entries.enumerated() { index[entry.id] = i }
            self.index = index
        }
    }

    private enum Source: Sendable {
        case whole(Piece)
        case file(SnapshotPieceFile)
    }

    private let source: Source
    /// Each item's state once decoded, by id: looked up first, so that what reads every item
    /// several times (`status`: the gate, the contours, the list) finds it without its piece.
    /// Few of them in a write; kept in a dictionary rather than an array of every entry (160
    /// bytes each, 1.3 MB made and cleared at every command at 8,000 items).
    private let decoded: Locked<[String: ItemState]>
    var decodedCount: Int { decoded.withLock { $0.count } }
    /// Whether `decodeAll` has run: every item is decoded, and asking again costs nothing.
    private let everyItemDecoded = Locked(false)
    /// The states decoded so far, taken at once: what reads every item from two threads looks
    /// them up without taking the lock per item, for which the two contended.
    var decodedSoFar: [String: ItemState] { decoded.withLock { $0 } }

    init(bytes: ArraySlice<UInt8>, entries: [Entry]) {
        source = .whole(Piece(bytes: bytes, entries: entries))
        decoded = Locked([:])
    }

    init(pieces: SnapshotPieceFile) {
        source = .file(pieces)
        decoded = Locked([:])
    }

    /// The pieces of state.json these items were read from, if they were.
    var pieceFile: SnapshotPieceFile? {
        if case let .file(file) = source { return file }
        return nil
    }

    var pieceCount: Int { pieceFile == nil ? 1 : SnapshotPieceFile.count }

    func pieceIndex(of id: String) -> Int { pieceFile == nil ? 0 : SnapshotPieceFile.piece(of: id) }

    func piece(_ k: Int) -> Result<Piece, SnapshotPieceFile.PieceFailure> {
        switch source {
        case let .whole(piece): return .success(piece)
        case let .file(file): return file.piece(k)
        }
    }

    /// Why a piece read so far is not as the journal vouched, if one is not.
    var failure: String? { pieceFile?.failure }

    /// How many bytes the kept items are.
    var byteCount: Int {
        switch source {
        case let .whole(piece): return piece.bytes.count
        case let .file(file): return file.slots.reduce(0) { $0 + $1.length }
        }
    }

    /// Every id in the pieces that read (all of them are read).
    var ids: [String] {
        (0..<pieceCount).flatMap { k -> [String] in
            guard case let .success(piece) = piece(k) else { return [] }
            return Array(piece.index.keys)
        }
    }

    func state(_ id: String) -> ItemState? {
        if let s = decoded.withLock({ $0[id] }) { return s }
        let k = pieceIndex(of: id)
        let piece: Piece
        switch self.piece(k) {
        case let .success(found): piece = found
        case let .failure(why): return Self.unreadable(why.message)
        }
        guard let i = piece.index[id] else { return nil }
        let s = readable(piece, at: i)
        decoded.withLock { $0[id] = s }
        return s
    }

    /// An item whose kept state cannot be believed or read: shown failed, saying why, never passed.
    private static func unreadable(_ why: String) -> ItemState {
        var unreadable = ItemState()
        unreadable.status = .failed
        unreadable.note = "\(why); move state.json aside and the next command rebuilds the state from the journal"
        return unreadable
    }

    /// The state at entry `i`, or, should it not decode, a failed one that says why.
    private func readable(_ piece: Piece, at i: Int) -> ItemState {
        do {
            return try Self.decode(piece, at: i)
        } catch {
            // The journal vouched for these bytes, so only a golive bug or a forged pair of journal
            // and state.json gets here.
            return Self.unreadable("state.json's entry for this item cannot be read (\(error))")
        }
    }

    /// Every item decoded, on both cores: each takes the next piece no one has taken, reads and
    /// checks it, decodes its items as it locates them, and keeps them. Reading every piece first,
    /// then every item on both cores, then keeping them all here, left a core idle between the
    /// steps and went over each item twice (issue 30). An id written twice keeps its last entry,
    /// as a lookup does.
    func decodeAll() {
        if everyItemDecoded.withLock({ $0 }) { return }
        let count = pieceCount
        let next = Locked(0)
        let work: @Sendable () -> [(String, ItemState)] = { [self] in
            var states: [(String, ItemState)] = []
            while true {
                let k = next.withLock { n -> Int in defer { n += 1 }; return n }
                guard k < count else { return states }
                appendItems(ofPiece: k, to: &states)
            }
        }
        let helped = Locked<[(String, ItemState)]>([])
        let helper = count > 1 ? BackgroundWork { helped.withLock { $0 = work() } } : nil
        var mine = work()
        helper?.wait()
        // Taken out, not copied: the lock's reference gone, the array is ours alone to pop from.
        var theirs = helped.withLock { taken in defer { taken = [] }; return taken }
        decoded.withLock { all in
            all.reserveCapacity(all.count + mine.count + theirs.count)
            // Each state moved into the table, not copied and its copy released: every note,
            // evidence list and history touched twice more was a tenth of `status`'s decode.
            // An id is in one piece only (a piece holding another's items gives none), once.
            while let (id, s) = mine.popLast() { all[id] = s }
            while let (id, s) = theirs.popLast() { all[id] = s }
        }
        everyItemDecoded.withLock { $0 = true }
    }

    /// Every item of piece `k` appended to `states`, in the order written, each id once (its last
    /// entry): decoded as the piece is located when it was not located yet, else from its located
    /// entries. None when the piece cannot be believed (its items read failed, each saying why,
    /// when asked for).
    private func appendItems(ofPiece k: Int, to states: inout [(String, ItemState)]) {
        let first = states.count
        var undecoded: [Int] = []
        let read: Result<Piece, SnapshotPieceFile.PieceFailure>
        if case let .file(file) = source, let fresh = file.pieceDecodingEach(k, { id, r in
            let start = r.i
            do { states.append((id, try r.itemState())) } catch {
                r.i = start
                undecoded.append(states.count)
                states.append((id, ItemState()))
            }
        }) {
            read = fresh
        } else {
            read = piece(k)
        }
        guard case let .success(piece) = read else {
            states.removeSubrange(first...)
            return
        }
        // One not decoded yet, or that did not decode, is read alone: failed, it says why as a lookup does.
        for i in (states.count - first)..<piece.entries.count { states.append((piece.entries[i].id, readable(piece, at: i))) }
        for at in undecoded { states[at].1 = readable(piece, at: at - first) }
        guard piece.index.count != piece.entries.count else { return }
        // An id written twice: only the entry a lookup reads (its last), in the order written.
        var kept = first
        for i in piece.entries.indices where piece.index[piece.entries[i].id] == i {
            states.swapAt(kept, first + i)
            kept += 1
        }
        states.removeSubrange(kept...)
    }

    /// The state of `id`, throwing when it cannot be read or believed (for checks and tests).
    func decode(_ id: String) throws -> ItemState {
        let piece = try self.piece(pieceIndex(of: id)).get()
        guard let i = piece.index[id] else { throw JSONReader.Malformed(description: "no item \(id) in state.json") }
        return try Self.decode(piece, at: i)
    }

    private static func decode(_ piece: Piece, at i: Int) throws -> ItemState {
        let id = piece.entries[i].id, range = piece.entries[i].value
        return try piece.bytes.withUnsafeBufferPointer { all in
            var r = JSONReader(bytes: UnsafeBufferPointer(rebasing: all[range]), subject: "state.json's state of \(id)")
            let s = try r.itemState()
            r.skipSpace()
            guard r.i == r.bytes.count else { throw r.fail("text after the item") }
            return s
        }
    }
}
