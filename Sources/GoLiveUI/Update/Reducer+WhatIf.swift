import Foundation
import GoLiveCore

extension Reducer {
    static let whatIfUsage = "usage: whatif at TIME | waive ID [until TIME] | unwaive ID | set ID=passed|failed|open|na (. is the selected item)"

    /// Asks the core's `WhatIf` on the state the screen shows; nothing is written. The answer
    /// replaces the gate view until esc.
    static func whatIf(_ s: inout UIState, _ words: [String]) {
        let r = s.dashboard.readiness
        let now = s.now
        func id(_ i: Int) -> String? {
            guard words.count > i else { return nil }
            return words[i] == "." ? s.selectedRow?.id : words[i]
        }
        var question = WhatIf()
        do {
            switch words.first {
            case "at" where words.count > 1:
                question.at = try SpokenTime.parse(words.dropFirst().joined(separator: " "), now: now)
            case "waive":
                guard let item = id(1) else { throw InputError(whatIfUsage) }
                var until = now.addingTimeInterval(Double(r.config.policy.waivers.maxDays) * 86_400)
                if words.count > 3, words[2] == "until" { until = try SpokenTime.parse(words.dropFirst(3).joined(separator: " "), now: now) }
                question.waive = [(item, until)]
            case "unwaive":
                guard let item = id(1) else { throw InputError(whatIfUsage) }
                question.unwaive = [item]
            case "set":
                let parts = words.count > 1 ? words[1].split(separator: "=").map(String.init) : []
                let results: [String: ItemStatus] = ["passed": .passed, "failed": .failed, "open": .open, "na": .not_applicable]
                guard parts.count == 2, let status = results[parts[1]] else { throw InputError(whatIfUsage) }
                question.results = [(parts[0] == "." ? s.selectedRow?.id ?? "." : parts[0], status)]
            default:
                throw InputError(whatIfUsage)
            }
            try question.validate(r.config, now: now)
        } catch {
            s.message = Message(text: ErrorReport.describe(error), kind: .error)
            return
        }
        let answer = question.answer(Readiness(config: r.config, state: r.state, now: now), actor: s.dashboard.operatorID)
        s.whatIf = answer.lines + ["", "nothing was written · esc returns to the gate"]
        s.mode = .gate
        s.scroll = 0
    }
}
