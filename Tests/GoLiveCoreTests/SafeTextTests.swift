import Foundation
import Testing
@testable import GoLiveCore

/// The sanitiser copies bytes and escapes only what must be (issue 30: the Markdown export of a
/// million records spent a third of its time building strings scalar by scalar). What it shows
/// must stay exactly what the scalar-by-scalar sanitiser showed, for every text.
@Suite struct SafeTextTests {
    static let pieces: [String] = ["a", "Z", " ", "~", "\u{7f}", "\u{0}", "\u{7}", "\t", "\n", "\r", "\u{1b}", "\u{1b}[2J",
                                   "é", "ß", "—", "→", "日本", "🚀", "👩‍💻", "\u{80}", "\u{85}", "\u{9f}", "\u{a0}",
                                   "\u{200b}", "\u{200f}", "\u{2028}", "\u{2029}", "\u{202a}", "\u{202e}", "\u{2060}",
                                   "\u{2064}", "\u{2065}", "\u{2066}", "\u{2069}", "\u{206a}", "\u{feff}", "\u{fffd}", "\u{10ffff}"]

    @Test func everyTextIsShownAsTheScalarByScalarSanitiserShowedIt() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5_000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            for keep in [false, true] {
                #expect(SafeText.sanitize(text, keepNewlines: keep) == SafeText.sanitizedByScalars(text, keepNewlines: keep),
                        "round \(round): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        // Every scalar of the planes that matter, one at a time.
        for value in UInt32(0)...0x2100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "x" + String(Character(scalar)) + "y"
            #expect(SafeText.sanitize(text) == SafeText.sanitizedByScalars(text), "U+\(String(value, radix: 16))")
        }
    }
}
