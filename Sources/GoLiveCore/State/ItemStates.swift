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

    public subscript(id: String) -> ItemState? {
        // A command that reads every item asks for each several times (status: the gate, the
        // contours, the list): no hashing of the id where nothing changed.
        if !changed.isEmpty, let s = changed[id] { return s }
        return kept?.state(id)
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
        return Set(changed.keys).union(kept.index.keys)
    }

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
    var keptBytes: Int? { kept?.bytes.count }

    /// How many kept items have been decoded so far: what a write costs at 8,000 items (issue 30).
    var decodedCount: Int { kept?.decodedCount ?? 0 }

    /// Every item decoded: what encoding and comparing need.
    public var all: [String: ItemState] {
        guard let kept else { return changed }
        var out = changed
        for entry in kept.entries where out[entry.id] == nil { out[entry.id] = kept.state(entry.id) }
        return out
    }

    /// Decodes every kept item now, on two cores, for what shows them all (`status`, the
    /// cockpit's dashboard): asked for one by one they were a third of `status` at 8,000 items.
    public func readAhead() { kept?.decodeAll() }

    /// Decodes every kept item now, throwing at the first that cannot be read (for checks and
    /// tests; a command reads only the items it needs).
    public func readAll() throws {
        guard let kept else { return }
        for entry in kept.entries where changed[entry.id] == nil { _ = try kept.decode(entry.id) }
    }

    public static func == (a: ItemStates, b: ItemStates) -> Bool { a.all == b.all }

    /// The items as one JSON object, for state.json: the kept items that did not change are
    /// copied as the bytes they were read from (in their order), the others encoded after them
    /// in id order. Re-encoding 8,000 unchanged items made every 64th write take 0.4 s (issue 14).
    /// The same items and kept bytes always give the same bytes, which is all a digest needs.
    func appendJSON(to out: inout [UInt8], encoder: JSONEncoder) throws {
        out.append(UInt8(ascii: "{"))
        var first = true
        func comma() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        if let kept {
            kept.bytes.withUnsafeBufferPointer { all in
                for entry in kept.entries where changed[entry.id] == nil {
                    comma()
                    out.append(contentsOf: all[entry.whole])
                }
            }
        }
        for id in changed.keys.sorted() {
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

/// state.json's item states as proven bytes, each decoded the first time it is asked for and then
/// remembered. Immutable but for that memory, so copies of a state share it safely.
final class KeptItemStates: Sendable {
    struct Entry: Sendable {
        var id: String
        /// `"id":{…}` as written.
        var whole: Range<Int>
        /// `{…}`.
        var value: Range<Int>
    }

    let bytes: ArraySlice<UInt8>
    let entries: [Entry]
    /// Where each id's entry is (the last one, should an id be written twice, as a decoder reads it).
    let index: [String: Int]
    /// Each entry's state once decoded, by its place in `entries`: few of them in a write, so
    /// kept by place rather than in an array of every entry (160 bytes each, 1.3 MB made and
    /// cleared at every command at 8,000 items).
    private let decoded: Locked<[Int: ItemState]>
    var decodedCount: Int { decoded.withLock { $0.count } }

    init(bytes: ArraySlice<UInt8>, entries: [Entry]) {
        self.bytes = bytes
        self.entries = entries
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() { index[entry.id] = i }
        self.index = index
        decoded = Locked([:])
    }

    func state(_ id: String) -> ItemState? {
        guard let i = index[id] else { return nil }
        if let s = decoded.withLock({ $0[i] }) { return s }
        let s = readable(at: i)
        decoded.withLock { $0[i] = s }
        return s
    }

    /// The state at entry `i`, or, should it not decode, a failed one that says why.
    private func readable(at i: Int) -> ItemState {
        do {
            return try decode(at: i)
        } catch {
            // The journal vouched for these bytes, so only a golive bug or a forged pair of journal
            // and state.json gets here. The item is shown failed, saying why, never passed.
            var unreadable = ItemState()
            unreadable.status = .failed
            unreadable.note = "state.json's entry for this item cannot be read (\(error)); move state.json aside and the next command rebuilds the state from the journal"
            return unreadable
        }
    }

    /// Every entry an id resolves to, decoded: half here, half on another core.
    func decodeAll() {
        let missing = decoded.withLock { all in entries.indices.filter { all[$0] == nil } }
        let wanted = missing.filter { index[entries[$0].id] == $0 }
        guard wanted.count >= 512 else {
            for i in wanted { _ = state(entries[i].id) }
            return
        }
        let (first, second) = BackgroundWork.inHalves(wanted.count) { [self] part in part.map { readable(at: wanted[$0]) } }
        decoded.withLock { all in
            for (i, s) in zip(wanted, first + second) { all[i] = s }
        }
    }

    func decode(_ id: String) throws -> ItemState {
        guard let i = index[id] else { throw JSONReader.Malformed(description: "no item \(id) in state.json") }
        return try decode(at: i)
    }

    private func decode(at i: Int) throws -> ItemState {
        let id = entries[i].id, range = entries[i].value
        return try bytes.withUnsafeBufferPointer { all in
            var r = JSONReader(bytes: UnsafeBufferPointer(rebasing: all[range]), subject: "state.json's state of \(id)")
            let s = try r.itemState()
            r.skipSpace()
            guard r.i == r.bytes.count else { throw r.fail("text after the item") }
            return s
        }
    }
}
