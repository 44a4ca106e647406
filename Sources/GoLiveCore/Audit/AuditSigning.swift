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
        let fd = open(priv.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create \(priv.path): \(String(cString: strerror(errno)))") }
        let sink = ByteSink(fd: fd)
        try sink.write(privatePrefix + key.rawRepresentation.base64EncodedString() + "\n")
        try sink.flush()
        close(fd)
        try Data((publicPrefix + key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: pub)
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

    public static func fileSha256(_ url: URL) throws -> String {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw StoreError.io("cannot open \(url.path)") }
        defer { close(fd) }
        var hasher = StreamingSHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalizeHex()
    }

    /// Writes `<export>.sig` beside the export.
    public static func sign(export: URL, chainHead: String, keyFile: URL) throws -> URL {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: try readKey(keyFile, prefix: privatePrefix))
        let sha = try fileSha256(export)
        let signature = try key.signature(for: message(sha: sha, head: chainHead))
        let file = SignatureFile(algorithm: "ed25519", publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                                 exportSha256: sha, chainHead: chainHead, signature: signature.base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: export.path + ".sig")
        try encoder.encode(file).write(to: url)
        return url
    }

    /// nil when the signature is good; else what is wrong.
    public static func check(export: URL, publicKeyFile: URL) throws -> String? {
        let pub = try readKey(publicKeyFile, prefix: publicPrefix)
        let sigURL = URL(fileURLWithPath: export.path + ".sig")
        guard let data = FileManager.default.contents(atPath: sigURL.path),
              let sig = try? JSONDecoder().decode(SignatureFile.self, from: data) else {
            return "\(sigURL.path): no readable signature file beside the export"
        }
        guard sig.publicKey == pub.base64EncodedString() else { return "the export was signed with a different key than \(publicKeyFile.path)" }
        let sha = try fileSha256(export)
        guard sha == sig.exportSha256 else { return "the export's bytes changed after signing (sha256 \(sha.prefix(12))…, signed \(sig.exportSha256.prefix(12))…)" }
        guard let raw = Data(base64Encoded: sig.signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: pub),
              key.isValidSignature(raw, for: message(sha: sha, head: sig.chainHead)) else {
            return "the signature does not verify with \(publicKeyFile.path)"
        }
        return nil
    }
}
