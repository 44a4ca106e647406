/// What a write did to decisions other people made: an approval or a sign-off is bound to the
/// readiness its maker saw, so a later change (even a note) makes it stop counting. The person who
/// made the change is told which, in both front ends, instead of finding out at the next advance.
public enum Consequences {
    public static func of(before: Readiness, after: Readiness) -> [String] {
        var said: [String] = []
        let steps = after.config.policy.canary.steps
        if let (from, to) = CanaryEngine.nextIncrease(before.state.canary, steps),
           CanaryEngine.nextIncrease(after.state.canary, steps).map({ $0 == (from, to) }) == true {
            let was = CanaryEngine.approvals(for: from, to: to, verdict: Gate.evaluate(before), readiness: before).fresh
            let now = Set(CanaryEngine.approvals(for: from, to: to, verdict: Gate.evaluate(after), readiness: after).fresh)
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

    /// Whether `of(before:after:)` reads the items of `before`: only to judge sign-offs and an
    /// exposure increase's approvals. A write keeps the items it was decided on only then.
    public static func readsItems(before state: RolloutState, config: RolloutConfig) -> Bool {
        !state.signoffs.isEmpty || CanaryEngine.nextIncrease(state.canary, config.policy.canary.steps) != nil
    }

    static func names(_ ids: [String]) -> String {
        ids.count == 1 ? "\(ids[0])'s" : ids.dropLast().joined(separator: ", ") + " and \(ids.last!)'s"
    }
}
