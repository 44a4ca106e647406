import Foundation

/// Buffered output to a file descriptor, so exports stream in constant memory.
public final class ByteSink {
    let fd: Int32
    let path: String
    var buffer: [UInt8] = []
    public private(set) var written = 0
    /// `path` names the destination in error messages ("standard output" for fd 1).
    public init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }
    public func write(_ text: String) throws { try write(text.utf8) }
    public func flush() throws {
        try SystemCall.writeAll(fd, buffer, path: path)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
