import Foundation

/// Each catalog id's position, found from the id's UTF-8 bytes as they lie in state.json's item
/// revisions: no String made and no Hasher run per id. Each contour's newest revision joins the
/// revisions to the catalog (`KeptItemRevisions.newestByContour`), and doing that through the
/// catalog's String-keyed index was 3 ms of a write alone at 8,000 items (issue 30).
/// Open addressing on FNV-1a; a slot found is believed only once its id's bytes compare equal.
final class ItemIdTable: Sendable {
    /// Every id's bytes, one after another, and where each starts (one more: the end).
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Position + 1 of the id in each slot; 0: empty.
    private let slots: [Int32]
    /// Each slot's id's hash, high half: most slots of another id are passed without comparing bytes.
    private let tags: [UInt32]
    private let mask: Int

    init(ids: [String]) {
        var bytes: [UInt8] = [], starts: [Int] = []
        starts.reserveCapacity(ids.count + 1)
        bytes.reserveCapacity(ids.count * 24)
        for var id in ids {
            starts.append(bytes.count)
            id.withUTF8 { bytes.append(contentsOf: $0) }
        }
        starts.append(bytes.count)
        var size = 16
        while size < ids.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: 0, count: size), tags = [UInt32](repeating: 0, count: size)
        bytes.withUnsafeBufferPointer { all in
            for position in ids.indices {
                let h = Self.hash(UnsafeBufferPointer(rebasing: all[starts[position]..<starts[position + 1]]))
                var i = h & (size - 1)
                while slots[i] != 0 { i = (i + 1) & (size - 1) }
                slots[i] = Int32(position + 1)
                tags[i] = Self.tag(h)
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.tags = tags
        mask = size - 1
    }

    /// The position of the id whose bytes these are (the first, should the catalog name it twice,
    /// as the catalog's index keeps the first).
    func position(of id: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(id), tag = Self.tag(h)
        var i = h & mask
        var found: Int?
        bytes.withUnsafeBufferPointer { all in
            while slots[i] != 0 {
                let position = Int(slots[i]) - 1
                if tags[i] == tag, position < found ?? .max, starts[position + 1] - starts[position] == id.count,
                   id.count == 0 || memcmp(all.baseAddress! + starts[position], id.baseAddress!, id.count) == 0 {
                    found = position
                }
                i = (i + 1) & mask
            }
        }
        return found
    }

    static func tag(_ hash: Int) -> UInt32 { UInt32(truncatingIfNeeded: UInt64(bitPattern: Int64(hash)) >> 32) }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
