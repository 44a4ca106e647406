import Foundation

/// The SSH wire encoding (RFC 4251 §5): big-endian uint32 and length-prefixed strings. Used for
/// keys, SSHSIG signatures and the agent protocol; a reader that runs out of bytes says so rather
/// than crashing, since every input here comes from a file or a socket.
public struct SSHWire {
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    let bytes: [UInt8]
    var at = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { at == bytes.count }

    public mutating func uint32() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw Malformed(description: "truncated (expected 4 more bytes at \(at))") }
        defer { at += 4 }
        return bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func byte() throws -> UInt8 {
        guard at < bytes.count else { throw Malformed(description: "truncated (expected a byte at \(at))") }
        defer { at += 1 }
        return bytes[at]
    }

    public mutating func string() throws -> [UInt8] {
        let n = Int(try uint32())
        guard n <= bytes.count - at else { throw Malformed(description: "a field claims \(n) bytes but \(bytes.count - at) remain") }
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    public mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count <= bytes.count - at else { throw Malformed(description: "truncated (expected \(count) bytes at \(at))") }
        defer { at += count }
        return Array(bytes[at..<(at + count)])
    }

    public static func uint32(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }

    public static func string<B: Collection<UInt8>>(_ b: B) -> [UInt8] { uint32(UInt32(b.count)) + Array(b) }

    public static func string(_ s: String) -> [UInt8] { string(Array(s.utf8)) }
}

extension SSHWire {
    /// An mpint's magnitude without the sign byte OpenSSH prepends when the top bit is set.
    static func unsignedMagnitude(_ mpint: [UInt8]) -> [UInt8] { Array(mpint.drop(while: { $0 == 0 })) }
}
