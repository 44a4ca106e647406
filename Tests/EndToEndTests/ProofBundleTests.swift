import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// Issue 29: an auditor checks a rollout with no GoLive installed. The bundle of a walked canary
/// verifies with its Python verifier and ssh-keygen on a PATH without golive, says what `golive
/// audit verify` says, and fails naming the seq for an edited record, a tail dropped against a
/// checkpoint, and a signature by a key outside the roster in force.
@Suite(.serialized) struct ProofBundleTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A machine's PATH with no golive on it.
    static let auditorPath = "/usr/local/bin:/usr/bin:/bin"

    struct Walked { let store: URL, alice: SSHTestKey, bob: SSHTestKey, carol: SSHTestKey }

    /// Signed by the team's own keys: bob's ECDSA key in his agent, alice and carol with key
    /// files; approved and advanced to 1%.
    static func walked() throws -> Walked {
        let alice = try SSHTestKey.make("alice"), bob = try SSHTestKey.make("bob", type: "ecdsa"), carol = try SSHTestKey.make("carol")
        let store = try KeyTypesCLITests.store(keys: ["alice": alice.publicLine, "bob": bob.publicLine, "carol": carol.publicLine])
        let agent = try SSHTestAgent([bob])
        #expect(try CLI.run(["canary", "approve"], store: store, as: "bob", env: agent.environment).code == 0)
        #expect(try CLI.run(["canary", "approve", "--key", carol.privatePath], store: store, as: "carol").code == 0)
        let moved = try KeyTypesCLITests.advance(store, key: alice)
        #expect(moved.code == 0, "\(moved.err)")
        return Walked(store: store, alice: alice, bob: bob, carol: carol)
    }

    static func bundle(_ w: Walked, _ extra: [String] = []) throws -> URL {
        let out = TestFolder.make("bundle").appendingPathComponent("proof")
        let made = try CLI.run(["audit", "bundle", "--out", out.path, "--key", w.alice.privatePath] + extra, store: w.store, as: "alice")
        #expect(made.code == 0, "\(made.out) \(made.err)")
        return out
    }

    /// Runs the bundle's verifier as an auditor would: python3 and ssh-keygen, no golive.
    static func verify(_ bundle: URL) throws -> (code: Int32?, out: String) {
        let r = try ChildProcess.run(["/usr/bin/env", "python3", bundle.appendingPathComponent("verify.py").path],
                                     .init(environment: ["PATH": auditorPath, "LANG": "C.UTF-8"]))
        return (r.exitCode, r.stdout.text + r.stderr.text)
    }

    static func lines(_ bundle: URL) throws -> [String] {
        try String(contentsOf: bundle.appendingPathComponent("records.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], _ bundle: URL) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: bundle.appendingPathComponent("records.jsonl"))
    }

    @Test func theBundleOfAWalkedCanaryVerifiesWithoutGoLiveAndSaysWhatGoLiveSays() throws {
        let w = try Self.walked()
        let which = try ChildProcess.run(["sh", "-c", "command -v golive"], .init(environment: ["PATH": Self.auditorPath]))
        #expect(which.exitCode != 0, "golive is on the auditor's PATH: \(which.stdout.text)")
        let checkpoint = TestFolder.file("cp.json")
        #expect(try CLI.run(["audit", "checkpoint", "--out", checkpoint.path, "--key", w.alice.privatePath], store: w.store, as: "alice").code == 0)
        let bundle = try Self.bundle(w, ["--checkpoint", checkpoint.path])
        let result = try Self.verify(bundle)
        #expect(result.code == 0, "\(result.out)")
        let golive = try CLI.run(["audit", "verify", "--checkpoint", checkpoint.path], store: w.store)
        #expect(golive.code == 0, "\(golive.out)")
        // The same records, head and decisions line as golive's own verdict.
        let ours = result.out.split(separator: "\n").map(String.init), theirs = golive.out.split(separator: "\n").map(String.init)
        #expect(ours.first { $0.contains("decisions:") } == theirs.first { $0.contains("decisions:") }, "\(ours)\n\(theirs)")
        let head = try #require(theirs.first?.split(separator: " ").last)
        let count = try #require(theirs.first?.components(separatedBy: "ok — ").last?.split(separator: " ").first)
        #expect(ours.first?.hasPrefix("records.jsonl: ok — \(count) records, chain intact") == true && ours.first?.hasSuffix(String(head)) == true, "\(ours)")
        #expect(ours.contains { $0.contains("extends checkpoint seq") && $0.contains("signed by alice") }, "\(ours)")

        // README's hand check: one signature with ssh-keygen, the roster from allowed_signers.
        let records = try Self.lines(bundle)
        let approval = try #require(records.last { $0.contains(#""kind":"canary.approved""#) && $0.contains(#""actor":"bob""#) })
        let seq = try #require(approval.components(separatedBy: #""seq":"#).dropFirst().first?.prefix { $0.isNumber })
        let ts = try #require(approval.components(separatedBy: #""ts":""#).dropFirst().first?.prefix { $0 != "\"" })
        let time = AllowedSigners.stamp(try #require(Timestamp.parse(String(ts))).timeIntervalSince1970.rounded(.down))
        let hand = try ChildProcess.run(["sh", "-c", "cd \"$0\" && exec ssh-keygen -Y verify -f allowed_signers -I bob -n golive -O verify-time=\(time) -s signatures/\(seq).sig < signatures/\(seq).payload", bundle.path], .init())
        #expect(hand.exitCode == 0 && hand.stdout.text.contains("Good \"golive\" signature for bob"), "\(hand.stdout.text) \(hand.stderr.text)")

        // Nothing is written over: a second bundle to the same folder is refused.
        let again = try CLI.run(["audit", "bundle", "--out", bundle.path], store: w.store, as: "alice")
        #expect(again.code == 2 && again.err.contains("exists; a bundle goes to a new folder"), "\(again.err)")
    }

    @Test func anEditedRecordADroppedTailAndAnOutsidersSignatureEachFailNamingTheSeq() throws {
        let w = try Self.walked()
        let bundle = try Self.bundle(w)
        let pristine = try Self.lines(bundle)
        #expect(try Self.verify(bundle).code == 0)

        // One edited record: bob's approval now says another note.
        var edited = pristine
        let at = try #require(edited.lastIndex { $0.contains(#""kind":"canary.approved""#) })
        let seq = at + 1
        edited[at] = edited[at].replacingOccurrences(of: #""role":"#, with: #""rolE":"#)
        try Self.write(edited, bundle)
        let e = try Self.verify(bundle)
        #expect(e.code == 1 && e.out.contains("records.jsonl:\(seq): FAILED — its hash does not match its bytes"), "\(e.out)")

        // A record taken out of the middle: the next one no longer follows the one before it.
        var removed = pristine
        removed.remove(at: 40)
        try Self.write(removed, bundle)
        let r = try Self.verify(bundle)
        #expect(r.code == 1 && r.out.contains("records.jsonl:42: FAILED — it does not follow the record before it"), "\(r.out)")

        // The last record edited and hashed again (nothing follows it to break): its signature no
        // longer covers its bytes, and ssh-keygen says so.
        var resigned = pristine
        let lastLine = resigned.removeLast()
        let cut = try #require(lastLine.range(of: #","hash":""#))
        let body = String(lastLine[..<cut.lowerBound]).replacingOccurrences(of: #""os_user":""#, with: #""os_user":"x"#)
        #expect(body.contains(#","sig":""#), "the write's last record is sealed by its writer")
        resigned.append(body + #","hash":"\#(Digest.sha256Hex(Array(body.utf8)))"}"#)
        try Self.write(resigned, bundle)
        let sealedBundle = bundle.appendingPathComponent("checkpoints/head.json")
        let headCheckpoint = try Data(contentsOf: sealedBundle)
        try FileManager.default.removeItem(at: sealedBundle)
        let s = try Self.verify(bundle)
        #expect(s.code == 1 && s.out.contains("records.jsonl:\(pristine.count): FAILED — ssh-keygen does not verify it as alice's"), "\(s.out)")
        try headCheckpoint.write(to: sealedBundle)

        // A record whose actor carries a terminal escape: named, never sent to the terminal as one.
        let evilPrev = try #require(pristine.last!.range(of: #","hash":""#).map { String(pristine.last![$0.upperBound...].prefix(64)) })
        let evil = #"{"v":2,"seq":\#(pristine.count + 1),"prev":"\#(evilPrev)","actor":"\u001b[2J\u001b]0;owned\u0007eve","data":{"item":"x","status":"passed","state_digest":""},"kind":"item.set","os_user":"m","session":"s","ts":"2030-01-01T00:00:00.000Z""#
        try Self.write(pristine + [evil + #","hash":"\#(Digest.sha256Hex(Array(evil.utf8)))"}"#], bundle)
        let x = try Self.verify(bundle)
        #expect(x.code == 1 && x.out.contains("records.jsonl:\(pristine.count + 1): FAILED — item.set by ?[2J?]0;owned?eve is not signed"), "\(x.out)")
        #expect(!x.out.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, "an escape reached the terminal")

        // Not a bundle GoLive writes: a record that is JSON but not an object of its shape.
        try Self.write(pristine + [#"{"v":2,"seq":\#(pristine.count + 1),"prev":"\#(evilPrev)","data":[1],"hash":"x"}"#], bundle)
        let junk = try Self.verify(bundle)
        #expect(junk.code == 1 && junk.out.contains("FAILED"), "\(junk.out)")

        // A dropped tail: the records no longer reach the signed checkpoint of the head.
        try Self.write(Array(pristine.dropLast(3)), bundle)
        let d = try Self.verify(bundle)
        #expect(d.code == 1 && d.out.contains("records.jsonl:\(pristine.count): FAILED — checkpoints/head.json: the records end at seq \(pristine.count - 3)"), "\(d.out)")

        // A record signed by a key outside the roster in force, chained and hashed correctly.
        let mallory = try SSHTestKey.make("mallory")
        var forged = pristine
        let last = pristine.last!
        let prev = try #require(last.range(of: #","hash":""#).map { String(last[$0.upperBound...].prefix(64)) })
        var bytes = Array(#"{"v":2,"seq":\#(pristine.count + 1),"prev":"\#(prev)","actor":"bob","data":{"from":"1%","to":"5%","role":"safety","rollout":"support-copilot","state_digest":""},"kind":"canary.approved","os_user":"mallory","session":"s-forged","ts":"2030-01-01T00:00:00.000Z""#.utf8)
        let sig = try SSHPrivateKey(file: mallory.privatePath).sign(Journal.signedPayload(recordPrefix: bytes), namespace: Journal.signatureNamespace)
        bytes += Array(#","sig":"\#(sig.base64)""#.utf8)
        bytes += Array(#","hash":"\#(Digest.sha256Hex(bytes))"}"#.utf8)
        forged.append(String(decoding: bytes, as: UTF8.self))
        try Self.write(forged, bundle)
        try FileManager.default.removeItem(at: bundle.appendingPathComponent("checkpoints/head.json"))
        let o = try Self.verify(bundle)
        #expect(o.code == 1 && o.out.contains("records.jsonl:\(pristine.count + 1): FAILED — claims bob but is signed by \(mallory.publicKey.fingerprint), which is not bob's key in the roster in force"), "\(o.out)")
        #expect(try CLI.run(["audit", "verify", bundle.appendingPathComponent("records.jsonl").path]).code == 1, "golive's own verify agrees")
    }

    @Test func theBundledVerifierIsTheOneInTheRepository() throws {
        // scripts/proof-bundle/ is the source; Sources/GoLiveCore/Audit/ProofBundleFiles.swift carries it (scripts/embed-proof-bundle.py).
        let w = try Self.walked()
        let bundle = try Self.bundle(w, ["--no-head-checkpoint"])
        for name in ["verify.py", "README.md"] {
            let shipped = try String(contentsOf: bundle.appendingPathComponent(name), encoding: .utf8)
            let source = try String(contentsOf: Self.repoRoot.appendingPathComponent("scripts/proof-bundle/\(name)"), encoding: .utf8)
            #expect(shipped == source, "\(name) differs from scripts/proof-bundle/\(name): run scripts/embed-proof-bundle.py")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: bundle.appendingPathComponent("checkpoints").path).isEmpty)
        let readme = try String(contentsOf: bundle.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.split(separator: "\n").count < 70, "one page")
    }
}
