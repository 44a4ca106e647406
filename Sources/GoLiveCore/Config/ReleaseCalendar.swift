import Foundation

/// When exposure may increase: inside a release window (any time, when the policy names none) and
/// outside every freeze. Time zones come from the system's time zone database, never from fixed
/// offsets, so daylight-saving changes move the instants and not the local clock times.
public struct ReleaseCalendar: Codable, Sendable, Equatable {
    public var windows: [ReleaseWindow] = []
    public var freezes: [Freeze] = []
    public var breakGlass = BreakGlassPolicy()

    public init() {}

    public enum Standing: Sendable, Equatable {
        /// `window` nil: the policy names no windows.
        case open(window: ReleaseWindow?)
        case outsideWindows
        case frozen(Freeze)

        public var allowsIncrease: Bool { if case .open = self { return true } else { return false } }
    }

    /// Whether the policy restricts time at all.
    public var restricts: Bool { !windows.isEmpty || !freezes.isEmpty }

    public func standing(at date: Date) -> Standing {
        if let freeze = freezes.first(where: { $0.contains(date) }) { return .frozen(freeze) }
        if windows.isEmpty { return .open(window: nil) }
        if let window = windows.first(where: { $0.contains(date) }) { return .open(window: window) }
        return .outsideWindows
    }

    /// Instants at which the standing may change, after `date`, up to `days` days on.
    func edges(after date: Date, days: Int) -> [Date] {
        // One day back: a window opened "yesterday" in a zone behind UTC may still be open.
        let start = date.addingTimeInterval(-86_400)
        var all = windows.flatMap { $0.edges(from: start, days: days + 2) }
        for f in freezes { all += [f.start, f.end] }
        let horizon = date.addingTimeInterval(Double(days) * 86_400)
        return Set(all.filter { $0 > date && $0 <= horizon }).sorted()
    }

    /// The first instant at or after `date` at which exposure may increase; nil when none comes
    /// within a year (a calendar that never opens).
    public func nextAllowed(after date: Date) -> Date? {
        if standing(at: date).allowsIncrease { return date }
        for days in [8, 40, 400] {
            if let at = edges(after: date, days: days).first(where: { standing(at: $0).allowsIncrease }) { return at }
        }
        return nil
    }

    /// The next instant the standing turns (opens or closes), for a countdown.
    public func nextChange(after date: Date) -> Date? {
        let now = standing(at: date).allowsIncrease
        for days in [8, 40, 400] {
            if let at = edges(after: date, days: days).first(where: { standing(at: $0).allowsIncrease != now }) { return at }
        }
        return nil
    }

    /// Why an increase is refused at `date`, with the next allowed time in the window's zone and
    /// in the operator's; nil when allowed.
    public func refusal(at date: Date, local: TimeZone = .current) -> String? {
        let standing = standing(at: date)
        let why: String
        switch standing {
        case .open: return nil
        case let .frozen(f):
            why = "the freeze '\(f.name)' holds from \(Self.show(f.start, in: f.zone)) until \(Self.show(f.end, in: f.zone)) (\(f.reason))"
        case .outsideWindows:
            why = "it is outside every release window (\(windows.map(\.summary).joined(separator: "; ")))"
        }
        return why + "; " + nextAllowedText(after: date, local: local)
    }

    /// "next allowed: Mon 30 Nov 2026 09:00 in Europe/Berlin (08:00 UTC your time), in 2 d 4 h".
    public func nextAllowedText(after date: Date, local: TimeZone = .current) -> String {
        guard let next = nextAllowed(after: date) else { return "no release window opens within a year" }
        let zone = windows.first(where: { $0.contains(next) })?.zone ?? freezes.first?.zone ?? local
        return "next allowed: \(Self.show(next, in: zone)) (\(Self.show(next, in: local)) your time), \(Self.countdown(next.timeIntervalSince(date)))"
    }

    /// A time as a person in `zone` reads it, naming the zone: "Mon 30 Nov 2026 09:00 Europe/Berlin".
    public static func show(_ date: Date, in zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let p = cal.dateComponents([.weekday, .day, .month, .year, .hour, .minute], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = ReleaseWindow.dayNames[(p.weekday ?? 1) - 1].capitalized
        let clock = ReleaseWindow.clock((p.hour ?? 0) * 60 + (p.minute ?? 0))
        return "\(day) \(p.day ?? 0) \(months[(p.month ?? 1) - 1]) \(p.year ?? 0) \(clock) \(ReleaseWindow.name(of: zone))"
    }

    /// "in 2 d 04 h", "in 45 min"; `short` (for a header) gives whole hours under two days: "in 8 h".
    public static func countdown(_ seconds: Double, short: Bool = false) -> String {
        if seconds <= 0 { return "now" }
        if short && seconds >= 7200 && seconds < 2 * 86_400 { return "in \(Int((seconds / 3600).rounded(.up))) h" }
        if seconds >= 2 * 86_400 {
            let hours = Int((seconds / 3600).rounded(.up))
            return String(format: "in %d d %02d h", hours / 24, hours % 24)
        }
        return "in " + Format.duration(seconds)
    }
}
