import Crypto
import Foundation

/// Reads a file line by line in large chunks, so memory stays flat whatever the journal's size.
public struct LineReader {
    let fd: Int32
    let path: String
    var buffer: [UInt8]
    var start = 0
    var end = 0
    var eof = false
    public private(set) var lineNumber = 0
    /// Bytes of a last line that has no newline: a torn write.
    public private(set) var tornTail: [UInt8]? = nil
    public private(set) var offset: Int = 0

    /// Lines that start at or after this byte are not read: a reader that names a journal head
    /// (an export's header) reads exactly up to it, whatever is appended meanwhile.
    let limit: Int

    public init(fd: Int32, path: String, upTo limit: Int = .max, chunk: Int = 1 << 22) {
        self.fd = fd
        self.path = path
        self.limit = limit
        // Not zeroed: read() fills what is used, and zeroing 4 MiB to fold a few records was 5% of a write.
        buffer = [UInt8](unsafeUninitializedCapacity: chunk) { _, count in count = chunk }
    }

    /// Calls `body` with each complete line (without its newline); stops early when it returns false.
    public mutating func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws {
        while true {
            var found = false
            let keepGoing: Bool = try buffer.withUnsafeBufferPointer { buf in
                guard end > start, let base = buf.baseAddress else { return true }
                let searchFrom = base + start
                if offset >= limit { return false }
                if let nl = memchr(searchFrom, 0x0a, end - start) {
                    let len = UnsafePointer(nl.assumingMemoryBound(to: UInt8.self)) - searchFrom
                    lineNumber += 1
                    let line = UnsafeBufferPointer(start: searchFrom, count: len)
                    let r = try body(line, lineNumber)
                    start += len + 1
                    offset += len + 1
                    found = true
                    return r
                }
                return true
            }
            if !keepGoing { return }
            if found { continue }
            if eof {
                if end > start { tornTail = Array(buffer[start..<end]) }
                return
            }
            // Move the partial line to the front and read more; grow for very long lines.
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
                }
                end -= start
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let n = try buffer.withUnsafeMutableBytes { raw in
                try SystemCall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]), path: path)
            }
            if n == 0 { eof = true } else { end += n }
        }
    }
}
