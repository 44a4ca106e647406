import Foundation

/// Sorted seqs written compactly as `1-5,9,12-40`.
public struct SeqRanges: Sendable {
    var parts: [(Int, Int)] = []
    public init() {}
    public mutating func add(_ seq: Int) {
        if let last = parts.last, last.1 + 1 == seq { parts[parts.count - 1].1 = seq } else { parts.append((seq, seq)) }
    }
    public var text: String { parts.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)-\($0.1)" }.joined(separator: ",") }

    public static func parse(_ text: String) -> [ClosedRange<Int>]? {
        if text.isEmpty { return [] }
        var out: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0) }
            guard ends.count == 1 || ends.count == 2, ends[0] <= ends[ends.count - 1] else { return nil }
            out.append(ends[0]...ends[ends.count - 1])
        }
        return out
    }
}
