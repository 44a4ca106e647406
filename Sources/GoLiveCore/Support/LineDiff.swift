import Foundation

/// A line diff in the unified style (` `, `-`, `+` prefixes, hunks with context), for showing a
/// person what changed in a configuration file. Longest common subsequence over lines: files here
/// are hand-written YAML and scripts, so the quadratic table stays small; past `cellLimit` it
/// says how many lines differ instead of guessing.
public enum LineDiff {
    public static let cellLimit = 4_000_000

    public static func unified(_ old: String, _ new: String, context: Int = 2) -> [String] {
        let a = lines(old), b = lines(new)
        // Trim the common head and tail first: most edits touch a few lines of a long file.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let x = Array(a[head..<(a.count - tail)]), y = Array(b[head..<(b.count - tail)])
        guard (x.count + 1) * (y.count + 1) <= cellLimit else {
            return ["@@ \(x.count) lines replaced by \(y.count) lines from line \(head + 1) (too long to compare line by line) @@"]
        }
        var ops: [(Character, String)] = a[..<head].map { (" ", $0) }
        ops += script(x, y)
        ops += a[(a.count - tail)...].map { (" ", $0) }
        return hunks(ops, context: context)
    }

    static func lines(_ text: String) -> [String] {
        var out = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if out.last == "" { out.removeLast() }
        return out
    }

    static func script(_ x: [String], _ y: [String]) -> [(Character, String)] {
        let n = x.count, m = y.count
        guard n > 0, m > 0 else { return x.map { ("-", $0) } + y.map { ("+", $0) } }
        // lcs[i][j]: common lines of x[i...] and y[j...], in one flat buffer.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] = x[i] == y[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        var out: [(Character, String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, x[i] == y[j] {
                out.append((" ", x[i])); i += 1; j += 1
            } else if j < m, i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j] {
                out.append(("+", y[j])); j += 1
            } else {
                out.append(("-", x[i])); i += 1
            }
        }
        // Show removals before additions within a change, as diff(1) does.
        var k = 0
        while k < out.count {
            guard out[k].0 != " " else { k += 1; continue }
            var end = k
            while end < out.count, out[end].0 != " " { end += 1 }
            let block = out[k..<end]
            out.replaceSubrange(k..<end, with: block.filter { $0.0 == "-" } + block.filter { $0.0 == "+" })
            k = end
        }
        return out
    }

    static func hunks(_ ops: [(Character, String)], context: Int) -> [String] {
        let changed = ops.indices.filter { ops[$0].0 != " " }
        guard !changed.isEmpty else { return [] }
        var out: [String] = []
        var groupStart = changed[0], groupEnd = changed[0]
        func flush() {
            let from = max(0, groupStart - context), to = min(ops.count - 1, groupEnd + context)
            let oldLine = ops[..<from].filter { $0.0 != "+" }.count + 1, newLine = ops[..<from].filter { $0.0 != "-" }.count + 1
            let slice = ops[from...to]
            out.append("@@ -\(oldLine),\(slice.filter { $0.0 != "+" }.count) +\(newLine),\(slice.filter { $0.0 != "-" }.count) @@")
            out += slice.map { "\($0.0)\($0.1)" }
        }
        for index in changed.dropFirst() {
            if index - groupEnd > 2 * context + 1 {
                flush()
                groupStart = index
            }
            groupEnd = index
        }
        flush()
        return out
    }
}
