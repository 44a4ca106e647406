import Foundation

/// Turns what curses' `wget_wch` returned into a `Key`, without curses, so the decoding is tested
/// on its own. Function keys come as curses codes, which only the adapter knows: it passes them in.
public struct KeyDecoder: Sendable {
    /// Curses function-key codes (KEY_UP, KEY_DC, …) and the keys they mean.
    public let functionKeys: [Int32: Key]

    public init(functionKeys: [Int32: Key]) { self.functionKeys = functionKeys }

    /// A function key (`wget_wch` returned KEY_CODE_YES); nil for one GoLive does not use.
    public func function(_ code: Int32) -> Key? { functionKeys[code] }

    /// A character (`wget_wch` returned OK): control characters become named keys, the rest text.
    public func character(_ code: UInt32) -> Key? {
        switch code {
        case 27: return .escape
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(UnicodeScalar(code + 96)!))
        default:
            guard code >= 32, code != 0x7f, let scalar = UnicodeScalar(code) else { return nil }
            // C1 controls (0x80–0x9f) are escape sequences in disguise, never text.
            if (0x80...0x9f).contains(code) { return nil }
            return .char(Character(scalar))
        }
    }
}
