import Foundation

/// A question put to the gate and the canary without changing anything: the recorded state under
/// a changed policy, an added or removed waiver, an item result, or a later time.
public struct WhatIf: Sendable {
    public var policy: Policy?
    /// How the question names the policy ("stricter.yaml").
    public var policyName: String?
    /// Items to waive, each until a time.
    public var waive: [(item: String, until: Date)] = []
    public var unwaive: [String] = []
    public var results: [(item: String, status: ItemStatus)] = []
    public var at: Date?

    public init() {}

    /// `ID=passed|failed|open|na`, as the CLI's --set and the cockpit's `:whatif set` take it.
    public static func result(_ clause: String) throws -> (item: String, status: ItemStatus) {
        let parts = clause.split(separator: "=", maxSplits: 1).map(String.init)
        let words: [String: ItemStatus] = ["passed": .passed, "pass": .passed, "failed": .failed, "fail": .failed, "open": .open, "na": .not_applicable]
        guard parts.count == 2, let status = words[parts[1]] else {
            throw InputError("'\(clause)': expected ITEM=passed, ITEM=failed, ITEM=open or ITEM=na")
        }
        return (parts[0], status)
    }

    /// When an asked-for waiver ends unless the question says: the longest the policy allows.
    public static func defaultWaiverEnd(_ policy: Policy, now: Date) -> Date {
        now.addingTimeInterval(Double(policy.waivers.maxDays) * 86_400)
    }

    /// The question in words, for the answer's first line and the journal.
    public var question: String {
        var parts: [String] = []
        if let policyName { parts.append("policy \(policyName)") }
        parts += waive.map { "waive \($0.item) until \(Timestamp.short($0.until))" }
        parts += unwaive.map { "remove the waiver of \($0)" }
        parts += results.map { "\($0.item) \($0.status.word)" }
        if let at { parts.append("at \(Timestamp.short(at)) UTC") }
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }

    /// Checks the question's items against the catalog, before anything is evaluated.
    public func validate(_ config: RolloutConfig, now: Date) throws {
        for id in waive.map(\.item) + unwaive + results.map(\.item) { _ = try config.requireItem(id) }
        if let at, at < now { throw InputError("\(Timestamp.short(at)) is in the past; what-if looks ahead", remedies: [.lookBack]) }
        for w in waive where w.until <= now { throw InputError("the waiver of \(w.item) would end \(Timestamp.short(w.until)), which is not in the future") }
    }

    /// The readiness the question describes.
    public func applied(to r: Readiness) -> Readiness {
        var config = r.config, state = r.state
        let now = at ?? r.now
        if let policy { config.policy = policy }
        for w in waive {
            var s = state.item(w.item)
            s.status = .waived
            s.waiver = Waiver(reason: "what-if", expires: w.until, by: "what-if", at: r.now)
            state.items[w.item, default: s] = s
        }
        for id in unwaive {
            var s = state.item(id)
            if s.status == .waived { s.status = .open }
            s.waiver = nil
            state.items[id, default: s] = s
        }
        for (id, status) in results {
            var s = state.item(id)
            s.status = status
            s.note = "what-if"
            s.resultAt = now
            s.waiver = nil
            state.items[id, default: s] = s
        }
        return Readiness(config: config, state: state, now: now)
    }

    public func answer(_ today: Readiness, actor: String) -> WhatIfAnswer {
        let then = applied(to: today)
        var answer = WhatIfAnswer(question: question, today: today, then: then, actor: actor)
        // A question may ask for what the rules would never allow; say so rather than mislead.
        for w in waive {
            let asked = Command.waive(id: w.item, reason: "what-if", expires: w.until)
            if case let .refuse(why) = Cockpit.decide(asked, actor: Actor(operatorID: actor, osUser: "", session: ""), readiness: today) {
                answer.notes.append("a real waiver of \(w.item) would be refused: \(why.reason)")
            }
        }
        return answer
    }

    /// Had `policy` been in force, the first seq at which the gate would have been READY, next to
    /// the first at which it was under the recorded policy; replayed over the recorded results
    /// with today's catalog and team.
    public static func replay(_ store: Store, config: RolloutConfig, policy: Policy) throws -> (recorded: Int?, whatIf: Int?, records: Int) {
        var state = RolloutState(), recorded: Int?, whatIf: Int?, records = 0
        var alt = config
        alt.policy = policy
        try store.forEachEvent { event in
            state.apply(event)
            records += 1
            guard event.kind.changesReadiness else { return true }
            if recorded == nil, Gate.evaluate(Readiness(config: config, state: state, now: event.ts)).ready { recorded = event.seq }
            if whatIf == nil, Gate.evaluate(Readiness(config: alt, state: state, now: event.ts)).ready { whatIf = event.seq }
            return true
        }
        return (recorded, whatIf, records)
    }
}
