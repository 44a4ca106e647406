import Foundation

/// A client for the operator's ssh-agent (draft-miller-ssh-agent): lists the keys it holds and asks
/// it to sign. The private key never enters GoLive's memory; the agent may ask the person to
/// confirm (ssh-add -c), or to touch a hardware key. Every answer has a deadline: an agent that
/// waits on a person who is not there must not freeze a command or the cockpit.
public struct SSHAgent: Sendable {
    public let socket: String
    /// How long an answer may take; a signature may need a person's confirmation or touch.
    public var deadline: TimeInterval
    /// Told once when an answer is slow (the agent is likely asking the person for something).
    public var onWait: (@Sendable (String) -> Void)?
    /// How long before `onWait` is told.
    public static let waitNotice: TimeInterval = 1
    public static let defaultDeadline: TimeInterval = 60
    /// The cockpit waits less: its screen is still while it waits.
    public static let cockpitDeadline: TimeInterval = 30

    static let requestIdentities: UInt8 = 11, identitiesAnswer: UInt8 = 12
    static let signRequest: UInt8 = 13, signResponse: UInt8 = 14, failure: UInt8 = 5
    /// SSH_AGENT_RSA_SHA2_512: an RSA key signs with SHA-512, never SHA-1.
    static let rsaSHA512: UInt32 = 4

    public init(socket: String, deadline: TimeInterval = Self.defaultDeadline, onWait: (@Sendable (String) -> Void)? = nil) {
        self.socket = socket
        self.deadline = deadline
        self.onWait = onWait
    }

    /// The agent named by SSH_AUTH_SOCK, if any, with GOLIVE_AGENT_TIMEOUT (seconds) as its deadline.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SSHAgent? {
        let deadline = environment["GOLIVE_AGENT_TIMEOUT"].flatMap(TimeInterval.init).flatMap { $0 > 0 ? $0 : nil } ?? defaultDeadline
        return environment["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : SSHAgent(socket: $0, deadline: deadline) }
    }

    /// The keys the agent holds that GoLive can verify (others are skipped).
    public func identities() throws -> [SSHPublicKey] {
        var reply = try request(Self.requestIdentities, [], purpose: "list its keys")
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
        let flags = key.type == .rsa ? Self.rsaSHA512 : 0
        var reply = try request(Self.signRequest, SSHWire.string(key.blob) + SSHWire.string(data) + SSHWire.uint32(flags),
                                purpose: "sign with \(key.fingerprint)")
        let type = try reply.byte()
        guard type == Self.signResponse else {
            throw InputError("the ssh-agent at \(socket) would not sign with \(key.fingerprint) (it answered \(type == Self.failure ? "failure" : "message \(type)"); is the key still loaded, or was a confirmation or touch declined?)")
        }
        let signature = SSHSignature(publicKey: key, namespace: namespace, encoded: try reply.string())
        // An agent is another process: its answer is checked before anything relies on it.
        do { try signature.check(message, namespace: namespace) } catch {
            throw InputError("the ssh-agent's signature does not verify with \(key.fingerprint): \(error)")
        }
        return signature
    }

    func request(_ type: UInt8, _ payload: [UInt8], purpose: String) throws -> SSHWire {
        let fd = try SystemCall.connectUnixSocket(socket)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.sendAll(fd, SSHWire.uint32(UInt32(payload.count + 1)) + [type] + payload, path: socket)
        let started = Date()
        let noticeAt = started.addingTimeInterval(Self.waitNotice), giveUpAt = started.addingTimeInterval(deadline)
        var told = onWait == nil
        func readExactly(_ count: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let until = told ? giveUpAt : min(noticeAt, giveUpAt)
                if try SystemCall.waitReadable(fd, milliseconds: Int(max(0, until.timeIntervalSinceNow) * 1000), path: socket) {
                    let n = try out.withUnsafeMutableBytes { try SystemCall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[got...]), path: socket) }
                    guard n > 0 else { throw InputError("the ssh-agent at \(socket) closed the connection mid-answer") }
                    got += n
                } else if !told, Date() < giveUpAt {
                    told = true
                    onWait?("waiting for the ssh-agent to \(purpose): it may be asking you to confirm, or to touch your key")
                } else {
                    throw InputError("the ssh-agent at \(socket) did not answer within \(Format.seconds(deadline, decimals: deadline < 10 ? 1 : 0)) when asked to \(purpose) (it may be waiting for a confirmation or a touch that did not come); GOLIVE_AGENT_TIMEOUT sets the deadline")
                }
            }
            return out
        }
        var header = SSHWire(try readExactly(4))
        let length = Int(try header.uint32())
        guard length > 0, length <= 256 * 1024 else { throw InputError("the ssh-agent at \(socket) sent a \(length)-byte message") }
        return SSHWire(try readExactly(length))
    }
}
