import Foundation

/// An OpenSSH private key file as GoLive meets it: its public key is readable without the
/// passphrase (openssh-key-v1 keeps it outside the encrypted part), so GoLive can tell whose key
/// it is before anyone is asked for anything. An unencrypted Ed25519 key is signed with in
/// process; any other (encrypted, another type, a FIDO2 key handle) through `ssh-keygen -Y sign`,
/// which asks for the passphrase or the touch itself.
public struct SSHKeyFile: Sendable {
    public let path: String
    public let publicKey: SSHPublicKey
    public let encrypted: Bool
    /// The file as read once: an in-process key is made from these bytes, not from a second read.
    let text: String

    static let armor = "-----BEGIN OPENSSH PRIVATE KEY-----"

    public init(path: String) throws {
        guard let bytes = SystemCall.readRegularFile(path, limit: 64 * 1024)?.bytes else { throw InputError("cannot read the signing key \(path)") }
        text = String(decoding: bytes, as: UTF8.self)
        let envelope = try Self.envelope(text: text, path: path)
        do { publicKey = try SSHPublicKey(blob: envelope.publicBlob) } catch { throw InputError("\(path) holds a key GoLive cannot use: \(error)") }
        encrypted = envelope.cipher != "none"
        self.path = path
    }

    /// The openssh-key-v1 envelope: its cipher, the public key's blob (never encrypted), and the
    /// wire positioned at the private part. The one reader of key files (`SSHPrivateKey` too).
    static func envelope(text: String, path: String) throws -> (cipher: String, publicBlob: [UInt8], rest: SSHWire) {
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard text.contains(armor), let data = Data(base64Encoded: body) else {
            throw InputError("\(path) is not an OpenSSH private key (expected \(armor); make one with ssh-keygen -t ed25519)")
        }
        let magic = Array("openssh-key-v1\0".utf8)
        guard Array(data).starts(with: magic) else { throw InputError("\(path) is not an openssh-key-v1 key") }
        do {
            var wire = SSHWire(Array(data.dropFirst(magic.count)))
            let cipher = String(decoding: try wire.string(), as: UTF8.self)
            _ = try wire.string()  // kdf name
            _ = try wire.string()  // kdf options
            guard try wire.uint32() == 1 else { throw InputError("\(path) holds several keys; give a file with one") }
            return (cipher, try wire.string(), wire)
        } catch let e as SSHWire.Malformed {
            throw InputError("\(path) is not a readable OpenSSH key: \(e)")
        }
    }

    /// Signs in process when it can (an unencrypted Ed25519 key); else nil.
    public var inProcess: SSHPrivateKey? {
        guard !encrypted, publicKey.type == .ed25519 else { return nil }
        return try? SSHPrivateKey(text: text, path: path)
    }

    /// `ssh-keygen -Y sign -n NAMESPACE -f FILE` over `message`, as git signs: OpenSSH asks the
    /// person for the passphrase or the touch on their terminal; GoLive sees only the signature,
    /// and checks it before anything relies on it.
    public func signWithSSHKeygen(_ message: [UInt8], namespace: String, timeout: TimeInterval = 120,
                                  environment: [String: String]? = nil) throws -> SSHSignature {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golive-sign-\(Identity.randomHex(bytes: 6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("message").path
        try Data(message).write(to: URL(fileURLWithPath: input))
        var options = ChildProcess.Options(environment: environment, timeoutSeconds: timeout)
        options.stdinFile = input
        let result = try ChildProcess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", path], options)
        guard result.ending == .exited(0) else {
            let said = SafeText.sanitize(result.stderr.text.trimmingCharacters(in: .whitespacesAndNewlines))
            let why = result.ending == .timedOut ? "it did not finish within \(Format.seconds(timeout, decimals: 0))" : said.isEmpty ? "it failed" : said
            throw InputError("ssh-keygen could not sign with \(path): \(why)")
        }
        let signature: SSHSignature
        do { signature = try SSHSignature(armored: result.stdout.text) } catch { throw InputError("ssh-keygen's answer is not an SSH signature: \(error)") }
        guard signature.publicKey == publicKey else { throw InputError("ssh-keygen signed with \(signature.publicKey.fingerprint), not \(publicKey.fingerprint)") }
        do { try signature.check(message, namespace: namespace) } catch { throw InputError("ssh-keygen's signature does not verify: \(error)") }
        return signature
    }
}
