import Foundation

/// A client for the operator's ssh-agent (draft-miller-ssh-agent): lists the keys it holds and asks
/// it to sign. The private key never enters GoLive's memory; the agent may ask the person to
/// confirm (ssh-add -c) or hold a hardware-backed key.
public struct SSHAgent: Sendable {
    public let socket: String

    static let requestIdentities: UInt8 = 11, identitiesAnswer: UInt8 = 12
    static let signRequest: UInt8 = 13, signResponse: UInt8 = 14, failure: UInt8 = 5

    public init(socket: String) { self.socket = socket }

    /// The agent named by SSH_AUTH_SOCK, if any.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SSHAgent? {
        environment["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : SSHAgent(socket: $0) }
    }

    /// The Ed25519 keys the agent holds (others are skipped: GoLive does not sign with them).
    public func identities() throws -> [SSHPublicKey] {
        var reply = try request(Self.requestIdentities, [])
        guard try reply.byte() == Self.identitiesAnswer else { throw InputError("the ssh-agent at \(socket) refused to list its keys") }
        var keys: [SSHPublicKey] = []
        for _ in 0..<(try reply.uint32()) {
            let blob = try reply.string()
            let comment = String(decoding: try reply.string(), as: UTF8.self)
            if let key = try? SSHPublicKey(blob: blob, comment: comment) { keys.append(key) }
        }
        return keys
    }

    public func sign(_ message: some DataProtocol, namespace: String, with key: SSHPublicKey) throws -> SSHSignature {
        let data = SSHSignature.signedData(message: message, namespace: namespace)
        var reply = try request(Self.signRequest, SSHWire.string(key.blob) + SSHWire.string(data) + SSHWire.uint32(0))
        let type = try reply.byte()
        guard type == Self.signResponse else {
            throw InputError("the ssh-agent at \(socket) would not sign with \(key.fingerprint) (it answered \(type == Self.failure ? "failure" : "message \(type)"); is the key still loaded, or was a confirmation declined?)")
        }
        var sig = SSHWire(try reply.string())
        guard String(decoding: try sig.string(), as: UTF8.self) == SSHPublicKey.type else { throw InputError("the ssh-agent returned a signature of another type") }
        let raw = try sig.string()
        guard raw.count == 64 else { throw InputError("the ssh-agent returned a \(raw.count)-byte Ed25519 signature") }
        let signature = SSHSignature(publicKey: key, namespace: namespace, signature: raw)
        // An agent is another process: its answer is checked before anything relies on it.
        guard signature.verifies(message, namespace: namespace) else { throw InputError("the ssh-agent's signature does not verify with \(key.fingerprint)") }
        return signature
    }

    func request(_ type: UInt8, _ payload: [UInt8]) throws -> SSHWire {
        let fd = try SystemCall.connectUnixSocket(socket)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.writeAll(fd, SSHWire.uint32(UInt32(payload.count + 1)) + [type] + payload, path: socket)
        var header = SSHWire(try readExactly(fd, 4))
        let length = Int(try header.uint32())
        guard length > 0, length <= 256 * 1024 else { throw InputError("the ssh-agent at \(socket) sent a \(length)-byte message") }
        return SSHWire(try readExactly(fd, length))
    }

    func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = try out.withUnsafeMutableBytes { try SystemCall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[got...]), path: socket) }
            guard n > 0 else { throw InputError("the ssh-agent at \(socket) closed the connection mid-answer") }
            got += n
        }
        return out
    }
}
