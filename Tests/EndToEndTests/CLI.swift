import Foundation
import GoLiveCore

/// Runs the real `golive` binary, as a user or a CI script would.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["GOLIVE_BIN"] { return b }
        return repoRoot.appendingPathComponent(".build/debug/golive").path
    }

    struct SpawnError: Error { var message: String }

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    @discardableResult
    static func run(_ args: [String], store: URL? = nil, as op: String? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        var full = args
        if let store { full += ["--store", store.path] }
        if let op { full += ["--as", op] }
        p.arguments = full
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GOLIVE_OPERATOR")
        environment.removeValue(forKey: "GOLIVE_STORE")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    static func tempDir(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("golive-e2e-\(name)-\(Identity.randomHex(bytes: 6))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Replaces the sample's `items:` section (its probes) with the given one.
    static func replaceItems(in store: URL, with items: String) throws {
        let url = store.appendingPathComponent("rollout.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let base = text.components(separatedBy: "\n# Automated checks").first!
        try (base + "\n" + items).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Makes `store` (created from the sample when empty) READY with `scripts/make-ready-store.sh`,
    /// the recipe the canary demo uses, so the tests walk what a user walks.
    static func makeReady(_ store: URL, shadowMinutes: String? = nil) throws {
        let p = Process()
        p.executableURL = repoRoot.appendingPathComponent("scripts/make-ready-store.sh")
        p.arguments = [store.path] + (shadowMinutes.map { [$0] } ?? [])
        p.environment = ProcessInfo.processInfo.environment.merging(["GOLIVE": binary]) { _, new in new }
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw SpawnError(message: "make-ready-store.sh failed: \(message)") }
    }

    /// A fresh copy of the sample rollout made with `golive init --from sample-data`.
    static func sampleStore() throws -> URL {
        let store = tempDir("sample").appendingPathComponent("store")
        let r = try run(["init", "--from", repoRoot.appendingPathComponent("sample-data").path], store: store, as: "alice")
        precondition(r.code == 0, r.err)
        return store
    }
}
