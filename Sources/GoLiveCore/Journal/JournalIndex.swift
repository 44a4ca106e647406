import Foundation

/// Finds a record by its seq without reading the journal from the start: records are in seq
/// order, so a bisection over byte positions needs about log2(size / 64 KiB) small reads. The
/// cockpit's item history and its cursor then cost the same at a thousand records or a million.
struct JournalIndex {
    let fd: Int32
    let path: String
    let size: Int
    static let chunk = 4096
    /// Below this span the records are read in order rather than bisected further.
    static let linearSpan = 64 * 1024

    init(fd: Int32, path: String) throws {
        self.fd = fd
        self.path = path
        size = try SystemCall.sizeOf(fd, path: path)
    }

    /// The seq at the start of a line: `{"v":N,"seq":M,` (every record starts so).
    static func seq(atStartOf bytes: ArraySlice<UInt8>) -> Int? {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        guard text.hasPrefix(#"{"v":"#), let r = text.range(of: #","seq":"#) else { return nil }
        return Int(text[r.upperBound...].prefix { $0.isNumber })
    }

    /// The start of the first line that begins at or after `position`, or nil past the end.
    /// Reads grow as they go: an adoption record carries rollout.yaml's text (a megabyte at
    /// 8,000 items), and a bisection that lands in it must not cross it 4 KiB at a time.
    func lineStart(atOrAfter position: Int) throws -> Int? {
        if position == 0 { return 0 }
        var at = position - 1, count = Self.chunk
        while at < size {
            let bytes = try SystemCall.readExactly(fd, count: min(count, size - at), at: at, path: path)
            if let nl = Self.newline(in: bytes) { return at + nl + 1 < size ? at + nl + 1 : nil }
            at += bytes.count
            count = min(count * 2, Self.largestRead)
        }
        return nil
    }

    /// The line that starts at `offset`, without its newline; nil for a torn last line.
    func line(at offset: Int) throws -> [UInt8]? {
        var out: [UInt8] = []
        var at = offset, count = Self.chunk * 4
        while at < size {
            let bytes = try SystemCall.readExactly(fd, count: min(count, size - at), at: at, path: path)
            if let nl = Self.newline(in: bytes) {
                if out.isEmpty { return Array(bytes[..<nl]) }
                out += bytes[..<nl]
                return out
            }
            out += bytes
            at += bytes.count
            count = min(count * 2, Self.largestRead)
        }
        return nil
    }

    /// The line at `offset` when it is `length` bytes long (a hint), read at once; nil when the
    /// bytes there do not end a line exactly there (the hint was wrong: read it as any line).
    func line(at offset: Int, length: Int) throws -> [UInt8]? {
        guard length > 0, offset + length < size else { return nil }
        var bytes = try SystemCall.readExactly(fd, count: length + 1, at: offset, path: path)
        guard bytes.last == 0x0a, Self.newline(in: bytes) == length else { return nil }
        bytes.removeLast()
        return bytes
    }

    static let largestRead = 1 << 20

    static func newline(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let hit = memchr(base, 0x0a, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    /// Whether a line starts at `offset` (a remembered or hinted position, checked before use).
    func startsLine(at offset: Int) throws -> Bool {
        if offset == 0 { return true }
        guard offset <= size else { return false }
        return try SystemCall.readExactly(fd, count: 1, at: offset - 1, path: path) == [0x0a]
    }

    func seq(at offset: Int) throws -> Int? {
        let head = try SystemCall.readExactly(fd, count: min(64, size - offset), at: offset, path: path)
        return Self.seq(atStartOf: head[...])
    }

    /// The offset of the record with this seq, or nil when the journal has none.
    func offset(ofSeq target: Int) throws -> Int? {
        var lo = 0, hi = size
        while hi - lo > Self.linearSpan {
            let mid = lo + (hi - lo) / 2
            guard let start = try lineStart(atOrAfter: mid), start < hi, let seq = try seq(at: start) else {
                hi = mid
                continue
            }
            if seq == target { return start }
            if seq > target { hi = mid } else { lo = start }
        }
        var at = try lineStart(atOrAfter: lo)
        while let start = at, start < size {
            guard let line = try line(at: start) else { return nil }
            guard let seq = Self.seq(atStartOf: line[...]) else { return nil }
            if seq == target { return start }
            if seq > target { return nil }
            at = start + line.count + 1
        }
        return nil
    }
}
