import Crypto
import Foundation
import _CryptoExtras

extension SSHPublicKey {
    /// Throws why `parts` is not this key's signature over `data` (the SSHSIG signed data). Each
    /// type signs as OpenSSH's sshkey code verifies it: a FIDO2 key signs the hash of its
    /// application, its flags and counter and the hash of the data, so the flags cannot be
    /// changed after the touch.
    func check(_ parts: SSHSignatureParts, over data: [UInt8]) throws {
        guard type.signatureAlgorithms.contains(parts.algorithm) else {
            throw SSHWire.Malformed(description: "a \(parts.algorithm) signature from a \(type.rawValue) key")
        }
        let valid: Bool
        switch type {
        case .ed25519:
            valid = try ed25519(parts.signature, over: data)
        case .skEd25519:
            valid = try ed25519(parts.signature, over: try fidoSigned(parts, data))
        case .ecdsaP256, .ecdsaP384, .ecdsaP521:
            valid = try ecdsa(parts.signature, over: data)
        case .skEcdsaP256:
            valid = try ecdsa(parts.signature, over: try fidoSigned(parts, data))
        case .rsa:
            let key = try _RSA.Signing.PublicKey(n: material, e: exponent)
            let signature = _RSA.Signing.RSASignature(rawRepresentation: parts.signature)
            valid = parts.algorithm == "rsa-sha2-512"
                ? key.isValidSignature(signature, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
                : key.isValidSignature(signature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        }
        guard valid else { throw SSHWire.Malformed(description: "the \(type.rawValue) signature by \(fingerprint) does not verify") }
    }

    private func ed25519(_ signature: [UInt8], over data: [UInt8]) throws -> Bool {
        guard signature.count == 64 else { throw SSHWire.Malformed(description: "an Ed25519 signature must be 64 bytes, found \(signature.count)") }
        return try Curve25519.Signing.PublicKey(rawRepresentation: material).isValidSignature(signature, for: data)
    }

    /// ECDSA over the hash of `data` that the curve names (SHA-256, -384, -512).
    private func ecdsa(_ signature: [UInt8], over data: [UInt8]) throws -> Bool {
        var wire = SSHWire(signature)
        let r = SSHWire.unsignedMagnitude(try wire.string()), s = SSHWire.unsignedMagnitude(try wire.string())
        guard wire.atEnd else { throw SSHWire.Malformed(description: "the ECDSA signature has bytes after r and s") }
        let size = switch type { case .ecdsaP384: 48; case .ecdsaP521: 66; default: 32 }
        guard r.count <= size, s.count <= size else { throw SSHWire.Malformed(description: "the ECDSA signature's r or s is longer than the curve") }
        let raw = [UInt8](repeating: 0, count: size - r.count) + r + [UInt8](repeating: 0, count: size - s.count) + s
        switch type {
        case .ecdsaP384:
            return try P384.Signing.PublicKey(x963Representation: material)
                .isValidSignature(P384.Signing.ECDSASignature(rawRepresentation: raw), for: SHA384.hash(data: data))
        case .ecdsaP521:
            return try P521.Signing.PublicKey(x963Representation: material)
                .isValidSignature(P521.Signing.ECDSASignature(rawRepresentation: raw), for: SHA512.hash(data: data))
        default:
            return try P256.Signing.PublicKey(x963Representation: material)
                .isValidSignature(P256.Signing.ECDSASignature(rawRepresentation: raw), for: SHA256.hash(data: data))
        }
    }

    /// What a FIDO2 key signed for `data`: SHA-256(application) ‖ flags ‖ counter ‖ extensions ‖
    /// SHA-256(message), where a webauthn signature's message is its client data, which must
    /// carry `data` as its challenge.
    private func fidoSigned(_ parts: SSHSignatureParts, _ data: [UInt8]) throws -> [UInt8] {
        guard let presence = parts.presence, let application else { throw SSHWire.Malformed(description: "a hardware key's signature without its flags") }
        var message = Array(SHA256.hash(data: data)), extensions: [UInt8] = []
        if let webauthn = parts.webauthn {
            // As OpenSSH's webauthn_check_prepare_hash: no attested data, extensions flagged
            // exactly when present, and client data that begins with this challenge and origin.
            let extensionsFlagged = presence.flags & 0x80 != 0
            guard !webauthn.origin.contains("\""), presence.flags & 0x40 == 0, extensionsFlagged == !webauthn.extensions.isEmpty else {
                throw SSHWire.Malformed(description: "the webauthn signature's origin or flags are malformed")
            }
            let challenge = Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            let preamble = Array(#"{"type":"webauthn.get","challenge":"\#(challenge)","origin":"\#(webauthn.origin)""#.utf8)
            guard webauthn.clientData.starts(with: preamble) else {
                throw SSHWire.Malformed(description: "the webauthn signature's client data does not carry this message as its challenge")
            }
            message = Array(SHA256.hash(data: webauthn.clientData))
            extensions = webauthn.extensions
        }
        return Array(SHA256.hash(data: Array(application.utf8))) + [presence.flags] + SSHWire.uint32(presence.counter) + extensions + message
    }
}
