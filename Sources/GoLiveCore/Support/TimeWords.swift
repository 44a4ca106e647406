import Foundation

/// Short spans of time in words: "45 s", "12 min", "1 h 05 min".
public enum Duration {
    /// Time still to wait rounds up, time served rounds down, so "3 s to go" never reads as done.
    public static func words(_ seconds: Double, roundingUp: Bool = true) -> String {
        let rule: FloatingPointRoundingRule = roundingUp ? .up : .down
        let s = max(0, Int(seconds.rounded(rule)))
        if s < 60 { return "\(s) s" }
        let m = Int((Double(s) / 60).rounded(rule))
        if m < 120 { return "\(m) min" }
        return String(format: "%d h %02d min", m / 60, m % 60)
    }
}
