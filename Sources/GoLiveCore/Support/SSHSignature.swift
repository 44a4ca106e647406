import Crypto
import Foundation

/// An SSH signature in OpenSSH's SSHSIG format (PROTOCOL.sshsig), the format `ssh-keygen -Y sign`
/// writes and `ssh-keygen -Y verify` checks: the signer's public key, a namespace that keeps a
/// signature made for one purpose from being replayed for another, the hash of the message and
/// the key's own signature over them.
public struct SSHSignature: Sendable, Equatable {
    static let magic = Array("SSHSIG".utf8)
    /// What GoLive signs with; `sha256` is read too, since `ssh-keygen -Y sign` may be asked for it.
    public static let hashAlgorithm = "sha512"
    static let hashAlgorithms = ["sha512", "sha256"]

    public let publicKey: SSHPublicKey
    public let namespace: String
    public let hashAlgorithm: String
    /// The signature as its algorithm encodes it: string algorithm, string signature, and for a
    /// hardware key its flags and counter (and a webauthn signature's origin and client data).
    public let encoded: [UInt8]

    public init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: String = Self.hashAlgorithm, encoded: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.encoded = encoded
    }

    /// An Ed25519 signature from its 64 bytes.
    public init(publicKey: SSHPublicKey, namespace: String, ed25519 raw: [UInt8]) {
        self.init(publicKey: publicKey, namespace: namespace, encoded: SSHWire.string(SSHKeyType.ed25519.rawValue) + SSHWire.string(raw))
    }

    /// What the key actually signs for `message`.
    public static func signedData(message: some DataProtocol, namespace: String, hashAlgorithm: String = hashAlgorithm) -> [UInt8] {
        let digest = hashAlgorithm == "sha256" ? Array(SHA256.hash(data: Array(message))) : Array(SHA512.hash(data: Array(message)))
        return magic + SSHWire.string(namespace) + SSHWire.string("") + SSHWire.string(hashAlgorithm) + SSHWire.string(digest)
    }

    /// The binary blob (what the armor wraps).
    public var blob: [UInt8] {
        Self.magic + SSHWire.uint32(1) + SSHWire.string(publicKey.blob) + SSHWire.string(namespace) + SSHWire.string("")
            + SSHWire.string(hashAlgorithm) + SSHWire.string(encoded)
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
        guard Self.hashAlgorithms.contains(hash) else { throw SSHWire.Malformed(description: "hash algorithm \(hash); expected sha512 or sha256") }
        let encoded = try wire.string()
        guard wire.atEnd else { throw SSHWire.Malformed(description: "the signature has bytes after its fields") }
        self.init(publicKey: key, namespace: namespace, hashAlgorithm: hash, encoded: encoded)
    }

    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64) else { throw SSHWire.Malformed(description: "the signature's base64 does not decode") }
        try self.init(blob: Array(data))
    }

    /// Reads `-----BEGIN SSH SIGNATURE-----` armor, as `ssh-keygen -Y sign` writes it.
    public init(armored text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN SSH SIGNATURE-----"),
              let end = lines.firstIndex(of: "-----END SSH SIGNATURE-----"), begin < end else {
            throw SSHWire.Malformed(description: "no -----BEGIN SSH SIGNATURE----- armor")
        }
        try self.init(base64: lines[(begin + 1)..<end].joined())
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

    /// What a hardware key's signature says of the person (nil for other keys). Read without
    /// verifying: ask it only of a signature that `check` accepted.
    public var presence: SKPresence? {
        guard publicKey.type.isHardware, let parts = try? SSHSignatureParts(encoded) else { return nil }
        return parts.presence
    }

    /// Throws why this is not `publicKey`'s signature over `message` in `namespace`.
    public func check(_ message: some DataProtocol, namespace expected: String) throws {
        guard namespace == expected else { throw SSHWire.Malformed(description: "it was made for the namespace '\(namespace)', not '\(expected)'") }
        try publicKey.check(SSHSignatureParts(encoded), over: Self.signedData(message: message, namespace: namespace, hashAlgorithm: hashAlgorithm))
    }

    /// True when this is `publicKey`'s signature over `message` in `namespace`.
    public func verifies(_ message: some DataProtocol, namespace expected: String) -> Bool {
        (try? check(message, namespace: expected)) != nil
    }
}
