/// What a write did to decisions other people made: an approval or a sign-off is bound to the
/// readiness its maker saw, so a later change (even a note) makes it stop counting. The person who
/// made the change is told which, in both front ends, instead of finding out at the next advance.
public enum Consequences {
    public static func of(before: Readiness, after: Readiness) -> [String] {
        var said: [String] = []
        let steps = after.config.policy.canary.steps
        if let (from, to) = CanaryEngine.nextIncrease(before.state.canary, steps),
           CanaryEngine.nextIncrease(after.state.canary, steps).map({ $0 == (from, to) }) == true {
            // Bound to the verdict's state and policy digests: read without evaluating the gate,
            // which assesses every item.
            let was = CanaryEngine.approvals(for: from, to: to, stateSha256: before.stateHash, policySha256: before.config.policy.sha256, readiness: before).fresh
            let now = Set(CanaryEngine.approvals(for: from, to: to, stateSha256: after.stateHash, policySha256: after.config.policy.sha256, readiness: after).fresh)
            let lost = was.filter { !now.contains($0) }
            if !lost.isEmpty {
                said.append("\(names(lost)) approval\(lost.count == 1 ? "" : "s") of \(from) → \(to) no longer count\(lost.count == 1 ? "s" : ""): "
                            + "an approval is bound to the readiness it saw, which this change moved; \(lost.count == 1 ? "it needs" : "they need") approving again")
            }
        }
        for contour in Contour.allCases {
            let was = before.signoffs(for: contour).filter { $0.1 == .fresh }.map(\.0)
            guard !was.isEmpty, after.signoffStanding(contour) != .fresh else { continue }
            let who = was.map { "\($0.by) (\($0.role))" }
            said.append("the sign-off of \(contour.title) by \(who.joined(separator: ", ")) is now stale: its contour changed; it needs signing again")
        }
        return said
    }

    static func names(_ ids: [String]) -> String {
        ids.count == 1 ? "\(ids[0])'s" : ids.dropLast().joined(separator: ", ") + " and \(ids.last!)'s"
    }
}
