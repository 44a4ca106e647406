import Crypto
import Foundation

/// Ed25519 signatures over an export and the chain head it covers, checkable offline with only
/// the export, its .sig file and the public key.
public enum AuditSigning {
    static let privatePrefix = "golive-ed25519-private:"
    static let publicPrefix = "golive-ed25519-public:"

    public struct SignatureFile: Codable, Sendable {
        public var algorithm: String
        public var publicKey: String
        public var exportSha256: String
        public var chainHead: String
        public var signature: String

        enum CodingKeys: String, CodingKey {
            case algorithm, signature
            case publicKey = "public_key"
            case exportSha256 = "export_sha256"
            case chainHead = "chain_head"
        }
    }

    public static func keygen(prefix: URL) throws -> (URL, URL) {
        let key = Curve25519.Signing.PrivateKey()
        let priv = prefix.appendingPathExtension("key"), pub = prefix.appendingPathExtension("pub")
        for url in [priv, pub] where FileManager.default.fileExists(atPath: url.path) {
            throw InputError("\(url.path) exists already; nothing was written (choose another --out)")
        }
        try DurableFile.write(Array((privatePrefix + key.rawRepresentation.base64EncodedString() + "\n").utf8), to: priv, mode: 0o600)
        try DurableFile.write(Array((publicPrefix + key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8), to: pub)
        return (priv, pub)
    }

    static func readKey(_ url: URL, prefix: String) throws -> Data {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw InputError("\(url.path): cannot read the key file") }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix(prefix), let raw = Data(base64Encoded: String(t.dropFirst(prefix.count))), raw.count == 32 else {
            throw InputError("\(url.path):1:1: not a GoLive \(prefix.contains("private") ? "private" : "public") key (expected a line starting '\(prefix)'; make one with `golive audit keygen`)")
        }
        return raw
    }

    static func message(sha: String, head: String) -> Data { Data("golive-audit-export-v1\n\(sha)\n\(head)\n".utf8) }

    /// Writes `<export>.sig` beside the export.
    public static func sign(export: URL, chainHead: String, keyFile: URL) throws -> URL {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: try readKey(keyFile, prefix: privatePrefix))
        let sha = try Digest.fileSha256(export)
        let signature = try key.signature(for: message(sha: sha, head: chainHead))
        let file = SignatureFile(algorithm: "ed25519", publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                                 exportSha256: sha, chainHead: chainHead, signature: signature.base64EncodedString())
        let encoder = JSONCoding.encoder(pretty: true)
        let url = URL(fileURLWithPath: export.path + ".sig")
        try DurableFile.write(try encoder.encode(file), to: url)
        return url
    }

    /// nil when the signature is good; else what is wrong.
    public static func check(export: URL, publicKeyFile: URL) throws -> String? {
        let pub = try readKey(publicKeyFile, prefix: publicPrefix)
        let sigURL = URL(fileURLWithPath: export.path + ".sig")
        guard let data = FileManager.default.contents(atPath: sigURL.path),
              let sig = try? JSONCoding.decoder().decode(SignatureFile.self, from: data) else {
            return "\(sigURL.path): no readable signature file beside the export"
        }
        guard sig.publicKey == pub.base64EncodedString() else { return "the export was signed with a different key than \(publicKeyFile.path)" }
        let sha = try Digest.fileSha256(export)
        guard sha == sig.exportSha256 else { return "the export's bytes changed after signing (sha256 \(sha.prefix(12))…, signed \(sig.exportSha256.prefix(12))…)" }
        guard let raw = Data(base64Encoded: sig.signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: pub),
              key.isValidSignature(raw, for: message(sha: sha, head: sig.chainHead)) else {
            return "the signature does not verify with \(publicKeyFile.path)"
        }
        return nil
    }
}
