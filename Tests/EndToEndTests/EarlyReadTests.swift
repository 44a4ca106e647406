import Foundation
import GoLiveCore
import Testing

/// A folder store's state starts being read before the command line is parsed (issue 30: the
/// parse was 1.5–2 ms of a write's start, with the cores the read uses idle). The command then
/// opens that same read; GOLIVE_PHASES names it (`read_early`, how far ahead it got).
@Suite struct EarlyReadTests {
    static func phases(_ args: [String], store: URL, as op: String? = nil, env: [String: String] = [:]) throws -> (CLI.Result, String) {
        let file = CLI.tempDir("phases").appendingPathComponent("phases.txt")
        let result = try CLI.run(args, store: store, as: op, env: env.merging(["GOLIVE_PHASES": file.path]) { $1 })
        return (result, (try? String(contentsOf: file, encoding: .utf8)) ?? "")
    }

    @Test func aWriteAndAReadUseTheReadStartedBeforeTheirLineWasParsed() throws {
        let store = try CLI.sampleStore()
        let (write, writePhases) = try Self.phases(["item", "runtime.happy_path", "--note", "read early"], store: store, as: "alice")
        #expect(write.code == 0, "\(write.err)")
        #expect(writePhases.contains("read_early="), "\(writePhases)")
        // The store named by $GOLIVE_STORE, not --store, is read early too.
        let file = CLI.tempDir("phases").appendingPathComponent("phases.txt")
        let status = try CLI.run(["status"], env: ["GOLIVE_STORE": store.path, "GOLIVE_PHASES": file.path])
        #expect(status.code == 0, "\(status.err)")
        #expect(((try? String(contentsOf: file, encoding: .utf8)) ?? "").contains("read_early="))
        // The same folder however it is spelled (`..`, a trailing slash): its early read is the one used.
        let spelled = store.deletingLastPathComponent().appendingPathComponent("x/..").path + "/" + store.lastPathComponent + "/"
        let spelledFile = CLI.tempDir("phases").appendingPathComponent("phases.txt")
        let spelledStatus = try CLI.run(["status", "--store", spelled], env: ["GOLIVE_PHASES": spelledFile.path])
        #expect(spelledStatus.code == 0, "\(spelledStatus.err)")
        #expect(((try? String(contentsOf: spelledFile, encoding: .utf8)) ?? "").contains("read_early="), "\(spelled)")
        // A line that does not parse says so, as before, and has written nothing.
        let before = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        let (bad, _) = try Self.phases(["item", "runtime.happy_path", "--pass", "--fail"], store: store, as: "alice")
        #expect(bad.code == 2 && bad.err.contains("choose one of --pass, --fail, --na"), "\(bad.err)")
        #expect(try Data(contentsOf: store.appendingPathComponent("journal.jsonl")) == before)
    }
}
