import Foundation

/// Item revisions as state.json's proven bytes, `{"id":seq,…}` with plain ASCII ids: checked to
/// be that when read, decoded whole only when something asks for one by id. The ids' bytes are
/// then the ids, so the entries are in the order of the ids' bytes as written.
final class KeptItemRevisions: Sendable {
    let bytes: ArraySlice<UInt8>
    /// How many entries the object holds.
    let count: Int
    /// Where each entry's id lies and its seq, in the order written, and whether the ids rise
    /// strictly in the order of their bytes, as golive writes them: then one id's revision is
    /// found by halving (`revision(of:)`), not by reading every entry.
    private let ids: [Range<Int>]
    private let seqs: [Int]
    private let ascending: Bool
    private let decoded: Locked<[String: Int]?>
    /// Each contour's newest kept revision, for the catalog it was found for: every write asks
    /// for it twice (the sign-offs before and after it), a long-lived process (the store agent) at
    /// each write, and each time all 8,000 entries were scanned and the contours none of whose
    /// items is among the newest few searched item by item (39% of a write in the agent).
    private let newestInContours = Locked<(catalog: ItemCatalog, found: [Contour: Int])?>(nil)
    /// How many times each contour's newest was searched for (for the tests).
    let contourSearches = Locked(0)

    /// Throws unless `bytes` are `{"id":seq,…}` as golive writes them, every id plain ASCII
    /// without escapes (anything else is read by the JSON reader, as any other state).
    init(_ bytes: ArraySlice<UInt8>) throws {
        self.bytes = bytes
        var escaped = false, ascending = true
        var ids: [Range<Int>] = [], seqs: [Int] = []
        try bytes.withUnsafeBufferPointer { buffer in
            try Self.entries(bytes) { id, escapes, seq, _ in
                if escapes { escaped = true }
                if let previous = ids.last, !buffer[previous].lexicographicallyPrecedes(buffer[id]) { ascending = false }
                ids.append(id)
                seqs.append(seq)
            }
        }
        guard !escaped else { throw Malformed(at: 0) }
        count = ids.count
        self.ids = ids
        self.seqs = seqs
        self.ascending = ascending
        decoded = Locked(nil)
    }

    /// Every entry by id, decoded once (for a lookup by id or a comparison).
    var all: [String: Int] {
        if let done = decoded.withLock({ $0 }) { return done }
        var out: [String: Int] = [:]
        out.reserveCapacity(count)
        // The ids are plain ASCII without escapes (checked when read): their bytes are the ids.
        bytes.withUnsafeBufferPointer { buffer in
            for (id, seq) in zip(ids, seqs) { out[String(decoding: UnsafeBufferPointer(rebasing: buffer[id]), as: UTF8.self)] = seq }
        }
        decoded.withLock { $0 = out }
        return out
    }

    /// Each contour's newest kept revision (none when none of its items has one): from the newest
    /// few down, the first item met of each contour is its newest; a contour with none among them,
    /// from each of its items.
    func newestByContour(_ catalog: ItemCatalog) -> [Contour: Int] {
        if let memo = newestInContours.withLock({ $0 }), memo.catalog.isSame(as: catalog) { return memo.found }
        contourSearches.withLock { $0 += 1 }
        let few = 64
        var found: [Contour: Int] = [:]
        for entry in newest(few) {
            guard let contour = catalog.contour(of: entry.id), found[contour] == nil else { continue }
            found[contour] = entry.seq
        }
        // Every entry went through the newest few when there are no more than that. Otherwise a
        // contour with few items (capabilities, whose items change only when waived, has none
        // among the newest few in a long rollout) has each of its items looked up by halving:
        // a pass over every entry for them was 7% of a write alone at 8,000 items (issue 30).
        let missing = Contour.allCases.filter { found[$0] == nil }
        if count > few, !missing.isEmpty {
            let fewer = missing.map { ($0, catalog.ids(in: $0)) }
            if ascending, fewer.reduce(0, { $0 + $1.1.count }) <= count / 16 {
                for (contour, inContour) in fewer { found[contour] = inContour.compactMap(revision(of:)).max() }
            } else {
                // Else one pass over them all, each id's contour found from its bytes (ItemIdTable):
                // decoding the whole table by id and searching each such contour's items in it was
                // 3 ms of a write alone at 8,000 items (issue 30).
                let contours = catalog.contourOrdinals
                var newest = [Int?](repeating: nil, count: Contour.allCases.count)
                bytes.withUnsafeBufferPointer { buffer in
                    for (id, seq) in zip(ids, seqs) {
                        guard let position = catalog.position(ofIdBytes: UnsafeBufferPointer(rebasing: buffer[id])) else { continue }
                        let c = contours[position]
                        if seq > newest[c] ?? .min { newest[c] = seq }
                    }
                }
                for (c, contour) in Contour.allCases.enumerated() where found[contour] == nil { found[contour] = newest[c] }
            }
        }
        newestInContours.withLock { $0 = (catalog, found) }
        return found
    }

