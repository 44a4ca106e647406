import Foundation

/// Every item's state, by id. Read from a proven state.json, an item's state stays as the bytes the
/// journal vouched for until something asks for it: a write touches one item, and decoding the
/// other thousands was most of its cost (issue 14). Items changed since (or folded from the journal)
/// are held decoded and win over the kept bytes.
public struct ItemStates: Sendable, Equatable, Codable, ExpressibleByDictionaryLiteral {
    private var changed: [String: ItemState]
    private var kept: KeptItemStates?
    /// Shared by every copy of this value since its last change: while another copy lives, the
    /// next change copies `changed` whole (8,000 items at scale). A write checks that it holds
    /// the only one before it folds its records (`isUniquelyHeld`, see Store.commit).
    private var holder = Holder()
    final class Holder: Sendable {}

    public init(_ states: [String: ItemState] = [:]) {
        changed = states
        kept = nil
    }

    public init(dictionaryLiteral elements: (String, ItemState)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }

    /// Items still as state.json's bytes: `entries`, in the order written, give each id's whole
    /// `"id":{…}` and its value, as offsets into `bytes`.
    init(keeping bytes: ArraySlice<UInt8>, entries: [KeptItemStates.Entry]) {
        changed = [:]
        kept = KeptItemStates(bytes: bytes, entries: entries)
    }

    /// Items still in state.json's pieces, each piece read and checked when first asked for.
    init(pieces: SnapshotPieceFile) {
        changed = [:]
        kept = KeptItemStates(pieces: pieces)
    }

    public subscript(id: String) -> ItemState? {
        // A command that reads every item asks for each several times (status: the gate, the
        // contours, the list): no hashing of the id where nothing changed.
        if !changed.isEmpty, let s = changed[id] { return s }
        return kept?.state(id)
    }

    /// The same lookup as the subscript, for many items from several threads: the states decoded
    /// so far are taken once (see `KeptItemStates.decodedSoFar`), the rest asked as one at a time.
    public func reader() -> @Sendable (String) -> ItemState? {
        let (changed, kept) = (changed, kept)
        let decoded = kept?.decodedSoFar ?? [:]
        return { id in
            if !changed.isEmpty, let s = changed[id] { return s }
            return decoded[id] ?? kept?.state(id)
        }
    }

    public subscript(id: String, default fallback: @autoclosure () -> ItemState) -> ItemState {
        get { self[id] ?? fallback() }
        _modify {
            // A copy that outlives this change now holds storage of its own (Swift copied it).
            if !isKnownUniquelyReferenced(&holder) { holder = Holder() }
            // Taken out of the kept bytes once; from then on it is changed in place.
            if let kept, changed[id] == nil, let s = kept.state(id) { changed[id] = s }
            yield &changed[id, default: fallback()]
        }
    }

    public var ids: Set<String> {
        guard let kept else { return Set(changed.keys) }
        return Set(changed.keys).union(kept.ids)
    }

    /// What these items changed from the state.json they were read from (nil when not read from
    /// one): two values with the same changes encode to the same pieces.
    struct Changes: Equatable {
        let changed: [String: ItemState]
        /// Held, not named by address: a freed one's address may be another's.
        let kept: KeptItemStates?

        static func == (a: Changes, b: Changes) -> Bool { a.kept === b.kept && a.changed == b.changed }
    }

    var changes: Changes { Changes(changed: changed, kept: kept) }

    /// Whether no other copy of these items lives: a change then happens in place, not on a copy
    /// of every item.
    var isUniquelyHeld: Bool { mutating get { isKnownUniquelyReferenced(&holder) } }

    /// The same items in storage shared with no other value (the kept bytes, immutable, are shared).
    func ownCopy() -> ItemStates {
        var copy = ItemStates(Dictionary(uniqueKeysWithValues: changed.map { ($0.key, $0.value) }))
        copy.kept = kept
        return copy
    }

    /// How many bytes of state.json the unchanged items still are (nil when none are kept).
    var keptBytes: Int? { kept?.byteCount }

