import Testing
@testable import GoLiveUI

/// The two pieces between the pure screen and curses: the diff that decides which cells are sent
/// to the terminal, and the decoding of what the terminal sends back.
@Suite struct TerminalTests {
    @Test func anUnchangedScreenSendsNothing() {
        var a = Screen(width: 10, height: 3)
        _ = a.put(0, 0, "gate", .header)
        #expect(a.changes(since: a).isEmpty)
    }

    @Test func onlyTheCellsThatChangedAreSent() {
        var before = Screen(width: 10, height: 3)
        _ = before.put(0, 1, "NOT READY", .bad)
        var after = before
        _ = after.put(0, 1, "NOT", .bad)  // same text, same role: no change
        #expect(after.changes(since: before).isEmpty)
        _ = after.put(4, 1, "READY", .ok)  // same letters, new role: five cells change
        #expect(after.changes(since: before) == Array(14...18))
        _ = after.put(9, 2, "!", .bad)
        #expect(after.changes(since: before) == Array(14...18) + [29])
    }

    @Test func aNewSizeOrNoPreviousScreenSendsEverything() {
        let small = Screen(width: 4, height: 2)
        let big = Screen(width: 5, height: 2)
        #expect(big.changes(since: nil) == Array(0..<10))
        #expect(big.changes(since: small) == Array(0..<10))
        #expect(small.changes(since: big) == Array(0..<8))
    }

    static let decoder = KeyDecoder(functionKeys: [259: .up, 258: .down, 330: .delete, 353: .backTab])

    @Test func controlCharactersAreNamedKeys() {
        let d = Self.decoder
        #expect(d.character(27) == .escape)
        #expect(d.character(10) == .enter && d.character(13) == .enter)
        #expect(d.character(9) == .tab)
        #expect(d.character(127) == .backspace && d.character(8) == .backspace)
        #expect(d.character(3) == .ctrl("c") && d.character(1) == .ctrl("a") && d.character(26) == .ctrl("z"))
        #expect(d.character(0) == nil)
    }

    @Test func textIsTextInAnyScript() {
        let d = Self.decoder
        #expect(d.character(UInt32(UnicodeScalar("q").value)) == .char("q"))
        #expect(d.character(32) == .char(" "))
        #expect(d.character(0xe9) == .char("é"))
        #expect(d.character(0x6f22) == .char("漢"))
        #expect(d.character(0x1f680) == .char("🚀"))
    }

    @Test func escapeSequencesInDisguiseAreNotText() {
        let d = Self.decoder
        #expect(d.character(0x9b) == nil)  // C1 CSI
        #expect(d.character(0x85) == nil)
        #expect(d.character(0xd800) == nil)  // a lone surrogate is no character
    }

    @Test func functionKeysComeFromTheAdaptersTable() {
        let d = Self.decoder
        #expect(d.function(259) == .up && d.function(258) == .down)
        #expect(d.function(330) == .delete && d.function(353) == .backTab)
        #expect(d.function(999) == nil)
    }
}
