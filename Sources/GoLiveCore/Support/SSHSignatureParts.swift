import Foundation

/// The fields of an encoded SSH signature: its algorithm and signature bytes, and for a FIDO2
/// key the flags and counter it signed with (PROTOCOL.u2f), plus a webauthn signature's origin,
/// client data and extensions. Reading them proves nothing; `SSHPublicKey.check` does.
struct SSHSignatureParts {
    let algorithm: String
    let signature: [UInt8]
    let presence: SKPresence?
    let webauthn: (origin: String, clientData: [UInt8], extensions: [UInt8])?

    static let webauthnAlgorithm = "webauthn-sk-ecdsa-sha2-nistp256@openssh.com"

    init(_ encoded: [UInt8]) throws {
        var wire = SSHWire(encoded)
        algorithm = String(decoding: try wire.string(), as: UTF8.self)
        signature = try wire.string()
        if algorithm.hasPrefix("sk-") || algorithm.hasPrefix("webauthn-sk-") {
            presence = SKPresence(flags: try wire.byte(), counter: try wire.uint32())
        } else {
            presence = nil
        }
        if algorithm == Self.webauthnAlgorithm {
            webauthn = (String(decoding: try wire.string(), as: UTF8.self), try wire.string(), try wire.string())
        } else {
            webauthn = nil
        }
        guard wire.atEnd else { throw SSHWire.Malformed(description: "the \(algorithm) signature has bytes after its fields") }
    }
}
