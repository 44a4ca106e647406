import Foundation

/// A weekly span in which exposure may increase, in the clock of one named place (IANA zone), so
/// that "Mon–Thu 09:00–16:00 Europe/Berlin" stays 09:00 in Berlin across daylight-saving changes.
public struct ReleaseWindow: Codable, Sendable, Equatable {
    public var name: String
    public var zone: TimeZone
    /// Calendar weekdays: 1 = Sunday … 7 = Saturday.
    public var days: Set<Int>
    /// Minutes after local midnight; `until` is exclusive and at most 24:00.
    public var from: Int
    public var until: Int

    public static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    enum CodingKeys: String, CodingKey { case name, zone, days, from, until }

    /// The days in order: a kept parse must encode the same in every process (a Set does not).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(zone, forKey: .zone)
        try c.encode(days.sorted(), forKey: .days)
        try c.encode(from, forKey: .from)
        try c.encode(until, forKey: .until)
    }

    public init(name: String, zone: TimeZone, days: Set<Int>, from: Int, until: Int) {
        self.name = name
        self.zone = zone
        self.days = days
        self.from = from
        self.until = until
    }

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }

    public func contains(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let weekday = parts.weekday, days.contains(weekday) else { return false }
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return minute >= from && minute < until
    }

    /// Every opening and closing instant on the local days from `start`'s day for `days` days.
    func edges(from start: Date, days count: Int) -> [Date] {
        let cal = calendar
        let first = cal.startOfDay(for: start)
        var out: [Date] = []
        for offset in 0..<count {
            guard let day = cal.date(byAdding: .day, value: offset, to: first),
                  days.contains(cal.component(.weekday, from: day)) else { continue }
            for minute in [from, until] {
                if minute >= 24 * 60 {
                    if let next = cal.date(byAdding: .day, value: 1, to: day) { out.append(cal.startOfDay(for: next)) }
                } else if let at = cal.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: day) {
                    out.append(at)
                }
            }
        }
        return out
    }

    /// "berlin-office: mon tue wed thu 09:00–16:00 Europe/Berlin"
    public var summary: String {
        let names = (1...7).filter(days.contains).map { Self.dayNames[$0 - 1] }.joined(separator: " ")
        return "\(name): \(names) \(Self.clock(from))–\(Self.clock(until)) \(Self.name(of: zone))"
    }

    /// The zone as the policy names it: Foundation calls the zone written `UTC` "GMT".
    static func name(of zone: TimeZone) -> String { zone.identifier == "GMT" ? "UTC" : zone.identifier }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}
