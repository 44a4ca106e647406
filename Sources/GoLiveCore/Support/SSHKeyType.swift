import Foundation

/// The SSH key types GoLive verifies in process: what approvers hold in files, agents, smart
/// cards (PIV: ecdsa), the Secure Enclave (ecdsa) and FIDO2 tokens (the `sk-` types, whose
/// signatures say whether the person touched the key). `ssh-dss` and certificates are not here:
/// OpenSSH itself no longer signs with DSA, and a certificate's trust lives outside the roster.
public enum SSHKeyType: String, Sendable, CaseIterable {
    case ed25519 = "ssh-ed25519"
    case ecdsaP256 = "ecdsa-sha2-nistp256"
    case ecdsaP384 = "ecdsa-sha2-nistp384"
    case ecdsaP521 = "ecdsa-sha2-nistp521"
    case skEd25519 = "sk-ssh-ed25519@openssh.com"
    case skEcdsaP256 = "sk-ecdsa-sha2-nistp256@openssh.com"
    case rsa = "ssh-rsa"

    /// The smallest RSA modulus accepted: below it a signature proves too little.
    public static let rsaMinimumBits = 2048

    /// A key that lives in a FIDO2 token: its signatures carry the user-presence and
    /// user-verification flags.
    public var isHardware: Bool { self == .skEd25519 || self == .skEcdsaP256 }

    /// The curve name inside an ECDSA key blob.
    var curve: String? {
        switch self {
        case .ecdsaP256, .skEcdsaP256: "nistp256"
        case .ecdsaP384: "nistp384"
        case .ecdsaP521: "nistp521"
        default: nil
        }
    }

    /// The signature algorithms a key of this type may answer with (RSA's SHA-1 `ssh-rsa`
    /// signatures are refused, as OpenSSH's SSHSIG refuses them).
    var signatureAlgorithms: [String] {
        switch self {
        case .rsa: ["rsa-sha2-512", "rsa-sha2-256"]
        case .skEcdsaP256: [rawValue, "webauthn-sk-ecdsa-sha2-nistp256@openssh.com"]
        default: [rawValue]
        }
    }

    /// Names a type GoLive does not verify, with what it does.
    static func unsupported(_ name: String) -> String {
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        if name.contains("-cert-v01@openssh.com") { return "a \(name) certificate; GoLive takes plain keys (\(known)) in the roster" }
        if name == "ssh-dss" { return "an ssh-dss (DSA) key; OpenSSH no longer signs with DSA. GoLive verifies \(known)" }
        return "a \(name) key, which GoLive cannot verify; it verifies \(known)"
    }
}
