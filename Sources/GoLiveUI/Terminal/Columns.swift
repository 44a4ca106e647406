/// Terminal column widths, computed here rather than with libc's wcwidth, whose answers depend on
/// the process locale (and are -1 for everything non-ASCII in tests that run without one).
public enum Columns {
    public static func width(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7f && v < 0xa0) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    public static func width(_ character: Character) -> Int {
        var w = 0
        var first = true
        for s in character.unicodeScalars {
            let sw = width(s)
            if first { w = sw; first = false } else if s.value == 0xfe0f { w = 2 } // emoji presentation
        }
        return w
    }

    public static func width(_ text: String) -> Int { text.reduce(0) { $0 + width($1) } }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x300...0x36f).contains(v) || (0x483...0x489).contains(v) || (0x591...0x5bd).contains(v)
            || (0x610...0x61a).contains(v) || (0x64b...0x65f).contains(v) || (0x200b...0x200f).contains(v)
            || (0x202a...0x202e).contains(v) || (0x2060...0x2064).contains(v) || (0xfe00...0xfe0f).contains(v)
            || (0x1ab0...0x1aff).contains(v) || (0x1dc0...0x1dff).contains(v) || (0x20d0...0x20ff).contains(v)
            || (0xfe20...0xfe2f).contains(v) || (0xe0100...0xe01ef).contains(v) || v == 0x200d
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115f).contains(v) || (0x231a...0x231b).contains(v) || (0x2329...0x232a).contains(v)
            || (0x23e9...0x23ec).contains(v) || v == 0x23f0 || v == 0x23f3 || (0x25fd...0x25fe).contains(v)
            || (0x2614...0x2615).contains(v) || (0x2648...0x2653).contains(v) || v == 0x267f || v == 0x2693
            || v == 0x26a1 || (0x26aa...0x26ab).contains(v) || (0x26bd...0x26be).contains(v) || (0x26c4...0x26c5).contains(v)
            || v == 0x26ce || v == 0x26d4 || v == 0x26ea || (0x26f2...0x26f3).contains(v) || v == 0x26f5 || v == 0x26fa
            || v == 0x26fd || v == 0x2705 || (0x270a...0x270b).contains(v) || v == 0x2728 || v == 0x274c || v == 0x274e
            || (0x2753...0x2755).contains(v) || v == 0x2757 || (0x2795...0x2797).contains(v) || v == 0x27b0 || v == 0x27bf
            || (0x2b1b...0x2b1c).contains(v) || v == 0x2b50 || v == 0x2b55
            || (0x2e80...0x303e).contains(v) || (0x3041...0x33ff).contains(v) || (0x3400...0x4dbf).contains(v)
            || (0x4e00...0x9fff).contains(v) || (0xa000...0xa4cf).contains(v) || (0xa960...0xa97f).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe10...0xfe19).contains(v)
            || (0xfe30...0xfe6f).contains(v) || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v)
            || (0x1f004 == v) || v == 0x1f0cf || v == 0x1f18e || (0x1f191...0x1f19a).contains(v)
            || (0x1f200...0x1f251).contains(v) || (0x1f300...0x1f64f).contains(v) || (0x1f680...0x1f6ff).contains(v)
            || (0x1f7e0...0x1f7eb).contains(v) || (0x1f90c...0x1f9ff).contains(v) || (0x1fa70...0x1faff).contains(v)
            || (0x20000...0x2fffd).contains(v) || (0x30000...0x3fffd).contains(v)
    }
}
