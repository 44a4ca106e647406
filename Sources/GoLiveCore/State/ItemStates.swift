import Foundation

/// Every item's state, by id. Read from a proven state.json, an item's state stays as the bytes the
/// journal vouched for until something asks for it: a write touches one item, and decoding the
/// other thousands was most of its cost (issue 14). Items changed since (or folded from the journal)
/// are held decoded and win over the kept bytes.
public struct ItemStates: Sendable, Equatable, Codable, ExpressibleByDictionaryLiteral {
    private var changed: [String: ItemState]
    private var kept: KeptItemStates?

    public init(_ states: [String: ItemState] = [:]) {
        changed = states
        kept = nil
    }

    public init(dictionaryLiteral elements: (String, ItemState)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }

    /// Items still as state.json's bytes: `ranges` are offsets into `bytes`, one JSON object each.
    init(keeping bytes: ArraySlice<UInt8>, ranges: [String: Range<Int>]) {
        changed = [:]
        kept = KeptItemStates(bytes: bytes, ranges: ranges)
    }

    public subscript(id: String) -> ItemState? {
        if let s = changed[id] { return s }
        return kept?.state(id)
    }

    public subscript(id: String, default fallback: @autoclosure () -> ItemState) -> ItemState {
        get { self[id] ?? fallback() }
        _modify {
            // Taken out of the kept bytes once; from then on it is changed in place.
            if changed[id] == nil, let s = kept?.state(id) { changed[id] = s }
            yield &changed[id, default: fallback()]
        }
    }

    public var ids: Set<String> {
        guard let kept else { return Set(changed.keys) }
        return Set(changed.keys).union(kept.ranges.keys)
    }

    public var count: Int { ids.count }

    /// Every item decoded: what encoding and comparing need.
    public var all: [String: ItemState] {
        guard let kept else { return changed }
        var out = changed
        for id in kept.ranges.keys where out[id] == nil { out[id] = kept.state(id) }
        return out
    }

    /// Decodes every kept item now, throwing at the first that cannot be read (for checks and
    /// tests; a command reads only the items it needs).
    public func readAll() throws {
        guard let kept else { return }
        for id in kept.ranges.keys where changed[id] == nil { _ = try kept.decode(id) }
    }

    public static func == (a: ItemStates, b: ItemStates) -> Bool { a.all == b.all }

    public func encode(to encoder: Encoder) throws { try all.encode(to: encoder) }

    public init(from decoder: Decoder) throws { self.init(try [String: ItemState](from: decoder)) }
}

/// state.json's item states as proven bytes, each decoded the first time it is asked for and then
/// remembered. Immutable but for that memory, so copies of a state share it safely.
final class KeptItemStates: Sendable {
    let bytes: ArraySlice<UInt8>
    let ranges: [String: Range<Int>]
    private let decoded = Locked<[String: ItemState]>([:])

    init(bytes: ArraySlice<UInt8>, ranges: [String: Range<Int>]) {
        self.bytes = bytes
        self.ranges = ranges
    }

    func state(_ id: String) -> ItemState? {
        guard ranges[id] != nil else { return nil }
        if let s = decoded.withLock({ $0[id] }) { return s }
        let s: ItemState
        do {
            s = try decode(id)
        } catch {
            // The journal vouched for these bytes, so only a golive bug or a forged pair of journal
            // and state.json gets here. The item is shown failed, saying why, never passed.
            var unreadable = ItemState()
            unreadable.status = .failed
            unreadable.note = "state.json's entry for this item cannot be read (\(error)); move state.json aside and the next command rebuilds the state from the journal"
            s = unreadable
        }
        decoded.withLock { $0[id] = s }
        return s
    }

    func decode(_ id: String) throws -> ItemState {
        guard let range = ranges[id] else { throw JSONReader.Malformed(description: "no item \(id) in state.json") }
        return try bytes.withUnsafeBufferPointer { all in
            var r = JSONReader(bytes: UnsafeBufferPointer(rebasing: all[range]), subject: "state.json's state of \(id)")
            let s = try r.itemState()
            r.skipSpace()
            guard r.i == r.bytes.count else { throw r.fail("text after the item") }
            return s
        }
    }
}
