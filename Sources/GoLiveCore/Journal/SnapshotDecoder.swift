import Foundation

/// Reads state.json's state (once its digest matched what the journal committed to) with the
/// record decoder's reader: the items, nearly all of its bytes, directly; the canary, sign-offs
/// and adopted configuration through JSONDecoder for their own bytes. Same rules as JSONDecoder
/// on the synthesised `Codable` (every non-optional key required, unknown keys ignored), checked
/// against it by the tests. Decoding state.json with JSONDecoder was 40% of a write (issue 14).
public enum SnapshotDecoder {
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> RolloutState {
        var r = EventDecoder.Reader(bytes: bytes)
        let state = try r.rolloutState(items: .decoded)
        r.skipSpace()
        guard r.i == bytes.count else { throw r.fail("text after the state") }
        return state
    }

    /// The state with its items left as these bytes, each decoded when first asked for
    /// (`ItemStates`): what a command reads, since it touches a few items of thousands. The bytes
    /// must be proven first; an item that then fails to decode is shown failed, saying why.
    public static func decode(keepingItems bytes: ArraySlice<UInt8>) throws -> RolloutState {
        try read(bytes, items: .located(bytes))
    }

    /// state.json's state in format 9, its items in pieces (`SnapshotPieceFile`): `pieces` makes
    /// the items from the table of their lengths and digests the state lists.
    static func decode(inPieces bytes: ArraySlice<UInt8>, pieces: @escaping ([(length: Int, digest: String)]) -> ItemStates) throws -> RolloutState {
        try read(bytes, items: .inPieces(pieces))
    }

    /// For the benchmark: a format-9 state read as a proof reads it, its pieces not.
    public static func decodeWithoutPieces(_ bytes: ArraySlice<UInt8>) throws -> RolloutState {
        try decode(inPieces: bytes) { _ in ItemStates() }
    }

    /// For the benchmark: a piece's items located, as a command locates the piece it reads.
    public static func locateItems(inPiece bytes: [UInt8]) throws -> Int {
        try bytes.withUnsafeBufferPointer { buffer in
            var r = JSONReader(bytes: buffer, subject: "a piece")
            return try r.locatedMembers(reservingFor: 256).count
        }
    }

    private static func read(_ bytes: ArraySlice<UInt8>, items: EventDecoder.Reader.ItemsRead) throws -> RolloutState {
        try bytes.withUnsafeBufferPointer { buffer in
            var r = EventDecoder.Reader(bytes: buffer)
            let state = try r.rolloutState(items: items, keeping: bytes)
            r.skipSpace()
            guard r.i == buffer.count else { throw r.fail("text after the state") }
            return state
        }
    }

    /// The adoption a snapshot names, read from its first member alone (keys are sorted, and
    /// `adoptedConfig` sorts first): enough to start judging it before the items are read. Not
    /// proven: the caller uses it only if the proven state names the same.
    static func adoptedConfig(in bytes: ArraySlice<UInt8>) -> AdoptedConfig? {
        struct Found: Error { var adopted: AdoptedConfig? }
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var r = EventDecoder.Reader(bytes: buffer)
                try r.object { r, key in
                    guard key == "adoptedConfig" else { throw Found(adopted: nil) }
                    throw Found(adopted: try r.optional { try $0.nested(AdoptedConfig.self) })
                }
            }
        } catch let found as Found {
            return found.adopted
        } catch {}
        return nil
    }

    public static func decode(_ data: Data) throws -> RolloutState {
        try data.withUnsafeBytes { raw in try decode(raw.bindMemory(to: UInt8.self)) }
    }
}

extension EventDecoder.Reader {
    /// How a state's items are read: decoded, located in the bytes being read (to be decoded when
    /// asked for), or as the table of state.json's pieces.
    enum ItemsRead {
        case decoded
        case located(ArraySlice<UInt8>)
        case inPieces(([(length: Int, digest: String)]) -> ItemStates)
    }

