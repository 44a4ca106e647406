import Foundation

/// The seq of each item's last change, by id. Read from a proven state.json, the revisions stay as
/// the bytes the journal vouched for (`{"id":seq,…}` in the order of the ids' bytes): what a write
/// asks of them is each contour's newest change, found from the newest few (`newest`), and
/// decoding 8,000 of them into a dictionary at every command was the last of a write's growth
/// with history at 8,000 items (issue 30). Changes since are held apart and win.
public struct ItemRevisions: Sendable, Equatable, Codable, ExpressibleByDictionaryLiteral {
    private var changed: [String: Int]
    private var kept: KeptItemRevisions?

    public init(_ revisions: [String: Int] = [:]) {
        changed = revisions
        kept = nil
    }

    public init(dictionaryLiteral elements: (String, Int)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }

    /// `bytes`: the revisions object as state.json holds it, proven. Kept as bytes when they are
    /// as golive writes them (plain ASCII ids); otherwise read as JSONDecoder would read them, or refused.
    init(keeping bytes: ArraySlice<UInt8>) throws {
        if let kept = try? KeptItemRevisions(bytes) {
            self.init()
            self.kept = kept
            return
        }
        var revisions: [String: Int] = [:]
        try bytes.withUnsafeBufferPointer { buffer in
            var r = JSONReader(bytes: buffer, subject: "state.json's item revisions")
            try r.object { r, id in revisions[id] = try r.int() }
            r.skipSpace()
            guard r.i == buffer.count else { throw r.fail("text after the item revisions") }
        }
        self.init(revisions)
    }

    public subscript(id: String) -> Int? {
        get {
            if let seq = changed[id] { return seq }
            return kept?.all[id]
        }
        set { changed[id] = newValue }
    }

    /// At least as many as there are (an id both kept and changed counts twice).
    var countAtMost: Int { changed.count + (kept?.count ?? 0) }

    /// Every id's revision.
    public var all: [String: Int] {
        guard let kept else { return changed }
        return kept.all.merging(changed) { _, new in new }
    }

    /// Each contour's newest revision (the seq of the newest change to any of its items; none when
    /// none changed). A change is never older than its item's kept revision (each is the seq of a
    /// record folded after state.json's), so a contour's newest is the newer of its kept newest,
    /// found once per catalog, and its changes'.
    func newestByContour(_ catalog: ItemCatalog) -> [Contour: Int] {
        var found = kept?.newestByContour(catalog) ?? [:]
        for (id, seq) in changed {
            if let contour = catalog.contour(of: id), seq > found[contour] ?? 0 { found[contour] = seq }
        }
        return found
    }

    /// How many times the kept revisions were searched for each contour's newest (for the tests).
    var keptContourSearches: Int { kept?.contourSearches.withLock { $0 } ?? 0 }

    public static func == (a: ItemRevisions, b: ItemRevisions) -> Bool { a.all == b.all }

    /// `{"id":seq,…}` in the order of the ids' UTF-8 bytes, so the same revisions always give the
    /// same bytes. Kept revisions are copied as they were read, the changed ones merged in among
    /// them: sorting 8,000 of them twice was most of the rest of the write that saves state.json.
    func appendJSON(to out: inout [UInt8]) {
        guard let kept, let merged = kept.merged(with: changed) else {
            SnapshotEncoder.appendRevisions(all, to: &out)
            return
        }
        out.append(contentsOf: merged)
    }

    public func encode(to encoder: Encoder) throws { try all.encode(to: encoder) }

    public init(from decoder: Decoder) throws { self.init(try [String: Int](from: decoder)) }
}
