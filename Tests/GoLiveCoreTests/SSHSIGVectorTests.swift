import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// OpenSSH's own SSHSIG test vectors (regress/unittests/sshsig/testdata, copied to
/// Tests/Vectors/sshsig): every key type GoLive accepts verifies them in process, and a
/// signature stops verifying when one byte of the message, the namespace or the signature changes.
@Suite struct SSHSIGVectorTests {
    static let folder = Fixtures.repoRoot.appendingPathComponent("Tests/Vectors/sshsig")
    static let names = ["ed25519", "ecdsa", "ed25519_sk", "ecdsa_sk", "ecdsa_sk_webauthn", "rsa"]

    func vector(_ name: String) throws -> (key: SSHPublicKey, signature: SSHSignature, message: [UInt8], namespace: String) {
        let text = { (file: String) in try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8) }
        let key = try SSHPublicKey(line: try text("\(name).pub").trimmingCharacters(in: .whitespacesAndNewlines))
        let signature = try SSHSignature(armored: try text("\(name).sig"))
        let message = Array(try Data(contentsOf: Self.folder.appendingPathComponent("signed-data")))
        return (key, signature, message, try text("namespace").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: names) func eachVectorVerifies(_ name: String) throws {
        let v = try vector(name)
        #expect(v.signature.publicKey == v.key, "the signature names the vector's key")
        try v.signature.check(v.message, namespace: v.namespace)
    }

    @Test(arguments: names) func oneChangedByteOfTheMessageFailsIt(_ name: String) throws {
        let v = try vector(name)
        for i in [0, v.message.count / 2, v.message.count - 1] {
            var changed = v.message
            changed[i] ^= 0x01
            #expect(!v.signature.verifies(changed, namespace: v.namespace), "byte \(i)")
        }
        #expect(!v.signature.verifies(v.message + [0x0a], namespace: v.namespace), "a byte appended")
    }

    @Test(arguments: names) func anotherNamespaceFailsIt(_ name: String) throws {
        let v = try vector(name)
        #expect(!v.signature.verifies(v.message, namespace: "unittesT"))
        #expect(!v.signature.verifies(v.message, namespace: "golive"))
        // Claiming the other namespace inside the signature does not help either: it is signed.
        let moved = SSHSignature(publicKey: v.key, namespace: "golive", hashAlgorithm: v.signature.hashAlgorithm, encoded: v.signature.encoded)
        #expect(!moved.verifies(v.message, namespace: "golive"))
    }

    @Test(arguments: names) func oneChangedByteOfTheSignatureFailsIt(_ name: String) throws {
        let v = try vector(name)
        let parts = try SSHSignatureParts(v.signature.encoded)
        // The last byte of the signature proper (not the algorithm name or the framing).
        let at = 4 + parts.algorithm.utf8.count + 4 + parts.signature.count - 1
        var encoded = v.signature.encoded
        encoded[at] ^= 0x01
        let changed = SSHSignature(publicKey: v.key, namespace: v.namespace, hashAlgorithm: v.signature.hashAlgorithm, encoded: encoded)
        #expect(!changed.verifies(v.message, namespace: v.namespace))
    }

    @Test func theHardwareVectorsCarryTheirFlagsAndTheFlagsAreSigned() throws {
        for name in ["ed25519_sk", "ecdsa_sk", "ecdsa_sk_webauthn"] {
            let v = try vector(name)
            let presence = try #require(v.signature.presence, "\(name) carries flags")
            #expect(presence.userPresent, "\(name): OpenSSH's software authenticator reports a touch")
            // Clearing the touch flag after the fact breaks the signature.
            var parts = v.signature.encoded
            let flagsAt = try flagsOffset(v.signature.encoded)
            parts[flagsAt] &= ~0x01
            let untouched = SSHSignature(publicKey: v.key, namespace: v.namespace, hashAlgorithm: v.signature.hashAlgorithm, encoded: parts)
            #expect(untouched.presence?.userPresent == false)
            #expect(!untouched.verifies(v.message, namespace: v.namespace), "\(name): the flags are inside what the key signed")
        }
        for name in ["ed25519", "ecdsa", "rsa"] { #expect(try vector(name).signature.presence == nil) }
    }

    /// The hardware vectors as approvals under a touch requirement: OpenSSH's software
    /// authenticator reports a touch, so `present` accepts them; `verified` asks for the
    /// user-verified flag, which each vector shows or not; a key without flags cannot show either.
    @Test func aTouchRequirementReadsTheVectorsFlags() throws {
        for name in ["ed25519_sk", "ecdsa_sk", "ecdsa_sk_webauthn"] {
            let v = try vector(name)
            let presence = try #require(v.signature.presence)
            #expect(TouchRequirement.present.refusal(v.signature, kind: .canaryApproved, actor: "bob") == nil, "\(name)")
            let verified = TouchRequirement.verified.refusal(v.signature, kind: .canaryApproved, actor: "bob")
            #expect((verified == nil) == presence.userVerified, "\(name): flags \(presence.flags)")
            if !presence.userVerified { #expect(verified?.contains("the person was not verified") == true, "\(verified ?? "")") }
        }
        for name in ["ed25519", "ecdsa", "rsa"] {
            let why = TouchRequirement.present.refusal(try vector(name).signature, kind: .canaryApproved, actor: "bob")
            #expect(why?.contains("which cannot show a touch") == true, "\(name): \(why ?? "accepted")")
        }
    }

    @Test func keysGoLiveCannotVerifyAreRefusedByName() throws {
        let short = TestFolder.make("rsa1024").appendingPathComponent("k").path
        _ = try ChildProcess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", short], .init(stdout: .null))
        for (line, words) in [
            ("ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4Ed dan@old", "ssh-dss (DSA)"),
            ("ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t x", "certificate"),
            (try String(contentsOfFile: short + ".pub", encoding: .utf8), "a 1024-bit ssh-rsa key; GoLive accepts RSA keys of 2048 bits or more"),
        ] {
            #expect(throws: SSHWire.Malformed.self) { try SSHPublicKey(line: line) }
            do { _ = try SSHPublicKey(line: line) } catch { #expect("\(error)".contains(words), "\(error)") }
            // In a roster: refused at its line and column, by name.
            let yaml = "name: t\nteam:\n  - id: dan\n    roles: [captain]\n    keys: [\"\(line.trimmingCharacters(in: .whitespacesAndNewlines))\"]\n"
            do {
                _ = try RolloutConfigParser.parse(text: yaml, file: "rollout.yaml", policyText: { _ in ("", "") })
                Issue.record("a roster with \(words) was accepted")
            } catch {
                #expect("\(error)".contains("rollout.yaml:5:12") && "\(error)".contains(words), "\(error)")
            }
        }
    }

    func flagsOffset(_ encoded: [UInt8]) throws -> Int {
        var wire = SSHWire(encoded)
        let algorithm = try wire.string(), signature = try wire.string()
        return 4 + algorithm.count + 4 + signature.count
    }
}
