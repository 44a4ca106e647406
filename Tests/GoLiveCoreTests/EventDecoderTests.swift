import Foundation
import Testing
@testable import GoLiveCore

/// The record decoder must read every record as Foundation's JSONDecoder does, and refuse what it refuses.
@Suite struct EventDecoderTests {
    static func foundation(_ line: Data) -> Data? {
        (try? JSONCoding.decoder().decode(Event.self, from: line)).flatMap { try? JSONCoding.encoder().encode($0) }
    }

    static func fast(_ line: Data) -> Data? {
        (try? EventDecoder.decode(line)).flatMap { try? JSONCoding.encoder().encode($0) }
    }

    static var sampleLines: [Data] {
        let text = (try? String(contentsOf: Fixtures.sampleData.appendingPathComponent("journal.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { Data($0.utf8) }
    }

    @Test func everySampleRecordReadsTheSameAsWithJSONDecoder() throws {
        let lines = Self.sampleLines
        #expect(lines.count > 90)
        for line in lines {
            let want = try #require(Self.foundation(line))
            #expect(Self.fast(line) == want, "\(String(decoding: line, as: UTF8.self).prefix(200))")
        }
    }

    @Test func escapesNullsUnknownKeysAndWrongTypesAgree() throws {
        let base = #"{"v":2,"seq":7,"prev":"p","actor":"bob","data":DATA,"kind":"item.set","os_user":"u","session":"s","ts":"2026-11-28T21:54:24.353Z","hash":"h"}"#
        let datas = [
            #"{"item":"a.b","note":"line\nbreak \"quoted\" \\ \/ \u00e9 \ud83d\ude00 tab\t","status":"passed"}"#,
            #"{"item":null,"note":null,"extra":{"deep":[1,2,{"x":null}],"s":"\u0041"},"applied":true,"auto":false}"#,
            #"{"evidence":{"kind":"link","text":"t","url":"https://x","at":"2026-11-28T21:54:24.353Z","by":"bob","more":1}}"#,
            #"{"evidence":{"kind":"link"}}"#,
            #"{"status":"bogus"}"#,
            #"{"applied":"yes"}"#,
            #"{"expires":"not a time"}"#,
            #"{"note":"\ud83d"}"#,
            #"{"note":"\udc00x"}"#,
            #"{"note":"bad \q escape"}"#,
            #"{"transition":{"id":"c1","action":"advance","from":"shadow","to":"1%","stage":"canary","step":0,"exposure_pct":0.9,"cohort":["a"]}}"#,
            #"{"transition":{"id":"c1"}}"#,
            #"{"hook":{"outcome":"applied","summary":"ok","seconds":0.01}}"#,
            "{ \"item\" : \"spaced\" , \"note\" : \"x\" }",
            #"{}"#,
        ]
        var cases = datas.map { base.replacingOccurrences(of: "DATA", with: $0) }
        cases += [
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":"7""#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":7.0"#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":7.5"#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":-3"#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":07"#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""seq":7"#, with: #""seq":7.,"x":1"#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #","hash":"h""#, with: ""),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""kind":"item.set""#, with: #""kind":"item.unknown""#),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""hash":"h""#, with: #""hash":null"#),
            base.replacingOccurrences(of: "DATA", with: "{}") + "x",
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: "}", with: ""),
            base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""sig":"#, with: "") .replacingOccurrences(of: #""hash":"h""#, with: #""hash":"h","sig":null"#),
        ]
        for text in cases {
            let line = Data(text.utf8)
            #expect(Self.fast(line) == Self.foundation(line), "\(text)")
        }
        // A member written twice: the second is read, whole, as jq and python read it (golive never
        // writes one twice; Foundation's JSONDecoder, which no reader of records uses, keeps the first).
        let twice = try #require(try? EventDecoder.decode(Data(base.replacingOccurrences(of: "DATA", with: #"{"item":"a.b","status":"passed"},"data":{"note":"second"}"#).utf8)))
        #expect(twice.data.note == "second" && twice.data.item == nil && twice.data.status == nil)
        // A number in a key neither reads is not checked by JSONDecoder, so not by the reader
        // either (found by the random edits below: `"pid":1-346` in an unknown key).
        let skipped = base.replacingOccurrences(of: "DATA", with: #"{"unknown":{"pid":1-346,"n":[01,-,2e+-1]}}"#)
        #expect(Self.fast(Data(skipped.utf8)) != nil && Self.foundation(Data(skipped.utf8)) != nil)
        let read = base.replacingOccurrences(of: "DATA", with: "{}").replacingOccurrences(of: #""v":2"#, with: #""v":2-1"#)
        #expect(Self.fast(Data(read.utf8)) == nil && Self.foundation(Data(read.utf8)) == nil, "a number that is read is checked")
        // Invalid UTF-8 inside a string is refused by both.
        var bad = Data(base.replacingOccurrences(of: "DATA", with: #"{"note":"XY"}"#).utf8)
        let at = try #require(bad.firstIndex(of: UInt8(ascii: "X")))
        bad[at] = 0xC3
        bad[at + 1] = 0x28
        #expect(Self.fast(bad) == nil && Self.foundation(bad) == nil)
    }

    /// Strings with every kind of escape, anywhere (first, last, back to back, around text that is
    /// not ASCII), long and short, written by JSONEncoder and by hand: read as JSONDecoder reads
    /// them, and refused where it refuses them.
    @Test func escapedStringsReadAsJSONDecoderReadsThem() throws {
        func both(_ json: [UInt8]) -> (fast: String?, foundation: String?) {
            let fast = json.withUnsafeBufferPointer { buffer -> String? in
                var r = JSONReader(bytes: buffer)
                guard let text = try? r.string(), r.i == buffer.count else { return nil }
                return text
            }
            return (fast, try? JSONDecoder().decode(String.self, from: Data(json)))
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "plain text ", "\"", "\\", "/", "\n", "\t", "\r", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "é", "😀", "\u{7f}", "\u{2028}", "a longer plain run of text", "ééééééééé", "0123456789abcdef"]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let json = Array(try JSONEncoder().encode(text))
            let read = both(json)
            #expect(read.fast == text && read.foundation == text, "\(String(decoding: json, as: UTF8.self))")
        }
        // A long text with a line break every few dozen bytes, as an adoption record holds rollout.yaml.
        let yaml = (0..<5000).map { "  - id: item_\($0)\n    title: \"Is it ready?\" é\n" }.joined()
        #expect(both(Array(try JSONEncoder().encode(yaml))).fast == yaml)
        let byHand: [String] = [
            #""\u00e9\ud83d\ude00\u0041""#, #""x\/y""#, #""a\\""#, #""\"""#, #""\n""#, #""é\nà""#,
            #""ab\u12""#, #""ab\u12"#, #""ab\"#, #""ab\""#, #""ab\q""#, #""\ud83d""#, #""\ud83dx""#, #""\udc00""#,
            #""\ud83d\u0041""#, #""\uZZZZ""#, #""a\n"#, "\"a\\n\u{1}\"", "\"a\\n\u{1f}b\"", "\"\\t\u{7f}\"",
            // A control character, a quote and a backslash at every place in an eight-byte word.
        ] + (0..<17).flatMap { k in
            let before = String(repeating: "x", count: k)
            return ["\"\(before)\u{1}abcdefghijklmnop\"", "\"\(before)\\nabcdefghij\u{1f}klmnop\"", "\"\(before)\"", "\"\(before)\\\"abcdefghijklmnopq\"",
                    "\"\(before)é\\\\abcdefghijklmnop\"", "\"\(before)\u{9}\"", "\"ab\\n\(before)\u{0}\""]
        }
        for text in byHand {
            let read = both(Array(text.utf8))
            #expect(read.fast == read.foundation, "\(text): fast \(read.fast ?? "refused"), JSONDecoder \(read.foundation ?? "refused")")
        }
        // Bytes that are not UTF-8, after an escape and before one.
        for bad: [UInt8] in [[0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22], [0x22, 0xC3, 0x28, 0x5C, 0x6E, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22]] {
            let read = both(bad)
            #expect(read.fast == nil && read.foundation == nil, "\(bad)")
        }
    }

    /// Random edits of real records: whatever JSONDecoder accepts is read the same, whatever it refuses is refused.
    @Test func mutatedRecordsAreAcceptedAndRefusedAlike() throws {
        var rng = SystemRandomNumberGenerator()
        let lines = Self.sampleLines
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"#.utf8) + [0x0A, 0xC3, 0x80]
        var disagreements: [String] = []
        for _ in 0..<20000 {
            var bytes = [UInt8](lines.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
            }
            let line = Data(bytes)
            let (f, j) = (Self.fast(line), Self.foundation(line))
            if f != j { disagreements.append("fast \(f == nil ? "refused" : "read"), JSONDecoder \(j == nil ? "refused" : "read"): " + String(decoding: line, as: UTF8.self)) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, e.g.\n\(disagreements.prefix(12).joined(separator: "\n"))")
    }
    /// A record decoded with its header shares the header's link and hash only where its fields
    /// hold exactly that text; an escaped or different field is read as JSON reads it.
    @Test func aLinkAndHashSharedFromTheHeaderAreTheFieldsTextAsJSONReadsIt() throws {
        func read(_ json: String, known: String?) throws -> String {
            let bytes = Array(json.utf8)
            return try bytes.withUnsafeBufferPointer { b in
                var r = JSONReader(bytes: b)
                return try r.string(sharing: known)
            }
        }
        let hex = String(repeating: "ab12", count: 16)
        #expect(try read("\"\(hex)\"", known: hex) == hex)
        #expect(try read("\"\(hex)\"", known: String(hex.dropLast())) == hex, "a shorter text is not the field")
        #expect(try read("\"\(hex)\"", known: hex + "0") == hex, "a longer one neither")
        // The header holds the field's raw bytes; an escape in them is read, not shared.
        #expect(try read(#""ab\u0030""#, known: #"ab\u0030"#) == "ab0")
        #expect(try read(#""a\"b""#, known: #"a\"#) == "a\"b")
        #expect(throws: (any Error).self) { try read("\"ab\u{01}\"", known: "ab\u{01}") }
        for line in Self.sampleLines {
            let head = try #require(line.withUnsafeBytes { Journal.head(of: $0.bindMemory(to: UInt8.self)) })
            let shared = try line.withUnsafeBytes { try EventDecoder.decode($0.bindMemory(to: UInt8.self), head: head) }
            let alone = try EventDecoder.decode(line)
            #expect(shared.prev == alone.prev && shared.hash == alone.hash && shared.seq == alone.seq)
        }
    }
}
