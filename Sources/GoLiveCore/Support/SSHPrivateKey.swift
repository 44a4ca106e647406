import Crypto
import Foundation

/// An unencrypted OpenSSH Ed25519 private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`,
/// "openssh-key-v1"). An encrypted one is refused with the way forward (load it into ssh-agent):
/// GoLive does not read passphrases from a terminal it may not own.
public struct SSHPrivateKey: Sendable {
    public let publicKey: SSHPublicKey
    /// The 32-byte seed; a Curve25519 key is made from it per signature (Crypto's key type is not Sendable).
    let seed: [UInt8]

    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError("cannot read the signing key \(path)")
        }
        try self.init(text: text, path: path)
    }

    public init(text: String, path: String = "the key") throws {
        let (cipher, publicBlob, rest) = try SSHKeyFile.envelope(text: text, path: path)
        guard cipher == "none" else {
            throw InputError("\(path) is encrypted (\(cipher)); add it to your ssh-agent with `ssh-add \(path)` and sign through the agent")
        }
        var wire = rest
        do {
            var secret = SSHWire(try wire.string())
            guard try secret.uint32() == (try secret.uint32()) else { throw InputError("\(path): the key's check bytes differ (a damaged file?)") }
            let type = String(decoding: try secret.string(), as: UTF8.self)
            guard type == SSHKeyType.ed25519.rawValue else { throw InputError("\(path) is a \(type) key; GoLive reads only ssh-ed25519 key files itself (others sign through ssh-keygen or an ssh-agent)") }
            let raw = try secret.string()
            let both = try secret.string()
            let comment = String(decoding: try secret.string(), as: UTF8.self)
            guard raw.count == 32, both.count == 64 else { throw InputError("\(path): an Ed25519 key has a 32-byte public and a 64-byte private part") }
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: both.prefix(32))
            seed = Array(both.prefix(32))
            publicKey = try SSHPublicKey(blob: publicBlob, comment: comment)
            guard Array(key.publicKey.rawRepresentation) == raw, publicKey.raw == raw else {
                throw InputError("\(path): its private part does not belong to its public key")
            }
        } catch let e as SSHWire.Malformed {
            throw InputError("\(path) is not a readable OpenSSH key: \(e)")
        }
    }

    public func sign(_ message: some DataProtocol, namespace: String) throws -> SSHSignature {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        let signature = try key.signature(for: SSHSignature.signedData(message: message, namespace: namespace))
        return SSHSignature(publicKey: publicKey, namespace: namespace, ed25519: Array(signature))
    }
}
