import Foundation

public enum Suggest {
    /// The known names closest to `name`, best first, so an error can say "did you mean …".
    public static func nearest(_ name: String, in candidates: [String], limit: Int = 3) -> [String] {
        let lowered = name.lowercased()
        let scored = candidates.map { candidate -> (String, Int) in
            let c = candidate.lowercased()
            var d = distance(lowered, c)
            if c.hasPrefix(lowered) || lowered.hasPrefix(c) || c.contains(lowered) { d = min(d, 1) }
            return (candidate, d)
        }
        let threshold = max(2, name.count / 2)
        return scored.filter { $0.1 <= threshold }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }

    static let listedUpTo = 12

    public static func didYouMean(_ name: String, in candidates: [String]) -> String {
        let near = nearest(name, in: candidates)
        if near.isEmpty {
            // A catalog of 2,000 items is no list to read in an error: the first few, and how many.
            let sorted = candidates.sorted()
            guard sorted.count > listedUpTo else { return "expected one of: " + sorted.joined(separator: ", ") }
            return "expected one of \(sorted.count) names: " + sorted.prefix(listedUpTo).joined(separator: ", ") + ", … and \(sorted.count - listedUpTo) more"
        }
        return "did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
