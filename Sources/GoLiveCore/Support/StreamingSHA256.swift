import Crypto

public struct StreamingSHA256 {
    var hasher = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) { hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes)) }
    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }
    public func finalizeHex() -> String { Digest.hex(hasher.finalize()) }
}
