import Foundation

/// A time as an operator says it, in their own zone: "next friday 18:00", "tomorrow 09:00",
/// "2026-12-04 18:00", besides what `Timestamp.parseUserTime` takes (dates, timestamps, spans).
public enum SpokenTime {
    public static func parse(_ text: String, now: Date, zone: TimeZone = .current) throws -> Date {
        // One word that is already a timestamp, a date or a span (2026-12-31T18:00:00Z has a colon
        // too, and is not a time of day).
        if !text.contains(" "), text.contains("T") || !text.contains(":"), let exact = try? Timestamp.parseUserTime(text, now: now) { return exact }
        var words = text.lowercased().split(separator: " ").map(String.init)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        var minute: Int?
        if let last = words.last, last.contains(":") {
            let p = last.split(separator: ":")
            guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                throw InputError("cannot read the time of day '\(last)' in '\(text)'; expected HH:MM such as 18:00")
            }
            minute = h * 60 + m
            words.removeLast()
        }
        func at(_ day: Date) throws -> Date {
            let m = minute ?? 0
            guard let d = cal.date(bySettingHour: m / 60, minute: m % 60, second: 0, of: cal.startOfDay(for: day)) else {
                throw InputError("'\(text)' is not a time that exists in \(zone.identifier)")
            }
            return d
        }
        let next = words.first == "next"
        if next { words.removeFirst() }
        if words.count == 1, let word = words.first {
            switch word {
            case "today": return try at(now)
            case "tomorrow": return try at(cal.date(byAdding: .day, value: 1, to: now)!)
            default: break
            }
            if let index = weekday(word) {
                // "friday" is the coming Friday (today if still ahead); "next friday" the same, never today.
                var day = cal.startOfDay(for: now)
                for _ in 0..<8 {
                    if cal.component(.weekday, from: day) == index, let d = try? at(day), d > now, !(next && cal.isDate(day, inSameDayAs: now)) {
                        return d
                    }
                    day = cal.date(byAdding: .day, value: 1, to: day)!
                }
            }
            if word.count == 10, minute != nil, let day = try? Date.ISO8601FormatStyle(timeZone: zone).year().month().day().parse(word) {
                return try at(day)
            }
        }
        if words.isEmpty, minute != nil { return try at(now) }
        do {
            return try Timestamp.parseUserTime(text, now: now)
        } catch {
            throw InputError("cannot read the time '\(text)'; expected for example \"next friday 18:00\", \"tomorrow 09:00\", \"2026-12-04 18:00\" (your zone, \(zone.identifier)), 2026-12-31, 2026-12-31T18:00:00Z or a span like 3d")
        }
    }

    static func weekday(_ word: String) -> Int? {
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        return names.firstIndex { $0 == word || $0.prefix(3) == word }.map { $0 + 1 }
    }
}