    /// Why a piece of state.json read so far is not as the journal vouched for it: its items then
    /// read failed, and nothing may be built on them (a write refuses, a reader rebuilds).
    public var snapshotFailure: String? { kept?.failure }

    /// How many of state.json's pieces have been read so far (nil when the items are not in pieces).
    var piecesRead: Int? { kept?.pieceFile?.readCount }

    /// How many kept items have been decoded so far: what a write costs at 8,000 items (issue 30).
    var decodedCount: Int { kept?.decodedCount ?? 0 }

    /// Every item decoded: what encoding and comparing need.
    public var all: [String: ItemState] {
        guard let kept else { return changed }
        var out = changed
        for id in kept.ids where out[id] == nil { out[id] = kept.state(id) }
        return out
    }

    /// Decodes every kept item now, on two cores, for what shows them all (`status`, the
    /// cockpit's dashboard): asked for one by one they were a third of `status` at 8,000 items.
    public func readAhead() { kept?.decodeAll() }

    /// Decodes every kept item now, throwing at the first that cannot be read (for checks and
    /// tests; a command reads only the items it needs).
    public func readAll() throws {
        guard let kept else { return }
        for k in 0..<kept.pieceCount {
            for entry in try kept.piece(k).get().entries where changed[entry.id] == nil { _ = try kept.decode(entry.id) }
        }
    }

    public static func == (a: ItemStates, b: ItemStates) -> Bool { a.all == b.all }

    /// The items as one JSON object: the kept items that did not change are copied as the bytes
    /// they were read from (in their order), the others encoded after them in id order.
    /// Re-encoding 8,000 unchanged items made every 64th write take 0.4 s (issue 14). The same
    /// items and kept bytes always give the same bytes, which is all a digest needs.
    func appendJSON(to out: inout [UInt8], encoder: JSONEncoder) throws {
        try appendObject(to: &out, inPiece: nil, encoder: encoder)
    }

    /// The items as state.json's pieces (`SnapshotPieceFile`), each `{…}` with its digest. A piece
    /// with no changed item is state.json's own, beside the digest already committed to it, and
    /// is not even read until the file is written: the write that saves state.json reads,
    /// re-encodes and hashes only the pieces it changed, each written as `appendJSON` writes the whole.
    func pieces(encoder: JSONEncoder) throws -> [SnapshotEncoder.Piece] {
        let touched = Set(changed.keys.map(SnapshotPieceFile.piece(of:)))
        return try (0..<SnapshotPieceFile.count).map { k in
            if !touched.contains(k), let file = kept?.pieceFile { return .kept(file, k) }
            var out: [UInt8] = []
            try appendObject(to: &out, inPiece: k, encoder: encoder)
            return .written(out, digest: Digest.sha256Hex(out))
        }
    }

    /// `{…}` of the items, or of those that lie in piece `k`.
    private func appendObject(to out: inout [UInt8], inPiece k: Int?, encoder: JSONEncoder) throws {
        func lies(_ id: String) -> Bool { k.map { SnapshotPieceFile.piece(of: id) == $0 } ?? true }
        out.append(UInt8(ascii: "{"))
        var first = true
        func comma() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        if let kept {
            // In pieces, only piece `k` can hold its items; held whole, the one piece may.
            for from in kept.pieceFile != nil && k != nil ? [k!] : Array(0..<kept.pieceCount) {
                let piece = try kept.piece(from).get()
                piece.bytes.withUnsafeBufferPointer { all in
                    for entry in piece.entries where changed[entry.id] == nil && lies(entry.id) {
                        comma()
                        out.append(contentsOf: all[entry.whole])
                    }
                }
            }
        }
        for id in changed.keys.filter(lies).sorted() {
            comma()
            out.append(contentsOf: try encoder.encode(id))
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: try encoder.encode(changed[id]!))
        }
        out.append(UInt8(ascii: "}"))
    }

    public func encode(to encoder: Encoder) throws { try all.encode(to: encoder) }

    public init(from decoder: Decoder) throws { self.init(try [String: ItemState](from: decoder)) }
}

