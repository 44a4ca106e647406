import Crypto
import Foundation

public enum Digest {
    public static func sha256Hex<D: DataProtocol>(_ data: D) -> String {
        hex(SHA256.hash(data: data))
    }

    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let table: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of a whole file, read in 1 MiB pieces.
    public static func fileSha256(_ url: URL) throws -> String {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var hasher = StreamingSHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try SystemCall.readSome(fd, into: $0, path: url.path) }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalizeHex()
    }
}
