import Foundation

/// Writes state.json's state: everything but the items and their revisions through JSONEncoder,
/// the items by `ItemStates` (as one object, or in state.json's pieces), which copies the unchanged ones as the bytes they were
/// read from, and each item's revision by hand (through JSONEncoder, sorting and boxing 8,000
/// revisions was most of the write that saves state.json at 8,000 items, issue 30).
/// SnapshotDecoder reads it back; a digest of it is what the journal commits to.
enum SnapshotEncoder {
    /// The state as one JSON text, its items in it.
    static func encode(_ state: RolloutState) throws -> [UInt8] {
        let encoder = JSONCoding.encoder()
        return try spliced(state, encoder: encoder) { out in try state.items.appendJSON(to: &out, encoder: encoder) }
    }

    /// What state.json holds (format 9): the state with its items replaced by the table of their
    /// pieces, `[[length,"sha256"],…]` (the journal commits to these bytes), and the pieces.
    struct InPieces {
        var state: [UInt8]
        var pieces: [Piece]
    }

    /// A piece of the items: encoded, or one of state.json's kept as it is (read when written).
    enum Piece: Equatable {
        case written([UInt8], digest: String)
        case kept(SnapshotPieceFile, Int)

        var length: Int {
            switch self {
            case let .written(bytes, _): return bytes.count
            case let .kept(file, k): return file.slots[k].length
            }
        }

        var digest: String {
            switch self {
            case let .written(_, digest): return digest
            case let .kept(file, k): return file.slots[k].digest
            }
        }

        static func == (a: Piece, b: Piece) -> Bool {
            switch (a, b) {
            case let (.written(x, _), .written(y, _)): return x == y
            case let (.kept(f, i), .kept(g, j)): return f === g && i == j
            default: return false
            }
        }
    }

    /// `pieces`: the items' pieces when they are already encoded.
    static func encodeInPieces(_ state: RolloutState, pieces given: [Piece]? = nil) throws -> InPieces {
        let encoder = JSONCoding.encoder()
        let pieces = try given ?? state.items.pieces(encoder: encoder)
        let spine = try spliced(state, encoder: encoder) { out in
            out.append(UInt8(ascii: "["))
            for (i, piece) in pieces.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "[\(piece.length),\"\(piece.digest)\"]".utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        return InPieces(state: spine, pieces: pieces)
    }

    /// Everything but the items and their revisions through JSONEncoder; `items` writes the items'
    /// value in their place, and the revisions are written by hand.
    private static func spliced(_ state: RolloutState, encoder: JSONEncoder, items: (inout [UInt8]) throws -> Void) throws -> [UInt8] {
        var shell = state
        shell.items = [:]
        shell.itemRevisions = [:]
        let outer = [UInt8](try encoder.encode(shell))
        // Where the (empty) items and revisions objects are, found by reading the top level: never
        // by searching for their text, which a note could contain.
        var itemsSlot: Range<Int>?, revisionsSlot: Range<Int>?
        try outer.withUnsafeBufferPointer { bytes in
            var r = JSONReader(bytes: bytes, subject: "an encoded state")
            try r.fields { r, key in
                r.skipSpace()
                let start = r.i
                try r.skipValue()
                switch key {
                case "items": itemsSlot = start..<r.i
                case "itemRevisions": revisionsSlot = start..<r.i
                default: break
                }
            }
        }
        guard let itemsSlot, let revisionsSlot else { throw JSONReader.Malformed(description: "an encoded state without items or their revisions") }
        var out: [UInt8] = []
        out.reserveCapacity(outer.count + state.itemRevisions.countAtMost * 48 + 4096)
        var at = 0
        for slot in [itemsSlot, revisionsSlot].sorted(by: { $0.lowerBound < $1.lowerBound }) {
            out.append(contentsOf: outer[at..<slot.lowerBound])
            if slot == itemsSlot { try items(&out) } else { state.itemRevisions.appendJSON(to: &out) }
            at = slot.upperBound
        }
        out.append(contentsOf: outer[at...])
        return out
    }

    /// `{"id":seq,…}` in the order of the ids' UTF-8 bytes, so the same state always gives the same bytes.
    static func appendRevisions(_ revisions: [String: Int], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        // Sorted as strings where both ids are ASCII (the same order as their bytes, without making
        // an array of each id's bytes: that and the digits as strings were most of this, twice in
        // the write that saves state.json at 8,000 items); by their bytes otherwise.
        let ordered = revisions.map { (name: $0.key, seq: $0.value, ascii: $0.key.utf8.allSatisfy { $0 < 0x80 }) }.sorted { a, b in
            a.ascii && b.ascii ? a.name < b.name : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        for (i, entry) in ordered.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendRevision(entry.name, entry.seq, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `"id":seq`.
    static func appendRevision(_ id: String, _ seq: Int, to out: inout [UInt8]) {
        JSONText.appendString(id, to: &out)
        out.append(UInt8(ascii: ":"))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = seq.magnitude, k = digits.count
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n > 0
            if seq < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: digits[k...])
        }
    }
}