    /// The kept revision of `id`, found by halving the entries (only when they rise, see `ascending`).
    func revision(of id: String) -> Int? {
        guard ascending else { return nil }
        let wanted = Array(id.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var low = 0, high = ids.count - 1
            while low <= high {
                let mid = (low + high) / 2
                let here = buffer[ids[mid]]
                if here.lexicographicallyPrecedes(wanted) {
                    low = mid + 1
                } else if wanted.lexicographicallyPrecedes(here) {
                    high = mid - 1
                } else {
                    return seqs[mid]
                }
            }
            return nil
        }
    }

    /// The `n` newest entries, newest first.
    func newest(_ n: Int) -> [(seq: Int, id: String)] {
        guard n > 0 else { return [] }
        var top: [(seq: Int, id: String)] = []
        top.reserveCapacity(n)
        var lowest = 0
        bytes.withUnsafeBufferPointer { buffer in
            for (id, seq) in zip(ids, seqs) {
                guard top.count < n || seq > top[lowest].seq else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[id]), as: UTF8.self)
                if top.count < n {
                    top.append((seq, name))
                } else {
                    top[lowest] = (seq, name)
                }
                if top.count == n { lowest = top.indices.min { top[$0].seq < top[$1].seq }! }
            }
        }
        return top.sorted { $0.seq > $1.seq }
    }

    /// The object with `changed` merged in, in the order of the ids' bytes, the kept entries
    /// copied as they are (nil only should the checked bytes no longer read).
    func merged(with changed: [String: Int]) -> [UInt8]? {
        let adds = changed.map { (id: Array($0.key.utf8), name: $0.key, seq: $0.value) }.sorted { $0.id.lexicographicallyPrecedes($1.id) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + adds.count * 48)
        out.append(UInt8(ascii: "{"))
        var next = 0
        func comma() { if out.count > 1 { out.append(UInt8(ascii: ",")) } }
        func add(_ k: Int) {
            comma()
            SnapshotEncoder.appendRevision(adds[k].name, adds[k].seq, to: &out)
        }
        let ok: Void? = bytes.withUnsafeBufferPointer { buffer in
            try? Self.entries(bytes) { id, _, _, whole in
                let name = UnsafeBufferPointer(rebasing: buffer[id])
                while next < adds.count, adds[next].id.lexicographicallyPrecedes(name) {
                    add(next)
                    next += 1
                }
                if next < adds.count, adds[next].id.elementsEqual(name) {
                    add(next)
                    next += 1
                    return
                }
                comma()
                out.append(contentsOf: buffer[whole])
            }
        }
        guard ok != nil else { return nil }
        while next < adds.count {
            add(next)
            next += 1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    struct Malformed: Error, CustomStringConvertible {
        var at: Int
        var description: String { "state.json's item revisions are not {\"id\":seq,…} at byte \(at)" }
    }

    /// Each entry of `{"id":seq,…}` as golive writes it (no spaces): its id's bytes (between the
    /// quotes), whether they hold an escape, its seq, and the whole `"id":seq`, as offsets into the
    /// buffer of `bytes`.
    static func entries(_ bytes: ArraySlice<UInt8>, _ body: (Range<Int>, Bool, Int, Range<Int>) throws -> Void) throws {
        try bytes.withUnsafeBufferPointer { p in
            let n = p.count
            guard n >= 2, p[0] == UInt8(ascii: "{") else { throw Malformed(at: 0) }
            var i = 1
            if p[i] == UInt8(ascii: "}") {
                guard i + 1 == n else { throw Malformed(at: i + 1) }
                return
            }
            while true {
                let start = i
                guard i < n, p[i] == UInt8(ascii: "\"") else { throw Malformed(at: i) }
                i += 1
                var escapes = false
                while i < n, p[i] != UInt8(ascii: "\"") {
                    guard p[i] >= 0x20, p[i] < 0x80 else { throw Malformed(at: i) }
                    if p[i] == UInt8(ascii: "\\") {
                        escapes = true
                        i += 1
                    }
                    i += 1
                }
                guard i < n else { throw Malformed(at: i) }
                let id = (start + 1)..<i
                i += 1
                guard i < n, p[i] == UInt8(ascii: ":") else { throw Malformed(at: i) }
                i += 1
                let negative = i < n && p[i] == UInt8(ascii: "-")
                if negative { i += 1 }
                var seq = 0, digits = 0
                while i < n, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9") {
                    seq = seq * 10 + Int(p[i] - UInt8(ascii: "0"))
                    digits += 1
                    i += 1
                }
                guard digits > 0, digits <= 18, digits == 1 || p[i - digits] != UInt8(ascii: "0") else { throw Malformed(at: i) }
                try body(id, escapes, negative ? -seq : seq, start..<i)
                guard i < n else { throw Malformed(at: i) }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard p[i] == UInt8(ascii: "}"), i + 1 == n else { throw Malformed(at: i) }
                return
            }
        }
    }
}
