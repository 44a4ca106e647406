import Foundation
import Testing
@testable import GoLiveCore

@Suite struct EvidenceReaderTests {
    let evidence = Fixtures.sampleData.appendingPathComponent("evidence")

    func file(_ name: String, _ text: String) throws -> URL {
        let url = Fixtures.tempDir("reader").appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func junitFromPytestFailsOnItsTwoFailures() throws {
        let v = try JUnitReader.read(evidence.appendingPathComponent("junit-pytest-evals.xml"))
        #expect(!v.passed)
        #expect(v.summary.hasPrefix("4/6 eval cases passed (2 failed, 0 errors, 1 skipped)"))
        #expect(v.summary.contains("test_prompt_injection_guard"))
        #expect(try JUnitReader.read(evidence.appendingPathComponent("junit-pytest-evals.xml"), minPassRate: 0.6).passed)
        #expect(try !JUnitReader.read(evidence.appendingPathComponent("junit-pytest-evals.xml"), minPassRate: 0.9).passed)
    }

    @Test func junitFromAnotherWriterPassesAndErrorsCount() throws {
        let ok = try file("ok.xml", #"<?xml version="1.0"?><testsuite name="evals" tests="2"><testcase name="a"/><testcase name="b"></testcase></testsuite>"#)
        #expect(try JUnitReader.read(ok) == ReaderVerdict(passed: true, summary: "2/2 eval cases passed (0 failed, 0 errors, 0 skipped)"))
        let err = try file("err.xml", #"<testsuites><testsuite><testcase name="a"><error message="boom"/></testcase></testsuite></testsuites>"#)
        #expect(try !JUnitReader.read(err).passed)
    }

    @Test func malformedJUnitIsLocated() throws {
        let bad = try file("bad.xml", "<testsuites>\n  <testsuite>\n    <testcase name=\"a\">\n  </testsuite>\n</testsuites>\n")
        do {
            _ = try JUnitReader.read(bad)
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect((4...5).contains(e.line), "reported at line \(e.line)")
            #expect(e.message.contains("not well-formed JUnit XML"))
        }
        let other = try file("other.xml", "<html><body/></html>")
        #expect(throws: ConfigError.self) { try JUnitReader.read(other) }
    }

    @Test func openSLOListSingleAndFailing() throws {
        let v = try OpenSLOReader.read(evidence.appendingPathComponent("openslo-v1-slos.yaml"), service: "web")
        #expect(v.passed && v.summary.contains("web-availability"))
        #expect(try !OpenSLOReader.read(evidence.appendingPathComponent("openslo-v1-slos.yaml"), service: "support-copilot").passed)
        let single = try file("one.yaml", """
        apiVersion: openslo/v1
        kind: SLO
        metadata: {name: answer-latency}
        spec:
          service: support-copilot
          objectives:
            - {target: 0.95}
        ---
        apiVersion: openslo/v1
        kind: Service
        metadata: {name: support-copilot}
        """)
        #expect(try OpenSLOReader.read(single, service: "support-copilot").passed)
        let noObjectives = try file("none.yaml", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec: {service: s, objectives: []}\n")
        #expect(try !OpenSLOReader.read(noObjectives).passed)
    }

    @Test func malformedOpenSLOIsLocated() throws {
        let bad = try file("bad.yaml", "- apiVersion: openslo/v1\n  kind: SLO\n  metadata: {name: x\n  spec: {}\n")
        do {
            _ = try OpenSLOReader.read(bad)
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line >= 3 && e.message.contains("invalid YAML"))
        }
    }

    @Test func otlpTraceWithUpperAndLowerCaseIds() throws {
        let v = try OTLPTraceReader.read(evidence.appendingPathComponent("otlp-trace.json"), keySpans: ["I'm a server span"])
        #expect(v.passed && v.summary.hasPrefix("1 of 1 trace(s) complete"))
        #expect(try !OTLPTraceReader.read(evidence.appendingPathComponent("otlp-trace.json"), keySpans: ["policy.decision"]).passed)
        let mixed = try file("t.json", """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"1","name":"plan","startTimeUnixNano":"1544712660000000000"},
          {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"2","name":"policy.decision"},
          {"traceId":"00000000000000000000000000000000","spanId":"3","name":"plan"}]}]}]}
        """)
        let m = try OTLPTraceReader.read(mixed, keySpans: ["plan", "policy.decision"], threshold: 0.5)
        #expect(!m.passed && m.summary.contains("1 span(s) without a valid trace id"))
    }

    @Test func malformedOTLPIsRejected() throws {
        #expect(throws: ConfigError.self) { try OTLPTraceReader.read(try file("x.json", "{\"resourceSpans\": [")) }
        #expect(throws: ConfigError.self) { try OTLPTraceReader.read(try file("y.json", "{\"spans\": []}")) }
        // The message says where the shape went wrong, not just that it did.
        do {
            _ = try OTLPTraceReader.read(try file("z.json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": 3}]}]}"))
            Issue.record("accepted spans that are not a list")
        } catch let e as ConfigError {
            #expect(e.message.contains("at resourceSpans[0].scopeSpans[0].spans"), "\(e.message)")
        }
    }

    @Test func aSpanWithANumberForItsTraceIdCountsAsWithoutAnId() throws {
        let f = try file("n.json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": 5, \"name\": \"plan\"}]}]}]}")
        let v = try OTLPTraceReader.read(f, keySpans: ["plan"])
        #expect(!v.passed && v.summary.contains("1 span(s) without a valid trace id"))
    }
}

@Suite struct JUnitFuzzRegressionTests {
    /// Found by scripts/fuzz.sh: each crashed golive inside Foundation's XMLParser (a trap on a
    /// name that is not UTF-8, a null read on a declaration without a version).
    @Test func inputsThatCrashedTheXMLParserAreRefusedWithAPosition() throws {
        let dir = Fixtures.tempDir("junit-fuzz")
        let cases: [(String, [UInt8], String)] = [
            ("not-utf8.xml", Array(#"<?xml version="1.0"?><testsuites><testcase name="a"><fa"#.utf8) + [0xe2] + Array(#"lure/></testcase></testsuites>"#.utf8), "not UTF-8"),
            ("no-version.xml", Array(#"<?xml version?><testsuites name="pytest tests"><testsuite name="pytest" errors"#.utf8), "no version"),
            ("bare-pi.xml", Array(#"<?xm?><testsuites name="pytest tests"><testsuite name="pytest" errors"#.utf8), "processing instruction"),
            ("bare-xml-pi.xml", Array(#"<?xml?><testsuites name="pytest tests"></testsuites>"#.utf8), "processing instruction"),
        ]
        for (name, bytes, words) in cases {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            do {
                _ = try JUnitReader.read(url)
                Issue.record("\(name) was accepted")
            } catch let e as ConfigError {
                #expect(e.message.contains(words), "\(name): \(e.message)")
                #expect(e.file == url.path)
            }
        }
    }
}
