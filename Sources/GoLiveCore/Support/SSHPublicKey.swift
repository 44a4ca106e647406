import Crypto
import Foundation

/// An OpenSSH Ed25519 public key, as written in authorized_keys and allowed_signers
/// (`ssh-ed25519 AAAA… comment`). Other key types are refused by name: GoLive verifies
/// signatures in-process and supports exactly one algorithm fully rather than several in part.
public struct SSHPublicKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let type = "ssh-ed25519"
    /// The wire blob: string "ssh-ed25519", string key (32 bytes).
    public let blob: [UInt8]
    public let comment: String

    public init(blob: [UInt8], comment: String = "") throws {
        var wire = SSHWire(blob)
        let type = String(decoding: try wire.string(), as: UTF8.self)
        guard type == Self.type else { throw SSHWire.Malformed(description: "a \(type) key; GoLive accepts only ssh-ed25519 keys") }
        let raw = try wire.string()
        guard raw.count == 32, wire.atEnd else { throw SSHWire.Malformed(description: "an ssh-ed25519 key must hold 32 bytes, found \(raw.count)") }
        self.blob = blob
        self.comment = comment
    }

    /// Parses one `ssh-ed25519 AAAA… [comment]` line.
    public init(line: String) throws {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2 else { throw SSHWire.Malformed(description: "expected 'ssh-ed25519 AAAA… comment', found '\(line.prefix(40))'") }
        guard words[0] == Self.type else {
            throw SSHWire.Malformed(description: "a \(words[0]) key; GoLive accepts only ssh-ed25519 keys (make one with ssh-keygen -t ed25519)")
        }
        guard let data = Data(base64Encoded: words[1]) else { throw SSHWire.Malformed(description: "the key's base64 does not decode") }
        try self.init(blob: Array(data), comment: words.dropFirst(2).joined(separator: " "))
        var wire = SSHWire(blob)
        guard String(decoding: try wire.string(), as: UTF8.self) == words[0] else {
            throw SSHWire.Malformed(description: "the key's blob names another type than '\(words[0])'")
        }
    }

    public var raw: [UInt8] { Array(blob.suffix(32)) }

    public var cryptoKey: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: raw) }

    /// `SHA256:…` as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The authorized_keys form, without the comment.
    public var line: String { "\(Self.type) \(Data(blob).base64EncodedString())" }

    public var description: String { fingerprint }

    public static func == (a: SSHPublicKey, b: SSHPublicKey) -> Bool { a.blob == b.blob }
    public func hash(into h: inout Hasher) { h.combine(blob) }

    public init(from decoder: Decoder) throws { try self.init(line: try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(comment.isEmpty ? line : "\(line) \(comment)")
    }

    public static func blob(raw: [UInt8]) -> [UInt8] { SSHWire.string(type) + SSHWire.string(raw) }
}
