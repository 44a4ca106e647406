import Foundation

/// What the gate and the canary's next step say today and under the question, and the difference.
public struct WhatIfAnswer: Sendable {
    public var question: String
    public var today: GateVerdict
    public var then: GateVerdict
    /// Requirements, blocks and sign-offs that fail under the question and not today, with why.
    public var newlyFailing: [String]
    public var noLongerFailing: [String]
    /// Waivers (recorded or asked for) that have ended by the question's time.
    public var expiredWaivers: [String]
    public var nextStepToday: String?
    public var nextStepThen: String?
    public var at: Date
    /// What the question assumed that the rules would not let happen.
    public var notes: [String] = []

    init(question: String, today r: Readiness, then t: Readiness, actor: String) {
        self.question = question
        let today = Gate.evaluate(r), then = Gate.evaluate(t)
        self.today = today
        self.then = then
        at = t.now
        let before = Set(today.reasons)
        func explained(_ v: GateVerdict, _ name: String) -> String {
            let condition = name.hasPrefix("block ") ? v.blocks.first { "block \($0.name)" == name } : v.unmet.first { $0.name == name }
            guard let c = condition else { return name }
            let findings = c.findings.prefix(3).map { f in
                "\(f.item ?? f.capability ?? "")\(f.detail.isEmpty ? "" : " (\(f.detail))")"
            }
            return "\(name): \(c.summary)" + (findings.isEmpty ? "" : " — " + findings.joined(separator: "; "))
        }
        newlyFailing = then.reasons.filter { !before.contains($0) }.map { explained(then, $0) }
        noLongerFailing = today.reasons.filter { !Set(then.reasons).contains($0) }
        expiredWaivers = t.config.catalog.compactMap { item in
            let s = t.state.item(item.id)
            guard s.status == .waived, let w = s.waiver, w.expires <= t.now else { return nil }
            return "\(item.id): waived until \(Timestamp.short(w.expires)) by \(w.by) (\(w.reason))"
        }
        func nextStep(_ r: Readiness) -> String? {
            // A what-if never moves traffic: this only asks what the engine would answer.
            guard CanaryEngine.nextIncrease(r.state.canary, r.config.policy.canary.steps) != nil else { return nil }
            switch CanaryEngine.decide(.advance(cohort: nil), actor: actor, readiness: r) {
            case .accept: return "\(actor) could advance"
            case let .refuse(why): return "refused: \(why.reason)"
            }
        }
        nextStepToday = nextStep(r)
        nextStepThen = nextStep(t)
    }

    public var changed: Bool { today.ready != then.ready || !newlyFailing.isEmpty || !noLongerFailing.isEmpty || !expiredWaivers.isEmpty }

    /// One line for the journal.
    public var summary: String {
        "today \(today.ready ? "READY" : "NOT READY"), what-if \(then.ready ? "READY" : "NOT READY")"
            + (newlyFailing.isEmpty ? "" : "; newly failing: " + newlyFailing.map { String($0.prefix { $0 != ":" }) }.joined(separator: ", "))
            + (noLongerFailing.isEmpty ? "" : "; no longer failing: " + noLongerFailing.joined(separator: ", "))
            + (expiredWaivers.isEmpty ? "" : "; waivers expired by then: " + expiredWaivers.map { String($0.prefix { $0 != ":" }) }.joined(separator: ", "))
    }

    public var lines: [String] { tonedLines.map(\.text) }

    /// The answer's lines with their tones: what fails then, or expires, asks for attention.
    public var tonedLines: [TonedLine] {
        var out = [TonedLine("what-if: \(question)", .heading),
                   TonedLine("gate today:   \(today.ready ? "READY" : "NOT READY (\(today.reasons.joined(separator: ", ")))")"),
                   TonedLine("gate what-if: \(then.ready ? "READY" : "NOT READY (\(then.reasons.joined(separator: ", ")))")")]
        if !newlyFailing.isEmpty { out.append(TonedLine("newly failing (\(newlyFailing.count)):")); out += newlyFailing.map { TonedLine("  ✗ \($0)", .attention) } }
        if !noLongerFailing.isEmpty { out.append(TonedLine("no longer failing (\(noLongerFailing.count)):")); out += noLongerFailing.map { TonedLine("  ✓ \($0)", .good) } }
        if !expiredWaivers.isEmpty {
            out.append(TonedLine("waivers expired by \(Timestamp.short(at)) UTC (\(expiredWaivers.count)):"))
            out += expiredWaivers.map { TonedLine("  ⌛ \($0)", .attention) }
        }
        if !changed { out.append(TonedLine("no difference from today's verdict")) }
        out += notes.map { TonedLine("note: \($0)") }
        if nextStepToday != nil || nextStepThen != nil {
            out.append(TonedLine("canary next step today:   \(nextStepToday ?? "none")"))
            out.append(TonedLine("canary next step what-if: \(nextStepThen ?? "none")"))
        }
        return out.map { TonedLine(SafeText.sanitize($0.text), $0.tone) }
    }
}