    /// `keeping`: the bytes being read, when the item revisions are to stay as bytes (`ItemRevisions`).
    mutating func rolloutState(items read: ItemsRead, keeping kept: ArraySlice<UInt8>? = nil) throws -> RolloutState {
        var s = RolloutState()
        var seen = Set<String>()
        try object { r, key in
            seen.insert(key)
            switch (key, read) {
            case let ("items", .inPieces(make)):
                var table: [(length: Int, digest: String)] = []
                try r.array { r in
                    var entry: (length: Int, digest: String)?
                    var at = 0
                    try r.array { r in
                        switch at {
                        case 0: entry = (try r.int(), "")
                        case 1: entry?.digest = try r.string()
                        default: throw r.fail("a piece of the items is [length, digest]")
                        }
                        at += 1
                    }
                    guard let entry, at == 2 else { throw r.fail("a piece of the items is [length, digest]") }
                    table.append(entry)
                }
                guard table.count == SnapshotPieceFile.count else { throw r.fail("the items are in \(SnapshotPieceFile.count) pieces, not \(table.count)") }
                s.items = make(table)
            case let ("items", .located(kept)):
                let entries = try r.locatedMembers(reservingFor: 256).map { KeptItemStates.Entry(id: $0.key, whole: $0.whole, value: $0.value) }
                s.items = ItemStates(keeping: kept, entries: entries)
            case ("items", _):
                // Room made first for as many items as the bytes can hold (an item's state is
                // rarely under 256 bytes): growing the dictionary as the items came rehashed every
                // id several times, a seventh of the decode.
                var items: [String: ItemState] = [:]
                items.reserveCapacity(r.bytes.count / 256)
                try r.object { r, id in items[id] = try r.itemState() }
                s.items = ItemStates(items)
            case ("itemRevisions", _) where kept != nil:
                r.skipSpace()
                let start = r.i
                try r.skipValue()
                let from = kept!.startIndex
                s.itemRevisions = try ItemRevisions(keeping: kept![(from + start)..<(from + r.i)])
            case ("itemRevisions", _):
                // Room made first for as many as there are colons before the object ends: growing
                // the dictionary rehashed 8,000 ids several times.
                var revisions: [String: Int] = [:]
                revisions.reserveCapacity(r.colonsInNextValue())
                try r.object { r, id in revisions[id] = try r.int() }
                s.itemRevisions = ItemRevisions(revisions)
            case ("signoffs", _): s.signoffs = try r.nested([SignOff].self)
            case ("refusals", _): s.refusals = try r.int()
            case ("seq", _): s.seq = try r.int()
            case ("head", _): s.head = try r.string()
            case ("readinessHead", _): s.readinessHead = try r.string()
            case ("readinessSeq", _): s.readinessSeq = try r.int()
            case ("initializedAt", _): s.initializedAt = try r.optional { try $0.date() }
            case ("lastEventAt", _): s.lastEventAt = try r.optional { try $0.date() }
            case ("canary", _): s.canary = try r.nested(CanaryState.self)
            case ("adoptedConfig", _): s.adoptedConfig = try r.optional { try $0.nested(AdoptedConfig.self) }
            case ("refused", _): s.refused = try r.nested([RefusedRecord].self)
            case ("configApprovals", _): s.configApprovals = try r.nested([ConfigApproval].self)
            default: try r.skipValue()
            }
        }
        let required = ["items", "itemRevisions", "signoffs", "refusals", "seq", "head", "readinessHead", "readinessSeq", "canary", "refused", "configApprovals"]
        if let missing = required.first(where: { !seen.contains($0) }) { throw fail("the state has no '\(missing)'") }
        return s
    }

    mutating func itemState() throws -> ItemState {
        var s = ItemState()
        // The required keys seen, one bit each (a Set of names per item was a fifth of the decode).
        var seen: UInt8 = 0
        let required = ["status", "evidence", "evidenceCount", "revision", "history", "changes"]
        try fields { r, key in
            switch key {
            case "status": s.status = try r.raw(ItemStatus.self); seen |= 1
            case "note": s.note = try r.optional { try $0.string() }
            case "evidence":
                var list: [Evidence] = []
                try r.array { list.append(try $0.evidence()) }
                s.evidence = list
                seen |= 2
            case "evidenceCount": s.evidenceCount = try r.int(); seen |= 4
            case "waiver": s.waiver = try r.optional { try $0.waiver() }
            case "updatedAt": s.updatedAt = try r.optional { try $0.date() }
            case "resultAt": s.resultAt = try r.optional { try $0.date() }
            case "updatedBy": s.updatedBy = try r.optional { try $0.string() }
            case "revision": s.revision = try r.int(); seen |= 8
            case "history":
                var seqs: [Int] = []
                try r.array { seqs.append(try $0.int()) }
                s.history = seqs
                seen |= 16
            case "changes": s.changes = try r.int(); seen |= 32
            default: try r.skipValue()
            }
        }
        if let missing = required.indices.first(where: { seen & (1 << $0) == 0 }) { throw fail("an item's state has no '\(required[missing])'") }
        return s
    }

    mutating func waiver() throws -> Waiver {
        var reason: String?, expires: Date?, by: String?, at: Date?
        try fields { r, key in
            switch key {
            case "reason": reason = try r.string()
            case "expires": expires = try r.date()
            case "by": by = try r.string()
            case "at": at = try r.date()
            default: try r.skipValue()
            }
        }
        guard let reason, let expires, let by, let at else { throw fail("a waiver needs reason, expires, by and at") }
        return Waiver(reason: reason, expires: expires, by: by, at: at)
    }
}
