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

    /// The string value after the last occurrence of `marker` (`"kind":"`), up to its closing
    /// quote: a record's field read without decoding it (a quote inside a JSON string is escaped,
    /// so the marker cannot occur in one).
    public static func value(after marker: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> String? {
        guard let start = end(ofLast: marker, in: line) else { return nil }
        var end = start
        while end < line.count, line[end] != UInt8(ascii: "\"") { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }

    /// Where the last occurrence of `marker` in `line` ends, searching from the end.
    public static func end(ofLast marker: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard line.count >= marker.count else { return nil }
        var at = line.count - marker.count
        while at >= 0 && !(line[at] == marker[0] && marker.indices.allSatisfy { line[at + $0] == marker[$0] }) { at -= 1 }
        return at >= 0 ? at + marker.count : nil
    }
}
