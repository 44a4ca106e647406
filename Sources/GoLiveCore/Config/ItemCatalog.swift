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
    init(keeping bytes: [UInt8], ids: [String], ranges: [Range<Int>], probeCommands: [String], contours: [Contour],
         digests: [Contour: String], reparse: @escaping @Sendable () -> [ItemDefinition]?) {
        storage = ItemCatalogStorage(bytes: bytes, ids: ids, ranges: ranges, probeCommands: probeCommands, contours: contours,
                                     digests: digests, reparse: reparse)
    }

    public var all: [ItemDefinition] { storage.all }
    public func item(_ id: String) -> ItemDefinition? { storage.item(id) }
    public var ids: [String] { storage.ids }
    /// The probes' commands, in catalog order: the scripts a configuration runs are part of it.
    public var probeCommands: [String] { storage.probeCommands }
    /// The contour of each item, in catalog order (known without decoding a definition).
    public var contours: [Contour] { storage.contours }

    /// The ids of one contour's items, in catalog order, without decoding a definition.
    public func ids(in contour: Contour) -> [String] { storage.ids(in: contour) }

    /// The same catalog object (what was found for it can be used again), not merely equal.
    func isSame(as other: ItemCatalog) -> Bool { storage === other.storage }

    /// Where the item with this id stands in catalog order.
    func position(of id: String) -> Int? { storage.position(of: id) }

    /// The contour of the item with this id, without decoding its definition.
    public func contour(of id: String) -> Contour? { storage.position(of: id).map { storage.contours[$0] } }

    /// Where the item whose id has these UTF-8 bytes stands in catalog order (ItemIdTable).
    func position(ofIdBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { storage.idsByBytes.position(of: bytes) }

    /// Each item's contour as its place in `Contour.allCases`, in catalog order.
    var contourOrdinals: [Int] { storage.contourOrdinals }

    /// The SHA-256 of what a contour's sign-off covers of its definitions (see
    /// Readiness.contourHash): kept with the parse, or computed once per catalog.
    public func definitionsDigest(_ contour: Contour) -> String { storage.digest(contour) }

    /// The definitions' part of a contour's digest: each item's id, severity, owner, title and
    /// probe, in id order. A sign-off covers the questions as they were asked.
    static func definitionsDigest(of items: [ItemDefinition], contour: Contour) -> String {
        var text = contour.rawValue
        for item in items.filter({ $0.contour == contour }).sorted(by: { $0.id < $1.id }) {
            text += "|\(item.id):\(item.severity.rawValue):\(item.owner):\(item.title)"
            if let probe = item.probe { text += ":\(probe.command) \(probe.arguments.joined(separator: " ")):\(probe.maxAgeMinutes ?? 0)" }
        }
        return Digest.sha256Hex(Data(text.utf8))
    }

    /// Every contour's definitions digest, for a kept parse.
    static func definitionsDigests(of items: [ItemDefinition]) -> [Contour: String] {
        Dictionary(uniqueKeysWithValues: Contour.allCases.map { ($0, definitionsDigest(of: items, contour: $0)) })
    }

    public static func == (a: ItemCatalog, b: ItemCatalog) -> Bool { a.storage === b.storage || a.all == b.all }
}

/// Immutable but for the definitions decoded so far, so copies of a configuration share it.
final class ItemCatalogStorage: Sendable {
    let ids: [String]
    let probeCommands: [String]
    let contours: [Contour]
    private let digests: Locked<[Contour: String]>
    private let bytes: [UInt8]
    private let ranges: [Range<Int>]
    private let reparse: (@Sendable () -> [ItemDefinition]?)?
    private let decoded: Locked<[ItemDefinition]?>
    /// Definitions decoded one at a time, kept: the judge asks for an item's at every record.
    private let decodedOne = Locked<[Int: ItemDefinition]>([:])
    /// Each contour's ids, found once: a write reads them for every signed contour, twice (the
    /// sign-offs before and after it), and finding them anew was a fifth of a write in the store agent.
    private let idsByContour = Locked<[Contour: [String]]>([:])
    private let idTable = Locked<ItemIdTable?>(nil)
    private let ordinals = Locked<[Int]?>(nil)

    var contourOrdinals: [Int] {
        if let made = ordinals.withLock({ $0 }) { return made }
        let made = contours.map { Contour.allCases.firstIndex(of: $0)! }
        ordinals.withLock { $0 = made }
        return made
    }

    /// Where the item with this id stands in catalog order (the first, should the catalog name it
    /// twice). Through the ids' table by their bytes (`ItemIdTable`), made once per catalog, not a
    /// String-keyed index of its own: making that index hashed every id with Hasher at every
    /// command that read the configuration, 3% of a write alone at 8,000 items (issue 30).
    func position(of id: String) -> Int? {
        var id = id
        return id.withUTF8 { idsByBytes.position(of: $0) }
    }

    /// The ids by their bytes, made once per catalog.
    var idsByBytes: ItemIdTable {
        if let made = idTable.withLock({ $0 }) { return made }
        let made = ItemIdTable(ids: ids)
        idTable.withLock { $0 = made }
        return made
    }

    func ids(in contour: Contour) -> [String] {
        if let found = idsByContour.withLock({ $0[contour] }) { return found }
        let found = zip(ids, contours).compactMap { $0.1 == contour ? $0.0 : nil }
        idsByContour.withLock { $0[contour] = found }
        return found
    }

    init(_ items: [ItemDefinition]) {
        ids = items.map(\.id)
        probeCommands = items.compactMap { $0.probe?.command }
        contours = items.map(\.contour)
        digests = Locked([:])
        bytes = []
        ranges = []
        reparse = nil
        decoded = Locked(items)
    }

    init(bytes: [UInt8], ids: [String], ranges: [Range<Int>], probeCommands: [String], contours: [Contour], digests: [Contour: String],
         reparse: @escaping @Sendable () -> [ItemDefinition]?) {
        self.ids = ids
        self.contours = contours
        self.digests = Locked(digests)
        self.probeCommands = probeCommands
        self.bytes = bytes
        self.ranges = ranges
        self.reparse = reparse
        decoded = Locked(nil)
    }

    var all: [ItemDefinition] {
        if let done = decoded.withLock({ $0 }) { return done }
        let items: [ItemDefinition]
        if let read = decodeEvery() {
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

    /// Every definition, half here and half on another core: `status`, the gate and the cockpit
    /// read them all, and at 8,000 items one core took a sixth of a cold `status`.
    private func decodeEvery() -> [ItemDefinition]? {
        guard ranges.count >= 512 else { return try? ranges.indices.map { try decode($0) } }
        let (first, second) = BackgroundWork.inHalves(ranges.count) { [self] part in try? part.map { try decode($0) } }
        guard let first, let second else { return nil }
        return first + second
    }

    func digest(_ contour: Contour) -> String {
        if let kept = digests.withLock({ $0[contour] }) { return kept }
        let made = ItemCatalog.definitionsDigest(of: all, contour: contour)
        digests.withLock { $0[contour] = made }
        return made
    }

    func item(_ id: String) -> ItemDefinition? {
        if let done = decoded.withLock({ $0 }) {
            // Parsed again after a kept definition failed, the catalog may not be in the kept order.
            if let i = position(of: id), i < done.count, done[i].id == id { return done[i] }
            return done.first { $0.id == id }
        }
        guard let i = position(of: id) else { return nil }
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
