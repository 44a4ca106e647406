import Foundation

/// The catalog's item definitions, in their order, found by id. From a kept parse
/// (ParsedConfigCache) they stay as its bytes until asked for: a write asks for one item, and
/// decoding thousands was a third of it at 8,000 items (issue 14).
public struct ItemCatalog: Sendable, Equatable {
    private let storage: ItemCatalogStorage

    public init(_ items: [ItemDefinition]) {
        storage = ItemCatalogStorage(items)
    }

    /// `ranges[i]` holds the JSON of the definition with id `ids[i]`, in catalog order.
    /// `reparse` gives the catalog anew should a kept definition ever fail to decode.
    init(keeping bytes: [UInt8], ids: [String], ranges: [Range<Int>], probeCommands: [String],
         reparse: @escaping @Sendable () -> [ItemDefinition]?) {
        storage = ItemCatalogStorage(bytes: bytes, ids: ids, ranges: ranges, probeCommands: probeCommands, reparse: reparse)
    }

    public var all: [ItemDefinition] { storage.all }
    public func item(_ id: String) -> ItemDefinition? { storage.item(id) }
    public var ids: [String] { storage.ids }
    /// The probes' commands, in catalog order: the scripts a configuration runs are part of it.
    public var probeCommands: [String] { storage.probeCommands }

    public static func == (a: ItemCatalog, b: ItemCatalog) -> Bool { a.storage === b.storage || a.all == b.all }
}

/// Immutable but for the definitions decoded so far, so copies of a configuration share it.
final class ItemCatalogStorage: Sendable {
    let ids: [String]
    let index: [String: Int]
    let probeCommands: [String]
    private let bytes: [UInt8]
    private let ranges: [Range<Int>]
    private let reparse: (@Sendable () -> [ItemDefinition]?)?
    private let decoded: Locked<[ItemDefinition]?>
    /// Definitions decoded one at a time, kept: the judge asks for an item's at every record.
    private let decodedOne = Locked<[Int: ItemDefinition]>([:])

    init(_ items: [ItemDefinition]) {
        ids = items.map(\.id)
        index = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        probeCommands = items.compactMap { $0.probe?.command }
        bytes = []
        ranges = []
        reparse = nil
        decoded = Locked(items)
    }

    init(bytes: [UInt8], ids: [String], ranges: [Range<Int>], probeCommands: [String], reparse: @escaping @Sendable () -> [ItemDefinition]?) {
        self.ids = ids
        index = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.probeCommands = probeCommands
        self.bytes = bytes
        self.ranges = ranges
        self.reparse = reparse
        decoded = Locked(nil)
    }

    var all: [ItemDefinition] {
        if let done = decoded.withLock({ $0 }) { return done }
        let items: [ItemDefinition]
        if let read = try? ranges.indices.map({ try decode($0) }) {
            items = read
        } else if let again = reparse?() {
            // Our own entry, digest-checked, written by this very binary: only a golive bug gets here.
            items = again
        } else {
            fatalError("golive's kept parse of rollout.yaml cannot be read and rollout.yaml no longer parses; remove the cache folder (~/.cache/golive/parsed) and run again")
        }
        decoded.withLock { $0 = items }
        return items
    }

    func item(_ id: String) -> ItemDefinition? {
        if let done = decoded.withLock({ $0 }) {
            // Parsed again after a kept definition failed, the catalog may not be in the kept order.
            if let i = index[id], i < done.count, done[i].id == id { return done[i] }
            return done.first { $0.id == id }
        }
        guard let i = index[id] else { return nil }
        if let kept = decodedOne.withLock({ $0[i] }) { return kept }
        if let one = try? decode(i) {
            decodedOne.withLock { $0[i] = one }
            return one
        }
        return all.first { $0.id == id }
    }

    private func decode(_ i: Int) throws -> ItemDefinition {
        try bytes.withUnsafeBufferPointer { all in
            var r = JSONReader(bytes: UnsafeBufferPointer(rebasing: all[ranges[i]]), subject: "a parsed configuration")
            let item = try r.itemDefinition()
            guard item.id == ids[i] else { throw r.fail("the definition kept for \(ids[i]) is of \(item.id)") }
            return item
        }
    }
}
