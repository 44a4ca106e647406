import Foundation
import Testing
@testable import GoLiveCore

/// Locating by brackets (sixteen bytes at a time) must end every value exactly where reading it
/// whole does, whatever strings, escapes and nesting fall across the sixteen-byte blocks.
@Suite struct JSONReaderSkipTests {
    static func randomValue(_ depth: Int, _ rng: inout some RandomNumberGenerator) -> String {
        let pieces = [#"a"#, #"\""#, #"\\"#, #"{"#, #"}"#, #"["#, #"]"#, "é", #"\n"#, #"\\\""#, ",", ":", " ", "0123456789abcdef"]
        func text() -> String {
            "\"" + (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\""
        }
        func scalar() -> String { [text(), "12.5e3", "true", "null", "-7"].randomElement(using: &rng)! }
        guard depth > 0 else { return scalar() }
        let count = Int.random(in: 0...5, using: &rng)
        if Bool.random(using: &rng) {
            return "{" + (0..<count).map { _ in text() + ":" + (Bool.random(using: &rng) ? randomValue(depth - 1, &rng) : scalar()) }.joined(separator: ",") + "}"
        }
        return "[" + (0..<count).map { _ in Bool.random(using: &rng) ? randomValue(depth - 1, &rng) : scalar() }.joined(separator: ",") + "]"
    }

    @Test func bracketsAloneEndEveryValueWhereReadingItDoes() throws {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<3000 {
            var value = Self.randomValue(Int.random(in: 1...4, using: &rng), &rng)
            guard value.first == "{" || value.first == "[" else { continue }
            // A prefix shifts the value across the sixteen-byte blocks; a tail must not be read.
            value = String(repeating: " ", count: Int.random(in: 0...15, using: &rng)) + value + #",{"after":"}"}"#
            let bytes = Array(value.utf8)
            try bytes.withUnsafeBufferPointer { buffer in
                var whole = JSONReader(bytes: buffer)
                try whole.skipValue()
                var located = JSONReader(bytes: buffer)
                try located.skipBracketed()
                #expect(located.i == whole.i, "\(value)")
            }
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test func anUnterminatedValueIsAnErrorNotAnEnd() {
        for text in [#"{"a":"}"#, #"{"a":[1,2}"#, #"[{"#, #"{"a":"\"}"#, String(repeating: "[", count: 40)] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                var r = JSONReader(bytes: buffer)
                #expect(throws: JSONReader.Malformed.self, "\(text)") { try r.skipBracketed() }
            }
        }
    }
}
