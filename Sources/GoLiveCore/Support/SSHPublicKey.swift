import Crypto
import Foundation

/// An OpenSSH public key as written in authorized_keys and allowed_signers
/// (`TYPE AAAA… comment`), of one of the types GoLive verifies (`SSHKeyType`). A key is its wire
/// blob: two keys are the same key exactly when their blobs are equal, whatever their comments.
public struct SSHPublicKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire blob: string type, then the type's fields (RFC 4253 §6.6, RFC 5656 §3.1, PROTOCOL.u2f).
    public let blob: [UInt8]
    public let comment: String
    public let type: SSHKeyType
    /// The key itself: Ed25519's 32 bytes, ECDSA's uncompressed point, or RSA's modulus.
    let material: [UInt8]
    /// RSA's public exponent.
    let exponent: [UInt8]
    /// A hardware key's FIDO application (`ssh:` unless its maker chose otherwise).
    public let application: String?

    public init(blob: [UInt8], comment: String = "") throws {
        var wire = SSHWire(blob)
        let name = String(decoding: try wire.string(), as: UTF8.self)
        guard let type = SSHKeyType(rawValue: name) else { throw SSHWire.Malformed(description: SSHKeyType.unsupported(name)) }
        var exponent: [UInt8] = [], application: String?
        let material: [UInt8]
        switch type {
        case .ed25519, .skEd25519:
            material = try wire.string()
            guard material.count == 32 else { throw SSHWire.Malformed(description: "an \(name) key must hold 32 bytes, found \(material.count)") }
        case .ecdsaP256, .ecdsaP384, .ecdsaP521, .skEcdsaP256:
            let curve = String(decoding: try wire.string(), as: UTF8.self)
            guard curve == type.curve else { throw SSHWire.Malformed(description: "an \(name) key names the curve '\(curve)'") }
            material = try wire.string()
            guard (try? Self.ecdsaCheck(type, point: material)) != nil else { throw SSHWire.Malformed(description: "the \(name) key's point is not on its curve") }
        case .rsa:
            exponent = SSHWire.unsignedMagnitude(try wire.string())
            material = SSHWire.unsignedMagnitude(try wire.string())
            let bits = material.first.map { material.count * 8 - $0.leadingZeroBitCount } ?? 0
            guard bits >= SSHKeyType.rsaMinimumBits else {
                throw SSHWire.Malformed(description: "a \(bits)-bit ssh-rsa key; GoLive accepts RSA keys of \(SSHKeyType.rsaMinimumBits) bits or more")
            }
        }
        if type.isHardware { application = String(decoding: try wire.string(), as: UTF8.self) }
        guard wire.atEnd else { throw SSHWire.Malformed(description: "the \(name) key has bytes after its fields") }
        self.blob = blob
        self.comment = comment
        self.type = type
        self.material = material
        self.exponent = exponent
        self.application = application
    }

    /// Parses one `TYPE AAAA… [comment]` line.
    public init(line: String) throws {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2 else { throw SSHWire.Malformed(description: "expected 'ssh-ed25519 AAAA… comment' (or another key type), found '\(line.prefix(40))'") }
        guard SSHKeyType(rawValue: words[0]) != nil else { throw SSHWire.Malformed(description: SSHKeyType.unsupported(words[0])) }
        guard let data = Data(base64Encoded: words[1]) else { throw SSHWire.Malformed(description: "the key's base64 does not decode") }
        var wire = SSHWire(Array(data))
        guard String(decoding: try wire.string(), as: UTF8.self) == words[0] else {
            throw SSHWire.Malformed(description: "the key's blob names another type than '\(words[0])'")
        }
        try self.init(blob: Array(data), comment: words.dropFirst(2).joined(separator: " "))
    }

    /// An Ed25519 key's 32 bytes.
    public var raw: [UInt8] { material }

    /// `SHA256:…` as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The authorized_keys form, without the comment.
    public var line: String { "\(type.rawValue) \(Data(blob).base64EncodedString())" }

    public var description: String { fingerprint }

    public static func == (a: SSHPublicKey, b: SSHPublicKey) -> Bool { a.blob == b.blob }
    public func hash(into h: inout Hasher) { h.combine(blob) }

    public init(from decoder: Decoder) throws { try self.init(line: try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(comment.isEmpty ? line : "\(line) \(comment)")
    }

    /// An Ed25519 key's blob from its 32 bytes.
    public static func blob(raw: [UInt8]) -> [UInt8] { SSHWire.string(SSHKeyType.ed25519.rawValue) + SSHWire.string(raw) }

    static func ecdsaCheck(_ type: SSHKeyType, point: [UInt8]) throws {
        switch type {
        case .ecdsaP256, .skEcdsaP256: _ = try P256.Signing.PublicKey(x963Representation: point)
        case .ecdsaP384: _ = try P384.Signing.PublicKey(x963Representation: point)
        case .ecdsaP521: _ = try P521.Signing.PublicKey(x963Representation: point)
        default: throw SSHWire.Malformed(description: "not an ECDSA key")
        }
    }
}
