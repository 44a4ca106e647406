import Foundation
import Testing
import GoLiveTestSupport

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
}
