import Foundation

/// Finding bytes in a line without decoding it: the journal's readers work on raw records.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `hay`.
    public static func find(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Int? {
        guard let base = hay.baseAddress, let first = needle.first, needle.count <= hay.count else { return nil }
        var i = 0
        while i <= hay.count - needle.count {
            guard let hit = memchr(base + i, Int32(first), hay.count - needle.count - i + 1) else { return nil }
            let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            if needle.withUnsafeBufferPointer({ memcmp(base + at, $0.baseAddress!, needle.count) }) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    public static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool { find(hay, needle) != nil }
}
