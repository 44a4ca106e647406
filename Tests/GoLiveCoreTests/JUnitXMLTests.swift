import Foundation
import Testing
@testable import GoLiveCore

/// The JUnit reader's own XML scanner (it replaced Foundation's XMLParser and, with it, libxml2 and
/// ICU in every golive process): what JUnit writers produce is read, what is not XML is refused
/// with its line and column.
@Suite struct JUnitXMLTests {
    func read(_ text: String) throws -> ReaderVerdict {
        let url = Fixtures.tempDir("junit-xml").appendingPathComponent("report.xml")
        try Data(text.utf8).write(to: url)
        return try JUnitReader.read(url)
    }

    func refusal(_ text: String) -> ConfigError? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func whatJUnitWritersProduceIsRead() throws {
        // A BOM, the declaration, comments, CDATA holding markup, references in names and text,
        // single quotes, attributes spread over lines, namespaced names, non-ASCII names.
        let v = try read("""
        \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!-- written by a tool; <testcase name="not counted"/> -->
        <testsuites xmlns:x="urn:x">
          <testsuite name='évals' tests="4">
            <testcase classname="t" name="a &amp; b &lt;c&gt; &#x263A; &#65;"
                      time="0.1"><failure message="boom"><![CDATA[expected </testcase> & <b>]]></failure></testcase>
            <testcase name="résumé"><system-out>ok &quot;fine&quot; &apos;x&apos;</system-out></testcase>
            <testcase name="skipped one"><skipped/></testcase>
            <x:testcase name="other namespace"/>
          </testsuite>
        </testsuites>

        """)
        #expect(v.summary == "1/2 eval cases passed (1 failed, 0 errors, 1 skipped); failing: a & b <c> ☺ A")
    }

    @Test func whatIsNotXMLIsRefusedWhereItIs() throws {
        let cases: [(String, Int, Int, String)] = [
            ("<testsuites>\n  <testsuite>\n    <testcase name=\"a\">\n  </testsuite>\n</testsuites>\n", 4, 3, "</testsuite> closes <testcase>"),
            ("<testsuites><testsuite>\n<testcase/>", 2, 12, "the document ends inside <testsuite>"),
            ("<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<testsuites>&lol;</testsuites>", 1, 1, "a DOCTYPE"),
            ("<testsuites>&lol;</testsuites>", 1, 13, "&lol; is not a reference"),
            ("<testsuites>\n <testcase name=\"a\" name=\"b\"/></testsuites>", 2, 21, "the attribute name appears twice"),
            ("<testsuites><testcase name=\"a<b\"/></testsuites>", 1, 30, "'<' in an attribute value"),
            ("<testsuites/>\n<testsuites/>", 2, 1, "a second root element"),
            ("<testsuites/>trailing", 1, 14, "text after the root element"),
            ("<testsuites>\u{1B}[2J</testsuites>", 1, 13, "a control character (byte 27)"),
            ("<testsuites><testcase name=a/></testsuites>", 1, 28, "expected a quoted attribute value"),
            ("<testsuites><testcase name=\"a\"/></testsuite>", 1, 33, "</testsuite> closes <testsuites>"),
            ("\n <?xml version=\"1.0\"?><testsuites/>", 2, 2, "the XML declaration is not at the start"),
            ("<testsuites>é<!-- open", 1, 14, "a comment that is not closed"),
            ("<testsuites><![CDATA[x</testsuites>", 1, 13, "a CDATA section that is not closed"),
            ("", 1, 1, "no root element"),
        ]
        for (text, line, column, words) in cases {
            let e = refusal(text)
            #expect(e?.message.contains("not well-formed JUnit XML: \(words)") == true, "\(text.debugDescription): \(e?.message ?? "accepted")")
            #expect(e.map { ($0.line, $0.column) } ?? (0, 0) == (line, column), "\(text.debugDescription): at \(e?.line ?? 0):\(e?.column ?? 0)")
        }
    }
}
