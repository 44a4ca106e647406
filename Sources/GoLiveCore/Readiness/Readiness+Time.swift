import Foundation

extension Readiness {
    /// The first moment after `now` at which time alone changes an item's standing (a waiver
    /// expires, evidence passes its maximum age), so the verdict may change with no record
    /// written: the cockpit judges again then, and `golive wait` wakes then whatever its interval.
    public var nextTimeChange: Date? {
        var next: Date?
        for item in config.catalog {
            let s = state.item(item.id)
            var moments: [Date] = []
            if let w = s.waiver, s.status == .waived { moments.append(w.expires) }
            if let age = item.probe?.maxAgeMinutes, s.status == .passed, let at = s.resultAt {
                moments.append(at.addingTimeInterval(Double(age) * 60))
            }
            for m in moments where m > now { next = min(next ?? m, m) }
        }
        return next
    }
}
