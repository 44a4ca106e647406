import Foundation
import Testing
import GoLiveTestSupport
import GoLiveCore

/// The parse kept between commands, as an operator meets it: never older than rollout.yaml.
@Suite struct ParsedConfigCacheCLITests {
    @Test func anEditToRolloutYAMLIsSeenByTheNextCommandAndTheKeptParseIsPrivate() throws {
        let store = try CLI.sampleStore()
        let cache = TestFolder.make("golive-cache")
        let env = ["GOLIVE_CACHE": cache.path]
        let first = try CLI.run(["item", "runtime.happy_path"], store: store, as: "alice", env: env)
        #expect(first.code == 0 && first.out.contains("Does the happy path pass?"), "\(first.err)")
        let parsed = cache.appendingPathComponent("parsed")
        let entries = try FileManager.default.contentsOfDirectory(atPath: parsed.path)
        #expect(entries.count == 1 && entries[0].hasSuffix(".json"), "\(entries)")
        var st = stat()
        #expect(stat(parsed.path, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(parsed.appendingPathComponent(entries[0]).path, &st) == 0 && st.st_mode & 0o777 == 0o600)

        // A person edits an item's title by hand: the next command shows it.
        let rollout = store.appendingPathComponent("rollout.yaml")
        let text = try String(contentsOf: rollout, encoding: .utf8)
        #expect(text.hasSuffix("timeout_seconds: 10}\n"), "the sample no longer ends with its items: update this test")
        try (text + "  runtime.happy_path:\n    title: Does the happy path pass on Tuesdays?\n").write(to: rollout, atomically: true, encoding: .utf8)
        let second = try CLI.run(["item", "runtime.happy_path"], store: store, as: "alice", env: env)
        #expect(second.code == 0 && second.out.contains("Does the happy path pass on Tuesdays?"), "\(second.out)\(second.err)")

        // A damaged entry costs a parse, never a wrong answer or an error.
        for name in try FileManager.default.contentsOfDirectory(atPath: parsed.path) {
            try Data("{\"format\":1,\"body_sha256\":\"0\"}\nnot json\n".utf8).write(to: parsed.appendingPathComponent(name))
        }
        let third = try CLI.run(["item", "runtime.happy_path"], store: store, as: "alice", env: env)
        #expect(third.code == 0 && third.out.contains("on Tuesdays?"), "\(third.out)\(third.err)")
    }

    /// Issue 25, finding 11, through the binary: an entry in the operator's cache edited, its own
    /// digest made right, no longer changes what golive shows (it turned a gate READY). Only the
    /// parse the adoption in force names is read; the forged one is parsed over.
    @Test func aForgedEntryInTheCacheChangesNothingTheOperatorSees() throws {
        let store = try CLI.sampleStore()
        let cache = TestFolder.make("golive-cache-forged")
        let env = ["GOLIVE_CACHE": cache.path]
        let rollout = store.appendingPathComponent("rollout.yaml")
        try (try String(contentsOf: rollout, encoding: .utf8) + "# adopted with a vouched parse\n").write(to: rollout, atomically: true, encoding: .utf8)
        let adopted = try CLI.adopt(store, reason: "a comment")
        #expect(adopted.code == 0, "\(adopted.out)\(adopted.err)")
        let before = try CLI.run(["gate", "--json", "--no-record"], store: store, as: "alice", env: env)
        let item = try CLI.run(["item", "runtime.happy_path"], store: store, as: "alice", env: env)
        #expect(item.code == 0 && item.out.contains("Does the happy path pass?") && item.out.contains("blocker"), "\(item.out)\(item.err)")
        let parsed = cache.appendingPathComponent("parsed")
        let entries = try FileManager.default.contentsOfDirectory(atPath: parsed.path).filter { $0.hasSuffix(".json") }
        #expect(!entries.isEmpty)
        for name in entries {
            let url = parsed.appendingPathComponent(name)
            let bytes = try Data(contentsOf: url)
            let newline = try #require(bytes.firstIndex(of: 0x0A))
            var body = String(decoding: bytes[(newline + 1)...], as: UTF8.self)
            body = body.replacingOccurrences(of: "Does the happy path pass?", with: "FORGED")
                .replacingOccurrences(of: #""severity":"blocker""#, with: #""severity":"advisory""#)
            let header = "{\"format\":4,\"body_sha256\":\"\(Digest.sha256Hex(Data(body.utf8)))\"}\n"
            try Data((header + body).utf8).write(to: url)
        }
        let forged = try CLI.run(["item", "runtime.happy_path"], store: store, as: "alice", env: env)
        #expect(forged.code == 0 && forged.out.contains("Does the happy path pass?") && forged.out.contains("blocker") && !forged.out.contains("FORGED"), "\(forged.out)")
        let after = try CLI.run(["gate", "--json", "--no-record"], store: store, as: "alice", env: env)
        func verdict(_ out: String) -> String { out.split(separator: "\n").filter { !$0.contains("evaluated_at") }.joined(separator: "\n") }
        #expect(verdict(after.out) == verdict(before.out) && after.code == before.code, "the forged entry changed the gate:\n\(before.out)\n---\n\(after.out)")
        #expect(before.out.contains("runtime.happy_path") || before.out.contains("blockers_satisfied"), "\(before.out)")
    }
}
