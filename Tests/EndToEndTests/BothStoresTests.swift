// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// The same walk through the CLI on a folder store and on a PostgreSQL store gives the same
/// answers: exit codes, refusals, the gate, the item list, sign-offs, waivers, what-if, waiting,
/// the canary, the export's verdict.
@Suite struct BothStoresTests {
    /// One command on one store kind; what a user would compare.
    struct Step: Equatable { var command: String; var code: Int32; var words: String }

    static func walk(_ store: String, machine: URL) throws -> [Step] {
        let keys = PostgresStoreTests.keys
        func run(_ args: [String], as op: String? = nil) throws -> Step {
            var full = args + ["--store", store]
            if let op { full += ["--as", op, "--key", keys.appendingPathComponent(op).path] }
            let r = try CLI.run(full, env: ["GOLIVE_CACHE": machine.path])
            // What does not depend on where the store is: refusals' first words, the first line of output.
            let firstLine = (r.code == 0 ? r.out : r.err).split(separator: "\n").first.map(String.init) ?? ""
            let words = firstLine.replacingOccurrences(of: store, with: "STORE")
                .replacingOccurrences(of: #"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?Z?)?"#, with: "TIME", options: .regularExpression)
            return Step(command: args.prefix(3).joined(separator: " ") + (op.map { " as \($0)" } ?? ""), code: r.code, words: words)
        }
        return [
            try run(["gate", "--no-record"]),
            try run(["items", "--blockers", "--json"]),
            try run(["signoff", "runtime", "--role", "captain", "--note", "walked it"], as: "alice"),
            try run(["signoff", "safety", "--role", "eval", "--note", "not mine"], as: "dan"),
            try run(["waive", "operations.runbook", "--reason", "rewrite due", "--expires", "3d"], as: "alice"),
            try run(["waive", "operations.oncall_owner", "--reason", "later", "--expires", "3d"], as: "alice"),
            try run(["what-if", "--at", "2099-01-01"]),
            try run(["wait", "--until", "ready", "--timeout", "5s"]),
            try run(["item", "operations.runbook", "--note", "reviewed"], as: "carol"),
            try run(["item", "operations.runbook", "--pass", "--note", "x"], as: "dan"),
            try run(["canary", "advance"], as: "alice"),
            try run(["canary", "shadow"], as: "alice"),
            try run(["canary", "shadow"], as: "carol"),
            try run(["canary", "approve"], as: "bob"),
            try run(["canary", "advance"], as: "alice"),
            try run(["canary", "hold", "--reason", "error budget"], as: "dan"),
            try run(["canary", "resume", "--reason", "p99 back to normal"], as: "alice"),
            try run(["canary", "rollback", "--reason", "refund errors"], as: "carol"),
            try run(["canary", "status", "--json"]),
            try run(["status", "--json"]),
            try run(["audit", "verify"]),
            try run(["audit", "export", "--format", "md", "--out", TestFolder.file("report.md").path]),
        ]
    }

    @Test func theSameWalkGivesTheSameAnswersOnAFolderAndOnPostgreSQL() throws {
        let folder = CLI.tempDir("folder").appendingPathComponent("store")
        try CLI.makeReady(folder, shadowMinutes: "0")
        let shared = CLI.tempDir("shared").appendingPathComponent("store")
        try CLI.makeReady(shared, shadowMinutes: "0")
        let url = try TestPostgres.sampleRollout("both", from: shared)
        let onFolder = try Self.walk(folder.path, machine: CLI.tempDir("m1"))
        let onPostgres = try Self.walk(url, machine: CLI.tempDir("m2"))
        #expect(onFolder.map(\.code) == [0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0], "\(onFolder)")
        for (a, b) in zip(onFolder, onPostgres) {
            #expect(a.code == b.code, "\(a.command): folder exit \(a.code), postgres exit \(b.code)")
            if !a.command.hasPrefix("status") && !a.command.hasPrefix("audit") && !a.command.hasPrefix("canary status") {
                #expect(a.words == b.words, "\(a.command): folder said \(a.words) / postgres said \(b.words)")
            }
        }
    }
}
#endif
