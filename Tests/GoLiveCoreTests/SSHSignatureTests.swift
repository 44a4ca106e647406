import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// GoLive's SSH signatures are OpenSSH's: ssh-keygen accepts what GoLive signs, GoLive accepts
/// what ssh-keygen signs, through a key file and through a real ssh-agent.
@Suite struct SSHSignatureTests {
    func run(_ argv: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> ChildProcess.Result {
        var argv = argv
        if let stdin {
            let file = TestFolder.file("stdin")
            try Data(stdin.utf8).write(to: file)
            argv = ["sh", "-c", "exec \"$0\" \"$@\" < '\(file.path)'"] + argv
        }
        return try ChildProcess.run(argv, .init(environment: ChildProcess.environment(adding: env)))
    }

    @Test func sshKeygenVerifiesWhatGoLiveSignsAndRejectsAChangedByte() throws {
        let bob = try SSHTestKey.make("bob")
        let message = "golive record v1\nrollout support-copilot\n{\"seq\":57}"
        let signature = try SSHPrivateKey(file: bob.privatePath).sign(Array(message.utf8), namespace: "golive")
        let dir = TestFolder.make("verify")
        let sig = dir.appendingPathComponent("m.sig"), signers = dir.appendingPathComponent("allowed_signers")
        try Data(signature.armored.utf8).write(to: sig)
        try Data("bob namespaces=\"golive\" \(bob.publicLine)\n".utf8).write(to: signers)
        let ok = try run(["ssh-keygen", "-Y", "verify", "-f", signers.path, "-I", "bob", "-n", "golive", "-s", sig.path], stdin: message)
        #expect(ok.exitCode == 0, "\(ok.stdout.text) \(ok.stderr.text)")
        let changed = try run(["ssh-keygen", "-Y", "verify", "-f", signers.path, "-I", "bob", "-n", "golive", "-s", sig.path],
                              stdin: message.replacingOccurrences(of: "57", with: "58"))
        #expect(changed.exitCode != 0)
        #expect(signature.verifies(Array(message.utf8), namespace: "golive"))
        #expect(!signature.verifies(Array(message.utf8), namespace: "git"), "a signature for one namespace is not one for another")
    }

    @Test func goLiveVerifiesWhatSshKeygenSignsThroughAnAgent() throws {
        let carol = try SSHTestKey.make("carol")
        let agent = try SSHTestAgent([carol])
        let message = Array("approve shadow → 1%".utf8)
        let mine = try SSHAgent(socket: agent.socket).sign(message, namespace: "golive", with: carol.publicKey)
        #expect(mine.verifies(message, namespace: "golive"))
        #expect(try SSHAgent(socket: agent.socket).identities() == [carol.publicKey])
        // ssh-keygen -Y sign through the same agent (-f names the public key).
        let file = TestFolder.file("msg")
        try Data(message).write(to: file)
        let signed = try run(["ssh-keygen", "-Y", "sign", "-f", carol.privatePath + ".pub", "-n", "golive", file.path], env: agent.environment)
        #expect(signed.exitCode == 0, "\(signed.stderr.text)")
        let armored = try String(contentsOfFile: file.path + ".sig", encoding: .utf8)
        let body = armored.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let theirs = try SSHSignature(base64: body)
        #expect(theirs.publicKey == carol.publicKey && theirs.verifies(message, namespace: "golive"))
        #expect(theirs.blob == mine.blob, "Ed25519 is deterministic: the same key, namespace and message give the same signature")
    }

    @Test func keysOfEveryTypeSshKeygenMakesAreReadWithItsFingerprint() throws {
        for (type, bits) in [("ecdsa", "256"), ("ecdsa", "384"), ("ecdsa", "521"), ("rsa", "3072"), ("ed25519", "")] {
            let path = TestFolder.make("\(type)\(bits)").appendingPathComponent("k").path
            _ = try ChildProcess.run(["ssh-keygen", "-q", "-t", type] + (bits.isEmpty ? [] : ["-b", bits]) + ["-N", "", "-C", "dan@laptop", "-f", path], .init(stdout: .null))
            let key = try SSHPublicKey(line: try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
            let listed = try ChildProcess.run(["ssh-keygen", "-l", "-f", path + ".pub"], .init())
            #expect(listed.stdout.text.contains(key.fingerprint), "\(type) \(bits): \(listed.stdout.text)")
            #expect(key.comment == "dan@laptop")
        }
    }

    /// Through a real ssh-agent, every key type the agent holds signs (RSA with rsa-sha2-512,
    /// never SHA-1), GoLive checks the answer, and ssh-keygen agrees.
    @Test func everyKeyTypeSignsThroughARealAgentAndOpenSSHAgrees() throws {
        let keys = [try SSHTestKey.make("p256", type: "ecdsa"), try SSHTestKey.make("rsa", type: "rsa"), try SSHTestKey.make("ed")]
        let agent = try SSHTestAgent(keys)
        let client = SSHAgent(socket: agent.socket)
        #expect(Set(try client.identities()) == Set(keys.map(\.publicKey)))
        let message = Array("golive record v1\n{\"seq\":9}".utf8)
        for key in keys {
            let signature = try client.sign(message, namespace: "golive", with: key.publicKey)
            if key.name == "rsa" { #expect(try SSHSignatureParts(signature.encoded).algorithm == "rsa-sha2-512") }
            let dir = TestFolder.make("agent-\(key.name)")
            let sig = dir.appendingPathComponent("m.sig"), signers = dir.appendingPathComponent("allowed_signers")
            try Data(signature.armored.utf8).write(to: sig)
            try Data("\(key.name) \(key.publicLine)\n".utf8).write(to: signers)
            let ok = try run(["ssh-keygen", "-Y", "verify", "-f", signers.path, "-I", key.name, "-n", "golive", "-s", sig.path], stdin: String(decoding: message, as: UTF8.self))
            #expect(ok.exitCode == 0, "\(key.name): \(ok.stderr.text)")
        }
    }

    /// An agent that goes away before golive writes its request is an error golive reports, not
    /// a SIGPIPE that kills it (this test process would die with it).
    @Test func writingToAnAgentThatWentAwayIsAnErrorNotASignal() throws {
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        close(ends[1])
        defer { close(ends[0]) }
        do {
            try SystemCall.sendAll(ends[0], [0, 0, 0, 1, 11], path: "the agent")
            Issue.record("a write to a closed socket succeeded")
        } catch let e as SystemCallError {
            #expect(e.code == EPIPE, "\(e)")
        }
    }

    @Test func anEncryptedKeyFileIsNotReadInProcess() throws {
        let path = TestFolder.make("enc").appendingPathComponent("k").path
        _ = try ChildProcess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret words", "-f", path], .init(stdout: .null))
        do {
            _ = try SSHPrivateKey(file: path)
            Issue.record("an encrypted key was read without its passphrase")
        } catch {
            #expect("\(error)".contains("is encrypted") && "\(error)".contains("ssh-add"), "\(error)")
        }
    }
}
