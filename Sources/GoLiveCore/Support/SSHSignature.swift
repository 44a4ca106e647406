import Crypto
import Foundation

/// An SSH signature in OpenSSH's SSHSIG format (PROTOCOL.sshsig), the format `ssh-keygen -Y sign`
/// writes and `ssh-keygen -Y verify` checks: the signer's public key, a namespace that keeps a
/// signature made for one purpose from being replayed for another, and an Ed25519 signature over
/// the SHA-512 of the message.
public struct SSHSignature: Sendable, Equatable {
    static let magic = Array("SSHSIG".utf8)
    public static let hashAlgorithm = "sha512"

    public let publicKey: SSHPublicKey
    public let namespace: String
    /// The Ed25519 signature itself (64 bytes).
    public let signature: [UInt8]

    public init(publicKey: SSHPublicKey, namespace: String, signature: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.signature = signature
    }

    /// What the key actually signs for `message`.
    public static func signedData(message: some DataProtocol, namespace: String) -> [UInt8] {
        magic + SSHWire.string(namespace) + SSHWire.string("") + SSHWire.string(hashAlgorithm)
            + SSHWire.string(Array(SHA512.hash(data: Array(message))))
    }

    /// The binary blob (what the armor wraps).
    public var blob: [UInt8] {
        Self.magic + SSHWire.uint32(1) + SSHWire.string(publicKey.blob) + SSHWire.string(namespace) + SSHWire.string("")
            + SSHWire.string(Self.hashAlgorithm) + SSHWire.string(SSHWire.string(SSHPublicKey.type) + SSHWire.string(signature))
    }

    public init(blob: [UInt8]) throws {
        guard blob.count > 6, Array(blob.prefix(6)) == Self.magic else { throw SSHWire.Malformed(description: "not an SSH signature (no SSHSIG preamble)") }
        var wire = SSHWire(Array(blob.dropFirst(6)))
        let version = try wire.uint32()
        guard version == 1 else { throw SSHWire.Malformed(description: "SSHSIG version \(version); expected 1") }
        let key = try SSHPublicKey(blob: try wire.string())
        let namespace = String(decoding: try wire.string(), as: UTF8.self)
        _ = try wire.string()  // reserved
        let hash = String(decoding: try wire.string(), as: UTF8.self)
        guard hash == Self.hashAlgorithm else { throw SSHWire.Malformed(description: "hash algorithm \(hash); GoLive signs with sha512") }
        var sig = SSHWire(try wire.string())
        guard String(decoding: try sig.string(), as: UTF8.self) == SSHPublicKey.type else { throw SSHWire.Malformed(description: "not an ssh-ed25519 signature") }
        let raw = try sig.string()
        guard raw.count == 64, sig.atEnd, wire.atEnd else { throw SSHWire.Malformed(description: "an Ed25519 signature must be 64 bytes") }
        self.init(publicKey: key, namespace: namespace, signature: raw)
    }

    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64) else { throw SSHWire.Malformed(description: "the signature's base64 does not decode") }
        try self.init(blob: Array(data))
    }

    public var base64: String { Data(blob).base64EncodedString() }

    /// The armored text `ssh-keygen -Y verify -s FILE` reads.
    public var armored: String {
        let text = base64
        var lines: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            let j = text.index(i, offsetBy: 70, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(String(text[i..<j]))
            i = j
        }
        return "-----BEGIN SSH SIGNATURE-----\n" + lines.joined(separator: "\n") + "\n-----END SSH SIGNATURE-----\n"
    }

    /// True when this is `publicKey`'s signature over `message` in `namespace`.
    public func verifies(_ message: some DataProtocol, namespace expected: String) -> Bool {
        guard namespace == expected else { return false }
        return publicKey.cryptoKey.isValidSignature(signature, for: Self.signedData(message: message, namespace: namespace))
    }
}
