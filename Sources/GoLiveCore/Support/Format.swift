import Foundation

/// The one way numbers, shares and spans of time become text, so the CLI, the cockpit, the report
/// and the journal's summaries never disagree on how "0.9%" or "12 min" is written.
public enum Format {
    /// "30", "2.5": whole numbers without a decimal point, others as Swift writes them.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// "1%", "0.9%", "12.5%": a share as people write it, to a thousandth of a percent.
    public static func percent(_ value: Double) -> String { percentNumber(value) + "%" }

    /// The same share without the sign, for a hook's environment.
    public static func percentNumber(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return "\(Int(rounded))" }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// "1.25 s" with `decimals` digits.
    public static func seconds(_ value: Double, decimals: Int = 2) -> String { fixed(value, decimals: decimals) + " s" }

    /// "3.14" with `decimals` digits.
    public static func fixed(_ value: Double, decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    /// Short spans in words: "45 s", "12 min", "1 h 05 min". Time still to wait rounds up, time
    /// served rounds down, so "3 s to go" never reads as done.
    public static func duration(_ seconds: Double, roundingUp: Bool = true) -> String {
        let rule: FloatingPointRoundingRule = roundingUp ? .up : .down
        let whole = seconds.isFinite ? max(0, Int(min(seconds, 1e12).rounded(rule))) : 0
        if whole < 60 { return "\(whole) s" }
        let minutes = Int((Double(whole) / 60).rounded(rule))
        if minutes < 120 { return "\(minutes) min" }
        return String(format: "%d h %02d min", minutes / 60, minutes % 60)
    }

    /// The age of something in one short token for a table column: "5m", "3h", "2d"; "—" when unknown.
    public static func age(since date: Date?, now: Date) -> String {
        guard let date else { return "—" }
        let seconds = max(0, now.timeIntervalSince(date))
        if seconds < 3600 { return "\(Int(seconds / 60))m" }
        if seconds < 86_400 { return "\(Int(seconds / 3600))h" }
        return "\(Int(seconds / 86_400))d"
    }
}
