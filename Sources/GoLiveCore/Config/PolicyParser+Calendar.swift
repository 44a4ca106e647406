import Foundation
import Yams

/// `windows`, `freezes` and `break_glass`: when exposure may increase. Every window and freeze
/// names its IANA zone; there is no default zone, because a silent default is how release tools
/// have moved deploys by hours.
extension PolicyParser {
    static func parseWindows(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (i, entry) in try doc.sequence(node, what: "'windows'").enumerated() {
            let pairs = try doc.mapping(entry, allowed: ["name", "zone", "days", "from", "until"], what: "a window")
            var name = "window \(i + 1)", zone: TimeZone?, days: Set<Int>?, from: Int?, until: Int?, untilNode: Node?
            for (key, _, value) in pairs {
                switch key {
                case "name": name = try doc.string(value, what: "'name'")
                case "zone": zone = try timeZone(doc, value)
                case "days":
                    var set = Set<Int>()
                    for (day, n) in try doc.stringList(value, what: "'days'") {
                        guard let index = ReleaseWindow.dayNames.firstIndex(of: day.lowercased()) else {
                            throw doc.error(n, "unknown day '\(day)'; expected mon, tue, wed, thu, fri, sat or sun")
                        }
                        set.insert(index + 1)
                    }
                    guard !set.isEmpty else { throw doc.error(value, "'days' needs at least one day, e.g. [mon, tue, wed, thu]") }
                    days = set
                case "from": from = try clock(doc, value, what: "'from'")
                default: until = try clock(doc, value, what: "'until'"); untilNode = value
                }
            }
            guard let zone else { throw doc.error(entry, "window '\(name)' needs 'zone', an IANA time zone such as Europe/Berlin or America/New_York (there is no default zone)") }
            guard let days else { throw doc.error(entry, "window '\(name)' needs 'days', e.g. [mon, tue, wed, thu]") }
            guard let from, let until, let untilNode else { throw doc.error(entry, "window '\(name)' needs 'from' and 'until' times, e.g. from: \"09:00\", until: \"16:00\"") }
            guard until > from else {
                throw doc.error(untilNode, "window '\(name)' ends at \(ReleaseWindow.clock(until)), not after it starts at \(ReleaseWindow.clock(from)); split a window across midnight into two")
            }
            policy.calendar.windows.append(ReleaseWindow(name: name, zone: zone, days: days, from: from, until: until))
        }
    }

    static func parseFreezes(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (i, entry) in try doc.sequence(node, what: "'freezes'").enumerated() {
            let pairs = try doc.mapping(entry, allowed: ["name", "zone", "from", "until", "reason"], what: "a freeze")
            var name = "freeze \(i + 1)", reason: String?, zone: TimeZone?
            var fromNode: Node?, untilNode: Node?
            for (key, _, value) in pairs {
                switch key {
                case "name": name = try doc.string(value, what: "'name'")
                case "zone": zone = try timeZone(doc, value)
                case "reason": reason = try doc.string(value, what: "'reason'")
                case "from": fromNode = value
                default: untilNode = value
                }
            }
            guard let zone else { throw doc.error(entry, "freeze '\(name)' needs 'zone', an IANA time zone such as Europe/Berlin (there is no default zone)") }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw doc.error(entry, "freeze '\(name)' needs a 'reason': it is shown to whoever is refused")
            }
            guard let fromNode, let untilNode else { throw doc.error(entry, "freeze '\(name)' needs 'from' and 'until', e.g. from: 2026-12-19, until: 2027-01-04") }
            let start = try localTime(doc, fromNode, zone: zone, endOfDay: false, what: "'from'")
            let end = try localTime(doc, untilNode, zone: zone, endOfDay: true, what: "'until'")
            guard end > start else { throw doc.error(untilNode, "freeze '\(name)' ends before it starts") }
            policy.calendar.freezes.append(Freeze(name: name, reason: reason, zone: zone, start: start, end: end))
        }
    }

    static func parseBreakGlass(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (key, _, value) in try doc.mapping(node, allowed: ["roles", "extra_approvals"], what: "'break_glass'") {
            if key == "roles" {
                policy.calendar.breakGlass.roles = try doc.stringList(value, what: "'roles'").map(\.0)
            } else {
                let n = try doc.int(value, what: "'extra_approvals'")
                guard n >= 1 else { throw doc.error(value, "'extra_approvals' must be at least 1: breaking the glass takes more people, not fewer") }
                policy.calendar.breakGlass.extraApprovals = n
            }
        }
    }

    static func timeZone(_ doc: YAMLDocument, _ node: Node) throws -> TimeZone {
        let id = try doc.string(node, what: "'zone'")
        // Abbreviations and offsets ("CET", "+01:00") do not follow daylight saving: only region names.
        guard id.contains("/") || id == "UTC", let zone = TimeZone(identifier: id) else {
            // The database holds ~450 names: suggest near ones, never list them all.
            let near = Suggest.nearest(id, in: TimeZone.knownTimeZoneIdentifiers)
            let hint = near.isEmpty ? "names are Region/City, as in /usr/share/zoneinfo" : "did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
            throw doc.error(node, "unknown time zone '\(id)'; expected an IANA name such as Europe/Berlin, America/New_York or UTC; \(hint)")
        }
        return zone
    }

    static func clock(_ doc: YAMLDocument, _ node: Node, what: String) throws -> Int {
        let text = try doc.string(node, what: what)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60 else {
            throw doc.error(node, "\(what) must be a time of day like \"09:00\" (24-hour, up to \"24:00\"), found '\(text)'")
        }
        return h * 60 + m
    }

    /// "2026-12-19" (the start of that day, or for `until` the end of it) or "2026-12-19 18:00",
    /// in `zone`.
    static func localTime(_ doc: YAMLDocument, _ node: Node, zone: TimeZone, endOfDay: Bool, what: String) throws -> Date {
        let text = try doc.string(node, what: what)
        let bad = doc.error(node, "\(what) must be a date like 2026-12-19 or a local time like \"2026-12-19 18:00\", found '\(text)'")
        let halves = text.split(separator: " ")
        guard (1...2).contains(halves.count) else { throw bad }
        let ymd = halves[0].split(separator: "-")
        guard ymd.count == 3, ymd[0].count == 4, let y = Int(ymd[0]), let mo = Int(ymd[1]), let d = Int(ymd[2]) else { throw bad }
        var hm = (0, 0)
        if halves.count == 2 {
            let t = halves[1].split(separator: ":")
            guard t.count == 2, let h = Int(t[0]), let m = Int(t[1]), (0..<24).contains(h), (0..<60).contains(m) else { throw bad }
            hm = (h, m)
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        guard let day = cal.date(from: DateComponents(year: y, month: mo, day: d)),
              cal.dateComponents([.year, .month, .day], from: day) == DateComponents(year: y, month: mo, day: d) else {
            throw doc.error(node, "\(what): \(text) is not a day that exists")
        }
        if halves.count == 1 { return endOfDay ? cal.date(byAdding: .day, value: 1, to: day)! : day }
        guard let at = cal.date(bySettingHour: hm.0, minute: hm.1, second: 0, of: day) else { throw bad }
        return at
    }
}
