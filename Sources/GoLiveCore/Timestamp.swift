import Foundation

/// ISO 8601 in UTC with milliseconds: what the journal writes and reads.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) { return d }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
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
