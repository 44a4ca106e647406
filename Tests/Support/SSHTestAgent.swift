import Foundation
import GoLiveCore

/// A real OpenSSH key (made by ssh-keygen, no passphrase) for signature tests.
public struct SSHTestKey: Sendable {
    public let name: String
    public let privatePath: String
    public let publicLine: String

    /// `type`: ed25519, ecdsa (nistp256) or rsa; `passphrase`: an encrypted key file.
    public static func make(_ name: String, type: String = "ed25519", passphrase: String = "") throws -> SSHTestKey {
        let path = TestFolder.make("key-\(name)").appendingPathComponent(name).path
        let made = try ChildProcess.run(["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "\(name)@test", "-f", path], .init(stdout: .null))
        guard made.exitCode == 0 else { throw SSHTestError(message: "ssh-keygen failed: \(made.stderr.text)") }
        let line = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return SSHTestKey(name: name, privatePath: path, publicLine: line)
    }

    public var publicKey: SSHPublicKey { try! SSHPublicKey(line: publicLine) }
}

/// An ssh-agent of its own (as a second person would have), holding the given keys; stopped when
/// released. The socket lives in the test folder.
public final class SSHTestAgent: @unchecked Sendable {
    public let socket: String
    let process: ChildProcess

    public init(_ keys: [SSHTestKey], confirm: Bool = false, agentEnvironment: [String: String] = [:]) throws {
        socket = TestFolder.make("agent").appendingPathComponent("s").path
        process = try ChildProcess(["ssh-agent", "-D", "-a", socket], .init(environment: ChildProcess.environment(adding: agentEnvironment), stdout: .null, stderr: .null))
        let deadline = Date().addingTimeInterval(10)
        // The socket file appears at bind(), before the agent listens: wait until a connection is taken.
        while (try? SystemCall.connectUnixSocket(socket)).map({ SystemCall.closeFile($0); return true }) != true {
            guard Date() < deadline else { throw SSHTestError(message: "ssh-agent did not make its socket \(socket)") }
            usleep(10_000)
        }
        for key in keys {
            let added = try ChildProcess.run(["ssh-add", "-q"] + (confirm ? ["-c"] : []) + [key.privatePath],
                                             .init(environment: ChildProcess.environment(adding: ["SSH_AUTH_SOCK": socket]), stdout: .null))
            guard added.exitCode == 0 else { throw SSHTestError(message: "ssh-add failed: \(added.stderr.text)") }
        }
    }

    public var environment: [String: String] { ["SSH_AUTH_SOCK": socket] }

    /// An agent whose keys each need a confirmation (`ssh-add -c`) that never comes: its askpass
    /// program waits for a person who is not there.
    public static func confirming(_ keys: [SSHTestKey]) throws -> SSHTestAgent {
        let waiter = TestFolder.make("askpass").appendingPathComponent("askpass").path
        try Data("#!/bin/sh\nexec sleep 600\n".utf8).write(to: URL(fileURLWithPath: waiter))
        chmod(waiter, 0o755)
        return try SSHTestAgent(keys, confirm: true, agentEnvironment: ["SSH_ASKPASS": waiter, "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"])
    }

    deinit {
        process.signal(SIGTERM)
        _ = process.wait()
    }
}

public struct SSHTestError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
