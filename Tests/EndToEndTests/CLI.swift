import Foundation
import GoLiveTestSupport
import GoLiveCore

/// Runs the real `golive` binary, as a user or a CI script would.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["GOLIVE_BIN"] { return b }
        return repoRoot.appendingPathComponent(".build/debug/golive").path
    }

    /// The benchmarks' binary, beside golive: it holds the durability tests' writer (append-loop),
    /// which is no part of the product.
    static var benchBinary: String {
        URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("golive-bench").path
    }

    struct SpawnError: Error { var message: String }

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    @discardableResult
    static func run(_ args: [String], store: URL? = nil, as op: String? = nil, env: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        var full = args
        if let store { full += ["--store", store.path] }
        if let op { full += ["--as", op] }
        // The tests' own operator, store and keys must not leak into the command under test.
        // Nor does it keep its cache (parsed configurations) in the home folder of whoever runs the tests.
        // Its temporary files (a demo's copy, an agent's socket) go in this test run's folder, removed at exit.
        let env = ["GOLIVE_CACHE": cacheFolder, "TMPDIR": TestFolder.root.path].merging(env) { _, given in given }
        let environment = ChildProcess.environment(adding: env, removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"])
        let result = try ChildProcess.run([binary] + full, .init(environment: environment, stdout: .capture(limit: 64 << 20), stderr: .capture(limit: 64 << 20), timeoutSeconds: timeout))
        let code: Int32
        switch result.ending {
        case let .exited(status): code = status
        case let .signalled(signal): code = 128 + signal
        case .timedOut, .cancelled: code = -1
        }
        return Result(code: code, out: result.stdout.text, err: result.stderr.text)
    }

    /// The cache folder of the golive processes the tests start (kept parses), in the test folder.
    static var cacheFolder: String { TestFolder.root.appendingPathComponent("cache").path }

    /// This process's environment with that cache folder, for golive processes a test starts itself.
    static var childEnvironment: [String: String] { ChildProcess.environment(adding: ["GOLIVE_CACHE": cacheFolder, "TMPDIR": TestFolder.root.path]) }

    static func tempDir(_ name: String) -> URL {
        TestFolder.make(name)
    }

    /// `config adopt` as alice; a change that loosens what the canary rests on is proposed by
    /// alice and approved by bob first, as a team does it (issue 26).
    @discardableResult
    static func adopt(_ store: URL, reason: String, args: [String] = [], approver: String = "bob", approverArgs: [String] = [],
                      approverEnv: [String: String] = [:]) throws -> Result {
        let first = try run(["config", "adopt", "--reason", reason] + args, store: store, as: "alice")
        guard first.code != 0, first.err.contains("it loosens what the canary rests on") else { return first }
        let proposed = try run(["config", "propose", "--reason", reason] + args, store: store, as: "alice")
        guard proposed.code == 0 else { return proposed }
        let approved = try run(["config", "approve", "--reason", "agreed"] + approverArgs, store: store, as: approver, env: approverEnv)
        guard approved.code == 0 else { return approved }
        return try run(["config", "adopt", "--reason", reason] + args, store: store, as: "alice")
    }

    /// Replaces the sample's `items:` section (its probes) with the given one.
    static func replaceItems(in store: URL, with items: String) throws {
        let url = store.appendingPathComponent("rollout.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let base = text.components(separatedBy: "\n# Automated checks").first!
        try (base + "\n" + items).write(to: url, atomically: true, encoding: .utf8)
        let adopt = try CLI.adopt(store, reason: "test: probes replaced")
        guard adopt.code == 0 else { throw SpawnError(message: "config adopt failed: \(adopt.err)") }
    }

    /// Makes `store` (created from the sample when empty) READY with `scripts/make-ready-store.sh`,
    /// the recipe the canary demo uses, so the tests walk what a user walks.
    static func makeReady(_ store: URL, shadowMinutes: String? = nil) throws {
        let script = repoRoot.appendingPathComponent("scripts/make-ready-store.sh").path
        let result = try ChildProcess.run([script, store.path] + (shadowMinutes.map { [$0] } ?? []),
                                          .init(environment: ChildProcess.environment(adding: ["GOLIVE": binary, "GOLIVE_CACHE": cacheFolder]), stdout: .null))
        guard result.exitCode == 0 else { throw SpawnError(message: "make-ready-store.sh failed: \(result.stderr.text)") }
    }

    /// A fresh copy of the sample rollout made with `golive init --from sample-data`.
    static func sampleStore() throws -> URL {
        let store = tempDir("sample").appendingPathComponent("store")
        let r = try run(["init", "--from", repoRoot.appendingPathComponent("sample-data").path, "--demo-keys"], store: store, as: "alice")
        precondition(r.code == 0, r.err)
        return store
    }
}
