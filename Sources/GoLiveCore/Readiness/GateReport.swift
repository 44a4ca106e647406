/// The verdict as lines a person reads; the CLI prints them, the cockpit colours them by kind.
public enum GateReport {
    public enum Kind: Sendable { case verdictReady, verdictBlocked, meta, unmet, block, finding, met, blank }

    public static func lines(_ v: GateVerdict, rollout: String) -> [(String, Kind)] {
        var out: [(String, Kind)] = []
        if v.ready {
            out.append(("GATE: READY — all \(v.met.count) requirements met, no active block", .verdictReady))
        } else {
            var parts: [String] = []
            func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            if !v.unmet.isEmpty { parts.append(plural(v.unmet.count, "unmet requirement")) }
            if !v.blocks.isEmpty { parts.append(plural(v.blocks.count, "active block")) }
            if !v.signoffsMissing.isEmpty { parts.append(plural(v.signoffsMissing.count, "sign-off") + " missing") }
            out.append(("GATE: NOT READY — " + parts.joined(separator: ", "), .verdictBlocked))
        }
        out.append(("  rollout \(rollout) · journal seq \(v.journalSeq) · evaluated \(Timestamp.format(v.evaluatedAt))", .meta))
        out.append(("  policy sha256:\(v.policySha256.prefix(16))  state sha256:\(v.stateSha256.prefix(16))", .meta))
        for c in v.unmet {
            out.append(("", .blank))
            out.append(("✗ require \(c.name) — needs: \(c.summary)", .unmet))
            out += c.findings.map { (finding($0), .finding) }
        }
        for c in v.blocks {
            out.append(("", .blank))
            out.append(("⛔ block_if \(c.name) — active: \(c.summary)", .block))
            out += c.findings.map { (finding($0), .finding) }
        }
        if !v.signoffsMissing.isEmpty {
            out.append(("", .blank))
            out.append(("✗ required sign-offs", .unmet))
            out += v.signoffsMissing.map { ("    · \($0)", .finding) }
        }
        if !v.notGating.isEmpty {
            out.append(("", .blank))
            out.append(("· not gating — required items no condition of the policy names (shown so nobody takes them for met)", .meta))
            out += v.notGating.map { (finding($0), .finding) }
        }
        if !v.met.isEmpty {
            out.append(("", .blank))
            out.append(("✓ met: " + v.met.joined(separator: ", "), .met))
        }
        return out
    }

    static func finding(_ f: Finding) -> String {
        let subject = f.item.map { "item \($0)" } ?? f.capability.map { "capability \($0)" } ?? "rollout"
        let owner = f.owner.map { " (owner \($0))" } ?? ""
        return "    · \(subject): \(f.detail)\(owner)"
    }
}
