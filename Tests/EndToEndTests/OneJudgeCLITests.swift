import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 25 through the real binary: a record appended by hand (no key needed) is believed by no
/// command. Status, the gate and `audit verify` say so, with the seq; the levers still act; a
/// captain sets the record aside and work goes on.
@Suite(.serialized) struct OneJudgeCLITests {
    /// An unsigned, correctly chained blocker result appended to a READY sample in shadow.
    @Test func aHandWrittenRecordIsRefusedOnEverySurfaceAndTheLeversStillAct() throws {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let journal = Store(directory: store)
        let forged = try ForgedLine.append(journal, kind: "item.set", actor: "dan",
                                           data: #""item":"eval_slo.offline_evals","note":"all green","status":"passed""#)
        let seq = ForgedLine.seq(of: forged)

        let status = try CLI.run(["status"], store: store, as: "carol")
        #expect(status.out.contains("UNTRUSTED") && status.out.contains("seq \(seq)"), "\(status.out)")
        let gate = try CLI.run(["gate", "--no-record", "--json"], store: store, as: "carol")
        #expect(gate.code != 0 && gate.out.contains("journal_trusted") && gate.out.contains("\"ready\" : false") || gate.out.contains("\"ready\":false"), "\(gate.out)")
        let verify = try CLI.run(["audit", "verify"], store: store)
        #expect(verify.code == 1 && verify.out.contains(":\(seq): FAILED") && verify.out.contains("refused by the judge"), "\(verify.out)")
        let write = try CLI.run(["item", "runtime.happy_path", "--evidence", "https://ci/2", "--note", "rerun"], store: store, as: "alice")
        #expect(write.code != 0 && write.err.contains("UNTRUSTED"), "\(write.err)")

        // The levers act; then a captain sets the record aside, signed, and work goes on.
        let hold = try CLI.run(["canary", "hold", "--reason", "forged record in the journal"], store: store, as: "carol")
        #expect(hold.code == 0, "\(hold.err)")
        let aside = try CLI.run(["journal", "set-aside", "--reason", "appended by a CI runner; its access is revoked"], store: store, as: "alice")
        #expect(aside.code == 0 && aside.out.contains("set aside 1 refused record(s)"), "\(aside.out)\(aside.err)")
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
        #expect(try CLI.run(["status"], store: store, as: "carol").out.contains("UNTRUSTED") == false)
    }
}

extension OneJudgeCLITests {
    /// A filtered export is not a chain from the first record: `audit verify` of it says, in words
    /// and in --json, what it could not judge (issue 25: "or says what it cannot judge").
    @Test func verifyingAnExportSaysWhatItCannotJudge() throws {
        let store = try CLI.sampleStore()
        let journal = try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let session = try #require(journal.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: #""session":"s-"#) else { return nil }
            return "s-" + line[r.upperBound...].prefix { $0 != "\"" }
        }.dropFirst(4).first)
        let out = CLI.tempDir("export-judged").appendingPathComponent("s.jsonl")
        #expect(try CLI.run(["audit", "export", "--format", "jsonl", "--session", session, "--out", out.path], store: store, as: "alice").code == 0)
        let text = try CLI.run(["audit", "verify", out.path])
        #expect(text.code == 0 && text.out.contains("not judged: roles, policy limits, canary moves and clock order"), "\(text.out)\(text.err)")
        let json = try CLI.run(["audit", "verify", out.path, "--json"])
        #expect(json.out.contains(#""not_judged" : "roles"#), "\(json.out)")
        let whole = try CLI.run(["audit", "verify", "--json"], store: store)
        #expect(whole.code == 0 && !whole.out.contains("not_judged"), "the journal's own pass judges everything")
    }

    /// Finding 11: a per-session export signed by its exporter, holding a forged unsigned blocker
    /// result, verified "ok, signature good". The export now carries the adoptions its records
    /// need, so the signatures are judged offline; and U+200B, U+200F, U+2028 never reach md or csv.
    @Test func aFilteredExportIsJudgedAndItsTextIsSafe() throws {
        let store = try CLI.sampleStore()
        _ = try ForgedLine.append(Store(directory: store), kind: "item.set", actor: "dan",
                                  data: #""item":"eval_slo.offline_evals","note":"green\u200b\u200f\u2028hidden","status":"passed""#)
        let dir = CLI.tempDir("export")
        let key = dir.appendingPathComponent("team")
        #expect(try CLI.run(["audit", "keygen", "--out", key.path]).code == 0)
        let out = dir.appendingPathComponent("s.jsonl")
        let export = try CLI.run(["audit", "export", "--format", "jsonl", "--session", "s-forged", "--out", out.path, "--sign", key.path + ".key"], store: store, as: "alice")
        #expect(export.code == 0, "\(export.err)")
        let verify = try CLI.run(["audit", "verify", out.path, "--key", key.path + ".pub"])
        #expect(verify.code == 1 && verify.out.contains("is not signed"), "\(verify.out)")
        for format in ["md", "csv"] {
            let text = try CLI.run(["audit", "export", "--format", format], store: store, as: "alice").out
            #expect(!text.contains("\u{200B}") && !text.contains("\u{200F}") && !text.contains("\u{2028}"), "\(format)")
        }
    }
}

/// A hand-written journal line for the end-to-end tests (the core tests' `Forger`, for a store folder).
enum ForgedLine {
    static func seq(of line: String) -> Int {
        let start = line.range(of: #""seq":"#)!.upperBound
        return Int(line[start...].prefix { $0.isNumber })!
    }

    static func append(_ store: Store, kind: String, actor: String, data: String) throws -> String {
        let all = String(decoding: FileManager.default.contents(atPath: store.journalURL.path)!, as: UTF8.self).split(separator: "\n")
        let last = String(all.last!)
        let prev = String(last.suffix(66).prefix(64))
        let tsStart = last.range(of: #""ts":""#)!.upperBound
        let ts = Timestamp.parse(String(last[tsStart...].prefix { $0 != "\"" }))!.addingTimeInterval(1)
        var body = #"{"v":2,"seq":\#(seq(of: last) + 1),"prev":"\#(prev)","actor":"\#(actor)","data":{\#(data),"state_digest":""},"kind":"\#(kind)","os_user":"mallory","session":"s-forged","ts":"\#(Timestamp.format(ts))""#
        body += #","hash":"\#(Digest.sha256Hex(Array(body.utf8)))"}"#
        let handle = try FileHandle(forWritingTo: store.journalURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((body + "\n").utf8))
        try handle.close()
        return body
    }
}
