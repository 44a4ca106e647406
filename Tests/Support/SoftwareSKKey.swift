import Crypto
import Foundation
import GoLiveCore

/// A FIDO2 key in software (what OpenSSH's own tests use in place of a token): an
/// sk-ssh-ed25519@openssh.com key whose signatures carry the flags the test chooses, signed as a
/// token signs them (PROTOCOL.u2f). `ssh-keygen -Y verify` accepts its signatures, which is how
/// the tests know it signs as a real key would.
public final class SoftwareSKKey: @unchecked Sendable {
    public static let type = "sk-ssh-ed25519@openssh.com"
    let key = Curve25519.Signing.PrivateKey()
    public let application = "ssh:"
    public let comment: String
    /// The flags the next signature carries: 0x01 touched, 0x04 verified.
    public var flags: UInt8 = 0x01
    var counter: UInt32 = 0

    public init(comment: String) { self.comment = comment }

    public var blob: [UInt8] { wireString(Self.type) + wireString(Array(key.publicKey.rawRepresentation)) + wireString(application) }
    public var publicLine: String { "\(Self.type) \(Data(blob).base64EncodedString()) \(comment)" }
    public var publicKey: SSHPublicKey { try! SSHPublicKey(line: publicLine) }

    /// The encoded signature over `data` (the SSHSIG signed data), as an agent returns it.
    public func encodedSignature(over data: [UInt8]) -> [UInt8] {
        counter += 1
        let signed = Array(SHA256.hash(data: Array(application.utf8))) + [flags] + uint32(counter) + Array(SHA256.hash(data: data))
        let signature = Array(try! key.signature(for: signed))
        return wireString(Self.type) + wireString(signature) + [flags] + uint32(counter)
    }

    func uint32(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    func wireString(_ b: [UInt8]) -> [UInt8] { uint32(UInt32(b.count)) + b }
    func wireString(_ s: String) -> [UInt8] { wireString(Array(s.utf8)) }
}

/// An ssh-agent that holds software FIDO2 keys (draft-miller-ssh-agent: list keys, sign), served
/// from a thread of the test process on a socket of its own. With `silent`, it takes connections
/// and never answers: an agent waiting on a person who is not there.
public final class SoftwareAgent: @unchecked Sendable {
    public let socket: String
    let keys: [SoftwareSKKey]
    let listener: Int32
    let silent: Bool
    /// Called before each signature: a person taking their time to touch the key.
    public var beforeSigning: (@Sendable () -> Void)?

    public init(_ keys: [SoftwareSKKey], silent: Bool = false) throws {
        self.keys = keys
        self.silent = silent
        socket = TestFolder.make("sk-agent").appendingPathComponent("s").path
        listener = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socket.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
            raw[path.count] = 0
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard bound == 0, listen(listener, 16) == 0 else { throw SSHTestError(message: "cannot listen on \(socket)") }
        // A silent agent never accepts: the kernel still completes each connection (the backlog).
        if !silent { Thread.detachNewThread { [self] in serve() } }
    }

    public var environment: [String: String] { ["SSH_AUTH_SOCK": socket] }

    func serve() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            while let (type, payload) = readMessage(fd) {
                var reply: [UInt8]
                switch type {
                case 11:
                    reply = [12] + uint32(UInt32(keys.count))
                    for k in keys { reply += string(k.blob) + string(Array(k.comment.utf8)) }
                case 13:
                    var at = 0
                    let blob = take(payload, &at), data = take(payload, &at)
                    beforeSigning?()
                    if let k = keys.first(where: { $0.blob == blob }) { reply = [14] + string(k.encodedSignature(over: data)) } else { reply = [5] }
                default:
                    reply = [5]
                }
                let out = uint32(UInt32(reply.count)) + reply
                // The client may have given up meanwhile (its deadline): never a SIGPIPE in the test process.
                _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            close(fd)
        }
    }

    func readMessage(_ fd: Int32) -> (UInt8, [UInt8])? {
        guard let header = readExactly(fd, 4) else { return nil }
        let n = Int(header.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard n > 0, n < 1 << 20, let body = readExactly(fd, n) else { return nil }
        return (body[0], Array(body.dropFirst()))
    }

    func readExactly(_ fd: Int32, _ n: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: n), got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, n - got) }
            guard r > 0 else { return nil }
            got += r
        }
        return out
    }

    func take(_ b: [UInt8], _ at: inout Int) -> [UInt8] {
        guard at + 4 <= b.count else { return [] }
        let n = Int(b[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        at += 4
        defer { at += n }
        return at + n <= b.count ? Array(b[at..<(at + n)]) : []
    }

    func uint32(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    func string(_ b: [UInt8]) -> [UInt8] { uint32(UInt32(b.count)) + b }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
