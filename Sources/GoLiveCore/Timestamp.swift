import Foundation

/// ISO 8601 in UTC with milliseconds: what the journal writes and reads.
public enum Timestamp {
    /// Whole milliseconds, rounded, so that format → parse → format is exact (a snapshot and a
    /// rebuild from the journal must fold to equal states).
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Int64((Double(ms) / 1000).rounded(.down))
        let fraction = Int(ms - seconds * 1000)
        let base = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        let digits = String(fraction)
        return String(base.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        var whole = text
        var ms = 0.0
        if let dot = text.firstIndex(of: "."), text.hasSuffix("Z") {
            let frac = text[text.index(after: dot)..<text.index(before: text.endIndex)]
            guard !frac.isEmpty, frac.allSatisfy(\.isNumber), let f = Double("0." + frac) else { return nil }
            ms = (f * 1000).rounded()
            whole = String(text[..<dot]) + "Z"
        }
        guard let d = try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(whole) else { return nil }
        return Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000 + ms).rounded() / 1000)
    }

    /// Accepts what an operator types for an expiry: a date (end of that day, UTC), a full timestamp,
    /// or a span from now such as `7d`, `12h`.
    public static func parseUserTime(_ text: String, now: Date) throws -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let unit = t.last, let n = Double(t.dropLast()), n > 0 {
            switch unit {
            case "d": return now.addingTimeInterval(n * 86_400)
            case "h": return now.addingTimeInterval(n * 3_600)
            case "m": return now.addingTimeInterval(n * 60)
            default: break
            }
        }
        if let d = parse(t) { return d }
        let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        if let d = try? day.parse(t) { return d.addingTimeInterval(86_399) }
        throw InputError("cannot read the time '\(text)'; expected a date like 2026-12-31, a timestamp like 2026-12-31T18:00:00Z, or a span like 7d or 12h")
    }

    public static func short(_ date: Date) -> String {
        let s = format(date)
        return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

/// Time is injected so that tests (and the canary's shadow timer) are deterministic.
public struct TimeSource: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = TimeSource { Date() }
    public static func fixed(_ date: Date) -> TimeSource { TimeSource { date } }
}
