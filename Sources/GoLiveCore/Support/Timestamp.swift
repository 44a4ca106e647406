import Foundation

/// ISO 8601 in UTC with milliseconds: what the journal writes and reads.
public enum Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in whole milliseconds, rounded, so that format → parse → format is
    /// exact (a snapshot and a rebuild from the journal must fold to equal states). Written by hand:
    /// snapshots hold thousands of times and Foundation's formatters dominated `golive status`.
    /// `date` as a reader of what `format` wrote gets it back: to the millisecond.
    public static func asWritten(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public static func format(_ date: Date) -> String {
        let ms = milliseconds(date)
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let inDay = ms - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func put(_ v: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var x = v
            for i in stride(from: width - 1, through: 0, by: -1) { digits[i] = UInt8(48 + x % 10); x /= 10 }
            out += digits
        }
        put(y, 4); out.append(45); put(m, 2); out.append(45); put(d, 2); out.append(84)
        put(inDay / 3_600_000, 2); out.append(58); put(inDay / 60_000 % 60, 2); out.append(58); put(inDay / 1000 % 60, 2)
        out.append(46); put(inDay % 1000, 3); out.append(90)
        return String(decoding: out, as: UTF8.self)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func parse(_ text: String) -> Date? {
        if let fast = parseFixed(text) { return fast }
        // Foundation's parser rolls impossible fields over (February 30th becomes March 2nd, 25:00
        // the next day): a time is accepted only if it reads back as written.
        guard let date = parseLeniently(text) else { return nil }
        if text.hasSuffix("Z"), text.count >= 19, format(date).prefix(19) != text.prefix(19) { return nil }
        return date
    }

    static func parseLeniently(_ text: String) -> Date? {
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

    /// The exact shape `format` writes.
    static func parseFixed(_ text: String) -> Date? {
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable { b -> Date? in
            guard b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 46, b[23] == 90 else { return nil }
            func num(_ from: Int, _ len: Int) -> Int64? {
                var v: Int64 = 0
                for i in from..<(from + len) {
                    let c = b[i]
                    guard c >= 48 && c <= 57 else { return nil }
                    v = v * 10 + Int64(c - 48)
                }
                return v
            }
            guard let y0 = num(0, 4), let m = num(5, 2), let d = num(8, 2), let hh = num(11, 2), let mm = num(14, 2),
                  let ss = num(17, 2), let ms = num(20, 3), (1...12).contains(m), (1...daysIn(month: m, year: y0)).contains(d),
                  hh < 24, mm < 60, ss < 60 else { return nil }
            let y = m <= 2 ? y0 - 1 : y0
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let days = era * 146_097 + doe - 719_468
            let total = ((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms
            return Date(timeIntervalSince1970: Double(total) / 1000)
        } ?? nil
    }

    /// Accepts what an operator types for an expiry: a date (end of that day, UTC), a full timestamp,
    /// or a span from now such as `7d`, `12h`.
    public static func parseUserTime(_ text: String, now: Date) throws -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        let expected = "expected a date like 2026-12-31, a timestamp like 2026-12-31T18:00:00Z, or a span like 7d or 12h"
        if let unit = t.last, let seconds = ["d": 86_400.0, "h": 3_600, "m": 60][String(unit)] {
            guard let n = Double(t.dropLast()) else { throw InputError("cannot read the time '\(text)'; \(expected)") }
            // Spans are of days to months; anything past a century is a typo (and 1e300d overflowed).
            guard n.isFinite, n > 0, n * seconds <= maxSpanSeconds else {
                throw InputError("cannot read the time '\(text)': a span must be more than 0 and at most 36500d (100 years)")
            }
            return now.addingTimeInterval(n * seconds)
        }
        if let d = parse(t) { return d }
        let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        if t.count == 10, let d = try? day.parse(t), format(d).prefix(10) == t { return d.addingTimeInterval(86_399) }
        throw InputError("cannot read the time '\(text)'; \(expected), with a day and time that exist")
    }

    static let maxSpanSeconds = 36_500.0 * 86_400

    public static func short(_ date: Date) -> String {
        // Bytes, not Foundation's replacingOccurrences: every write's answer shows one.
        let short = format(date).utf8.prefix(16).map { $0 == UInt8(ascii: "T") ? UInt8(ascii: " ") : $0 }
        return String(decoding: short, as: UTF8.self)
    }
}
