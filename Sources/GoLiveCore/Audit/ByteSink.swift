import Foundation

/// Buffered output to a file descriptor, so exports stream in constant memory.
public final class ByteSink {
    let fd: Int32
    var buffer: [UInt8] = []
    public private(set) var written = 0
    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }
    public func write(_ text: String) throws { try write(text.utf8) }
    public func flush() throws {
        var off = 0
        while off < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, buffer.count - off) }
            if n < 0 { if errno == EINTR { continue }; throw StoreError.io("write failed: \(String(cString: strerror(errno)))") }
            off += n
        }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
